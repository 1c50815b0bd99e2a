from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.core.errors import DomainError
from wangge.wechat import services


class Command(BaseCommand):
    help = "把工作人员或职能部门承办人的账号绑定到企业微信 userid：wangge bind_wecom 手机号 USERID"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone")
        parser.add_argument("userid")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            identity = services.wecom_bind_by_phone(
                phone=options["phone"], userid=options["userid"]
            )
        except DomainError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"{identity.user} → 企业微信 {identity.userid}")
