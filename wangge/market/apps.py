from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "wangge.market"
    label = "market"
    verbose_name = _("乐享闲置")

    def ready(self) -> None:
        from wangge.core import media
        from wangge.market import selectors, services
        from wangge.moderation import registry
        from wangge.moderation.models import Kind

        media.register("market", selectors.listing_photo_visible)
        registry.register(
            Kind.LISTING, publish=services.listing_publish, hide=services.listing_hide
        )
