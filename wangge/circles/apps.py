from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirclesConfig(AppConfig):
    name = "wangge.circles"
    label = "circles"
    verbose_name = _("圈子")

    def ready(self) -> None:
        from wangge.circles import selectors
        from wangge.core import media

        media.register("circles", selectors.post_photo_visible)
