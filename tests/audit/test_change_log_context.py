"""The change log (django-auditlog's LogEntry) names who made a change from a request and the
client's real address, for a signed-in page and for a bearer-token API call alike, and a client
cannot write its own address onto it."""

from typing import Any

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import pre_save
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from wangge.accounts.models import User
from wangge.audit.middleware import AuditContextMiddleware

pytestmark = pytest.mark.django_db


def _rename(who: User, name: str) -> HttpResponse:
    who.name = name
    who.save()
    return HttpResponse("ok")


def _entry(user: User) -> LogEntry:
    return LogEntry.objects.get_for_object(user).order_by("-pk").first()


def test_a_page_change_names_the_signed_in_person_and_the_real_address(
    cast: dict[str, User],
) -> None:
    admin, resident = cast["admin"], cast["resident"]
    request = RequestFactory().post(
        "/x/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7"
    )
    request.user = admin
    AuditContextMiddleware(lambda r: _rename(resident, "王秀芳"))(request)
    entry = _entry(resident)
    # The address nginx passed (REMOTE_ADDR after RealClientAddressMiddleware), not the first
    # X-Forwarded-For entry, which the client wrote itself.
    assert (entry.actor, entry.remote_addr) == (admin, "203.0.113.7")
    assert entry.changes_dict["name"] == ["王秀兰", "王秀芳"]


def test_an_api_change_names_the_person_its_token_named_in_the_view(
    cast: dict[str, User],
) -> None:
    """A bearer token is checked in the view: the person is known only then."""
    admin, resident = cast["admin"], cast["resident"]
    request = RequestFactory().post("/api/v1/x", REMOTE_ADDR="203.0.113.8")
    request.user = AnonymousUser()

    def view(r: HttpRequest) -> HttpResponse:
        r.user = admin  # as wangge.api.BearerToken does
        return _rename(resident, "王秀芳")

    AuditContextMiddleware(view)(request)
    assert (_entry(resident).actor, _entry(resident).remote_addr) == (admin, "203.0.113.8")


def test_outside_a_request_nobody_is_named_unless_set_actor_says(cast: dict[str, User]) -> None:
    resident = cast["resident"]
    _rename(resident, "王秀芳")
    assert (_entry(resident).actor, _entry(resident).remote_addr) == (None, None)
    with set_actor(cast["worker_a"]):
        _rename(resident, "王秀兰")
    assert _entry(resident).actor == cast["worker_a"]


def test_an_anonymous_request_names_nobody_and_the_request_does_not_outlive_itself(
    cast: dict[str, User],
) -> None:
    resident = cast["resident"]
    request = RequestFactory().post("/x/", REMOTE_ADDR="203.0.113.9")
    request.user = AnonymousUser()
    AuditContextMiddleware(lambda r: _rename(resident, "王秀芳"))(request)
    assert (_entry(resident).actor, _entry(resident).remote_addr) == (None, "203.0.113.9")
    # After the response the request is gone: a later change in the same thread is not its.
    _rename(resident, "王秀兰")
    assert _entry(resident).remote_addr is None


def test_a_request_connects_no_receiver_of_its_own(client: Any, cast: dict[str, User]) -> None:
    """Connecting and disconnecting a receiver per request (auditlog's own middleware) takes
    the signal's lock and empties its cache twice a request."""
    assert "wangge.audit.middleware.AuditContextMiddleware" in settings.MIDDLEWARE
    assert "auditlog.middleware.AuditlogMiddleware" not in settings.MIDDLEWARE
    client.force_login(cast["admin"])
    before = list(pre_save.receivers)
    assert client.get("/").status_code in (200, 302)
    assert pre_save.receivers == before
