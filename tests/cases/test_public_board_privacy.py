"""身边事 (cases residents chose to make public) and 我的 → 隐私设置."""

from typing import Any

from django.test import Client

from wangge.cases.models import Case, CaseEvent


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_public_report_is_on_the_board_without_name_or_phone(
    people: dict[str, Any], report: Any, make_user: Any, tree: Any
) -> None:
    shown = report("单元门禁坏了三天，外人随便进", public=True, reporter_phone="13912345678")
    report("我家的私事，只想让网格员知道")  # not public
    neighbour = make_user(name="邻居甲")
    from tests.conftest import MICRO_A2
    from wangge.accounts.models import Role, RoleGrant

    RoleGrant.objects.create(user=neighbour, role=Role.RESIDENT, node=tree[MICRO_A2])

    page = _client(neighbour).get("/m/board/").content.decode()
    assert "单元门禁坏了三天" in page and "只想让网格员知道" not in page
    assert "匿名居民" in page
    assert people["resident"].name not in page and "13912345678" not in page
    assert shown.title in page


def test_reporter_may_show_a_masked_name(people: dict[str, Any], report: Any) -> None:
    report("路灯不亮", public=True, public_anonymous=False)
    page = _client(people["resident"]).get("/m/board/").content.decode()
    assert "王**" in page and "王秀兰" not in page


def test_mobile_report_api_carries_the_public_choice(people: dict[str, Any]) -> None:
    c = _client(people["resident"])
    resp = c.post(
        "/api/v1/cases",
        {
            "description": "楼下垃圾桶满了没人收",
            "location": '{"lon": 113.6005, "lat": 34.7505}',
            "public": "true",
            "public_anonymous": "true",
        },
    )
    assert resp.status_code == 201, resp.content
    case = Case.objects.get(pk=resp.json()["id"])
    assert case.is_public and case.is_anonymous_public


def test_staff_report_cannot_be_made_public(people: dict[str, Any], report: Any) -> None:
    # Only the person who raised a problem can put it on the board; a worker's patrol
    # finding names no resident's choice.
    case = report("井盖松动", public=True, actor=people["worker_a"], channel="patrol")
    assert not case.is_public


def test_staff_withdraw_a_public_case_with_a_reason(people: dict[str, Any], report: Any) -> None:
    case = report("3号楼李某家天天吵架", public=True)
    worker = _client(people["worker_a"])
    assert "撤下公开" in worker.get(f"/cases/{case.pk}/").content.decode()

    worker.post(f"/cases/{case.pk}/unpublish/", {"note": ""})
    case.refresh_from_db()
    assert case.is_public  # a reason is required

    worker.post(f"/cases/{case.pk}/unpublish/", {"note": "内容涉及他人姓名"})
    case.refresh_from_db()
    assert not case.is_public
    event = CaseEvent.objects.get(case=case, action="unpublish")
    assert event.actor == people["worker_a"] and event.note == "内容涉及他人姓名"
    assert "李某" not in _client(people["resident"]).get("/m/board/").content.decode()

    # A resident cannot take anyone's case down, not even through the form.
    other = report("楼道堆物", public=True)
    _client(people["resident"]).post(f"/cases/{other.pk}/unpublish/", {"note": "x"})
    other.refresh_from_db()
    assert other.is_public


def test_privacy_settings_govern_the_name_in_circles(cast: dict[str, Any]) -> None:
    resident = cast["resident"]
    c = _client(resident)
    page = c.get("/m/me/privacy/").content.decode()
    assert "在圈子里" in page and "在荣誉榜单上" in page
    assert resident.circle_name == "王**"  # masked by default

    resp = c.post(
        "/m/me/privacy/",
        {
            "circle_name_display": "full",
            "board_name_display": "hidden",
            "report_public_default": "on",
        },
    )
    assert resp.status_code == 302
    resident.refresh_from_db()
    assert resident.circle_name == "王秀兰" and resident.board_name == ""
    assert resident.report_public_default
    assert "checked" in c.get("/m/report/").content.decode().split("公开到“身边事”")[0][-200:]

    bad = c.post("/m/me/privacy/", {"circle_name_display": "hidden", "board_name_display": "x"})
    assert bad.status_code == 422
    resident.refresh_from_db()
    assert resident.circle_name == "王秀兰"  # nothing lost on a bad submission
