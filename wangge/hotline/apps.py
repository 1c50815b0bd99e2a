from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "wangge.hotline"
    label = "hotline"
    verbose_name = _("12345热线")

    def ready(self) -> None:
        from wangge.cases.signals import case_changed
        from wangge.hotline.receivers import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="hotline.on_case_changed")
