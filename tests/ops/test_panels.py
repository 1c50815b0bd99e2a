"""The dashboard's panels: departments summoned by the whistle (hand-counted), the six elements,
and points and wish activity; the department export; scope."""

import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.cases.test_kpis import TZ, d
from tests.conftest import COMMUNITY, GRID_A, MICRO_A2, OTHER_COMMUNITY, STREET
from tests.residents.conftest import register  # noqa: F401  (the register fixture)
from tests.residents.test_wishes import jpeg
from wangge.accounts.models import Role
from wangge.cases.models import Assistance, Case, Department
from wangge.core.images import clean_images
from wangge.grids.models import GridNode
from wangge.ops import panels
from wangge.points.models import Account, Merchant
from wangge.points.services import (
    points_award,
    points_budget,
    points_capture,
    points_hold,
    system_account,
    wallet_for,
)
from wangge.residents.services import wish_claim, wish_fulfil, wish_publish, wish_raise

NOW = d(11, 26)
MONTH = (datetime(2026, 11, 1, tzinfo=TZ), datetime(2026, 12, 1, tzinfo=TZ))


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def whistles(cast: dict[str, Any], fixture_cases: None) -> dict[str, Any]:
    """Two whistled cases. 城管 leads both: reported in on time both times (within 2 working
    hours), reported back after 48 h and 30 h, both before the deadlines. 住建 assists on the
    first: reported in the next morning (late) and has not reported back; the case's deadline,
    11-20, has passed: overdue."""
    urban = Department.objects.create(code="CG", name="区城管局")
    housing = Department.objects.create(code="ZJ", name="区住建局")
    first = Case.objects.get(due_at=d(11, 20), community__code=COMMUNITY)
    second = Case.objects.filter(community__code=OTHER_COMMUNITY).exclude(status="voided").first()
    assert second is not None
    Case.objects.filter(pk=second.pk).update(due_at=d(11, 30))

    def summon(case: Case, dept: Department, role: str, **times: datetime) -> None:
        a = Assistance.objects.create(case=case, department=dept, role=role)
        Assistance.objects.filter(pk=a.pk).update(**times)

    summon(
        first,
        urban,
        "lead",
        summoned_at=at(11, 10, 10),
        signed_at=at(11, 10, 11),
        reported_at=at(11, 12, 10),
        state="reported",
    )
    summon(
        first,
        housing,
        "assist",
        summoned_at=at(11, 10, 10),
        signed_at=at(11, 11, 9, 30),
        state="signed",
    )
    summon(
        second,
        urban,
        "lead",
        summoned_at=at(11, 16, 10),
        signed_at=at(11, 16, 10, 30),
        reported_at=at(11, 17, 16),
        state="reported",
    )
    # Last month's whistle is not this month's performance.
    summon(second, housing, "assist", summoned_at=at(10, 30, 10))
    return {"urban": urban, "housing": housing}


def test_department_performance_by_hand(cast: dict[str, Any], whistles: Any) -> None:
    street = GridNode.objects.get(code=STREET)
    rows = panels.department_performance(
        user=cast["dispatcher"], node=street, start=MONTH[0], end=MONTH[1], now=NOW
    )
    assert rows == [
        {
            "code": "CG",
            "name": "区城管局",
            "whistled": 2,
            "lead": 2,
            "signed_on_time": 2,
            "reported_on_time": 2,
            "reported": 2,
            "avg_report_hours": 39.0,  # (48 + 30) / 2
            "overdue": 0,
        },
        {
            "code": "ZJ",
            "name": "区住建局",
            "whistled": 1,
            "lead": 0,
            "signed_on_time": 0,
            "reported_on_time": 0,
            "reported": 0,
            "avg_report_hours": None,
            "overdue": 1,
        },
    ]
    # A grid worker's scope holds none of these community-level cases.
    assert (
        panels.department_performance(
            user=cast["worker_a"], node=street, start=MONTH[0], end=MONTH[1], now=NOW
        )
        == []
    )


