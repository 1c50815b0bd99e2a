"""`wangge backup DIR|s3://bucket/prefix`: the database, the media and the keys (core.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.core import backup


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


class Command(BaseCommand):
    help = "备份数据库、附件和密钥到一个新目录或 S3 前缀（见 docs/deploy.md “备份与恢复”）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", help="新目录，或 s3://存储桶/前缀")
        parser.add_argument(
            "--env-file",
            type=Path,
            help="从这个环境文件读取 SECRET_KEY、PII_KEY、PII_HASH_KEY（默认：本进程的环境）",
        )

    def handle(self, *args: Any, location: str, env_file: Path | None, **options: Any) -> None:
        try:
            manifest = backup.backup(location, env_file=env_file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        db = manifest["database"]
        media = manifest["media"]
        self.stdout.write(
            _(
                "已备份到 %(loc)s：数据库（%(vendor)s，%(db)s）、附件 %(n)d 个（%(mb)s）、"
                "密钥 %(k)d 项（%(secrets)s，仅所有者可读）"
            )
            % {
                "loc": location,
                "vendor": db["vendor"],
                "db": _size(manifest["files"][db["file"]]["size"]),
                "n": media["files"],
                "mb": _size(media["bytes"]),
                "k": len(manifest["secrets"]["names"]),
                "secrets": manifest["secrets"]["file"],
            }
        )
