"""A case raised from a hazard check or a patrol finding is titled by the problem found.

A checklist item reads as the condition that passes (“无从楼上窗户向下飞线充电”); titling the
case of a failed item with it said the opposite of what was found. Every item of every standard
checklist, and every patrol hazard kind, is reported here once.
"""

from typing import Any

import pytest

from tests.cases.conftest import IN_A1
from wangge.grids.models import Building
from wangge.ledgers.checklists import TEMPLATES, checklists_load
from wangge.ledgers.models import ChecklistItem, ChecklistTemplate
from wangge.ledgers.services import ItemCheck, inspection_submit
from wangge.patrols.models import Hazard
from wangge.patrols.services import patrol_finding_report, patrol_start

NEGATIONS = ("无", "未", "不", "没有")


def test_every_standard_item_words_its_problem(db: Any) -> None:
    """After the migrations each item of the standard checklists has its problem, worded as
    what is wrong: not the item's own text, and not opening with a negation the item's text
    had (the passing condition “无…” becomes “…”)."""
    checklists_load()
    items = {i.text: i.problem for i in ChecklistItem.objects.all()}
    for _code, _name, _category, standard in TEMPLATES:
        for text, problem in standard:
            assert items[text] == problem, text
            assert problem and problem != text
            if text.startswith("无"):
                assert problem == text[1:] or not problem.startswith(NEGATIONS), problem


@pytest.mark.parametrize("code", [t[0] for t in TEMPLATES])
def test_each_failed_item_is_titled_by_its_problem(people: Any, code: str) -> None:
    checklists_load()
    template = ChecklistTemplate.objects.get(code=code)
    items = list(template.items.order_by("position"))
    bh3 = Building.objects.get(code="BH3")
    inspection = inspection_submit(
        actor=people["worker_a"],
        template=template,
        checks=[
            ItemCheck(item_id=i.pk, passed=False, note=f"现场发现第{i.position}项问题", report=True)
            for i in items
        ],
        lon=bh3.lon,
        lat=bh3.lat,
        building=bh3,
    )
    results = list(inspection.results.select_related("case", "item").order_by("item__position"))
    assert len(results) == len(items)
    for r in results:
        assert r.case is not None
        title = r.case.title
        assert title == f"{r.item.problem}（{inspection.where}）"
        assert r.item.text not in title, title  # never the condition that was not met
        assert r.item.problem in r.case.description and r.note in r.case.description


def test_the_reported_title_reads_as_the_finding(people: Any) -> None:
    checklists_load()
    template = ChecklistTemplate.objects.get(code="ebike")
    first = template.items.get(position=1)
    inspection = inspection_submit(
        actor=people["worker_a"],
        template=template,
        checks=[
            ItemCheck(
                item_id=i.pk,
                passed=i.pk != first.pk,
                note="3 楼窗口垂下电线" if i.pk == first.pk else "",
                report=True,
            )
            for i in template.items.all()
        ],
        lon=IN_A1[0],
        lat=IN_A1[1],
        place="百花里东门车棚",
    )
    case = inspection.results.get(item=first).case
    assert case is not None
    assert case.title == "从楼上窗户向下飞线充电（百花里东门车棚）"


def test_an_item_without_a_worded_problem_names_the_failed_check(people: Any) -> None:
    checklists_load()
    template = ChecklistTemplate.objects.create(code="custom", name="自定义排查")
    item = ChecklistItem.objects.create(template=template, position=1, text="井盖完好")
    inspection = inspection_submit(
        actor=people["worker_a"],
        template=template,
        checks=[ItemCheck(item_id=item.pk, passed=False, note="井盖缺失", report=True)],
        lon=IN_A1[0],
        lat=IN_A1[1],
        place="百花里南门",
    )
    case = inspection.results.get().case
    assert case is not None and case.title == "未通过检查“井盖完好”（百花里南门）"


@pytest.mark.parametrize("hazard", Hazard.values)
def test_each_patrol_hazard_kind_titles_the_finding(people: Any, hazard: str) -> None:
    patrol = patrol_start(actor=people["worker_a"])
    finding = patrol_finding_report(
        actor=people["worker_a"],
        patrol=patrol,
        hazard=hazard,
        description="3号楼东侧发现问题，需要处理。已拍照",
        lon=IN_A1[0],
        lat=IN_A1[1],
    )
    title = finding.case.title
    label = str(Hazard(hazard).label)
    assert "3号楼东侧发现问题，需要处理" in title
    if hazard != Hazard.OTHER:
        assert title.startswith(f"【{label}】"), title
    assert not title.startswith(NEGATIONS)
