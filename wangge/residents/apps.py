from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "wangge.residents"
    label = "residents"
    verbose_name = _("网格提户知人")

    def ready(self) -> None:
        from wangge.accounts.models import User
        from wangge.accounts.signals import real_name_verified
        from wangge.core import media
        from wangge.residents import receivers, selectors

        media.register("visits", selectors.visit_photo_visible)
        media.register("wishes", selectors.wish_photo_visible)

        real_name_verified.connect(
            receivers.link_person, sender=User, dispatch_uid="residents.link-person"
        )
