import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
application = get_wsgi_application()

if settings.WARM_START:
    from wangge.core.warmup import warm_up

    warm_up()
