"""Pages of a long list: every list page of the product shows a page of its rows, the total,
and links to the pages before and after that keep the list's filters.

    page = paginate(request, selectors.worker_queue(user), per_page=20)
    {% include "includes/pager.html" with page=page %}

A page number nobody could mean ("abc", 0, -3) shows the first page and one past the end the
last, each with a line saying so, never an error page: such links come from old bookmarks and
from lists that shrank while someone was reading them.
"""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

DEFAULT_PER_PAGE = 20
# Digits beyond this are not a page number anyone typed; int() on them costs for nothing.
_MAX_DIGITS = 9


class ListPage(Page):
    """A `Page` that knows its query parameter, the rest of the query string (the filters),
    and what to tell the reader when the asked-for page did not exist."""

    param = "page"
    query = ""
    notice = ""

    def url(self, number: int) -> str:
        """The link to page `number` of the same list with the same filters."""
        return f"?{self.query}&{self.param}={number}" if self.query else f"?{self.param}={number}"

    @property
    def previous_url(self) -> str:
        return self.url(self.previous_page_number()) if self.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url(self.next_page_number()) if self.has_next() else ""


def _stable(qs: QuerySet[Any]) -> QuerySet[Any]:
    """The queryset in an order that gives each row one page: rows that tie on the list's order
    (two cases due at the same minute) would otherwise be free to swap between the two queries
    of two pages, one row shown twice and another never."""
    if qs.query.values_select:  # grouped rows (`.values().annotate()`) have no single key
        return qs
    ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
    if not ordering:
        return qs.order_by("-pk")
    if any(isinstance(o, str) and o.lstrip("-") in ("pk", "id") for o in ordering):
        # The model's own order, said out loud: a grouped query (annotated counts) drops it.
        return qs if qs.query.order_by else qs.order_by(*ordering)
    return qs.order_by(*ordering, "pk")


# A list counts its rows up to here and says "more than" past it: a city's administrator's
# case list is every case of the city, and counting millions of rows for a pager nobody pages
# to the end of cost seconds (COUNT over a bounded sub-select stops at the cap).
COUNT_CAP = 10_000


def capped_count(items: QuerySet[Any]) -> tuple[int, bool]:
    """The rows of a query counted up to `COUNT_CAP`, and whether there are more: an API list
    says "at least 10000" rather than count a city's millions for every page."""
    # Unordered: the count needs no order, and an ORDER BY with its LIMIT made PostgreSQL walk
    # the newest-first index of the whole table past a street's rows instead of reading them.
    counted = int(items.order_by()[: COUNT_CAP + 1].count())
    return min(counted, COUNT_CAP), counted > COUNT_CAP


class _ListPaginator(Paginator):
    def _get_page(self, *args: Any, **kwargs: Any) -> ListPage:
        return ListPage(*args, **kwargs)

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return int(self.object_list.order_by()[: COUNT_CAP + 1].count())
        return len(self.object_list)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than counted (the total shows as "10000+")."""
        return self.count > COUNT_CAP


def paginate(
    request: HttpRequest,
    items: QuerySet[Any] | Sequence[Any],
    per_page: int = DEFAULT_PER_PAGE,
    *,
    param: str = "page",
) -> ListPage:
    """The page of `items` the request asks for in `param` (two lists on one page use two
    names). A queryset costs two queries: its count and the page's rows."""
    if isinstance(items, QuerySet):
        items = _stable(items)
    paginator = _ListPaginator(items, per_page)
    raw = request.GET.get(param, "").strip()
    number, notice = 1, ""
    if raw:
        if not (raw.isascii() and raw.isdigit()):
            asked = 0  # "abc", "-1", "1.5": not a page number
        elif len(raw) > _MAX_DIGITS:
            asked = paginator.num_pages + 1  # a number past any list's end
        else:
            asked = int(raw)
        if asked < 1:
            notice = _("页码“%(p)s”无效，已显示第 1 页") % {"p": raw[:20]}
        elif asked > paginator.num_pages:
            number = paginator.num_pages
            notice = _("没有第 %(p)s 页，已显示最后一页（第 %(n)d 页）") % {
                "p": raw[:20],
                "n": number,
            }
        else:
            number = asked
    page = paginator.page(number)
    assert isinstance(page, ListPage)
    query = request.GET.copy()
    query.pop(param, None)
    page.param, page.query, page.notice = param, query.urlencode(), notice
    return page


def api_page(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], page: int, page_size: int
) -> tuple[dict[str, Any], list[Any]]:
    """One page of an API list: its `PageInfo` fields and its rows. A page past the end is
    empty with the right count (a client walking `next` never gets there); the links keep the
    request's other parameters, as the pages' pager does."""
    if isinstance(items, QuerySet):
        items = _stable(items)
        count = items.count()
    else:
        count = len(items)
    start = (page - 1) * page_size
    rows = list(items[start : start + page_size])

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        query["page_size"] = str(page_size)
        return f"{request.path}?{query.urlencode()}"

    info = {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next": link(page + 1) if start + page_size < count else None,
        "previous": link(min(page - 1, max(1, -(-count // page_size)))) if page > 1 else None,
    }
    return info, rows
