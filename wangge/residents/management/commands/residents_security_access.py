"""Grant (or with --revoke, withdraw) the GB/T 31000 categories to a user, by mobile number."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.accounts.models import User
from wangge.residents.services import security_access_set


class Command(BaseCommand):
    help = "授予或撤销查看综治重点人员（GB/T 31000 类别）的权限"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone", help="用户手机号")
        parser.add_argument("--revoke", action="store_true", help="撤销权限")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(phone=options["phone"]).first()
        if user is None:
            raise CommandError(f"没有手机号为 {options['phone']} 的用户")
        security_access_set(user=user, allowed=not options["revoke"])
        verb = "已撤销" if options["revoke"] else "已授予"
        self.stdout.write(f"{verb} {user.name or user.phone} 查看综治重点人员的权限")
