import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.db import analyze
from wangge.demo import seed
from wangge.demo.people import RESIDENT_PHONE_PREFIX
from wangge.grids.models import GridNode


class Command(BaseCommand):
    help = "生成中原区演示数据：14 个街道、157 个社区（真实编码）与示例网格、楼栋、演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="删除现有演示数据后重新生成")
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库中已有网格时不生成，只列出演示账号"
        )
        parser.add_argument(
            "--seed",
            dest="seed_value",
            type=int,
            default=410102,
            help="随机种子（相同种子生成相同数据）",
        )

    def handle(
        self, *args: Any, reset: bool, if_empty: bool, seed_value: int, **options: Any
    ) -> None:
        if if_empty and GridNode.objects.exists():
            self.stdout.write(_("数据库中已有网格数据，跳过演示数据生成。"))
            self.print_logins()
            return
        started = time.monotonic()
        if reset:
            seed.reset()
        elif GridNode.objects.filter(is_sample=True).exists():
            self.stdout.write(_("演示数据已存在；如需重建请加 --reset。"))
            return
        report = seed.seed(seed_value=seed_value)
        analyze()  # every app's tables were filled
        took = time.monotonic() - started
        counts = "，".join(f"{k} {v}" for k, v in report.nodes.items())
        self.stdout.write(
            self.style.SUCCESS(
                _("演示数据已生成（%(took).1f 秒）：%(counts)s，楼栋 %(n)d，事件 %(c)d")
                % {"took": took, "counts": counts, "n": report.buildings, "c": report.cases}
            )
        )
        self.print_logins()

    def print_logins(self) -> None:
        listed = [phone for phone, *_rest in seed.DEMO_USERS]
        demo = User.objects.filter(is_demo=True)
        if not demo.exists():
            return
        if not settings.DEMO_MODE:
            self.stdout.write(_("DEMO_MODE 已关闭：演示账号不能登录。"))
            return
        self.stdout.write(_("演示账号（密码均为 %(pw)s）：") % {"pw": seed.DEMO_PASSWORD})
        users = demo.filter(phone__in=listed).prefetch_related("grants__node").order_by("phone")
        for user in users:
            for grant in user.grants.all():
                self.stdout.write(
                    f"  {user.phone}  {user.name}  {grant.get_role_display()} @ {grant.node.name}"
                )
        others = demo.exclude(phone__in=listed).filter(phone__startswith="1380001").count()
        if others:
            self.stdout.write(
                _("另有 %(n)d 个网格员演示账号（手机号 1380001xxxx），负责演示街道的其余网格。")
                % {"n": others}
            )
        residents = demo.filter(phone__startswith=RESIDENT_PHONE_PREFIX).count()
        if residents:
            self.stdout.write(
                _(
                    "另有 %(n)d 个居民演示账号（手机号 %(p)sxxxx），已实名并与居民档案关联，"
                    "演示街道的居民上报事件由他们提交。"
                )
                % {"n": residents, "p": RESIDENT_PHONE_PREFIX}
            )
