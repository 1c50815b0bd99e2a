"""审计查询: auditors search who revealed whose personal data, who changed master data and the
history of the sensitive registers (变更历史), within their subtree, and export it to Excel.
Every page of results and every export is itself recorded (AuditQuery), and the auditors' trail
is a tab of its own."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.audit import exports, history, selectors
from wangge.audit.forms import AuditFilterForm, TopicForm
from wangge.audit.models import AuditQuery
from wangge.audit.services import audit_query_record
from wangge.core.errors import PermissionDenied
from wangge.core.paging import ListPage, paginate
from wangge.core.web import AuthedRequest, download


def _each(row: Callable[[Any], list[str]]) -> Callable[[Iterable[Any]], list[list[str]]]:
    return lambda items: [row(item) for item in items]


# Each topic's selector, and how a page (or an export) of its items becomes table rows; the
# history renders a page at once (each version beside the one before it, a few queries a page).
TOPICS: dict[str, tuple[Callable[..., Any], Callable[[Iterable[Any]], list[list[str]]]]] = {
    AuditQuery.Topic.ACCESS: (selectors.accesses, _each(exports.access_row)),
    AuditQuery.Topic.CHANGES: (selectors.changes, _each(exports.change_row)),
    AuditQuery.Topic.HISTORY: (
        selectors.history,
        lambda items: history.rows(items, exports.when),
    ),
    AuditQuery.Topic.QUERIES: (selectors.audit_queries, _each(exports.query_row)),
}


# The filters that mean something for each topic.
FIELDS: dict[str, tuple[str, ...]] = {
    AuditQuery.Topic.ACCESS: ("date_from", "date_to", "actor", "subject", "field", "purpose"),
    AuditQuery.Topic.CHANGES: ("date_from", "date_to", "actor", "model", "action"),
    AuditQuery.Topic.HISTORY: (
        "date_from",
        "date_to",
        "actor",
        "register",
        "record",
        "history_type",
    ),
    AuditQuery.Topic.QUERIES: ("date_from", "date_to", "actor"),
}


def _topic(request: AuthedRequest) -> TopicForm:
    return TopicForm(request.GET)


def _auditor(request: AuthedRequest) -> User:
    user: User = request.user
    if not selectors.is_auditor(user):
        raise PermissionDenied(_("仅审计员可以查看审计记录"))
    return user


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    user = _auditor(request)
    asked = _topic(request)
    topic = asked.value("topic")
    form = AuditFilterForm(request.GET or None, user=user)
    page = None
    rows: Iterable[list[str]] = []
    if not request.GET or form.is_valid():
        f = form.audit_filter() if form.is_bound else selectors.AuditFilter()
        select, render_rows = TOPICS[topic]
        page = paginate(request, select(user, f), 50)
        rows = render_rows(page.object_list)
        audit_query_record(
            actor=user,
            kind=AuditQuery.Kind.VIEW,
            topic=topic,
            filters={**(form.used() if form.is_bound else {}), "page": page.number},
            rows=len(page.object_list),
            ip=request.META.get("REMOTE_ADDR"),
        )
    return _render(
        request,
        user,
        form,
        topic,
        page=page,
        rows=rows,
        status=asked.status_code,
        topic_error=asked.error,
    )


def _render(
    request: AuthedRequest,
    user: User,
    form: AuditFilterForm,
    topic: str,
    *,
    page: ListPage | None,
    rows: Iterable[list[str]],
    status: int = 200,
    topic_error: str = "",
) -> HttpResponse:
    """The audit page: the topic's filters, and its page of results when there is one."""
    query = request.GET.copy()
    query.pop("page", None)
    query["topic"] = topic
    return render(
        request,
        "audit/index.html",
        {
            "form": form,
            "fields": [form[name] for name in FIELDS[topic]],
            "topic": topic,
            "topics": AuditQuery.Topic.choices,
            "headers": exports.headers(topic),
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "scope_all": selectors.audits_whole_tree(user),
            "topic_error": topic_error,
        },
        status=status,
    )


@login_required
def export(request: AuthedRequest) -> HttpResponse:
    user = _auditor(request)
    asked = _topic(request)
    topic = asked.value("topic")
    form = AuditFilterForm(request.GET, user=user)
    # An export of another record than the one asked for would be a wrong file: refused as a
    # bad filter is, on the page.
    if not form.is_valid() or asked.error:
        return _render(
            request, user, form, topic, page=None, rows=[], status=400, topic_error=asked.error
        )
    select, render_rows = TOPICS[topic]
    items = list(select(user, form.audit_filter())[: exports.MAX_EXPORT_ROWS])
    audit_query_record(
        actor=user,
        kind=AuditQuery.Kind.EXPORT,
        topic=topic,
        filters=form.used(),
        rows=len(items),
        ip=request.META.get("REMOTE_ADDR"),
    )
    content = exports.workbook(topic, render_rows(items))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(content, f"audit-{topic}-{stamp}.xlsx", kind="xlsx")
