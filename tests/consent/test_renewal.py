"""A new version asks again: a resident whose consent names an older version is sent to 再次同意
before a page that collects personal data, and brought back to it after agreeing."""

from typing import Any

import pytest
from django.test import Client

from tests.consent.conftest import agree_now
from wangge.consent import services
from wangge.consent.models import Consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(cast: dict[str, Any]) -> Any:
    user = cast["resident"]
    agree_now(user)
    return user


def test_nothing_is_asked_while_the_consent_is_current(resident: Any) -> None:
    c = Client()
    c.force_login(resident)
    assert c.get("/m/report/").status_code == 200


def test_a_new_version_is_asked_before_the_report_form(resident: Any, new_versions: Any) -> None:
    c = Client()
    c.force_login(resident)
    resp = c.get("/m/report/")
    assert resp.status_code == 302
    assert resp["Location"] == "/m/legal/agree/?next=%2Fm%2Freport%2F"
    page = c.get(resp["Location"]).content.decode()
    assert "新增微信订阅消息的说明" in page and "第 2 版" in page
    assert 'href="/m/legal/privacy/v2/"' in page
    # Pages that take nothing personal open as before.
    assert c.get("/m/").status_code == 200
    assert c.get("/m/legal/mine/").status_code == 200


def test_agreeing_again_returns_to_the_page(resident: Any, new_versions: Any) -> None:
    c = Client()
    c.force_login(resident)
    refused = c.post("/m/legal/agree/", {"next": "/m/report/"})
    assert refused.status_code == 422
    assert "请先阅读并勾选同意" in refused.content.decode()
    resp = c.post(
        "/m/legal/agree/",
        {"next": "/m/report/", "agree": "1", "terms_version": "2", "privacy_version": "2"},
    )
    assert resp["Location"] == "/m/report/"
    latest = Consent.objects.filter(user=resident).first()
    assert latest is not None
    assert (latest.terms.version, latest.privacy.version, latest.occasion) == (2, 2, "renewal")
    assert c.get("/m/report/").status_code == 200


def test_the_way_back_stays_on_this_site(resident: Any, new_versions: Any) -> None:
    c = Client()
    c.force_login(resident)
    resp = c.post(
        "/m/legal/agree/",
        {"next": "https://evil.example/", "agree": "1"}
        | {"terms_version": "2", "privacy_version": "2"},
    )
    assert resp["Location"] == "/m/"


def test_a_form_already_open_is_not_lost_to_a_new_version(resident: Any, new_versions: Any) -> None:
    """Only opening a page is redirected: a report typed under the consent of the time goes in."""
    c = Client()
    c.force_login(resident)
    resp = c.post("/m/report/", {"text": ""})
    assert resp.status_code != 302 or "/m/legal/agree/" not in resp["Location"]


def test_staff_are_not_redirected(cast: dict[str, Any]) -> None:
    """Staff accounts work under their employment, not a resident's consent."""
    worker = cast["worker_a"]
    agree_now(worker)
    services.document_publish(kind="terms", title="原点在线用户服务协议", body="新的条款。")
    c = Client()
    c.force_login(worker)
    assert "/m/legal/agree/" not in (c.get("/m/report/").get("Location") or "")
