from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingsConfig(AppConfig):
    name = "wangge.rankings"
    label = "rankings"
    verbose_name = _("荣誉榜单")
