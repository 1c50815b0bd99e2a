from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "wangge.moderation"
    label = "moderation"
    verbose_name = _("内容安全")

    def ready(self) -> None:
        from wangge.moderation import receivers

        receivers.connect()
