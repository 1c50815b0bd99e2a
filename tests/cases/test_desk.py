"""The dispatcher's desk (/cases/desk/): a table of the street's cases with filters, search,
sorting and pages past 100, and batch actions that run the workflow case by case."""

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import CORNER, IN_A1, IN_B1, crossing_roads
from tests.conftest import COMMUNITY, GRID_A, GRID_B, MICRO_A1, STREET
from wangge.cases.models import Assistance, Card, Case, CaseEvent, Category, Channel, Status
from wangge.cases.services import CaseInput, case_act, case_intake
from wangge.grids.models import GridNode


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def seed(n: int, *, channel: str = Channel.HOTLINE, days_ago: int = 0, **kw: Any) -> list[Case]:
    """`n` pending cases in micro-grid A1, one minute apart (the first is the oldest)."""
    a1 = GridNode.objects.get(code=MICRO_A1)
    community = a1.parent.parent  # type: ignore[union-attr]
    street = community.parent  # type: ignore[union-attr]
    start = Case.objects.count()
    rows = Case.objects.bulk_create(
        Case(
            number=f"20260301{start + i:06d}",
            title=f"热线工单{start + i:03d}",
            description=f"热线工单{start + i:03d}：小区门口路灯不亮",
            channel=channel,
            status=Status.PENDING,
            micro_grid=a1,
            community=community,
            street=street,
            grid_path=a1.path,
            lon=IN_A1[0],
            lat=IN_A1[1],
            **kw,
        )
        for i in range(n)
    )
    base = timezone.now() - timedelta(days=days_ago, hours=n)
    for i, case in enumerate(rows):
        Case.objects.filter(pk=case.pk).update(created_at=base + timedelta(minutes=i))
    return rows


def numbers_on(page: str) -> list[str]:
    return re.findall(r'<td class="col-number"><a href="[^"]+">(\d+)</a>', page)


def test_pages_past_100_with_a_total_and_the_filters_kept(people: dict[str, Any]) -> None:
    seed(130)
    seed(5, channel=Channel.RESIDENT)
    c = client_for(people["dispatcher"])

    first = c.get("/cases/desk/", {"channel": "hotline"}).content.decode()
    assert "共 135 件" not in first and "共 130 件" in first
    assert "第 1 / 3 页" in first
    assert len(numbers_on(first)) == 50
    # The next page's link keeps the filter.
    nxt = re.search(r'<a class="btn small" rel="next" href="\?([^"]+)"', first)
    assert nxt is not None
    assert "channel=hotline" in nxt.group(1) and "page=2" in nxt.group(1)

    seen: list[str] = []
    for number in (1, 2, 3):
        page = c.get("/cases/desk/", {"channel": "hotline", "page": number}).content.decode()
        seen += numbers_on(page)
    assert len(seen) == 130 and len(set(seen)) == 130
    last = c.get("/cases/desk/", {"channel": "hotline", "page": 3}).content.decode()
    assert len(numbers_on(last)) == 30 and "第 3 / 3 页" in last

    hundred = c.get("/cases/desk/", {"channel": "hotline", "per": 100, "page": 2}).content.decode()
    assert len(numbers_on(hundred)) == 30


def test_the_default_list_is_the_dispatch_queue_oldest_first(people: dict[str, Any]) -> None:
    rows = seed(3)
    Case.objects.filter(pk=rows[1].pk).update(status=Status.DISPATCHED)
    page = client_for(people["dispatcher"]).get("/cases/desk/").content.decode()
    assert numbers_on(page) == [rows[0].number, rows[2].number]
    everything = client_for(people["dispatcher"]).get("/cases/desk/", {"status": "all"})
    assert numbers_on(everything.content.decode()) == [r.number for r in rows]


def test_sorting_by_a_column_and_back(people: dict[str, Any]) -> None:
    rows = seed(4)
    due = timezone.now() + timedelta(days=3)
    for i, case in enumerate(rows):
        Case.objects.filter(pk=case.pk).update(due_at=due - timedelta(hours=i))
    c = client_for(people["dispatcher"])
    by_due = numbers_on(c.get("/cases/desk/", {"sort": "due"}).content.decode())
    assert by_due == [r.number for r in reversed(rows)]
    newest = c.get("/cases/desk/", {"sort": "-number"}).content.decode()
    assert numbers_on(newest) == [r.number for r in reversed(rows)]
    # The heading of the sorted column links to the opposite order.
    assert 'aria-sort="descending"' in newest and "sort=number" in newest


