from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "wangge.video"
    label = "video"
    verbose_name = _("鹰眼视频")

    def ready(self) -> None:
        from wangge.cases import panels
        from wangge.cases.services import close_requirement_register
        from wangge.core import media
        from wangge.video import receivers

        media.register("video", receivers.snapshot_visible)
        panels.register("video", receivers.case_panel)
        close_requirement_register(receivers.review_required)
