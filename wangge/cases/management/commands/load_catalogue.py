from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from wangge.cases.categories import CATALOGUE, calendar_load_2026, catalogue_load


class Command(BaseCommand):
    help = "导入派单目录（分类、时限、责任部门）和 2026 年节假日安排；按编码新增或更新"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=CATALOGUE)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        counts = catalogue_load(file)
        days = calendar_load_2026()
        self.stdout.write(
            self.style.SUCCESS(
                (
                    _("派单目录：新增 %(created)d，更新 %(updated)d，部门 %(departments)d；")
                    + _("节假日与调休 %(days)d 天")
                )
                % {**counts, "days": days}
            )
        )
