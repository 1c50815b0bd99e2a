import json
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.grids import address_eval
from wangge.grids.management.files import imported, read_utf8
from wangge.grids.services import buildings_import, grids_import_file, roads_import_file


class Command(BaseCommand):
    help = (
        "用 JSONL（{query, expected, kind, micro_grid}，expected 为楼栋编码；位置描述 expected 为 "
        "null、micro_grid 为所在微网格编码；两者都为 null 表示必须拒绝）评测地址匹配："
        "按类型和总体输出准确率、hit@3、MRR、误派、拒绝数及拒绝的精确率/召回率；"
        "--registry 则把每栋楼自身的地址和每个别名解析一遍，列出解析不回本楼的条目及原因"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument(
            "--registry",
            action="store_true",
            help=(
                "解析已导入的每栋楼的地址和别名，列出重复、共用和无法解析的条目"
                "（有无法解析的则退出码为 1）"
            ),
        )
        parser.add_argument(
            "--grids",
            type=Path,
            action="append",
            default=[],
            help="先导入的网格 GeoJSON（可重复，按顺序导入，与各 --buildings 交替）",
        )
        parser.add_argument(
            "--buildings",
            type=Path,
            action="append",
            default=[],
            help="先导入的楼栋 CSV（可重复）",
        )
        parser.add_argument(
            "--roads",
            type=Path,
            default=None,
            help="先导入的道路 GeoJSON（路口、方位描述按道路定位）",
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出各项指标")
        parser.add_argument("--show-errors", action="store_true", help="列出答错和误派的查询")

    def handle(
        self,
        *args: Any,
        file: Path | None,
        registry: bool,
        grids: list[Path],
        buildings: list[Path],
        roads: Path | None,
        json: bool,
        show_errors: bool,
        **options: Any,
    ) -> None:
        if file is None and not registry:
            raise CommandError(_("请给出查询集文件，或用 --registry 检查已导入的楼栋"))
        queries = []
        if file is not None:
            try:
                queries = address_eval.read_queries(read_utf8(file))
            except address_eval.EvalFileError as exc:
                raise CommandError(str(exc)) from exc
        # Each grid file is imported before the buildings that lie in it.
        for index in range(max(len(grids), len(buildings))):
            if index < len(grids):
                imported(self, partial(grids_import_file, read_utf8(grids[index])))
            if index < len(buildings):
                imported(self, partial(buildings_import, read_utf8(buildings[index])))
        if roads is not None:
            imported(self, partial(roads_import_file, read_utf8(roads)))
        if registry:
            report = address_eval.registry_check()
            if json:
                self.stdout.write(_dumps(asdict(report)))
            else:
                self.stdout.write(address_eval.format_registry(report))
            if report.failed:
                raise CommandError(
                    _("有 %(n)d 条地址或别名解析不回本楼（见上）") % {"n": len(report.failed)}
                )
            if file is None:
                return
        missing = address_eval.unknown_codes(queries)
        if missing:
            raise CommandError(
                _("这些楼栋编码不在数据库中（先导入楼栋）：%(codes)s")
                % {"codes": "、".join(missing[:10])}
            )
        outcomes = address_eval.run(queries)
        table = address_eval.by_kind(outcomes)
        if json:
            self.stdout.write(_dumps({kind: asdict(m) for kind, m in table.items()}))
        else:
            self.stdout.write(address_eval.format_table(table))
        if show_errors:
            for o in outcomes:
                wanted = o.query.expected or o.query.micro_grid
                got = o.answer or o.answer_grid
                if o.query.is_place and o.right_place:
                    continue
                if got != wanted:
                    self.stdout.write(
                        f"[{o.query.kind}] {o.query.query} → {got or '拒绝'}"
                        f"（应为 {wanted or '拒绝'}；候选 {','.join(o.candidates[:3])}）"
                    )


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
