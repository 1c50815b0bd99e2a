from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "wangge.partners"
    label = "partners"
    verbose_name = _("共建单位与民生服务项目")
