"""安全隐患排查: a checklist filled for a building or shop, failed items as cases, rectification
confirmed on site or by the case being closed; every page scoped to the caller's grid."""

from typing import Any

import pytest
from django.test import Client

from tests.cases.conftest import IN_A1
from wangge.cases.models import Case, Channel, Status
from wangge.cases.services import case_act
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.grids.models import Building
from wangge.grids.services import buildings_import
from wangge.ledgers.models import ChecklistTemplate, Inspection, InspectionResult
from wangge.ledgers.services import (
    ItemCheck,
    inspection_result_rectify,
    inspection_result_report,
    inspection_submit,
)


def checks(template: ChecklistTemplate, failed: dict[int, tuple[str, bool]]) -> list[ItemCheck]:
    """Every item passed except those at the given positions: (note, report)."""
    out = []
    for item in template.items.all():
        if item.position in failed:
            note, report = failed[item.position]
            out.append(ItemCheck(item_id=item.pk, passed=False, note=note, report=report))
        else:
            out.append(ItemCheck(item_id=item.pk, passed=True))
    return out


def test_the_standard_checklists_are_data(checklist: ChecklistTemplate) -> None:
    names = set(ChecklistTemplate.objects.values_list("name", flat=True))
    assert {"消防安全排查", "燃气安全排查", "电动车飞线充电排查", "高空坠物隐患排查"} <= names
    assert checklist.items.first().text == "无从楼上窗户向下飞线充电"  # type: ignore[union-attr]


def test_a_failed_item_becomes_a_patrol_case(people: Any, checklist: ChecklistTemplate) -> None:
    bh3 = Building.objects.get(code="BH3")
    inspection = inspection_submit(
        actor=people["worker_a"],
        template=checklist,
        checks=checks(
            checklist, {1: ("3 楼窗口垂下电线给电动车充电", True), 2: ("门厅停 2 辆", False)}
        ),
        lon=bh3.lon,
        lat=bh3.lat,
        building=bh3,
    )
    assert inspection.grid_name == "A1 微网格"
    results = list(inspection.results.order_by("item__position"))
    assert [r.passed for r in results] == [False, False, True, True, True]
    case = results[0].case
    assert case is not None and case.channel == Channel.PATROL
    assert "电动车飞线充电排查" in case.description and "3 楼窗口垂下电线" in case.description
    assert results[1].case is None  # noted, not reported
    assert Case.objects.count() == 1
    # The noted one can be reported later, once.
    later = inspection_result_report(actor=people["worker_a"], result=results[1])
    assert later.case is not None and Case.objects.count() == 2
    with pytest.raises(Conflict):
        inspection_result_report(actor=people["worker_a"], result=later)
    with pytest.raises(ValidationFailed, match="合格项"):
        inspection_result_report(actor=people["worker_a"], result=results[2])


def test_bad_checklists_are_refused_whole(people: Any, checklist: ChecklistTemplate) -> None:
    items = list(checklist.items.all())
    partial = [ItemCheck(item_id=items[0].pk, passed=True)]
    with pytest.raises(ValidationFailed, match="还有检查项未填写"):
        inspection_submit(
            actor=people["worker_a"],
            template=checklist,
            checks=partial,
            lon=IN_A1[0],
            lat=IN_A1[1],
            place="车棚",
        )
    with pytest.raises(ValidationFailed, match="请写明问题"):
        inspection_submit(
            actor=people["worker_a"],
            template=checklist,
            checks=checks(checklist, {1: ("", True)}),
            lon=IN_A1[0],
            lat=IN_A1[1],
            place="车棚",
        )
    with pytest.raises(ValidationFailed, match="楼栋或填写场所"):
        inspection_submit(
            actor=people["worker_a"],
            template=checklist,
            checks=checks(checklist, {}),
            lon=IN_A1[0],
            lat=IN_A1[1],
        )
    assert not Inspection.objects.exists() and not Case.objects.exists()


def test_only_staff_of_the_place_may_inspect(people: Any, checklist: ChecklistTemplate) -> None:
    tb5 = Building.objects.get(code="TB5")  # grid B
    with pytest.raises(PermissionDenied):
        inspection_submit(
            actor=people["worker_a"],
            template=checklist,
            checks=checks(checklist, {}),
            lon=tb5.lon,
            lat=tb5.lat,
            building=tb5,
        )
    with pytest.raises(PermissionDenied):
        inspection_submit(
            actor=people["resident"],
            template=checklist,
            checks=checks(checklist, {}),
            lon=IN_A1[0],
            lat=IN_A1[1],
            place="车棚",
        )
    assert not Inspection.objects.exists()


