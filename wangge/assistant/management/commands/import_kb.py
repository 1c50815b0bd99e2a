from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.assistant.kbfile import read_rows
from wangge.assistant.services import KbImportRejected, kb_import
from wangge.core.db import analyze
from wangge.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "导入小原帮办知识库（JSONL 每行一个对象，或同列名的 .xlsx）；按 id 更新"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="以文件替换整个知识库（删除文件中没有的条目）"
        )

    def handle(self, *args: Any, file: Path, replace: bool, **options: Any) -> None:
        try:
            result = kb_import(rows=read_rows(file), replace=replace)
        except KbImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(exc.message) from exc
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        analyze(*apps.get_app_config("assistant").get_models())
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新增 %(c)d 条，更新 %(u)d 条，删除 %(d)d 条")
                % {"c": result.created, "u": result.updated, "d": result.deleted}
            )
        )
