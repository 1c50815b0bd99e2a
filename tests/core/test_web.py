"""The view layer every page stands on: one answer per kind of domain error, refusals shown where
the person looks, one download response."""

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.core.web import Refusal, download, flash_refusal


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_record_not_found_is_the_404_page_with_its_reason(cast: dict[str, Any]) -> None:
    resp = _client(cast["worker_a"]).get(reverse("cases:detail", args=[987654]))
    assert resp.status_code == 404
    page = resp.content.decode()
    assert "页面不存在" in page and "事件不存在或无权查看" in page


def test_a_script_endpoint_answers_json_with_the_same_status(cast: dict[str, Any]) -> None:
    resp = _client(cast["worker_a"]).post(reverse("cases:phone", args=[987654]))
    assert resp.status_code == 404
    assert resp.json() == {"detail": "事件不存在或无权查看"}


def test_a_refused_role_is_the_403_page_with_its_reason(cast: dict[str, Any]) -> None:
    resp = _client(cast["resident"]).get(reverse("ops:circulars"))
    assert resp.status_code == 403
    page = resp.content.decode()
    assert "无权访问" in page and "无权查看通报" in page


def _request() -> Any:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_flash_refusal_says_the_reason_and_skips_the_rest() -> None:
    request = _request()
    done: list[bool] = []

    def claim() -> None:
        raise Conflict("已有人认领")

    with flash_refusal(request):
        claim()
        done.append(True)
    assert done == []
    assert [str(m) for m in get_messages(request)] == ["已有人认领"]


def test_flash_refusal_lets_not_found_and_unnamed_kinds_through() -> None:
    request = _request()
    with pytest.raises(NotFound), flash_refusal(request):
        raise NotFound("不存在")
    with pytest.raises(PermissionDenied), flash_refusal(request, Conflict):
        raise PermissionDenied("无权操作")
    assert list(get_messages(request)) == []


class _Form(forms.Form):
    room = forms.CharField(required=False)


def test_refusal_puts_the_reason_at_its_input_or_on_top() -> None:
    form = _Form({"room": "x"})
    assert form.is_valid()
    with Refusal(form) as refusal:
        raise ValidationFailed("房号已登记", field="room")
    assert refusal.status == 422 and refusal.at("room") == "房号已登记"
    assert form.errors == {"room": ["房号已登记"]}

    on_top = _Form({"room": "x"})
    assert on_top.is_valid()
    with Refusal(on_top, fields=()) as refusal:
        raise ValidationFailed("房号已登记", field="room")
    assert on_top.non_field_errors() == ["房号已登记"]
    assert refusal.besides("building") == "房号已登记"


def test_refusal_lets_anything_else_through_and_is_quiet_when_all_went_well() -> None:
    with pytest.raises(KeyError), Refusal():
        raise KeyError("bug")
    with Refusal() as refusal:
        pass
    assert not refusal and refusal.status == 200 and refusal.message == ""


def test_download_names_the_file_in_chinese_or_plain() -> None:
    sheet = download(b"x", "事件清单.xlsx", kind="xlsx")
    assert sheet["Content-Type"].endswith("spreadsheetml.sheet")
    assert sheet["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E4%BA%8B%E4%BB%B6%E6%B8%85%E5%8D%95.xlsx"
    )
    pdf = download(b"%PDF", "patrol-1.pdf", kind="pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="patrol-1.pdf"'
