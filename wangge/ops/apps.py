from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "wangge.ops"
    label = "ops"
    verbose_name = _("城运中心")

    def ready(self) -> None:
        from wangge.core import media
        from wangge.ops import selectors

        media.register("circulars", selectors.circular_file_visible)
