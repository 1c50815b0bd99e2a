from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "wangge.grids"
    label = "grids"
    verbose_name = _("网格")

    def ready(self) -> None:
        from wangge.core import warmup
        from wangge.grids import signals  # noqa: F401  (connects index invalidation)
        from wangge.grids.warmup import warm_grids

        warmup.register("grids", warm_grids)
