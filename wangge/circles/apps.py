from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirclesConfig(AppConfig):
    name = "wangge.circles"
    label = "circles"
    verbose_name = _("圈子")

    def ready(self) -> None:
        from wangge.circles import selectors, services
        from wangge.core import media
        from wangge.moderation import registry
        from wangge.moderation.models import Kind

        media.register("circles", selectors.post_photo_visible)
        # Content security publishes or hides posts and comments; the district's word list is
        # its local check for everyone WeChat's check cannot take.
        registry.register(Kind.POST, publish=services.post_publish, hide=services.post_hide)
        registry.register(
            Kind.COMMENT, publish=services.comment_publish, hide=services.comment_hide
        )
        registry.register_local_screen(services.screen)
