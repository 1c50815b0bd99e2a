from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "wangge.audit"
    label = "audit"
    verbose_name = _("审计")

    def ready(self) -> None:
        from auditlog import get_logentry_model
        from django.db.models.signals import pre_save

        from wangge.audit.middleware import stamp_log_entry

        pre_save.connect(
            stamp_log_entry, sender=get_logentry_model(), dispatch_uid="wangge.audit.stamp"
        )
