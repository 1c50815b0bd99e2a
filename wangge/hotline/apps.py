from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "wangge.hotline"
    label = "hotline"
    verbose_name = _("12345热线")

    def ready(self) -> None:
        from wangge.cases import panels
        from wangge.cases.services import followup_waiver_register
        from wangge.cases.signals import case_changed
        from wangge.core import media
        from wangge.hotline import selectors
        from wangge.hotline.panels import recordings_panel
        from wangge.hotline.receivers import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="hotline.on_case_changed")
        # Call recordings: served by /media/ to those who may hear them, played on the case page.
        media.register("hotline", selectors.recording_visible)
        panels.register("hotline.recordings", recordings_panel)
        # An order sent as 无需回访 closes at verification.
        followup_waiver_register(selectors.followup_waived)
