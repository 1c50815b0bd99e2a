"""保密件 and call recordings: who may see a 12345 caller, and who may hear them.

A confidential order's caller is shown to the desk (the street's dispatchers) alone — masked as
ever — and to nobody else who works the case: not on its page, not in the API's answers, not in
an export, never on 身边事. Recordings are heard on the case page by those who may see the case;
a confidential case's by the desk alone.
"""

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.hotline.fake_platform import FakePlatform, PlatformOrder
from tests.hotline.test_exchange import MP3, ORDER_NO
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.cases.confidential import ShownCopySaved
from wangge.cases.models import Case
from wangge.cases.selectors import CaseFilter, access_case, public_board
from wangge.hotline.models import Recording
from wangge.ops.services import case_export

CALLER, PHONE, MASKED = "李桂兰", "13937112345", "139****2345"


@pytest.fixture
def committing(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def issue(platform: FakePlatform, committing: Callable[[], Any], **kw: Any) -> Case:
    order = PlatformOrder(
        orderNum=kw.pop("orderNum", ORDER_NO),
        majorContent="伊河路百花里3号楼门口有人摆摊占道，堵住了小区出入口",
        callerName=CALLER,
        callerPhone=PHONE,
        **kw,
    )
    with committing():
        resp = platform.issue(order)
    assert resp.status_code == 201, resp.content
    return Case.objects.get(pk=resp.json()["case_id"])


def page(user: User, url: str) -> Any:
    c = Client()
    c.force_login(user)
    return c.get(url)


def api(user: User, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    _row, key = api_token_create(user=user, name="test")
    c = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if method == "get":
        return c.get(path, **auth)
    return c.post(path, json.dumps(body or {}), content_type="application/json", **auth)


def test_the_grid_worker_does_not_see_a_confidential_caller_on_the_page_or_in_the_api(
    people: dict[str, User], platform: FakePlatform, committing: Any
) -> None:
    case = issue(platform, committing, isSecret=True)
    worker = people["worker_a"]
    html = page(worker, f"/cases/{case.pk}/").content.decode()
    assert "保密件：诉求人信息仅街道分拨台可见" in html
    assert CALLER not in html and MASKED not in html and "call-reporter" not in html
    body = api(worker, "get", f"/api/v1/cases/{case.pk}").json()
    assert (body["reporter_name"], body["reporter_phone"]) == ("", "")
    # The answer to the worker's own action does not carry it either.
    signed = api(worker, "post", f"/api/v1/cases/{case.pk}/actions", {"action": "sign"})
    assert signed.status_code == 200, signed.content
    assert (signed.json()["reporter_name"], signed.json()["reporter_phone"]) == ("", "")
    # Nor may they ask for the full number.
    revealed = api(
        worker, "post", f"/api/v1/cases/{case.pk}/reporter-phone", {"purpose": "联系诉求人"}
    )
    assert revealed.status_code == 403
    # The community above the grid is not the desk either.
    community = page(people["community"], f"/cases/{case.pk}/").content.decode()
    assert CALLER not in community and MASKED not in community


def test_the_desk_sees_a_confidential_caller_masked_as_before(
    people: dict[str, User], platform: FakePlatform, committing: Any
) -> None:
    case = issue(platform, committing, isSecret=True)
    desk = people["dispatcher"]
    html = page(desk, f"/cases/{case.pk}/").content.decode()
    assert CALLER in html and MASKED in html and PHONE not in html
    assert 'id="caller-confidential"' in html  # marked 保密件 beside the name
    body = api(desk, "get", f"/api/v1/cases/{case.pk}").json()
    assert (body["reporter_name"], body["reporter_phone"]) == (CALLER, MASKED)
    revealed = api(desk, "post", f"/api/v1/cases/{case.pk}/reporter-phone", {"purpose": "回访"})
    assert revealed.json() == {"phone": PHONE}


def test_an_ordinary_order_shows_its_caller_to_the_grid_as_before(
    people: dict[str, User], platform: FakePlatform, committing: Any
) -> None:
    case = issue(platform, committing)
    body = api(people["worker_a"], "get", f"/api/v1/cases/{case.pk}").json()
    assert (body["reporter_name"], body["reporter_phone"]) == (CALLER, MASKED)


def test_an_export_blanks_a_confidential_caller_for_all_but_the_desk(
    people: dict[str, User], platform: FakePlatform, committing: Any
) -> None:
    issue(platform, committing, isSecret=True)

    def rows(user: User, full: bool = False) -> list[tuple[Any, ...]]:
        data = case_export(actor=user, filters=CaseFilter(), full_phone=full, ip=None)
        sheet = load_workbook(io.BytesIO(data)).active
        assert sheet is not None
        return [tuple(r) for r in sheet.iter_rows(min_row=2, values_only=True)]

    [worker_row] = rows(people["community"], full=True)
    assert CALLER not in worker_row and PHONE not in worker_row and "保密" in worker_row
    [desk_row] = rows(people["dispatcher"])
    assert CALLER in desk_row and MASKED in desk_row


def test_a_copy_with_its_caller_blanked_is_never_saved(
    people: dict[str, User], platform: FakePlatform, committing: Any
) -> None:
    case = issue(platform, committing, isSecret=True)
    shown = access_case(people["worker_a"], case.pk)
    assert shown.reporter_name == ""
    with pytest.raises(ShownCopySaved):
        shown.save()
    case.refresh_from_db()
    assert case.reporter_name == CALLER and case.reporter_phone == PHONE


def test_a_confidential_case_is_never_on_the_public_board(report: Callable[..., Case]) -> None:
    case = report(public=True)
    assert public_board(None).filter(pk=case.pk).exists()
    Case.objects.filter(pk=case.pk).update(is_confidential=True)
    assert not public_board(None).filter(pk=case.pk).exists()


def test_a_recording_plays_for_the_case_s_grid_and_not_for_another(
    people: dict[str, User], platform: FakePlatform, committing: Any
) -> None:
    case = issue(platform, committing, files=[("通话录音.mp3", "audio/mpeg", MP3)])
    recording = Recording.objects.get(case=case)
    url = f"/media/{recording.file.name}"
    html = page(people["worker_a"], f"/cases/{case.pk}/").content.decode()
    assert f'<audio controls preload="none" src="{url}"' in html
    heard = page(people["worker_a"], url)
    assert heard.status_code == 200 and heard["Content-Type"] == "audio/mpeg"
    assert b"".join(heard.streaming_content) == MP3
    # A worker of grid B sees neither the case nor its recording.
    assert page(people["worker_b"], url).status_code == 404
    assert page(people["outsider"], url).status_code == 404
    assert Client().get(url).status_code in (302, 404)  # not signed in


def test_a_confidential_case_s_recording_is_the_desk_s_alone(
    people: dict[str, User], platform: FakePlatform, committing: Any
) -> None:
    case = issue(platform, committing, isSecret=True, files=[("录音.mp3", "audio/mpeg", MP3)])
    url = f"/media/{Recording.objects.get(case=case).file.name}"
    assert page(people["worker_a"], url).status_code == 404
    assert "<audio" not in page(people["worker_a"], f"/cases/{case.pk}/").content.decode()
    assert page(people["dispatcher"], url).status_code == 200
