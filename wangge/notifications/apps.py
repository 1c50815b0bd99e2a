from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "wangge.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from wangge.accounts.signals import sms_code_issued
        from wangge.notifications.receivers import text_the_code

        sms_code_issued.connect(text_the_code, dispatch_uid="notifications.sms-code")
