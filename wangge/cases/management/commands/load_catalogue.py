from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases.categories import CATALOGUE, catalogue_load
from wangge.cases.holidays import calendar_load_package
from wangge.cases.models import CalendarDay, CalendarYear, Category, Department
from wangge.core.db import analyze


class Command(BaseCommand):
    help = (
        "导入派单目录（分类、时限、责任部门），按编码新增或更新；"
        "并导入 chinese-calendar 已收录的去年及以后各年节假日安排"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=CATALOGUE)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        counts = catalogue_load(file)
        years = calendar_load_package(since=timezone.localdate().year - 1)
        analyze(Category, Department, CalendarDay, CalendarYear)
        self.stdout.write(
            self.style.SUCCESS(
                (
                    _("派单目录：新增 %(created)d，更新 %(updated)d，部门 %(departments)d；")
                    + _("节假日安排：%(years)s")
                )
                % {**counts, "years": "、".join(str(y.year) for y in years) or _("无")}
            )
        )