def test_department_export_and_panel(
    cast: dict[str, Any], whistles: Any, time_machine: Any
) -> None:
    time_machine.move_to(NOW)
    c = Client()
    c.force_login(cast["dispatcher"])
    resp = c.get(f"/ops/export/departments.xlsx?code={STREET}&start=2026-11-01&end=2026-12-01")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "林山寨街道 吹哨报到部门履职（2026-11-01 至 2026-11-30）"
    assert rows[1][:3] == ["部门", "吹哨次数", "其中主办"]
    assert rows[2] == ["区城管局", 2, 2, 2, 2, 2, 39, 0]
    assert rows[3] == ["区住建局", 1, 0, 0, 0, 0, None, 1]
    page = c.get(f"/ops/unit/{STREET}/").content.decode()
    row = page.split('<tr data-code="ZJ">')[1].split("</tr>")[0]
    assert row == (
        '<td>区住建局</td><td>1</td><td>0</td><td>0</td><td>—</td><td class="over">1</td>'
    )
    # Outside the caller's scope the unit does not exist.
    worker = Client()
    worker.force_login(cast["worker_a"])
    assert worker.get(f"/ops/export/departments.xlsx?code={STREET}").status_code == 404
    assert worker.get("/ops/export/departments.xlsx").status_code == 403


def test_six_elements_and_activity(
    people: dict[str, Any],
    register: dict[str, Any],  # noqa: F811  (the fixture)
    make_user: Any,
    tree: Any,
    time_machine: Any,
) -> None:
    time_machine.move_to(NOW)
    street = GridNode.objects.get(code=STREET)
    worker = people["worker_a"]
    # This week (from Monday 11-23): two wishes raised, one claimed and fulfilled.
    member = make_user(Role.PARTY_MEMBER, tree[MICRO_A2], name="党员老韩")
    radio = wish_raise(actor=worker, person=register["elder"], title="收音机", detail="")
    wish_raise(actor=worker, person=register["elder"], title="老花镜", detail="")
    wish_publish(actor=worker, wish=radio)
    wish_claim(actor=member, wish=radio)
    wish_fulfil(actor=member, wish=radio, note="送到", photos=clean_images([jpeg()]))
    # 活力值: 30 to the member and 20 to the resident; the resident spends 15 at the mall.
    issuer = Account.objects.create(kind=Account.Kind.ISSUER, name="街道志愿服务")
    points_budget(issuer=issuer, amount=1000, key="b1")
    points_award(issuer=issuer, wallet=wallet_for(member), amount=30, key="a1", reason="心愿")
    resident_wallet = wallet_for(people["resident"])
    points_award(issuer=issuer, wallet=resident_wallet, amount=20, key="a2", reason="志愿")
    hold = points_hold(wallet=resident_wallet, amount=15, key="h1", reason="兑换")
    points_capture(
        hold=hold, to=system_account(Account.Kind.MALL, "积分商城"), key="c1", reason="兑换"
    )
    dispatcher = people["dispatcher"]
    w0, w1 = panels.week_range(NOW)
    assert panels.points_activity(user=dispatcher, node=street, start=w0, end=w1) == {
        "issued": 50,
        "spent": 15,
        "people": 2,
    }
    # Last week holds none of it.
    assert panels.points_activity(
        user=dispatcher, node=street, start=w0 - timedelta(days=7), end=w0
    ) == {"issued": 0, "spent": 0, "people": 0}
    assert panels.wish_activity(user=dispatcher, node=street, start=w0, end=w1) == {
        "raised": 2,
        "claimed": 1,
        "fulfilled": 1,
    }
    from wangge.ledgers.models import Organisation

    micro = tree[MICRO_A2]
    Organisation.objects.create(
        kind="property", name="碧沙岗物业", node=micro, grid_path=micro.path
    )
    Organisation.objects.create(
        kind="property", name="已退出的物业", node=micro, grid_path=micro.path, is_active=False
    )
    # The mall's alliance merchant counts from the points app, once though typed in as well.
    Merchant.objects.create(name="老张理发", address="建设路 86 号", node=tree[GRID_A])
    Organisation.objects.create(kind="merchant", name="老张理发", node=micro, grid_path=micro.path)
    elements = {
        e["key"]: e
        for e in panels.six_element_totals(
            user=dispatcher, node=street, open_cases=7, overdue=3, open_needs=4
        )
    }
    assert elements["people"]["value"] == 2  # 张桂芳 and 刘德胜
    assert elements["people"]["detail"] == "特殊人群 1 人"
    assert elements["situation"]["value"] == 4
    assert elements["situation"]["detail"] == "未清零纠纷 0 件，待实现心愿 1 个"
    assert elements["place"]["value"] == 2  # two households
    assert elements["event"]["value"] == 7 and elements["event"]["detail"] == "超期 3 件"
    # The property company still on the register and the merchant.
    assert elements["organisation"]["value"] == 2
    assert elements["organisation"]["detail"] == "物业公司 1，商户 1"
    c = Client()
    c.force_login(dispatcher)
    page = c.get(f"/ops/unit/{STREET}/").content.decode()
    issued = page.split('data-key="points-issued"><span class="n">')[1].split("<")[0]
    fulfilled = page.split('data-key="wishes-fulfilled"><span class="n">')[1].split("<")[0]
    assert (issued, fulfilled) == ("50", "1")
    # A grid worker of grid B counts only what lies in grid B: no wishes, no persons of A.
    other = panels.wish_activity(user=people["worker_b"], node=street, start=w0, end=w1)
    assert other == {"raised": 0, "claimed": 0, "fulfilled": 0}


