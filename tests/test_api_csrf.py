"""Who needs a CSRF token on /api/v1/: a signed-in browser session does; a token client never.

django-ninja's session auth checked CSRF before asking whether anyone was signed in, so a 12345
call with no token was told "403 CSRF check Failed" — in English, and about the wrong problem.
"""

import json
from typing import Any

from django.test import Client

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (fixtures)
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case

ORDER = {
    "order_no": "ZZ20261123000777",
    "content": "伊河路百花里3号楼门口有人摆摊占道",
    "address": "中原区伊河路百花里3号楼",
}
REPORT = {"description": "路灯不亮", "address": "中原区伊河路百花里3号楼"}


def post(client: Client, path: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(
        path, json.dumps(body, ensure_ascii=False), content_type="application/json", **headers
    )


def test_a_call_with_neither_token_nor_session_is_told_it_is_not_signed_in(
    people: dict[str, Any],  # noqa: F811
) -> None:
    resp = post(Client(enforce_csrf_checks=True), "/api/v1/hotline/orders", ORDER)
    assert resp.status_code == 401
    assert resp.json() == {"detail": "未登录或令牌无效"}
    assert not Case.objects.exists()


def test_a_wrong_token_is_not_signed_in_either(people: dict[str, Any]) -> None:  # noqa: F811
    resp = post(
        Client(enforce_csrf_checks=True),
        "/api/v1/hotline/orders",
        ORDER,
        HTTP_AUTHORIZATION="Bearer wg_not-a-real-token",
    )
    assert resp.status_code == 401


def test_a_token_call_needs_no_csrf_token(people: dict[str, Any]) -> None:  # noqa: F811
    _row, key = api_token_create(user=people["admin"], name="12345 热线")
    client = Client(enforce_csrf_checks=True)
    resp = post(client, "/api/v1/hotline/orders", ORDER, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert resp.status_code == 201, resp.content
    # Even from a browser that is also signed in: the token decides, not the cookie.
    client.force_login(people["resident"])
    again = post(client, "/api/v1/cases", REPORT, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert again.status_code == 201, again.content


def test_a_session_without_csrf_token_is_refused_in_chinese_and_pointed_to_tokens(
    people: dict[str, Any],  # noqa: F811
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["resident"])
    resp = post(client, "/api/v1/cases", REPORT)
    assert resp.status_code == 403
    detail = resp.json()["detail"]
    assert "缺少或无效的 CSRF 令牌" in detail
    assert "Authorization: Bearer" in detail
    assert not Case.objects.exists()


def test_a_session_with_its_csrf_token_is_accepted(people: dict[str, Any]) -> None:  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["resident"])
    client.get("/m/report/")  # the page that sets the cookie the offline report page reads
    token = client.cookies["csrftoken"].value
    resp = post(client, "/api/v1/cases", REPORT, HTTP_X_CSRFTOKEN=token)
    assert resp.status_code == 201, resp.content
    assert Case.objects.filter(reporter=people["resident"]).count() == 1


def test_reads_need_no_csrf_token_in_a_session(people: dict[str, Any]) -> None:  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["resident"])
    assert client.get("/api/v1/cases").status_code == 200


# What a page on another site can make a signed-in person's browser send without asking first:
# a form posted as text/plain, url-encoded or multipart, with the session cookie and no token.


def test_a_cross_site_text_plain_form_cannot_report_for_a_signed_in_person(
    people: dict[str, Any],  # noqa: F811
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["resident"])
    # <form enctype="text/plain"> with one field named '{"description":"…","x":"' and the value
    # '"}' sends a body that reads as JSON.
    body = json.dumps(REPORT, ensure_ascii=False)
    resp = client.post("/api/v1/cases", body, content_type="text/plain")
    assert resp.status_code == 415
    assert resp.json()["detail"].startswith("不支持的请求体类型")
    assert not Case.objects.exists()


def test_a_cross_site_multipart_form_is_refused_without_the_csrf_token(
    people: dict[str, Any],  # noqa: F811
) -> None:
    """multipart/form-data is a type the intake reads, so the session's CSRF check decides."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["resident"])
    resp = client.post("/api/v1/cases", REPORT)  # multipart, as a plain HTML form sends it
    assert resp.status_code == 403
    assert "缺少或无效的 CSRF 令牌" in resp.json()["detail"]
    assert not Case.objects.exists()


def test_a_cross_site_form_cannot_act_on_a_case_for_its_handler(
    people: dict[str, Any],  # noqa: F811
    report: Any,  # noqa: F811
) -> None:
    case = report()
    before = (case.status, case.events.count())
    client = Client(enforce_csrf_checks=True)
    client.force_login(case.assignee or people["worker_a"])
    for sent in (
        client.post(f"/api/v1/cases/{case.pk}/actions", {"action": "sign"}),
        client.post(
            f"/api/v1/cases/{case.pk}/actions",
            "action=sign",
            content_type="application/x-www-form-urlencoded",
        ),
        client.post(
            f"/api/v1/cases/{case.pk}/actions", '{"action": "sign"}', content_type="text/plain"
        ),
    ):
        assert sent.status_code in (403, 415), sent.content
    case.refresh_from_db()
    assert (case.status, case.events.count()) == before
