"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2).

    GET  discovery.{fmt}                      service discovery
    GET  services.{fmt}                       leaf categories of the 派单目录
    GET  services/{service_code}.{fmt}        a service definition (attributes)
    POST requests.{fmt}                       file a request: a case through `case_intake`
    GET  requests.{fmt}                       requests, filtered; newest first, by pages of 100
                                              (`page`, `page_size` up to 1000)
    GET  requests/{service_request_id}.{fmt}  one request
    GET  tokens/{token}.{fmt}                 the request a token stands for

`fmt` is `json` or `xml`; errors come in the spec's format ([{"code", "description"}] or
<errors><error>…</error></errors>) with the matching HTTP status, in JSON when the format
itself is unknown.

Deviations from the specification, on purpose:

- **Privacy.** The spec lets anyone read service requests. Ours are residents' problems with
  their homes and neighbours, so GET requests, GET requests/{id} and GET tokens/{token} need an
  api_key too, and answer only with cases the key's user may see (`cases_visible`: their grid
  subtree, what they reported, what their department was summoned to); a case out of scope is
  a 404, exactly like a missing one. No answer carries the reporter's name, phone or account.
- `media_url` is given only for a case on 身边事 (its reporter chose to make it public; not
  voided, merged or a child) and is null otherwise. It points at /media/, which serves the photo
  only to whoever may see the case, with a session or this api_key as a Bearer header.
- The api_key may also come as `Authorization: Bearer <key>` (as on /api/v1/), so a careful
  client keeps it out of URLs and access logs.
- Requests are created synchronously: the POST answer carries the service_request_id (the
  case number) and also a token ("t" + number) for clients that expect one.
- email, device_id, account_id and media_url of a POST are accepted but not stored: cases have
  no place for them, and we never fetch a client-supplied URL from the server (SSRF).
- first_name + last_name become one reporter name, family name first for Chinese names.
- **Jurisdictions.** jurisdiction_id is a district of the imported tree or the city above
  several, by its code. GET requests answers that district's requests only; a POST to a district
  whose place lies in another is refused (400, nothing kept); a POST to the city, or with no
  jurisdiction_id, is routed by its place to the district it lies in.
"""

import logging
from collections.abc import Callable
from contextlib import nullcontext
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from wangge.cases.services import case_intake
from wangge.core.error_pages import database_unavailable, service_unavailable
from wangge.core.errors import DomainError, ValidationFailed
from wangge.core.ratelimit import rate_limit
from wangge.grids.models import GridLevel
from wangge.open311 import params, render, selectors, serializers
from wangge.open311.errors import MethodNotAllowed, NotFound, Open311Error
from wangge.open311.forms import JurisdictionForm, RequestListForm, ServiceRequestForm

logger = logging.getLogger(__name__)

READ = ("GET", "HEAD")
View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """Check format, method and jurisdiction; turn every refusal into the spec's error body."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in render.FORMATS:
                return render.error(
                    "json", 404, _("不支持的格式“%(f)s”，请使用 .json 或 .xml") % {"f": fmt}
                )
            try:
                if request.method not in methods:
                    raise MethodNotAllowed(_("不支持 %(m)s 方法") % {"m": request.method})
                params.check_jurisdiction(
                    JurisdictionForm(request.POST if request.method == "POST" else request.GET)
                )
                return view(request, fmt, *args, **kwargs)
            except Open311Error as exc:
                response = render.error(fmt, exc.status, exc.description)
                if isinstance(exc, MethodNotAllowed):
                    response["Allow"] = ", ".join(methods)
                return response
            except DomainError as exc:
                status = exc.status_code if exc.status_code in (403, 404, 429) else 400
                return render.error(fmt, status, exc.message)
            except DjangoValidationError as exc:
                return render.error(fmt, 400, "；".join(exc.messages))
            except Exception as exc:
                if database_unavailable(exc):
                    return service_unavailable(request)
                # A bug, not bad input: log it as Django would, but still answer in the spec's
                # format, which a machine client can read even when DEBUG pages are on.
                logger.exception("Open311 %s %s failed", request.method, request.path)
                got_request_exception.send(sender=None, request=request)
                return render.error(fmt, 500, _("服务器内部错误，请稍后重试"))

        return wrapper

    return decorate


