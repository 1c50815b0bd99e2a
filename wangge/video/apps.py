from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "wangge.video"
    label = "video"
    verbose_name = _("鹰眼视频")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from wangge.cases import panels
        from wangge.cases.services import close_requirement_register
        from wangge.core import media
        from wangge.video import receivers, services
        from wangge.video.models import VideoEventType

        # The table every event reads is kept in memory; a saved row is read again at once.
        for signal in (post_save, post_delete):
            signal.connect(
                services.invalidate_event_types,
                sender=VideoEventType,
                dispatch_uid=f"video.types.{signal is post_save}",
            )
        media.register("video", receivers.snapshot_visible)
        panels.register("video", receivers.case_panel)
        close_requirement_register(receivers.review_required)
