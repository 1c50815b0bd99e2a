from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.core.db import analyze
from wangge.grids.models import Road
from wangge.grids.services import ImportRejected, roads_import_file


class Command(BaseCommand):
    help = (
        "从 GeoJSON FeatureCollection 导入道路网（LineString/MultiLineString，properties 含 name，"
        "可选 kind、crs）；替换现有道路；有任何问题则整体拒绝"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("无法读取文件 %(file)s（须为 UTF-8 编码）：%(err)s") % {"file": file, "err": exc}
            ) from exc
        try:
            report = roads_import_file(text)
        except ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(exc.message) from exc
        # A bulk load leaves the planner's statistics behind; the map's box query reads them.
        analyze(Road)
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：%(created)d 条道路（替换原有 %(replaced)d 条）")
                % {"created": report.created, "replaced": report.replaced}
            )
        )