def _requests_body(fmt: str, rows: list[dict[str, Any]]) -> HttpResponse:
    return render.respond(fmt, rows, root="service_requests", item="request")


@endpoint(*READ)
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    path = reverse("open311:discovery", kwargs={"fmt": fmt}).removesuffix(f"discovery.{fmt}")
    data = serializers.discovery(request.build_absolute_uri(path))
    return render.respond(fmt, data, root="discovery")


@endpoint(*READ)
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [serializers.service(c) for c in selectors.leaf_services()]
    return render.respond(fmt, rows, root="services", item="service")


@endpoint(*READ)
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    category = selectors.service_by_code(service_code)
    if category is None:
        raise NotFound(_("service_code“%(c)s”不存在") % {"c": service_code})
    return render.respond(fmt, serializers.service_definition(category), root="service_definition")


# Machine clients authenticate every call with an api_key in the request itself; nothing here
# reads the session cookie, so there is no ambient authority for a cross-site form to borrow,
# and a CSRF token is something these clients could not send anyway.
@csrf_exempt
@endpoint(*READ, "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    user = params.authenticate(request)
    if request.method == "POST":
        rate_limit(request, "case_intake")
        jurisdiction = params.check_jurisdiction(JurisdictionForm(request.POST))
        if jurisdiction is not None and jurisdiction.level == GridLevel.CITY:
            jurisdiction = None  # the city takes a request anywhere in it, routed by its place
        # Only a district's jurisdiction may refuse after routing; without one, no savepoint.
        with transaction.atomic() if jurisdiction is not None else nullcontext():
            case, _created = case_intake(
                data=params.create_input(ServiceRequestForm(request.POST)), actor=user
            )
            # A district's jurisdiction takes requests in that district only: one whose place
            # lies in another is refused (and nothing of it kept), so the client can send it
            # to the right one, or to the city, which routes it by its place.
            if jurisdiction is not None and not case.grid_path.startswith(jurisdiction.path):
                transaction.set_rollback(True)
                raise ValidationFailed(
                    _("该位置不在%(name)s（%(code)s）辖区内，请发往所在区或不指定 jurisdiction_id")
                    % {"name": jurisdiction.name, "code": jurisdiction.code}
                )
        return _requests_body(fmt, [serializers.created(case)])
    query = params.list_query(RequestListForm(request.GET))
    jurisdiction = params.check_jurisdiction(JurisdictionForm(request.GET))
    page = selectors.requests_for(
        user,
        within=jurisdiction.path if jurisdiction is not None else "",
        ids=query.ids,
        service_codes=query.service_codes,
        start=query.start,
        end=query.end,
        statuses=query.statuses,
        page=query.page,
        page_size=query.page_size,
    )
    words = serializers.Words()
    response = _requests_body(
        fmt,
        [serializers.service_request(r, request.build_absolute_uri, words) for r in page.rows],
    )
    if page.has_next:
        following = request.GET.copy()
        following["page"] = str(query.page + 1)
        following.pop("api_key", None)  # the key stays out of a link that may be logged
        response["Link"] = (
            f'<{request.build_absolute_uri(request.path)}?{following.urlencode()}>; rel="next"'
        )
    return response


@endpoint(*READ)
def service_request(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    user = params.authenticate(request)
    row = selectors.request_by_number(user, service_request_id)
    if row is None:
        raise NotFound(_("服务请求“%(id)s”不存在或无权查看") % {"id": service_request_id})
    words = serializers.Words()
    return _requests_body(
        fmt, [serializers.service_request(row, request.build_absolute_uri, words)]
    )


@endpoint(*READ)
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    user = params.authenticate(request)
    row = selectors.request_by_number(user, serializers.number_from_token(token))
    if row is None:
        raise NotFound(_("token“%(t)s”不存在或无权查看") % {"t": token})
    return _requests_body(fmt, [serializers.token(row)])


# Any method may land here (a POST to requests.<bad format>): the answer is the spec's 404, never
# Django's CSRF page, and nothing is changed.
@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    """Anything else under /open311/v2/: a 404 in the spec's format, never an HTML page."""
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return render.error(fmt, 404, _("没有这个资源：%(p)s") % {"p": request.path})