def test_rectified_on_site_or_when_the_case_closes(
    people: Any, checklist: ChecklistTemplate
) -> None:
    worker, dispatcher = people["worker_a"], people["dispatcher"]
    inspection = inspection_submit(
        actor=worker,
        template=checklist,
        checks=checks(checklist, {1: ("飞线充电", True), 3: ("电梯里有电动车", False)}),
        lon=IN_A1[0],
        lat=IN_A1[1],
        place="百花里车棚",
    )
    reported, noted = inspection.results.filter(passed=False).order_by("item__position")
    with pytest.raises(ValidationFailed, match="整改情况"):
        inspection_result_rectify(actor=worker, result=noted, note=" ")
    with pytest.raises(PermissionDenied):
        inspection_result_rectify(actor=people["worker_b"], result=noted, note="已劝导")
    done = inspection_result_rectify(actor=worker, result=noted, note="已张贴告知书，车已推出")
    assert done.rectified_at is not None and done.rectified_by == worker
    with pytest.raises(Conflict):
        inspection_result_rectify(actor=worker, result=noted, note="再次")
    # The reported one is rectified by the case loop: closing the case closes the hazard.
    case = reported.case
    assert case is not None
    for who, action, params in (
        (worker, "sign", {}),
        (worker, "resolve", {"result": "电线已拆除"}),
        (dispatcher, "verify_pass", {}),
    ):
        case = case_act(case_id=case.pk, actor=who, action=action, note="", params=params)
    if case.status == Status.VERIFIED:
        case = case_act(
            case_id=case.pk,
            actor=dispatcher,
            action="follow_up",
            note="",
            params={
                "reached": True,
                "contacted": True,
                "solved": True,
                "satisfaction": "satisfied",
            },
        )
    assert case.status == Status.CLOSED
    reported.refresh_from_db()
    assert reported.rectified_at is not None and reported.rectify_note == "事件已核查结案"


def test_the_phone_form_keeps_what_was_entered(people: Any, checklist: ChecklistTemplate) -> None:
    client = Client()
    client.force_login(people["worker_a"])
    page = client.get("/ledgers/hazards/new/?template=ebike").content.decode()
    assert "无从楼上窗户向下飞线充电" in page and "百花里3号楼" in page
    items = list(checklist.items.all())
    form = {"template": "ebike", "place": "百花里东门车棚", "lon": IN_A1[0], "lat": IN_A1[1]}
    form |= {f"item-{i.pk}": "pass" for i in items[1:]}
    form[f"note-{items[0].pk}"] = "三楼窗口飞线"
    resp = client.post("/ledgers/hazards/new/", form)
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "请逐项选择合格或不合格" in body and "百花里东门车棚" in body and "三楼窗口飞线" in body
    form[f"item-{items[0].pk}"] = "fail"
    form[f"report-{items[0].pk}"] = "1"
    resp = client.post("/ledgers/hazards/new/", form)
    assert resp.status_code == 302
    detail = client.get(resp["Location"]).content.decode()
    number = Case.objects.get().number
    assert "不合格" in detail and number in detail and "待整改" in detail
    listing = client.get("/ledgers/hazards/?open=1").content.decode()
    assert "百花里东门车棚" in listing


def test_another_grid_sees_nothing(people: Any, checklist: ChecklistTemplate) -> None:
    inspection = inspection_submit(
        actor=people["worker_a"],
        template=checklist,
        checks=checks(checklist, {1: ("飞线充电", False)}),
        lon=IN_A1[0],
        lat=IN_A1[1],
        place="周敏检查的车棚",
    )
    result = InspectionResult.objects.get(inspection=inspection, passed=False)
    other = Client()
    other.force_login(people["worker_b"])
    assert other.get(f"/ledgers/hazards/{inspection.pk}/").status_code == 404
    assert (
        other.post(f"/ledgers/hazards/results/{result.pk}/rectify/", {"note": "x"}).status_code
        == 404
    )
    assert other.post(f"/ledgers/hazards/results/{result.pk}/report/").status_code == 404
    assert "周敏检查的车棚" not in other.get("/ledgers/hazards/").content.decode()
    resident = Client()
    resident.force_login(people["resident"])
    assert resident.get("/ledgers/hazards/").status_code == 404
    assert resident.get(f"/ledgers/hazards/{inspection.pk}/").status_code == 404
    community = Client()
    community.force_login(people["community"])
    assert community.get(f"/ledgers/hazards/{inspection.pk}/").status_code == 200
    result.refresh_from_db()
    assert result.rectified_at is None and result.case is None


def test_an_address_naming_several_buildings_is_settled_by_the_fix_the_form_carried(
    people: Any, checklist: ChecklistTemplate
) -> None:
    """Filled offline, the checklist cannot offer the resolver's candidates; the position the
    phone took at the door says which of them the worker stood at (in their micro-grid)."""
    buildings_import(
        "address,lon,lat,code\n"
        "中原区伊河路百花里5号楼,113.6009,34.7509,BH5\n"
        "中原区伊河路百花里6号楼,113.6071,34.7531,BH6\n"  # grid B's micro-grid
    )
    client = Client()
    client.force_login(people["worker_a"])
    items = list(checklist.items.all())
    form: dict[str, Any] = {"template": "ebike", "building_address": "百花里"}
    form |= {f"item-{i.pk}": "pass" for i in items}
    url = "/api/v1/ledgers/inspections"
    # Without a fix, or with one outside the candidates' micro-grids, it stays a question.
    for where in ({}, {"lon": 113.6071, "lat": 34.7531}, {"lon": 113.59, "lat": 34.70}):
        resp = client.post(url, form | where)
        assert resp.status_code == 422, where
        assert "对应多栋楼" in resp.json()["detail"]
    assert not Inspection.objects.exists()
    # At the door of 5号楼: that one, of the two in the worker's micro-grid.
    resp = client.post(url, form | {"lon": 113.60091, "lat": 34.75089})
    assert resp.status_code == 201, resp.content
    assert Inspection.objects.get().building.code == "BH5"  # type: ignore[union-attr]
    resp = client.post(url, form | {"lon": 113.60079, "lat": 34.75081})
    assert Inspection.objects.get(pk=resp.json()["id"]).building.code == "BH3"  # type: ignore[union-attr]
