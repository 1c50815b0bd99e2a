from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wangge.cases import sla


class Command(BaseCommand):
    help = "立即执行一次时限巡检（黄牌、红牌、自动督办）；后台任务每分钟自动执行"

    def handle(self, *args: Any, **options: Any) -> None:
        result = sla.sweep()
        self.stdout.write(_("黄牌 %(y)d 件，红牌 %(r)d 件") % {"y": result.yellow, "r": result.red})
        if result.failed:
            raise CommandError(
                _("以下事件处理失败（详见日志），其余已处理：%(n)s")
                % {"n": "、".join(result.failed)}
            )
