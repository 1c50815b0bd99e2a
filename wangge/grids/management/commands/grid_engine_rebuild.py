from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from wangge.grids import dbengine


class Command(BaseCommand):
    help = (
        "安装或重建数据库引擎（GRID_ENGINE=database）的结构：PostGIS 网格边界表及其触发器、"
        "楼栋地址的三元组索引，并按现有网格重新填充边界表"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(_("数据库引擎只能用于 PostgreSQL"))
        with transaction.atomic():
            done = dbengine.install(connection, fill=True)
        for name, ok in done.items():
            if not ok:
                raise CommandError(
                    _("数据库缺少扩展 %(name)s（或无权创建）：请先安装（make postgis-deps）")
                    % {"name": name}
                )
        self.stdout.write(
            self.style.SUCCESS(
                _("数据库引擎已就绪：%(n)d 个微网格和专属网格边界")
                % {"n": len(dbengine.SHAPE_LOCATOR)}
            )
        )
