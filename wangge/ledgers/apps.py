from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "wangge.ledgers"
    label = "ledgers"
    verbose_name = _("物与组织、隐患排查、议事厅")

    def ready(self) -> None:
        from wangge.ledgers import receivers  # noqa: F401  (connects to case_changed)