def test_volunteer_activity(
    people: dict[str, Any], make_user: Any, tree: Any, time_machine: Any
) -> None:
    from wangge.volunteering.models import SignUp, Task, TaskEvent

    time_machine.move_to(NOW)
    street = GridNode.objects.get(code=STREET)
    organiser = people["community"]

    def task(title: str, published: datetime) -> Task:
        t = Task.objects.create(
            publisher_kind=Task.PublisherKind.SOCIAL_ORG,
            publisher_name="志愿者协会",
            organiser=organiser,
            grid=tree[MICRO_A2],
            grid_path=tree[MICRO_A2].path,
            title=title,
            category="environment",
            place="公园",
            lon=113.603,
            lat=34.752,
            starts_at=published + timedelta(days=1),
            ends_at=published + timedelta(days=1, hours=2),
            slots=10,
            status=Task.Status.PUBLISHED,
            qr_secret="s",
        )
        ev = TaskEvent.objects.create(task=t, action="发布", to_status="published")
        TaskEvent.objects.filter(pk=ev.pk).update(created_at=published)
        return t

    this_week, last_week = task("环境整治", d(11, 23)), task("助老", d(11, 18))
    a, b, c = (make_user(Role.RESIDENT, tree[MICRO_A2], name=n) for n in ("甲", "乙", "丙"))
    SignUp.objects.create(
        task=this_week, user=a, hours_status="confirmed", hours=2, served_at=d(11, 24)
    )
    SignUp.objects.create(
        task=this_week, user=b, hours_status="adjusted", hours="1.5", served_at=d(11, 24)
    )
    SignUp.objects.create(task=this_week, user=c, status="cancelled")
    # Signed up last week, served and certified this week: hours count, the sign-up does not.
    old = SignUp.objects.create(
        task=last_week, user=c, hours_status="confirmed", hours=3, served_at=d(11, 23)
    )
    SignUp.objects.filter(pk=old.pk).update(created_at=d(11, 18))
    w0, w1 = panels.week_range(NOW)
    assert panels.volunteer_activity(user=people["dispatcher"], node=street, start=w0, end=w1) == {
        "published": 1,
        "signups": 2,
        "hours": 6.5,
    }
    c_ = Client()
    c_.force_login(people["dispatcher"])
    page = c_.get(f"/ops/unit/{STREET}/").content.decode()
    assert 'data-key="hours"><span class="n">6.5</span>' in page
