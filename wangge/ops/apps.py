from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "wangge.ops"
    label = "ops"
    verbose_name = _("城运中心")
