from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "wangge.points"
    label = "points"
    verbose_name = _("活力值")

    def ready(self) -> None:
        from wangge.cases.signals import case_changed
        from wangge.points import receivers

        case_changed.connect(receivers.on_case_changed, dispatch_uid="points.report_verified")