def test_filters_narrow_the_list(people: dict[str, Any], catalogue: dict[str, Category]) -> None:
    vendor = seed(2, category=catalogue["street_vendor"])
    heat = seed(1, category=catalogue["heating"], channel=Channel.RESIDENT)
    old = seed(1, days_ago=10)
    red = seed(1, card=Card.RED)
    b1 = GridNode.objects.get(code=f"{GRID_B}001")
    Case.objects.filter(pk=heat[0].pk).update(micro_grid=b1, grid_path=b1.path)
    c = client_for(people["dispatcher"])

    def shown(**params: Any) -> set[str]:
        return set(numbers_on(c.get("/cases/desk/", params).content.decode()))

    assert shown(category="CSGL-01") == {v.number for v in vendor}
    assert shown(category="CSGL") == {v.number for v in vendor}  # the parent covers its items
    assert shown(channel="resident") == {heat[0].number}
    assert shown(grid=GRID_B) == {heat[0].number}
    assert shown(overdue="1") == {red[0].number}
    today = timezone.localdate()
    recent = shown(created_from=(today - timedelta(days=3)).isoformat())
    assert old[0].number not in recent and vendor[0].number in recent
    assert shown(created_to=(today - timedelta(days=5)).isoformat()) == {old[0].number}
    assert shown(q=heat[0].title) == {heat[0].number}


