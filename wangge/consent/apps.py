from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "wangge.consent"
    label = "consent"
    verbose_name = _("用户协议与授权")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from wangge.consent import receivers

        post_migrate.connect(
            receivers.publish_first_versions, sender=self, dispatch_uid="consent.first-versions"
        )
