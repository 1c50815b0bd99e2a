"""Notices reach everyone below the node they were published to, and only them."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import COMMUNITY, EXCLUSIVE, GRID_A, GRID_B, STREET
from wangge.core.errors import PermissionDenied
from wangge.notices.models import Notice
from wangge.notices.selectors import notices_for, notices_published
from wangge.notices.services import notice_mark_read, notice_publish, notice_withdraw


def publish(cast: dict[str, Any], tree: dict[str, Any], code: str, title: str, **kw: Any) -> Notice:
    return notice_publish(actor=cast["dispatcher"], node=tree[code], title=title, body="内容", **kw)


def test_resident_sees_notices_above_their_micro_grid(
    cast: dict[str, Any], tree: dict[str, Any]
) -> None:
    publish(cast, tree, STREET, "街道停水通知", kind="outage")
    publish(cast, tree, COMMUNITY, "社区义诊")
    publish(cast, tree, GRID_A, "A网格清理楼道", pinned=True)
    publish(cast, tree, GRID_B, "B网格的事")
    publish(cast, tree, COMMUNITY, "已过期", expires_at=timezone.now() + timedelta(seconds=1))
    Notice.objects.filter(title="已过期").update(expires_at=timezone.now() - timedelta(minutes=1))
    titles = [n.title for n in notices_for(cast["resident"])]
    assert titles == ["A网格清理楼道", "社区义诊", "街道停水通知"]  # pinned first, then newest
    assert list(notices_for(cast["outsider"])) == []


def test_read_counts_for_staff(cast: dict[str, Any], tree: dict[str, Any]) -> None:
    notice = publish(cast, tree, COMMUNITY, "社区义诊")
    notice_mark_read(user=cast["resident"], notice=notice)
    notice_mark_read(user=cast["resident"], notice=notice)  # idempotent
    row = notices_published(cast["dispatcher"]).get(pk=notice.pk)
    assert row.read_count == 1
    assert notices_for(cast["resident"]).get(pk=notice.pk).is_read


def test_publishing_is_limited_to_ones_own_subtree(
    cast: dict[str, Any], tree: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        notice_publish(actor=cast["worker_a"], node=tree[GRID_B], title="越权", body="x")
    with pytest.raises(PermissionDenied):
        notice_publish(actor=cast["resident"], node=tree[GRID_A], title="居民不能发", body="x")
    notice_publish(actor=cast["worker_a"], node=tree[GRID_A], title="本网格", body="x")
    assert [n.title for n in notices_published(cast["worker_b"])] == []


def test_withdrawn_notices_disappear(cast: dict[str, Any], tree: dict[str, Any]) -> None:
    notice = publish(cast, tree, COMMUNITY, "发错了")
    notice_withdraw(actor=cast["dispatcher"], notice=notice)
    assert list(notices_for(cast["resident"])) == []


def test_publish_page_keeps_input_on_error_and_lists_reads(
    cast: dict[str, Any], tree: dict[str, Any]
) -> None:
    c = Client()
    c.force_login(cast["dispatcher"])
    resp = c.post(
        "/notices/new/", {"node": COMMUNITY, "kind": "policy", "title": "供暖通知", "body": ""}
    )
    assert resp.status_code == 200 and "供暖通知" in resp.content.decode()
    resp = c.post(
        "/notices/new/",
        {"node": COMMUNITY, "kind": "policy", "title": "供暖通知", "body": "11月15日起供暖"},
    )
    assert resp.status_code == 302
    assert "供暖通知" in c.get("/notices/").content.decode()
    resident = Client()
    resident.force_login(cast["resident"])
    assert resident.get("/notices/").status_code == 403


def offered_nodes(user: Any) -> list[tuple[str, str]]:
    """The 发布范围 options of /notices/new/ as the person sees them: (code, name)."""
    c = Client()
    c.force_login(user)
    page = c.get("/notices/new/").content.decode()
    [select] = re.findall(r'<select name="node".*?</select>', page, re.S)
    return [
        (code, label.strip("\u3000 "))
        for code, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)
    ]


def test_the_publish_page_offers_only_the_nodes_in_scope_and_no_micro_grids(
    cast: dict[str, Any], tree: dict[str, Any]
) -> None:
    # Grid A's worker: their own grid only; not grid B, not 碧沙岗商圈 (it hangs under the
    # community, outside grid A), not the micro-grids A1/A2 inside grid A.
    assert offered_nodes(cast["worker_a"]) == [(GRID_A, "碧沙岗第1网格")]
    # The street's dispatcher: the street and everything under it down to the grids, in tree
    # order, but no micro-grid and not the district above.
    assert offered_nodes(cast["dispatcher"]) == [
        (STREET, "林山寨街道"),
        (COMMUNITY, "碧沙岗社区"),
        (GRID_A, "碧沙岗第1网格"),
        (GRID_B, "碧沙岗第2网格"),
        (EXCLUSIVE, "碧沙岗商圈"),
    ]
