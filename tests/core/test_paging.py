"""core.paging: which page a request gets, what its links say, and the pager a list shows."""

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from wangge.accounts.models import User
from wangge.core.paging import paginate
from wangge.notifications.models import Notification

ROWS = list(range(1, 46))  # 45 rows: pages of 20, 20 and 5


def page_for(query: str, per_page: int = 20, **kw: Any) -> Any:
    return paginate(RequestFactory().get(f"/list/?{query}"), ROWS, per_page, **kw)


def test_the_asked_page() -> None:
    page = page_for("page=2")
    assert page.number == 2
    assert list(page) == ROWS[20:40]
    assert page.notice == ""


def test_no_page_asked_is_the_first_without_a_word() -> None:
    page = page_for("")
    assert (page.number, page.notice) == (1, "")


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "²", "%00", " "])
def test_a_page_number_nobody_could_mean_shows_the_first(value: str) -> None:
    page = page_for(f"page={value}")
    assert page.number == 1
    if value.strip():
        assert "无效" in page.notice and "第 1 页" in page.notice


@pytest.mark.parametrize("value", ["4", "99", "9" * 40])
def test_past_the_end_shows_the_last_page(value: str) -> None:
    page = page_for(f"page={value}")
    assert page.number == 3
    assert list(page) == ROWS[40:]
    assert "最后一页" in page.notice and "第 3 页" in page.notice


def test_links_keep_every_other_parameter_and_drop_the_page() -> None:
    page = page_for("kind=task&page=2&q=%E6%91%86%E6%91%8A&status=a&status=b")
    assert page.previous_url == "?kind=task&q=%E6%91%86%E6%91%8A&status=a&status=b&page=1"
    assert page.next_url == "?kind=task&q=%E6%91%86%E6%91%8A&status=a&status=b&page=3"


def test_two_lists_on_one_page_page_apart() -> None:
    request = RequestFactory().get("/list/?page=2&hidden_page=3")
    first = paginate(request, ROWS, 20)
    second = paginate(request, ROWS, 20, param="hidden_page")
    assert (first.number, second.number) == (2, 3)
    assert first.next_url == "?hidden_page=3&page=3"
    assert second.previous_url == "?page=2&hidden_page=2"


def test_an_empty_list_is_one_empty_page() -> None:
    page = paginate(RequestFactory().get("/list/?page=5"), [], 20)
    assert page.number == 1 and list(page) == []
    assert page.paginator.count == 0


def test_the_pager_says_how_many_where_and_links_both_ways() -> None:
    page = page_for("kind=task&page=2")
    out = render_to_string("includes/pager.html", {"page": page})
    assert 'aria-label="分页"' in out
    assert "共 45 条" in out
    assert "第 2 / 3 页" in out
    assert 'rel="prev" href="?kind=task&amp;page=1"' in out
    assert 'rel="next" href="?kind=task&amp;page=3"' in out


def test_one_page_shows_the_total_and_no_links() -> None:
    out = render_to_string("includes/pager.html", {"page": page_for("", per_page=50)})
    assert "共 45 条" in out
    assert "上一页" not in out and "下一页" not in out and "第 1 / 1 页" not in out


def test_a_page_label_names_the_second_pager() -> None:
    out = render_to_string("includes/pager.html", {"page": page_for(""), "label": "已隐藏分页"})
    assert 'aria-label="已隐藏分页"' in out


def test_rows_that_tie_on_the_order_each_get_one_page(
    cast: dict[str, User], django_assert_num_queries: Any
) -> None:
    """Many notifications with the same time: page one and page two together hold each once."""
    user = cast["resident"]
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, title=f"消息{i}") for i in range(30)]
    )
    Notification.objects.filter(recipient=user).update(created_at=rows[0].created_at)
    qs = Notification.objects.filter(recipient=user).order_by("-created_at")
    seen = []
    for number in (1, 2):
        request = RequestFactory().get(f"/inbox/?page={number}")
        with django_assert_num_queries(2):  # the count and the page
            seen += [n.pk for n in paginate(request, qs, 20)]
    assert sorted(seen) == sorted(r.pk for r in rows)


def test_a_bad_page_on_a_real_list_is_a_page_not_an_error(cast: dict[str, User]) -> None:
    user = cast["worker_a"]
    Notification.objects.bulk_create(
        [Notification(recipient=user, title=f"消息{i}") for i in range(35)]
    )
    c = Client()
    c.force_login(user)
    for value in ("0", "-1", "abc", "999999", "9" * 30):
        response = c.get(f"/inbox/?page={value}")
        assert response.status_code == 200, value
        text = response.content.decode()
        assert "共 35 条" in text
        assert 'class="pager-notice"' in text


def test_a_list_longer_than_the_cap_says_more_than_and_counts_no_further(
    db: Any, monkeypatch: Any
) -> None:
    from wangge.core import paging
    from wangge.grids.models import GridNode

    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    for i in range(8):
        GridNode.objects.create(code=f"D{i}", name=f"区{i}", level="district", path=f"D{i}/")
    page = paginate(RequestFactory().get("/list/?page=2"), GridNode.objects.all(), 3)
    assert page.paginator.capped and page.paginator.count == 6
    assert [n.code for n in page] == ["D3", "D4", "D5"]
    html = render_to_string("includes/pager.html", {"page": page})
    assert "超过 5 条" in html and "共 6 条" not in html
    short = paginate(
        RequestFactory().get("/list/"), GridNode.objects.filter(code__in=["D1", "D2"]), 3
    )
    assert not short.paginator.capped
    assert "共 2 条" in render_to_string("includes/pager.html", {"page": short})
