from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_phone
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create


class Command(BaseCommand):
    help = "为用户创建 API 令牌并打印（只显示这一次）；USERNAME 为手机号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户的手机号")
        parser.add_argument("--name", default="", help="令牌名称，例如“12345 热线”")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        try:
            phone = normalize_phone(username)
        except ValidationError as exc:
            raise CommandError(_("“%(u)s”不是有效的手机号") % {"u": username}) from exc
        user = User.objects.filter(phone=phone).first()
        if user is None:
            raise CommandError(_("用户 %(u)s 不存在") % {"u": username})
        if not user.is_active:
            raise CommandError(_("用户 %(u)s 已停用") % {"u": username})
        token, key = api_token_create(user=user, name=name or _("API 令牌"))
        self.stderr.write(
            _("已为 %(user)s 创建令牌“%(name)s”（前缀 %(prefix)s）。请妥善保存，它不会再次显示：")
            % {"user": user, "name": token.name, "prefix": token.prefix}
        )
        # The key alone on stdout, so scripts can capture it.
        self.stdout.write(key)
