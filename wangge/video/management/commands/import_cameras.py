from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from wangge.core.db import analyze
from wangge.grids.management.files import imported, read_utf8
from wangge.ledgers.models import Facility
from wangge.video.cameras import cameras_import
from wangge.video.models import Camera


class Command(BaseCommand):
    help = (
        "导入摄像头清单：CSV（表头 编号,国标编码,名称,经度,纬度,类型,所属单位,视频地址，"
        "可加 坐标系）或 GeoJSON 点要素（属性同名）；按编号新增或更新；有任何问题则整体拒绝"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        text = read_utf8(file)
        report = imported(self, lambda: cameras_import(text))
        # A bulk load leaves the planner's statistics behind: the layer and intake read them.
        analyze(Facility, Camera)
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新增 %(c)d 路，更新 %(u)d 路，登记台账中的 %(a)d 个监控探头转为摄像头")
                % {"c": report.created, "u": report.updated, "a": report.adopted}
            )
        )
