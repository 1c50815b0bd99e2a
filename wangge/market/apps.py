from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "wangge.market"
    label = "market"
    verbose_name = _("乐享闲置")

    def ready(self) -> None:
        from wangge.core import media
        from wangge.market import selectors

        media.register("market", selectors.listing_photo_visible)
