from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.core.db import analyze
from wangge.grids.services import ImportRejected, grids_import_file


class Command(BaseCommand):
    help = "从 GeoJSON FeatureCollection 导入网格（按编码新增或更新；有任何问题则整体拒绝）"

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
            report = grids_import_file(text)
        except ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(exc.message) from exc
        analyze(*apps.get_app_config("grids").get_models())
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新增 %(created)d 个，更新 %(updated)d 个网格")
                % {"created": report.created, "updated": report.updated}
            )
        )
