from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases import holidays
from wangge.cases.models import CalendarDay, CalendarYear
from wangge.core.db import analyze
from wangge.core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "导入国务院公布的节假日与调休安排：不带 --file 时从 chinese-calendar 导入它已收录的年份"
        "（默认去年起）；--file 导入管理员整理的年度文件（CSV：date,kind,name，或 JSON）。"
        "导入某一年会替换该年的全部记录"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help=_("年度安排文件（.csv 或 .json）"))
        parser.add_argument("--since", type=int, help=_("从哪一年起导入（默认去年）"))

    def handle(self, *args: Any, file: Path | None, since: int | None, **options: Any) -> None:
        today = timezone.localdate()
        try:
            if file is not None:
                if not file.is_file():
                    raise CommandError(_("找不到文件 %(f)s") % {"f": file})
                loaded = holidays.calendar_file_load(content=file.read_bytes(), filename=file.name)
            else:
                loaded = holidays.calendar_load_package(since=since or today.year - 1)
        except ValidationFailed as exc:
            raise CommandError(exc.message) from None
        analyze(CalendarDay, CalendarYear)
        for row in loaded:
            self.stdout.write(
                _("%(y)d 年：节假日 %(h)d 天，调休上班 %(w)d 天（%(s)s）")
                % {"y": row.year, "h": row.holidays, "w": row.workdays, "s": row.source}
            )
        cover = holidays.coverage(today)
        years = "、".join(str(y) for y in cover.years) or _("无")
        if cover.warn:
            self.stderr.write(
                self.style.ERROR(
                    _("已导入年份：%(y)s。请尽快导入 %(n)d 年的节假日安排。")
                    % {"y": years, "n": cover.needed}
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("已导入年份：%(y)s") % {"y": years}))
        if not loaded and file is None:
            known = holidays.package_years()
            self.stdout.write(
                _("chinese-calendar 收录到 %(last)s 年；更晚的年份请用 --file 导入。")
                % {"last": known[-1] if known else "-"}
            )
