"""`wangge restore DIR|s3://bucket/prefix`: a backup into an empty install (core.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core import backup


class Command(BaseCommand):
    help = (
        "把备份恢复到不存在的或空的数据库和附件存储，并迁移到本版本"
        "（见 docs/deploy.md “备份与恢复”）"
    )
    # The checks could open the target database; a restore looks at it only read-only first.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", help="备份目录，或 s3://存储桶/前缀")
        parser.add_argument(
            "--force",
            action="store_true",
            help="目标数据库或附件中已有数据时仍然恢复（被替换的数据先另存到 WANGGE_VAR_DIR）",
        )
        parser.add_argument(
            "--secrets-to",
            type=Path,
            help="把备份中的密钥写入这个环境文件（已有不同的密钥时拒绝）",
        )

    def handle(
        self, *args: Any, location: str, force: bool, secrets_to: Path | None, **options: Any
    ) -> None:
        try:
            report = backup.restore(location, force=force, secrets_to=secrets_to)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        when = timezone.localtime(report.created_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(
            _("已恢复 %(when)s 的备份到 %(db)s，并迁移到本版本；附件恢复 %(n)d 个")
            % {"when": when, "db": report.database, "n": report.media_copied}
            + (_("（%(s)d 个已在，未动）") % {"s": report.media_same} if report.media_same else "")
        )
        if report.kept_before:
            self.stdout.write(_("被替换的数据已另存在 %(p)s") % {"p": report.kept_before})
        if report.secrets_written:
            self.stdout.write(
                _("已把 %(names)s 写入 %(f)s；重启服务后生效")
                % {"names": "、".join(report.secrets_written), "f": secrets_to}
            )
        elif secrets_to is not None:
            self.stdout.write(_("%(f)s 中的密钥与备份一致") % {"f": secrets_to})
        elif report.secrets_differ:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "本进程环境中的 %(names)s 与备份不同。备份的密钥在 %(where)s："
                        "把它们写入服务的环境文件（或用 --secrets-to 文件）再启动服务，"
                        "否则身份证号和电话无法解密，已登录的会话全部失效"
                    )
                    % {"names": "、".join(report.secrets_differ), "where": report.secrets_location}
                )
            )
        else:
            self.stdout.write(_("本进程环境中的密钥与备份一致"))
        if report.data_problem:
            self.stdout.write(
                self.style.ERROR(
                    _("注意：备份中的密钥与备份中的数据不符：%(p)s") % {"p": report.data_problem}
                )
            )
