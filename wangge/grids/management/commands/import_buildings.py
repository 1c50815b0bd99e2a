from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from wangge.core.db import analyze
from wangge.grids.management.files import imported, read_utf8
from wangge.grids.models import Building
from wangge.grids.services import buildings_import


class Command(BaseCommand):
    help = "从 CSV（address,lon,lat[,code,aliases,micro_grid_code,crs]）导入楼栋"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--skip-bad", action="store_true", help="跳过有问题的行，导入其余行")

    def handle(self, *args: Any, file: Path, skip_bad: bool, **options: Any) -> None:
        text = read_utf8(file)
        report = imported(self, lambda: buildings_import(text, skip_bad=skip_bad))
        # Only the buildings' table changed: the grid tree's statistics (100,000 boundaries at a
        # city) were sampled again after every file for nothing.
        analyze(Building)
        for problem in report.skipped:
            self.stderr.write(_("已跳过 %(problem)s") % {"problem": problem})
        if report.parts:
            labels = {
                "road": _("路、街、巷"),
                "弄": _("弄"),
                "支弄": _("支弄"),
                "胡同": _("胡同"),
                "条": _("条"),
                "巷": _("巷"),
                "约": _("约"),
                "组": _("村民小组"),
                "door": _("门牌号"),
                "annex": _("附号、之号"),
                "stem": _("甲乙丙号"),
                "compound": _("小区、院落、村"),
                "building": _("楼栋"),
                "unit": _("单元"),
                "room": _("室、户"),
                "unparsed": _("未能拆分"),
            }
            used = "，".join(
                f"{labels[part]} {report.parts[part]}" for part in labels if report.parts.get(part)
            )
            self.stdout.write(_("本次导入的地址用到的部分：%(parts)s") % {"parts": used})
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新增 %(created)d 栋，更新 %(updated)d 栋，跳过 %(skipped)d 个问题")
                % {
                    "created": report.created,
                    "updated": report.updated,
                    "skipped": len(report.skipped),
                }
            )
        )
