from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from wangge.core.db import analyze
from wangge.grids.management.files import imported, read_utf8
from wangge.grids.models import Road
from wangge.grids.services import roads_import_file


class Command(BaseCommand):
    help = (
        "从 GeoJSON FeatureCollection 导入道路网（LineString/MultiLineString，properties 含 name，"
        "可选 kind、crs）；替换现有道路；有任何问题则整体拒绝"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        text = read_utf8(file)
        report = imported(self, lambda: roads_import_file(text))
        # A bulk load leaves the planner's statistics behind; the map's box query reads them.
        analyze(Road)
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：%(created)d 条道路（替换原有 %(replaced)d 条）")
                % {"created": report.created, "replaced": report.replaced}
            )
        )