def test_a_bad_date_is_said_at_the_field_and_nothing_else_is_listed(
    people: dict[str, Any],
) -> None:
    # As the API and the export refuse it (cases.listing): a list filtered by everything but
    # the date would look like the answer to the question asked.
    seed(2)
    page = client_for(people["dispatcher"]).get(
        "/cases/desk/", {"created_from": "2026-13-40", "q": "热线工单001"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="desk-field has-error"' in html and 'value="热线工单001"' in html
    assert "日期格式应为" in html
    assert numbers_on(html) == []


def test_search_box_finds_a_reporters_phone(people: dict[str, Any], report: Any) -> None:
    case = report(reporter_phone="13812345678", actor=people["dispatcher"], channel="hotline")
    page = client_for(people["dispatcher"]).get(
        "/cases/desk/", {"status": "all", "q": "138-1234-5678"}
    )
    assert numbers_on(page.content.decode()) == [case.number]


def test_search_box_finds_the_end_of_a_phone_or_of_a_case_number(
    people: dict[str, Any], report: Any
) -> None:
    """As numbers are read out on the phone: "尾号 5678", "单号后四位 0042"."""
    seed(3)
    case = report(reporter_phone="13812345678", actor=people["dispatcher"], channel="hotline")
    c = client_for(people["dispatcher"])
    page = c.get("/cases/desk/", {"status": "all", "q": "5678"}).content.decode()
    assert numbers_on(page) == [case.number]
    page = c.get("/cases/desk/", {"status": "all", "q": case.number[-5:]}).content.decode()
    assert numbers_on(page) == [case.number]


def test_a_row_prints_its_choices_labels(people: dict[str, Any]) -> None:
    (case,) = seed(1, card=Card.RED)
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now())
    case.refresh_from_db()
    page = client_for(people["dispatcher"]).get("/cases/desk/").content.decode()
    row = re.search(rf'<tr data-case="{case.pk}".*?</tr>', page, re.S)
    assert row is not None
    assert f'<td class="col-channel">{case.get_channel_display()}</td>' in row.group(0)
    assert f'<td class="col-tier">{case.get_tier_display()}</td>' in row.group(0)
    assert f'<span class="card-label">{case.get_card_display()}</span>' in row.group(0)
    assert f'<td class="col-status">{case.get_status_display()}</td>' in row.group(0)
    assert "12345热线" in row.group(0) and "待受理" in row.group(0)


def test_the_map_gets_the_filtered_cases_as_points_not_polygons(people: dict[str, Any]) -> None:
    seed(3)
    page = client_for(people["dispatcher"]).get("/cases/desk/").content.decode()
    data = re.search(r'<script id="desk-points" type="application/json">(.*?)</script>', page)
    assert data is not None
    assert data.group(1).count('"lon"') == 3 and "coordinates" not in data.group(1)


def test_a_point_read_from_the_words_is_marked_on_the_map_and_in_its_row(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    crossing_roads()
    inferred = report(f"市民反映{CORNER}井盖缺失，请尽快处理", at=None)
    given = report(at=IN_B1)
    desk = client_for(people["dispatcher"]).get("/cases/desk/", {"status": "all"})
    page = desk.content.decode()
    data = re.search(r'<script id="desk-points" type="application/json">(.*?)</script>', page)
    assert data is not None
    points = {p["id"]: p for p in json.loads(data.group(1))}
    assert points[inferred.pk]["p"] == CORNER and points[given.pk]["p"] == ""
    # desk.js draws a "p" point as a dashed ring with these words in its popup.
    assert 'data-inferred="由“%(phrase)s”推定"' in page
    assert 'id="desk-map-key"' in page
    row = re.search(rf'<tr data-case="{inferred.pk}".*?</tr>', page, re.S)
    assert row and f'<div class="hint place-inferred">由“{CORNER}”推定</div>' in row.group(0)
    other = re.search(rf'<tr data-case="{given.pk}".*?</tr>', page, re.S)
    assert other and "place-inferred" not in other.group(0)


@pytest.mark.parametrize("who", ["worker_a", "resident", "community"])
def test_only_the_street_desk_opens_it(people: dict[str, Any], who: str) -> None:
    c = client_for(people[who])
    assert c.get("/cases/desk/").status_code == 403
    assert c.post("/cases/desk/batch/", {"ids": [1], "action": "urge"}).status_code == 403


@pytest.mark.parametrize(
    ("who", "listed", "left_out"),
    [
        ("dispatcher", [STREET, COMMUNITY, GRID_A], []),
        ("admin", [STREET, COMMUNITY], [GRID_A, GRID_B]),
    ],
)
def test_the_desks_units_go_as_fine_as_its_level(
    people: dict[str, Any], who: str, listed: list[str], left_out: list[str]
) -> None:
    # A street's desk lists every unit down to its grids; a district's its streets and
    # communities: a city's grids are tens of thousands, and a list cut at 500 in tree order
    # held only its first streets'.
    page = client_for(people[who]).get("/cases/desk/").content.decode()
    for select in ("id_grid", "id_node"):
        options = re.search(rf'<select name="\w+" id="{select}">(.*?)</select>', page, re.S)
        assert options is not None, select
        values = re.findall(r'<option value="(\d+)"', options.group(1))
        assert all(code in values for code in listed), (select, values)
        assert not any(code in values for code in left_out), (select, values)


def pending_case(people: dict[str, Any], text: str, at: tuple[float, float] = IN_A1) -> Case:
    case, _created = case_intake(
        data=CaseInput(
            description=text, category_code="CSGL-01", lon=at[0], lat=at[1], channel="hotline"
        ),
        actor=people["dispatcher"],
        auto_dispatch=False,
    )
    return case


def test_batch_dispatch_does_each_case_and_says_why_one_was_refused(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    waiting = [pending_case(people, f"第{i}处路灯不亮，晚上很黑") for i in range(3)]
    dispatched = report()  # already with grid A: the workflow does not dispatch it again
    assert dispatched.status == Status.DISPATCHED
    c = client_for(people["dispatcher"])
    ids = [w.pk for w in waiting] + [dispatched.pk]
    resp = c.post(
        "/cases/desk/batch/",
        {"ids": ids, "action": "dispatch", "node": GRID_B, "back": "channel=hotline"},
    )
    assert resp.status_code == 302 and resp["Location"] == "/cases/desk/?channel=hotline"

    for w in waiting:
        w.refresh_from_db()
        assert w.status == Status.DISPATCHED and w.handling_node.code == GRID_B  # type: ignore[union-attr]
        assert w.assignee == people["worker_b"]
        assert CaseEvent.objects.filter(case=w, action="dispatch").count() == 1
    dispatched.refresh_from_db()
    assert dispatched.handling_node.code == GRID_A  # type: ignore[union-attr]

    page = c.get(resp["Location"]).content.decode()
    assert "派单到网格：完成 3 件，未完成 1 件" in page
    results = page[page.index('id="desk-results"') : page.index("</section>")]
    assert results.count('class="result-ok"') == 3
    failed = re.search(r'<tr class="result-failed" data-case="(\d+)">(.*?)</tr>', results, re.S)
    assert failed is not None and int(failed.group(1)) == dispatched.pk
    assert "当前状态下不能执行“派单”" in failed.group(2)
    # The results are shown once, not on every later visit.
    assert 'id="desk-results"' not in c.get("/cases/desk/").content.decode()


def test_batch_accept_dispatches_by_the_recommendation_and_leaves_unplaced_ones(
    people: dict[str, Any],
) -> None:
    placed = pending_case(people, "小区门口有人摆摊占道")
    nowhere, _ = case_intake(
        data=CaseInput(description="有人占道经营", category_code="CSGL-01", channel="hotline"),
        actor=people["dispatcher"],
        auto_dispatch=False,
    )
    # Waiting at the street's triage desk: somewhere in the street, no micro-grid known.
    street = GridNode.objects.get(code=STREET)
    Case.objects.filter(pk=nowhere.pk).update(grid_path=street.path, street=street)
    c = client_for(people["dispatcher"])
    c.post("/cases/desk/batch/", {"ids": [placed.pk, nowhere.pk], "action": "accept"})
    placed.refresh_from_db()
    nowhere.refresh_from_db()
    assert placed.status == Status.DISPATCHED and placed.handling_node.code == GRID_A  # type: ignore[union-attr]
    assert nowhere.status == Status.PENDING and not nowhere.events.filter(action="accept").exists()
    page = c.get("/cases/desk/").content.decode()
    assert "位置未确定，请人工派单" in page


def test_batch_to_a_department_whistles_it_as_lead(people: dict[str, Any]) -> None:
    cases = [
        pending_case(people, "占道经营严重，需要执法"),
        pending_case(people, "又有占道经营", IN_B1),
    ]
    c = client_for(people["dispatcher"])
    c.post(
        "/cases/desk/batch/",
        {
            "ids": [x.pk for x in cases],
            "action": "department",
            "department": "CGJ",
            "note": "请执法",
        },
    )
    for case in cases:
        case.refresh_from_db()
        assert case.status == Status.SIGNED and case.handling_node.code == STREET  # type: ignore[union-attr]
        lead = Assistance.objects.get(case=case)
        assert lead.department.code == "CGJ" and lead.role == Assistance.Role.LEAD
        assert [e.action for e in case.events.all()][-3:] == ["dispatch", "sign", "whistle"]
    assert "已吹哨，主办部门：城管局" in c.get("/cases/desk/").content.decode()


def confirmation_of(page: str) -> dict[str, Any]:
    """The fields the confirmation page posts back when the dispatcher says yes."""
    form = re.search(r'<form method="post"[^>]*id="merge-confirm">(.*?)</form>', page, re.S)
    assert form is not None, "no confirmation form"
    data: dict[str, Any] = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form[1]):
        if name == "ids":
            data.setdefault("ids", []).append(value)
        else:
            data[name] = value
    return data


def test_batch_merge_into_the_earliest_and_urge_needs_words(people: dict[str, Any]) -> None:
    same = [pending_case(people, "小区门口有人摆摊占道，堵住出入口") for _ in range(3)]
    c = client_for(people["dispatcher"])
    asked = c.post("/cases/desk/batch/", {"ids": [x.pk for x in reversed(same)], "action": "merge"})
    assert asked.status_code == 200
    assert not Case.objects.filter(status=Status.MERGED).exists()  # nothing before the yes
    c.post("/cases/desk/batch/", confirmation_of(asked.content.decode()))
    for case in same:
        case.refresh_from_db()
    assert same[0].status == Status.PENDING
    assert [s.status for s in same[1:]] == [Status.MERGED, Status.MERGED]
    assert {s.parent_id for s in same[1:]} == {same[0].pk}

    resp = c.post("/cases/desk/batch/", {"ids": [same[0].pk], "action": "urge"}, follow=True)
    assert "请填写催办内容" in resp.content.decode()
    assert not same[0].events.filter(action="urge").exists()


def test_merge_shows_both_cases_side_by_side_and_asks(people: dict[str, Any]) -> None:
    first = pending_case(people, "小区门口有人摆摊占道，堵住出入口")
    again, _created = case_intake(
        data=CaseInput(
            description="小区门口又有人摆摊占道，出入口被堵住",
            category_code="CSGL-01",
            lon=IN_A1[0],
            lat=IN_A1[1],
            channel="hotline",
            reporter_name="王秀兰",
            reporter_phone="13812345678",
        ),
        actor=people["dispatcher"],
        auto_dispatch=False,
    )
    c = client_for(people["dispatcher"])
    page = c.post(
        "/cases/desk/batch/", {"ids": [first.pk, again.pk], "action": "merge", "back": "q=摆摊"}
    ).content.decode()
    again.refresh_from_db()
    assert again.status == Status.PENDING
    pair = re.search(r'<section class="merge-pair card".*?</section>', page, re.S)
    assert pair is not None  # not marked doubtful: same place, same day, same words
    text = re.sub(r"<[^>]+>", " ", pair.group(0))
    # What, where, when and who, the ticked case beside the one it goes into.
    assert f"{again.number} → {first.number}" in text
    assert "小区门口又有人摆摊占道" in text and "小区门口有人摆摊占道" in text
    assert text.count("占道经营") == 2  # the category of each
    assert "受理时间" in text and "地点" in text
    assert "王** 138****5678" in text
    assert "13812345678" not in page and "王秀兰" not in page
    assert "看起来与主事件不是同一件事" not in page
    assert 'href="/cases/desk/?q=' in page  # 不合并 goes back to the same list
    back = confirmation_of(page)
    assert back["parent"] == first.number and back["confirm"] == "on"
    c.post("/cases/desk/batch/", back)
    again.refresh_from_db()
    assert again.status == Status.MERGED and again.parent_id == first.pk


def test_merge_of_unrelated_cases_says_why_they_look_unrelated(
    people: dict[str, Any], catalogue: dict[str, Category]
) -> None:
    lamp = pending_case(people, "小区门口有人摆摊占道，堵住出入口")
    far, _created = case_intake(
        data=CaseInput(
            description="楼道里的灭火器过期了，没有人更换",
            category_code="XF-01",
            lon=IN_B1[0],
            lat=IN_B1[1],
            channel="hotline",
        ),
        actor=people["dispatcher"],
        auto_dispatch=False,
    )
    Case.objects.filter(pk=far.pk).update(created_at=lamp.created_at - timedelta(days=10))
    c = client_for(people["dispatcher"])
    page = c.post(
        "/cases/desk/batch/", {"ids": [lamp.pk, far.pk], "action": "merge"}
    ).content.decode()
    # The earliest is kept: the fire-extinguisher case, ten days older.
    assert f"{lamp.number} → {far.number}" in page
    assert "其中 1 件看起来与主事件不是同一件事" in page
    doubts = re.search(r'<ul class="merge-doubts">(.*?)</ul>', page, re.S)
    assert doubts is not None
    said = re.findall(r"<li>(.*?)</li>", doubts.group(1))
    assert said[0].startswith("分类不同（")
    assert re.fullmatch(r"地点相距约 [\d,]+ 米", said[1])
    assert said[2] == "受理时间相隔 10 天"
    assert said[3].startswith("描述不相似")
    lamp.refresh_from_db()
    assert lamp.status == Status.PENDING


def test_merge_into_a_number_that_is_not_there_merges_nothing(people: dict[str, Any]) -> None:
    one, two = (pending_case(people, "小区门口路灯不亮") for _ in range(2))
    c = client_for(people["dispatcher"])
    page = c.post(
        "/cases/desk/batch/",
        {"ids": [one.pk, two.pk], "action": "merge", "parent": "20990101999999"},
    ).content.decode()
    assert "要合并到的事件 20990101999999 不存在或无权查看" in page
    assert 'id="merge-confirm"' not in page
    assert not Case.objects.filter(status=Status.MERGED).exists()


def test_batch_refuses_a_case_outside_the_desks_scope(
    people: dict[str, Any], make_user: Any, tree: dict[str, GridNode]
) -> None:
    from wangge.accounts.models import Role

    other_desk = make_user(Role.STREET_DISPATCHER, tree[GRID_B], name="别的街道")
    case = pending_case(people, "小区门口路灯不亮")
    c = client_for(other_desk)
    c.post("/cases/desk/batch/", {"ids": [case.pk], "action": "dispatch", "node": GRID_B})
    case.refresh_from_db()
    assert case.status == Status.PENDING
    assert "事件不存在或无权查看" in c.get("/cases/desk/").content.decode()


def test_urge_on_dispatched_cases(people: dict[str, Any], report: Callable[..., Case]) -> None:
    case = report()
    case_act(case_id=case.pk, actor=people["worker_a"], action="sign")
    c = client_for(people["dispatcher"])
    c.post("/cases/desk/batch/", {"ids": [case.pk], "action": "urge", "note": "请今天处理"})
    assert case.events.filter(action="urge", note="请今天处理").count() == 1


def test_merge_from_a_case_page_shows_both_and_merges_only_after_yes(
    people: dict[str, Any],
) -> None:
    kept = pending_case(people, "小区门口有人摆摊占道，堵住出入口")
    other = pending_case(people, "3号楼楼道灯不亮，晚上看不见台阶", at=IN_B1)
    c = client_for(people["dispatcher"])
    asked = c.post(f"/cases/{other.pk}/act/", {"action": "merge", "parent": kept.number})
    page = asked.content.decode()
    assert asked.status_code == 200
    other.refresh_from_db()
    assert other.status == Status.PENDING  # nothing before the yes
    text = re.sub(r"<[^>]+>", " ", page)
    assert f"{other.number} → {kept.number}" in text
    assert "3号楼楼道灯不亮" in text and "小区门口有人摆摊占道" in text
    assert 'id="merge-warning"' in page  # another place, other words: said so
    assert f'href="/cases/{other.pk}/"' in page  # 不合并 goes back to the case

    answer = confirmation_of(page)
    assert answer["confirm"] == "on" and "ids" not in answer
    done = c.post(f"/cases/{other.pk}/act/", answer)
    assert done.status_code == 302
    other.refresh_from_db()
    assert other.status == Status.MERGED and other.parent_id == kept.pk


def test_a_page_spanning_far_places_finds_each_cases_twin_past_a_thousand_cases_between(
    people: dict[str, Any],
) -> None:
    # Two places 4.6 km apart on one page, each with a twin 100 m from it reported the day
    # before; between them, over a thousand newer cases of another micro-grid, dispatched and
    # so not on the page. The twins must be compared with the cases near each place, not with
    # the newest thousand of the area the page spans.
    community = GridNode.objects.get(code=MICRO_A1).parent.parent  # type: ignore[union-attr]
    b1 = GridNode.objects.get(code=f"{GRID_B}001")
    street = community.parent  # type: ignore[union-attr]
    west, east = IN_A1, (IN_A1[0] + 0.05, IN_A1[1])
    now = timezone.now()

    def case(n: int, at: tuple[float, float], **kw: Any) -> Case:
        return Case(
            number=f"20260302{n:06d}",
            title=f"工单{n}",
            description="小区门口的路灯坏了好几天，晚上一片漆黑",
            channel=Channel.HOTLINE,
            community=community,
            street=street,
            lon=at[0],
            lat=at[1],
            **{"grid_path": community.path, "status": Status.PENDING, **kw},
        )

    rows = [
        case(1, west),
        case(2, east),
        case(3, (west[0] + 0.001, west[1])),
        case(4, (east[0] - 0.001, east[1])),
    ]
    rows += [
        case(
            10 + i,
            ((west[0] + east[0]) / 2, west[1]),
            micro_grid=b1,
            grid_path=b1.path,
            status=Status.DISPATCHED,
        )
        for i in range(1010)
    ]
    Case.objects.bulk_create(rows)
    for n, hours in ((1, 48), (2, 48), (3, 24), (4, 24)):
        Case.objects.filter(number=f"20260302{n:06d}").update(
            created_at=now - timedelta(hours=hours)
        )
    page = client_for(people["dispatcher"]).get("/cases/desk/").content.decode()
    rows_of = {
        n: re.search(rf">{n}</a>.*?</tr>", page, re.S) for n in ("20260302000001", "20260302000002")
    }
    assert rows_of["20260302000001"] and "20260302000003" in rows_of["20260302000001"].group(0)
    assert rows_of["20260302000002"] and "20260302000004" in rows_of["20260302000002"].group(0)
