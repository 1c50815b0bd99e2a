from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from wangge.grids import dbengine, indexes


class Command(BaseCommand):
    help = (
        "安装或重建数据库引擎（GRID_ENGINE=database）的结构：PostGIS 网格边界表及其触发器、"
        "楼栋地址的三元组索引，并按现有网格重新填充边界表"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--remove",
            action="store_true",
            help="删除数据库引擎的结构（改回内存引擎之后：省去每次写网格和楼栋时的触发器开销）",
        )
        parser.add_argument(
            "--forms",
            action="store_true",
            help="只解析并保存楼栋地址的形式（后台任务每分钟也会做；导入大批楼栋后可先手动执行）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(_("数据库引擎只能用于 PostgreSQL"))
        if options["remove"]:
            if settings.GRID_ENGINE == "database":
                raise CommandError(
                    _("GRID_ENGINE=database 仍在使用数据库引擎：请先改回内存引擎再删除其结构")
                )
            with transaction.atomic():
                dbengine.uninstall(connection)
            self.stdout.write(self.style.SUCCESS(_("数据库引擎的结构已删除")))
            return
        if options["forms"]:
            self._store_forms()
            return
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

    def _store_forms(self) -> None:
        if "grids_building_forms" not in connection.introspection.table_names():
            raise CommandError(_("数据库引擎的结构尚未安装：请先执行 grid_engine_rebuild"))
        # The worker's own job: a new process reads every building, as its first run does.
        stored = indexes.store_forms()
        if stored is None:
            raise CommandError(_("GRID_ENGINE=database 未启用：内存引擎不读取保存的地址形式"))
        self.stdout.write(
            self.style.SUCCESS(_("已解析并保存 %(n)d 栋楼的地址形式") % {"n": stored})
        )
