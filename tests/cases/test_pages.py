"""The case pages, as each person sees them."""

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.cases.conftest import IN_A1
from wangge.cases.models import Case, Status


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (10, 120, 10)).save(out, format="PNG")
    return SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png")


def test_resident_reports_with_a_photo_and_sees_the_case(people: dict[str, Any]) -> None:
    c = client_for(people["resident"])
    page = c.get("/cases/new/").content.decode()
    assert "有事找支部 · 随手拍" in page and "使用我的位置" in page
    resp = c.post(
        "/cases/new/",
        {
            "description": "楼下有人摆摊占道",
            "category": "CSGL-01",
            "lon": IN_A1[0],
            "lat": IN_A1[1],
            "urgency": "normal",
            "photos": [png()],
        },
    )
    case = Case.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/cases/{case.pk}/"
    assert case.channel == "snapshot" and case.attachments.count() == 1
    detail = c.get(resp["Location"]).content.decode()
    assert "已派给碧沙岗第1网格办理" in detail
    assert "签收" not in detail.split("办理记录")[0]  # a resident gets no action buttons
    mine = c.get("/cases/mine/").content.decode()
    assert case.title in mine and "已派给碧沙岗第1网格办理" in mine


def test_report_without_a_place_keeps_what_was_typed(people: dict[str, Any]) -> None:
    resp = client_for(people["resident"]).post(
        "/cases/new/", {"description": "暖气不热已经三天了", "urgency": "normal"}
    )
    page = resp.content.decode()
    assert resp.status_code == 200
    assert "请填写地址，或点击“使用我的位置”" in page
    assert "暖气不热已经三天了" in page
    assert not Case.objects.exists()


def offered_now_and_after(html: str) -> tuple[str, dict[str, str]]:
    """The case page's live actions, and those drawn for each state a queued action leads to."""
    ahead = dict(
        re.findall(r'<template data-outbox-state="(\w+)"[^>]*>(.*?)</template>', html, re.S)
    )
    return re.sub(r"<template .*?</template>", "", html, flags=re.S), ahead


def test_worker_queue_detail_and_sign_on_the_phone(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    c = client_for(people["worker_a"])
    assert c.get("/cases/").status_code == 302
    queue = c.get("/cases/queue/").content.decode()
    assert case.title in queue and "剩余" in queue
    detail = c.get(f"/cases/{case.pk}/").content.decode()
    live, ahead = offered_now_and_after(detail)
    assert 'data-action="sign"' in live and 'data-action="resolve"' not in live
    # Drawn ahead for the phone: once a 签收 waits in its outbox, 办结 is offered behind it.
    assert (
        'data-action="resolve"' in ahead["signed"] and 'data-action="sign"' not in ahead["signed"]
    )
    assert 'data-leads-to="signed"' in live
    assert "拨打电话" in detail
    assert people["resident"].phone not in detail  # masked until the audited reveal
    resp = c.post(f"/cases/{case.pk}/act/", {"action": "sign"})
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SIGNED
    detail = c.get(f"/cases/{case.pk}/").content.decode()
    assert "已签收" in detail and 'data-action="resolve"' in detail


def test_failed_action_keeps_the_form_and_says_why(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    resp = client_for(people["worker_a"]).post(
        f"/cases/{case.pk}/act/", {"action": "return", "note": ""}
    )
    assert resp.status_code == 422
    assert "请填写退单原因" in resp.content.decode()
    resp = client_for(people["worker_a"]).post(
        f"/cases/{case.pk}/act/", {"action": "resolve", "result": "好了"}
    )
    assert resp.status_code == 422 and "当前状态下不能执行“办结”" in resp.content.decode()


def test_phone_reveal_button_is_audited(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    from wangge.accounts.models import PersonalDataAccess

    case = report()
    resp = client_for(people["worker_a"]).post(f"/cases/{case.pk}/phone/")
    assert resp.json() == {"phone": people["resident"].phone}
    assert PersonalDataAccess.objects.filter(actor=people["worker_a"], field="phone").count() == 1


def test_desk_shows_pending_with_one_click_dispatch_and_duplicates(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    first = report()
    from wangge.cases.services import CaseInput, case_intake

    pending, _ = case_intake(
        data=CaseInput(
            description="小区门口有人摆摊占道，又来了",
            category_code="CSGL-01",
            lon=IN_A1[0],
            lat=IN_A1[1],
        ),
        actor=people["resident"],
        auto_dispatch=False,
    )
    c = client_for(people["dispatcher"])
    desk = c.get("/cases/desk/").content.decode()
    assert pending.title in desk and "按推荐派单" in desk
    assert "疑似重复" in desk and first.number in desk
    resp = c.post(f"/cases/{pending.pk}/act/", {"action": "accept"})
    assert resp.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Status.DISPATCHED and pending.assignee == people["worker_a"]


def test_followup_queue_and_kpi_page(people: dict[str, Any], report: Callable[..., Case]) -> None:
    from wangge.cases.services import case_act

    case = report()
    case_act(case_id=case.pk, actor=people["worker_a"], action="sign")
    case_act(
        case_id=case.pk, actor=people["worker_a"], action="resolve", params={"result": "已处理"}
    )
    case_act(case_id=case.pk, actor=people["dispatcher"], action="verify_pass")
    c = client_for(people["dispatcher"])
    assert case.title in c.get("/cases/followups/").content.decode()
    resp = c.post(
        f"/cases/{case.pk}/act/",
        {
            "action": "follow_up",
            "reached": "1",
            "contacted": "1",
            "solved": "1",
            "satisfaction": "satisfied",
            "note": "满意",
        },
    )
    assert resp.status_code == 302
    assert c.get("/cases/kpi/").status_code == 302
    kpi = c.get("/cases/kpi/410102001/?period=year").content.decode()
    assert "碧沙岗社区" in kpi and "综合成绩" in kpi


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("worker_a", "/cases/desk/"),
        ("resident", "/cases/queue/"),
        ("resident", "/cases/supervision/"),
        ("worker_a", "/cases/followups/"),
        ("resident", "/cases/kpi/"),
    ],
)
def test_pages_refuse_the_wrong_role(people: dict[str, Any], who: str, url: str) -> None:
    assert client_for(people[who]).get(url).status_code == 403


def test_other_grid_cannot_open_the_page(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    assert client_for(people["worker_b"]).get(f"/cases/{case.pk}/").status_code == 404
    assert (
        client_for(people["worker_b"])
        .post(f"/cases/{case.pk}/act/", {"action": "sign"})
        .status_code
        == 404
    )


def test_inbox_lists_and_marks_read(people: dict[str, Any], report: Callable[..., Case]) -> None:
    report()
    c = client_for(people["worker_a"])
    page = c.get("/inbox/").content.decode()
    assert "新派单" in page
    assert 'class="unread"' in c.get("/cases/queue/").content.decode()
    c.post("/inbox/read/")
    assert 'class="unread"' not in c.get("/cases/queue/").content.decode()
