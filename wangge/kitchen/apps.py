from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitchenConfig(AppConfig):
    name = "wangge.kitchen"
    label = "kitchen"
    verbose_name = _("红色厨房")
