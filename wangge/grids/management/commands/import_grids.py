from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from wangge.core.db import analyze
from wangge.grids.management.files import imported, read_utf8
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import_file


class Command(BaseCommand):
    help = "从 GeoJSON FeatureCollection 导入网格（按编码新增或更新；有任何问题则整体拒绝）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        text = read_utf8(file)
        report = imported(self, lambda: grids_import_file(text))
        # The tree and its history are what an import writes; buildings and roads are not.
        analyze(GridNode, GridNode.history.model)
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新增 %(created)d 个，更新 %(updated)d 个网格")
                % {"created": report.created, "updated": report.updated}
            )
        )
