"""Messages (the green and red notes a page shows after a redirect) are kept from one page to
the next, and a request that neither adds nor reads one makes no storage and writes nothing."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.functional import empty

from wangge.core.messages import LazyMessageMiddleware


def _through(view: Callable[[HttpRequest], HttpResponse], cookies: dict[str, str]) -> Any:
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies)
    response = SessionMiddleware(LazyMessageMiddleware(view))(request)
    return request, response


def test_a_request_that_does_not_touch_messages_stores_nothing(db: object) -> None:
    request, response = _through(lambda r: HttpResponse("ok"), {})
    assert request._messages._wrapped is empty
    assert "messages" not in response.cookies


def test_a_message_added_is_shown_on_the_next_page_once(db: object) -> None:
    def add(r: HttpRequest) -> HttpResponse:
        messages.success(r, "已保存")
        return HttpResponse(status=302)

    _request, response = _through(add, {})
    cookies = {k: v.value for k, v in response.cookies.items()}
    assert cookies.get("messages")  # kept for the next page

    shown: list[str] = []

    def read(r: HttpRequest) -> HttpResponse:
        shown.extend(str(m) for m in messages.get_messages(r))
        return HttpResponse("ok")

    _request, response = _through(read, cookies)
    assert shown == ["已保存"]
    # Read once, then gone: the cookie is cleared.
    assert response.cookies["messages"].value == ""
