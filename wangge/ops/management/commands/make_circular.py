from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.cases.selectors import KPI_LEVELS
from wangge.core.runs import RunIncomplete
from wangge.grids.models import GridNode
from wangge.ops.models import Circular
from wangge.ops.services import (
    assessment_generate,
    assessments_generate_all,
    circular_generate,
    circulars_generate_all,
)


class Command(BaseCommand):
    help = "生成周通报、月通报或年度考核：--week / --month / --year，默认全部街道和全区"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", help="YYYY-MM-DD，该日所在的周")
        parser.add_argument("--month", help="YYYY-MM-DD，该日所在的月（生成月通报）")
        parser.add_argument("--year", type=int, help="YYYY，生成该年度的社区考核")
        parser.add_argument("--street", help="只生成这个街道（或区）的编码")

    def handle(self, *args: Any, **opts: Any) -> None:
        if sum(bool(opts[k]) for k in ("week", "month", "year")) != 1:
            raise CommandError(_("请给出 --week、--month 或 --year 之一"))
        if opts["year"]:
            self._annual(opts["year"], opts["street"])
            return
        kind = Circular.Kind.WEEKLY if opts["week"] else Circular.Kind.MONTHLY
        try:
            start = date.fromisoformat(opts["week"] or opts["month"])
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD：%(e)s") % {"e": exc}) from exc
        if opts["street"]:
            c = circular_generate(node=self._unit(opts["street"]), kind=kind, start=start)
            self.stdout.write(f"{c}: {c.pdf.name}, {c.xlsx.name}")
        else:
            n = _all(lambda: circulars_generate_all(kind=kind, start=start))
            self.stdout.write(_("生成 %(n)s 份通报") % {"n": n})

    def _annual(self, year: int, code: str | None) -> None:
        if not 2000 <= year <= 2100:
            raise CommandError(_("年度无效：%(y)s") % {"y": year})
        if code:
            c = assessment_generate(node=self._unit(code), year=year)
            self.stdout.write(f"{c}: {c.pdf.name}, {c.xlsx.name}")
        else:
            n = _all(lambda: assessments_generate_all(year=year))
            self.stdout.write(_("生成 %(n)s 份年度考核") % {"n": n})

    def _unit(self, code: str) -> GridNode:
        node = GridNode.objects.filter(code=code, level__in=KPI_LEVELS).first()
        if node is None:
            raise CommandError(_("没有编码为 %(c)s 的街道或区") % {"c": code})
        return node


def _all(run: Callable[[], int]) -> int:
    """A run over every street: the ones that failed named on one line, not a traceback (the
    others are made; core.runs)."""
    try:
        return run()
    except RunIncomplete as exc:
        raise CommandError(str(exc)) from exc
