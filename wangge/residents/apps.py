from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "wangge.residents"
    label = "residents"
    verbose_name = _("网格提户知人")

    def ready(self) -> None:
        from wangge.core import media
        from wangge.residents import selectors

        media.register("visits", selectors.visit_photo_visible)
        media.register("wishes", selectors.wish_photo_visible)
