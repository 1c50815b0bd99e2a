"""Every list in the product pages: for each one, per_page + 3 rows give a first page with the
total and a full page of rows, and a second page, reached through the pager's own link, with
the other three; a filter in the address stays in the pager's links.

`LISTS` below is the inventory of the product's lists (staff pages and the resident pages under
/m/), one row each: where it is, who opens it, how its rows are made, its page size and a filter
it keeps. `test_every_paged_template_is_in_the_table` holds the inventory to the templates that
render a pager, so a new list cannot be left out of it.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
from tests.conftest import COMMUNITY, DISTRICT, GRID_A, MICRO_A1, STREET
from wangge.accounts.models import ResidenceClaim, Role, User
from wangge.assistant.models import MissedQuestion, MissReason
from wangge.cases.models import Assistance, Card, Case, Department, Status
from wangge.circles.models import Circle, Comment, Post, Visibility
from wangge.consent.models import Consent
from wangge.consent.selectors import in_force
from wangge.enterprises.models import Enterprise, EnterpriseRequest, EnterpriseVisit, Policy
from wangge.grids.models import Building, GridNode
from wangge.hotline.models import Delivery as HotlineDelivery
from wangge.kitchen.models import Alert, Delivery, Enrolment, Kitchen, MealPlan
from wangge.ledgers.checklists import checklists_load
from wangge.ledgers.models import (
    ChecklistTemplate,
    Facility,
    FacilityKind,
    Inspection,
    Organisation,
    OrganisationKind,
    Survey,
    Topic,
    TopicComment,
    TopicStatus,
)
from wangge.market.models import Listing
from wangge.moderation.models import ContentCheck, Kind, Scene
from wangge.notices.models import Notice, ServicePlace
from wangge.notifications.models import Notification
from wangge.ops.models import Circular
from wangge.partners.models import Need, PartnerUnit, Project, ProjectShare
from wangge.party.models import OrgKind, PartyMember, PartyOrg, Registration
from wangge.party.models import Post as PartyPost
from wangge.party.services import org_create
from wangge.patrols.models import Patrol, PatrolReport
from wangge.residents.models import (
    Dispute,
    GroupTag,
    Household,
    Person,
    ResidenceKind,
    Visit,
    Wish,
)
from wangge.video.cameras import cameras_import
from wangge.video.models import Camera, VideoAlert, VideoEvent
from wangge.volunteering.models import SignUp, Task

TEMPLATES = Path(__file__).resolve().parents[2] / "wangge"


class World:
    """The test tree and its people, and what the factories need beyond them, made once."""

    def __init__(self, cast: dict[str, User], make_user: Callable[..., User]) -> None:
        self.people = cast
        self.make_user = make_user
        self.node = {n.code: n for n in GridNode.objects.all()}
        self.bh3 = Building.objects.get(code="BH3")
        self._extra: dict[str, Any] = {}

    def user(self, key: str) -> User:
        if key not in self.people:
            self.people[key] = EXTRA_USERS[key](self)
        return self.people[key]

    def forget(self, known: set[str]) -> None:
        """Drop what was made since `known` were all the people there were (after a rollback)."""
        for key in set(self.people) - known:
            del self.people[key]
        self._extra.clear()

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._extra:
            self._extra[key] = make()
        return self._extra[key]


def _auditor(w: World) -> User:
    return w.make_user(Role.AUDITOR, w.node[DISTRICT], name="审计员")


def _security_officer(w: World) -> User:
    # 综治重点人员 opens to staff granted the GB/T 31000 categories' permission, not to a role.
    from django.contrib.auth.models import Permission

    user = w.make_user(Role.COMMUNITY_STAFF, w.node[COMMUNITY], name="综治专干")
    user.user_permissions.add(Permission.objects.get(codename="view_securitytag"))
    return User.objects.get(pk=user.pk)


def _enterprise_owner(w: World) -> User:
    user = w.make_user(Role.RESIDENT, w.node[MICRO_A1], name="企业联系人")
    firm = _enterprise(w, "本企业")
    firm.members.add(user)
    return user


EXTRA_USERS: dict[str, Callable[[World], User]] = {
    "auditor": _auditor,
    "security": _security_officer,
    "enterprise": _enterprise_owner,
}


def mark(tag: str, i: int) -> str:
    """A row's marker: text each row shows once and no other row contains."""
    return f"【{tag}{i:03d}】"


def markers(tag: str, n: int) -> list[str]:
    return [mark(tag, i) for i in range(n)]


# ---------------------------------------------------------------- factories


def _case(w: World, title: str, **kw: Any) -> Case:
    community = w.node[COMMUNITY]
    values: dict[str, Any] = {
        "title": title,
        "description": "楼道堆物",
        "channel": "resident",
        "grid_path": w.node[MICRO_A1].path,
        "micro_grid": w.node[MICRO_A1],
        "community": community,
        "street": w.node[STREET],
    }
    values.update(kw)
    return Case.objects.create(**values)


def cases_mine(w: World, n: int) -> list[str]:
    for m in markers("诉", n):
        _case(w, m, reporter=w.user("resident"))
    return markers("诉", n)


def cases_queue(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("办", n)):
        _case(
            w,
            m,
            status=Status.DISPATCHED,
            handling_node=w.node[GRID_A],
            urgency=1 if i % 2 else 0,
            due_at=timezone.now() + timedelta(days=3),
        )
    return markers("办", n)


def cases_supervision(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("督", n)):
        _case(
            w,
            m,
            status=Status.SIGNED,
            card=Card.RED if i % 2 else Card.YELLOW,
            handling_node=w.node[GRID_A],
            # Two cases due at the same minute: the page order still gives each one page.
            due_at=timezone.now() + timedelta(hours=i // 2),
        )
    return markers("督", n)


def cases_followups(w: World, n: int) -> list[str]:
    for m in markers("访", n):
        _case(w, m, status=Status.VERIFIED, verified_at=timezone.now())
    return markers("访", n)


def cases_department(w: World, n: int) -> list[str]:
    department = Department.objects.get(code="CGJ")
    for m in markers("哨", n):
        case = _case(w, m, status=Status.SIGNED, handling_node=w.node[GRID_A])
        Assistance.objects.create(case=case, department=department, role="assist")
    return markers("哨", n)


def _post(w: World, text: str, **kw: Any) -> Post:
    values: dict[str, Any] = {
        "author": w.user("worker_b"),
        "circle": Circle.RESIDENTS,
        "grid_path": w.node[COMMUNITY].path,
        "text": text,
        "visibility": Visibility.PUBLISHED,
    }
    values.update(kw)
    return Post.objects.create(**values)


def circles_feed(w: World, n: int) -> list[str]:
    for m in markers("圈", n):
        _post(w, m)
    return markers("圈", n)


def circles_held(w: World, n: int) -> list[str]:
    for m in markers("审", n):
        _post(w, m, visibility=Visibility.HELD)
    return markers("审", n)


def circles_hidden(w: World, n: int) -> list[str]:
    for m in markers("隐", n):
        _post(w, m, visibility=Visibility.HIDDEN)
    return markers("隐", n)


def _the_post(w: World) -> Post:
    return w.once("post", lambda: _post(w, "小区里的桂花开了"))  # type: ignore[no-any-return]


def circles_comments(w: World, n: int) -> list[str]:
    post = _the_post(w)
    for m in markers("评", n):
        Comment.objects.create(post=post, author=w.user("worker_b"), text=m)
    return markers("评", n)


def _check(w: World, i: int, **kw: Any) -> ContentCheck:
    values: dict[str, Any] = {
        "kind": Kind.POST,
        "object_id": 10_000 + i,
        "author": w.user("resident"),
        "grid_path": w.node[COMMUNITY].path,
        "scene": Scene.SOCIAL_LOG,
    }
    values.update(kw)
    return ContentCheck.objects.create(**values)


def moderation_review(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("核", n)):
        _check(w, i, text=m, status=ContentCheck.Status.REVIEW)
    return markers("核", n)


def moderation_decided(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("决", n)):
        _check(
            w,
            1_000 + i,
            text="",
            status=ContentCheck.Status.HIDDEN,
            via=ContentCheck.Via.STAFF,
            decided_by=w.user("community"),
            decided_at=timezone.now() - timedelta(minutes=i),
            reason=m,
        )
    return markers("决", n)


def consent_history(w: World, n: int) -> list[str]:
    """A resident's consent records, a day apart: each row shows when it was agreed."""
    documents = in_force()
    assert documents is not None
    start = timezone.now().replace(second=0, microsecond=0)
    shown = []
    for i in range(n):
        consent = Consent.objects.create(
            user=w.user("resident"),
            terms=documents.terms,
            privacy=documents.privacy,
            channel=Consent.Channel.WEB,
            occasion=Consent.Occasion.SIGN_IN,
        )
        when = start - timedelta(days=i)
        Consent.objects.filter(pk=consent.pk).update(agreed_at=when)
        shown.append(dateformat.format(timezone.localtime(when), "Y年n月j日 H:i"))
    return shown


def ops_circulars(w: World, n: int) -> list[str]:
    start = date(2026, 1, 5)
    for i in range(n):
        day = start + timedelta(weeks=i)
        Circular.objects.create(
            node=w.node[STREET],
            kind="weekly",
            period_start=day,
            period_end=day + timedelta(days=7),
            generated_at=timezone.now(),
            figures={
                "kind": "weekly",
                "node": {"name": "林山寨街道"},
                "start": mark("周", i),
                "last_day": "",
                "total": {},
                "overdue_count": 0,
            },
            pdf="x.pdf",
            xlsx="x.xlsx",
        )
    return markers("周", n)


def _checklist() -> ChecklistTemplate:
    checklists_load()
    return ChecklistTemplate.objects.get(code="ebike")


def ledgers_inspections(w: World, n: int) -> list[str]:
    template = w.once("checklist", _checklist)
    a1 = w.node[MICRO_A1]
    for m in markers("查", n):
        Inspection.objects.create(
            template=template,
            inspector=w.user("worker_a"),
            place=m,
            grid_path=a1.path,
            grid_name=a1.name,
            lon=113.6005,
            lat=34.7505,
        )
    return markers("查", n)


def ledgers_facilities(w: World, n: int) -> list[str]:
    a1 = w.node[MICRO_A1]
    for m in markers("设", n):
        Facility.objects.create(
            kind=FacilityKind.values[1], name=m, micro_grid=a1, grid_path=a1.path
        )
    # One of another kind: the filter keeps it off both pages.
    Facility.objects.create(
        kind=FacilityKind.values[0], name="别的设施", micro_grid=a1, grid_path=a1.path
    )
    return markers("设", n)


def ledgers_organisations(w: World, n: int) -> list[str]:
    community = w.node[COMMUNITY]
    for m in markers("组", n):
        Organisation.objects.create(
            kind=OrganisationKind.values[1], name=m, node=community, grid_path=community.path
        )
    Organisation.objects.create(
        kind=OrganisationKind.values[0], name="别的组织", node=community, grid_path=community.path
    )
    return markers("组", n)


def _topic(w: World, title: str, **kw: Any) -> Topic:
    values: dict[str, Any] = {
        "node": w.node[COMMUNITY],
        "grid_path": w.node[COMMUNITY].path,
        "title": title,
        "body": "大家商量",
        "created_by": w.user("community"),
    }
    values.update(kw)
    return Topic.objects.create(**values)


def ledgers_topics(w: World, n: int) -> list[str]:
    for m in markers("议", n):
        _topic(w, m)
    return markers("议", n)


def ledgers_yishi_open(w: World, n: int) -> list[str]:
    return ledgers_topics(w, n)


def ledgers_yishi_decided(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("决", n)):
        _topic(
            w,
            m,
            status=TopicStatus.DECIDED,
            decision="同意",
            decided_at=timezone.now() - timedelta(hours=i),
        )
    return markers("决", n)


def _the_topic(w: World) -> Topic:
    return w.once("topic", lambda: _topic(w, "加装电梯"))  # type: ignore[no-any-return]


def ledgers_topic_comments(w: World, n: int) -> list[str]:
    topic = _the_topic(w)
    for m in markers("意", n):
        TopicComment.objects.create(topic=topic, author=w.user("resident"), body=m)
    return markers("意", n)


def _survey(w: World, title: str, **kw: Any) -> Survey:
    values: dict[str, Any] = {
        "node": w.node[COMMUNITY],
        "grid_path": w.node[COMMUNITY].path,
        "title": title,
        "created_by": w.user("community"),
    }
    values.update(kw)
    return Survey.objects.create(**values)


def ledgers_surveys(w: World, n: int) -> list[str]:
    for m in markers("调", n):
        _survey(w, m)
    return markers("调", n)


def ledgers_diaocha_closed(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("结", n)):
        _survey(w, m, status=Survey.Status.CLOSED, closed_at=timezone.now() - timedelta(hours=i))
    return markers("结", n)


def _household(w: World, room: str) -> Household:
    return Household.objects.create(
        building=w.bh3, room=room, kind=ResidenceKind.HUJI, grid_path=w.bh3.micro_grid.path
    )


def _people(w: World, tag: str, n: int) -> list[Person]:
    home = _household(w, f"{tag}-1")
    return [
        Person.objects.create(
            household=home,
            name=m,
            id_number_encrypted="x",
            id_number_hash=f"{tag}{i}",
            id_number_masked="410102********0000",
            gender="F",
            birth_date=date(1950, 1, 1),
            relation="head" if i == 0 else "other",
            residence=ResidenceKind.HUJI,
            grid_path=home.grid_path,
        )
        for i, m in enumerate(markers(tag, n))
    ]


def ops_not_verified(w: World, n: int) -> list[str]:
    # Registered adults with no account: each is one of those the 微网格长 is to help.
    _people(w, "未", n)
    return markers("未", n)


def _kitchen(w: World) -> Kitchen:
    def make() -> Kitchen:
        community = w.node[COMMUNITY]
        return Kitchen.objects.create(
            name="红色厨房",
            node=community,
            address="百花里",
            lon=113.6008,
            lat=34.7508,
            grid_path=community.path,
        )

    return w.once("kitchen", make)


def kitchen_candidates(w: World, n: int) -> list[str]:
    for p in _people(w, "餐", n):
        GroupTag.objects.create(person=p, group="living_alone", grid_path=p.grid_path)
    return markers("餐", n)


def _partner_units(w: World, tag: str, n: int) -> list[PartnerUnit]:
    community = w.node[COMMUNITY]
    rows = []
    for m in markers(tag, n):
        unit = PartnerUnit(
            name=m,
            kind="school",
            node=community,
            contact_name="联系人",
            created_by=w.user("community"),
            grid_path=community.path,
        )
        unit.contact_phone = "13900001111"
        rows.append(unit)
    return PartnerUnit.objects.bulk_create(rows)


def partners_units(w: World, n: int) -> list[str]:
    _partner_units(w, "共", n)
    return markers("共", n)


def _needs(w: World, tag: str, n: int) -> list[Need]:
    community = w.node[COMMUNITY]
    return Need.objects.bulk_create(
        Need(
            source="staff",
            node=community,
            title=m,
            raised_by=w.user("community"),
            grid_path=community.path,
        )
        for m in markers(tag, n)
    )


def partners_needs(w: World, n: int) -> list[str]:
    _needs(w, "需", n)
    return markers("需", n)


def partners_projects(w: World, n: int) -> list[str]:
    [need] = _needs(w, "项需", 1)
    first, second = _partner_units(w, "出资", 2)
    community = w.node[COMMUNITY]
    for m in markers("项", n):
        project = Project.objects.create(
            need=need,
            title=m,
            node=community,
            total_fen=300,
            funded_fen=300,
            created_by=w.user("community"),
            grid_path=community.path,
        )
        ProjectShare.objects.bulk_create(
            [
                ProjectShare(project=project, unit=first, amount_fen=100),
                ProjectShare(project=project, unit=second, amount_fen=200),
            ]
        )
    return markers("项", n)


def _enrolments(w: World, tag: str, n: int) -> list[Enrolment]:
    kitchen = _kitchen(w)
    rows = []
    for p in _people(w, tag, n):
        e = Enrolment(
            person=p,
            kitchen=kitchen,
            contact_name="联系人",
            payment="free",
            resident_pays=0,
            subsidy=12,
            starts_on=date(2026, 1, 1),
            enrolled_by=w.user("community"),
            grid_path=p.grid_path,
        )
        e.contact_phone = "13900001111"
        rows.append(e)
    return Enrolment.objects.bulk_create(rows)


def kitchen_enrolled(w: World, n: int) -> list[str]:
    _enrolments(w, "助", n)
    return markers("助", n)


def kitchen_alerts(w: World, n: int) -> list[str]:
    enrolled = _enrolments(w, "警", n)
    start = timezone.now() - timedelta(hours=3)
    plan = MealPlan.objects.create(
        kitchen=_kitchen(w),
        grid=w.node[GRID_A],
        day=timezone.localdate(),
        meal="lunch",
        window_start=start,
        window_end=start + timedelta(hours=1),
        created_by=w.user("community"),
        grid_path=w.node[GRID_A].path,
    )
    for i, e in enumerate(enrolled):
        d = Delivery.objects.create(plan=plan, enrolment=e, grid_path=e.grid_path)
        Alert.objects.create(
            delivery=d,
            person=e.person,
            reason="pending",
            raised_at=start + timedelta(minutes=i),
            visit_due=start + timedelta(hours=12),
            grid_path=e.grid_path,
        )
    return markers("警", n)


def ops_circle_gaps(w: World, n: int) -> list[str]:
    # Buildings with a household each and no 党群服务 place anywhere: every one a gap.
    micro = w.node[MICRO_A1]
    for i, m in enumerate(markers("圈", n)):
        b = Building.objects.create(
            code=f"Q{i}", address=m, lon=113.6008, lat=34.7508, micro_grid=micro
        )
        Household.objects.create(
            building=b, room="101", kind=ResidenceKind.HUJI, grid_path=micro.path
        )
    return markers("圈", n)


def residents_list(w: World, n: int) -> list[str]:
    _people(w, "人", n)
    return markers("人", n)


def residents_security(w: World, n: int) -> list[str]:
    from wangge.residents.models import SecurityTag

    for p in _people(w, "综", n):
        SecurityTag.objects.create(person=p, category="released", grid_path=p.grid_path)
    return markers("综", n)


def residents_overdue(w: World, n: int) -> list[str]:
    from wangge.residents.models import GroupTag, SpecialGroup

    for p in _people(w, "逾", n):
        GroupTag.objects.create(
            person=p, group=SpecialGroup.LIVING_ALONE, grid_path=p.grid_path, visit_every_days=30
        )
    return markers("逾", n)


def _the_person(w: World) -> Person:
    return w.once("person", lambda: _people(w, "主", 1)[0])  # type: ignore[no-any-return]


def residents_person_visits(w: World, n: int) -> list[str]:
    person = _the_person(w)
    for i, m in enumerate(markers("走", n)):
        Visit.objects.create(
            person=person,
            visitor=w.user("worker_a"),
            visited_at=timezone.now() - timedelta(days=i),
            findings=m,
            grid_path=person.grid_path,
        )
    return markers("走", n)


def residents_person_wishes(w: World, n: int) -> list[str]:
    person = _the_person(w)
    for m in markers("愿", n):
        Wish.objects.create(
            person=person, title=m, raised_by=w.user("worker_a"), grid_path=person.grid_path
        )
    return markers("愿", n)


def residents_wishes(w: World, n: int) -> list[str]:
    person = _people(w, "心", 1)[0]
    for m in markers("望", n):
        Wish.objects.create(
            person=person,
            title=m,
            raised_by=w.user("worker_a"),
            grid_path=person.grid_path,
            status="published",
        )
    return markers("望", n)


def residents_disputes(w: World, n: int) -> list[str]:
    for m in markers("纠", n):
        Dispute.objects.create(
            building=w.bh3,
            kind="neighbour",
            risk="low",
            summary="楼上漏水",
            next_step=m,
            next_step_on=date(2026, 3, 1),
            parties="甲乙两户",
            registered_by=w.user("worker_a"),
            grid_path=w.bh3.micro_grid.path,
        )
    return markers("纠", n)


def _task(w: World, title: str, **kw: Any) -> Task:
    start = timezone.now() + timedelta(days=2)
    values: dict[str, Any] = {
        "kind": Task.Kind.TASK,
        "publisher_kind": Task.PublisherKind.SOCIAL_ORG,
        "publisher_name": "志愿者协会",
        "organiser": w.user("community"),
        "grid": w.node[MICRO_A1],
        "grid_path": w.node[MICRO_A1].path,
        "title": title,
        "category": "environment",
        "place": "碧沙岗公园北门",
        "lon": 113.6005,
        "lat": 34.7505,
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "slots": 10,
        "status": Task.Status.PUBLISHED,
        "qr_secret": "test-secret",
    }
    values.update(kw)
    return Task.objects.create(**values)


def volunteering_browse(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("志", n)):
        _task(w, m, lon=113.6005 + i * 0.0001)
    _task(w, "一场活动", kind=Task.Kind.ACTIVITY)
    return markers("志", n)


def volunteering_mine(w: World, n: int) -> list[str]:
    for m in markers("报", n):
        SignUp.objects.create(task=_task(w, m), user=w.user("resident"))
    return markers("报", n)


def volunteering_managed(w: World, n: int) -> list[str]:
    for m in markers("组织", n):
        _task(w, m)
    return markers("组织", n)


def volunteering_to_approve(w: World, n: int) -> list[str]:
    for m in markers("批", n):
        _task(
            w,
            m,
            status=Task.Status.PENDING,
            organiser=w.user("resident"),
            publisher_kind=Task.PublisherKind.INDIVIDUAL,
        )
    return markers("批", n)


def _the_task(w: World) -> Task:
    return w.once("task", lambda: _task(w, "碧沙岗公园周边环境整治"))  # type: ignore[no-any-return]


def volunteering_roster(w: World, n: int) -> list[str]:
    task = _the_task(w)
    for i in range(n):
        SignUp.objects.create(task=task, user=w.make_user(name=mark("名单", i)))
    return markers("名单", n)


def volunteering_events(w: World, n: int) -> list[str]:
    from wangge.volunteering.models import TaskEvent

    task = _the_task(w)
    for m in markers("记", n):
        TaskEvent.objects.create(task=task, actor=w.user("community"), action="edit", note=m)
    return markers("记", n)


def market_browse(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("闲", n)):
        Listing.objects.create(
            owner=w.user("worker_b"),
            kind="offer",
            title=m,
            grid_path=w.node[MICRO_A1].path,
            lon=113.6005 + i * 0.0001,
            lat=34.7505,
        )
    Listing.objects.create(owner=w.user("worker_b"), kind="wanted", title="求购一辆童车")
    return markers("闲", n)


def _issuer(w: World) -> Any:
    from wangge.points.models import Account
    from wangge.points.services import points_budget

    def make() -> Any:
        issuer = Account.objects.create(kind="issuer", name="碧沙岗社区")
        points_budget(issuer=issuer, amount=100_000, key="paging-budget")
        return issuer

    return w.once("issuer", make)


def _award(w: World, user: User, reasons: list[str]) -> None:
    from wangge.points.services import points_award, wallet_for

    wallet = wallet_for(user)
    for i, reason in enumerate(reasons):
        points_award(
            issuer=_issuer(w), wallet=wallet, amount=1, key=f"paging-{reason}-{i}", reason=reason
        )


def points_history(w: World, n: int) -> list[str]:
    _award(w, w.user("resident"), markers("分", n))
    return markers("分", n)


def _cabinet_item(w: World) -> Any:
    from wangge.points.mall import item_restock
    from wangge.points.models import Cabinet, Item

    def make() -> Any:
        cabinet = Cabinet.objects.create(
            name="碧沙岗兑换柜", place="社区服务站", node=w.node[COMMUNITY]
        )
        cabinet.keepers.add(w.user("community"))
        item = Item.objects.create(kind="goods", cabinet=cabinet, name="洗衣液", points=1)
        item_restock(item=item, quantity=1000, actor=w.user("community"), note="首批")
        return item

    return w.once("item", make)


def _vouchers(w: World, tag: str, n: int) -> list[Any]:
    from wangge.points.mall import redemption_create

    item = _cabinet_item(w)
    owner = w.user("resident")
    _award(w, owner, [f"奖励{tag}"] * n)
    return [
        redemption_create(owner=owner, item_id=item.pk, idempotency_key=f"{tag}{i}").voucher
        for i in range(n)
    ]


def points_vouchers(w: World, n: int) -> list[str]:
    return [v.display_code for v in _vouchers(w, "券", n)]


def points_counter(w: World, n: int) -> list[str]:
    from wangge.points.mall import voucher_capture

    found = []
    for v in _vouchers(w, "核", n):
        voucher_capture(code=v.code, actor=w.user("community"))
        found.append(v.display_code)
    return found


def points_goods(w: World, n: int) -> list[str]:
    from wangge.points.models import Cabinet, Item

    cabinet = Cabinet.objects.create(
        name="碧沙岗兑换柜", place="社区服务站", node=w.node[COMMUNITY]
    )
    for m in markers("柜", n):
        Item.objects.create(kind="goods", cabinet=cabinet, name=m, points=5)
    return markers("柜", n)


def points_offers(w: World, n: int) -> list[str]:
    from wangge.points.models import Item, Merchant

    shop = Merchant.objects.create(name="老张理发", address="建设路 86 号", node=w.node[GRID_A])
    for m in markers("惠", n):
        Item.objects.create(kind="offer", merchant=shop, name=m, points=5, offer_type="free")
    return markers("惠", n)


def _notice(w: World, title: str) -> Notice:
    return Notice.objects.create(
        node=w.node[COMMUNITY],
        grid_path=w.node[COMMUNITY].path,
        title=title,
        body="通知",
        published_by=w.user("community"),
    )


def notices_any(w: World, n: int) -> list[str]:
    for m in markers("告", n):
        _notice(w, m)
    return markers("告", n)


def nearby_places(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("近", n)):
        ServicePlace.objects.create(
            kind="care_station",
            name=m,
            address="伊河路",
            lon=113.6005 + i * 0.0001,
            lat=34.7505,
            node=w.node[COMMUNITY],
        )
    ServicePlace.objects.create(
        kind="party_center",
        name="党群服务中心",
        address="伊河路",
        lon=113.6,
        lat=34.75,
        node=w.node[COMMUNITY],
    )
    return markers("近", n)


def inbox(w: World, n: int) -> list[str]:
    # The staff inbox and 原点在线's: a resident opening /inbox/ is sent on to /m/messages/.
    for m in markers("信", n):
        Notification.objects.create(recipient=w.user("resident"), title=m)
        Notification.objects.create(recipient=w.user("worker_a"), title=m)
    return markers("信", n)


def board(w: World, n: int) -> list[str]:
    for m in markers("身", n):
        _case(w, m, is_public=True, status=Status.SIGNED)
    return markers("身", n)


def claims(w: World, n: int) -> list[str]:
    for i in range(n):
        user = w.make_user(name=mark("住", i))
        ResidenceClaim.objects.create(
            user=user, building=w.bh3, room="1-101", grid_path=w.bh3.micro_grid.path
        )
    return markers("住", n)


def audit_accesses(w: World, n: int) -> list[str]:
    from wangge.accounts.models import PersonalDataAccess

    for m in markers("查阅", n):
        PersonalDataAccess.objects.create(
            actor=w.user("worker_a"), subject_label=m, field="phone", purpose="联系诉求人"
        )
    return markers("查阅", n)


def patrols_list(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("巡", n)):
        Patrol.objects.create(
            worker=w.user("worker_a"),
            grid_path=w.node[GRID_A].path,
            grid_name=m,
            started_at=timezone.now() - timedelta(hours=i),
            ended_at=timezone.now() - timedelta(hours=i) + timedelta(minutes=30),
        )
    return markers("巡", n)


def patrols_reports(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("报告", n)):
        day = date(2026, 1, 5) + timedelta(weeks=i)
        PatrolReport.objects.create(
            kind="weekly",
            node=w.node[GRID_A],
            grid_path=w.node[GRID_A].path,
            period_start=day,
            period_end=day + timedelta(days=7),
            generated_at=timezone.now(),
            figures={"title": m},
        )
    return markers("报告", n)


def _enterprise(w: World, name: str, i: int = 0) -> Enterprise:
    a1 = w.node[MICRO_A1]
    return Enterprise.objects.create(
        name=name,
        uscc=f"91410102MA{i:07d}X",
        industry="F",
        size="small",
        micro_grid=a1,
        grid_path=a1.path,
    )


def enterprises_registry(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("企", n)):
        _enterprise(w, m, i + 1)
    return markers("企", n)


def _the_enterprise(w: World) -> Enterprise:
    return w.once("firm", lambda: _enterprise(w, "中原区某商贸公司", 9999))  # type: ignore[no-any-return]


def enterprises_visits(w: World, n: int) -> list[str]:
    firm = _the_enterprise(w)
    for i, m in enumerate(markers("助", n)):
        EnterpriseVisit.objects.create(
            enterprise=firm,
            visited_on=date(2026, 3, 1) - timedelta(days=i),
            visitor_name="周敏",
            problems=m,
            grid_path=firm.grid_path,
        )
    return markers("助", n)


def enterprises_visits_registry(w: World, n: int) -> list[str]:
    for i in range(n):
        firm = _enterprise(w, mark("访企", i), i + 1)
        EnterpriseVisit.objects.create(
            enterprise=firm,
            visited_on=date(2026, 3, 1),
            visitor_name="周敏",
            grid_path=firm.grid_path,
        )
    return markers("访企", n)


def _requests(w: World, firm: Enterprise, tag: str, n: int) -> list[str]:
    for m in markers(tag, n):
        case = _case(w, m, channel="enterprise")
        EnterpriseRequest.objects.create(enterprise=firm, kind="other", case=case)
    return markers(tag, n)


def enterprises_requests(w: World, n: int) -> list[str]:
    return _requests(w, _the_enterprise(w), "求", n)


def enterprises_home_requests(w: World, n: int) -> list[str]:
    owner = w.user("enterprise")
    return _requests(w, owner.enterprises.get(), "企求", n)


def enterprises_policies(w: World, n: int) -> list[str]:
    for m in markers("策", n):
        Policy.objects.create(title=m, issuer="区发改委", benefit="补贴")
    return markers("策", n)


def enterprises_matches(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("配", n)):
        Policy.objects.create(
            title=m,
            issuer="区发改委",
            benefit="补贴",
            is_published=True,
            deadline=date(2030, 1, 1) + timedelta(days=i),
        )
    return markers("配", n)


def party_member_posts(w: World, n: int) -> list[str]:
    member = PartyMember.objects.create(
        user=w.user("resident"), org=_branch(w), joined_on=date(2010, 7, 1), status="verified"
    )
    Registration.objects.create(
        member=member, kind=Registration.Kind.RESIDENCE, community=w.node[COMMUNITY]
    )
    return party_posts(w, n)


def party_orgs(w: World, n: int) -> list[str]:
    for m in markers("党", n):
        org_create(name=m, kind=OrgKind.COMMITTEE, grid_node=w.node[COMMUNITY])
    return markers("党", n)


def _branch(w: World) -> PartyOrg:
    return w.once(  # type: ignore[no-any-return]
        "branch",
        lambda: org_create(
            name="第1网格党支部",
            kind=OrgKind.BRANCH,
            grid_node=w.node[GRID_A],
            parent=_community_org(w),
        ),
    )


def party_members(w: World, n: int) -> list[str]:
    branch = _branch(w)
    for i in range(n):
        user = w.make_user(name=mark("员", i))
        PartyMember.objects.create(user=user, org=branch, joined_on=date(2010, 7, 1))
    return markers("员", n)


def party_posts(w: World, n: int) -> list[str]:
    for m in markers("岗", n):
        PartyPost.objects.create(community=w.node[COMMUNITY], category="policy", title=m)
    return markers("岗", n)


def _community_org(w: World) -> PartyOrg:
    return w.once(  # type: ignore[no-any-return]
        "community_org",
        lambda: org_create(
            name="碧沙岗社区党委", kind=OrgKind.COMMITTEE, grid_node=w.node[COMMUNITY]
        ),
    )


def party_star_branches(w: World, n: int) -> list[str]:
    for m in markers("星", n):
        org_create(name=m, kind=OrgKind.BRANCH, grid_node=w.node[GRID_A], parent=_community_org(w))
    return markers("星", n)


def party_registrations(w: World, n: int) -> list[str]:
    branch = _branch(w)
    for i in range(n):
        user = w.make_user(name=mark("到", i))
        member = PartyMember.objects.create(
            user=user, org=branch, joined_on=date(2010, 7, 1), status="verified"
        )
        Registration.objects.create(
            member=member, kind=Registration.Kind.RESIDENCE, community=w.node[COMMUNITY]
        )
    return markers("到", n)


def hotline_deliveries(w: World, n: int) -> list[str]:
    for i, m in enumerate(markers("回", n)):
        case = _case(w, "热线工单", channel="hotline", external_id=f"GD{i}")
        HotlineDelivery.objects.create(case=case, order_no=m, kind="result", state="failed")
    return markers("回", n)


def assistant_missed(w: World, n: int) -> list[str]:
    from wangge.assistant.models import Conversation, Turn

    conversation = Conversation.objects.create(user=w.user("resident"))
    for m in markers("问", n):
        turn = Turn.objects.create(conversation=conversation, question=m, outcome="abstained")
        MissedQuestion.objects.create(turn=turn, text=m, reason=MissReason.UNANSWERED)
    return markers("问", n)


def _video_camera(w: World, code: str, name: str) -> Camera:
    cameras_import(
        "编号,国标编码,名称,经度,纬度,类型,所属单位,视频地址\n"
        f"{code},,{name},113.6008,34.7508,枪机,道路,\n"
    )
    return Camera.objects.select_related("facility").get(code=code)


def video_alerts(w: World, n: int) -> list[str]:
    start = timezone.now() - timedelta(hours=3)
    for i, m in enumerate(markers("摄", n)):
        camera = _video_camera(w, f"V{i:03d}", m)
        at = start + timedelta(minutes=i)
        VideoAlert.objects.create(
            camera=camera,
            type_code="crowd",
            state="pending",
            first_at=at,
            last_at=at,
            grid_path=camera.facility.grid_path,
        )
    return markers("摄", n)


def _the_video_alert(w: World) -> VideoAlert:
    def make() -> VideoAlert:
        camera = _video_camera(w, "VA", "北门球机")
        now = timezone.now()
        return VideoAlert.objects.create(
            camera=camera,
            type_code="crowd",
            state="pending",
            first_at=now,
            last_at=now,
            grid_path=camera.facility.grid_path,
        )

    return w.once("video_alert", make)  # type: ignore[no-any-return]


def video_alert_events(w: World, n: int) -> list[str]:
    alert = _the_video_alert(w)
    start = timezone.now() - timedelta(hours=3)
    for i, m in enumerate(markers("帧", n)):
        VideoEvent.objects.create(
            event_id=m,
            camera=alert.camera,
            alert=alert,
            type_code="crowd",
            occurred_at=start + timedelta(seconds=i),
            confidence=0.9,
            outcome="pending",
        )
    return markers("帧", n)


def video_alert_url(w: World) -> str:
    return reverse("video:alert", args=[_the_video_alert(w).pk])


# ---------------------------------------------------------------- the inventory


@dataclass(frozen=True)
class ListPage:
    name: str
    role: str
    url: Callable[[World], str]
    make: Callable[[World, int], list[str]]
    per_page: int
    keep: str = ""  # a filter (name=value) that the pager's links must keep
    param: str = "page"
    # Queries for a full first page: a bound that no page of rows can pass by a query per row.
    max_queries: int = 20
    within: str = ""  # the id of the page's element holding the list, when rows show twice


def at(name: str, *args: Any) -> Callable[[World], str]:
    return lambda w: reverse(name, args=args)


def topic_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[_the_topic(w).pk])


LISTS: list[ListPage] = [
    # 事件
    ListPage("我的事件", "resident", at("cases:mine"), cases_mine, 20),
    ListPage("我的待办", "worker_a", at("cases:queue"), cases_queue, 20),
    ListPage("督办看板", "community", at("cases:supervision"), cases_supervision, 30),
    ListPage("待回访", "dispatcher", at("cases:followups"), cases_followups, 20),
    ListPage("部门待办", "cgj", at("cases:department-queue"), cases_department, 20),
    # 圈子
    ListPage("圈子", "resident", at("circles:feed"), circles_feed, 20, keep="c=residents"),
    ListPage("圈子审核·待审核", "community", at("circles:moderation"), circles_held, 20),
    ListPage(
        "圈子审核·已隐藏",
        "community",
        at("circles:moderation"),
        circles_hidden,
        20,
        param="hidden_page",
    ),
    ListPage(
        "圈子评论",
        "resident",
        lambda w: reverse("circles:detail", args=[_the_post(w).pk]),
        circles_comments,
        30,
    ),
    # 协议与授权
    ListPage("我的同意记录", "resident", at("consent:mine"), consent_history, 20),
    # 内容审核
    ListPage("内容审核·待审核", "community", at("moderation:queue"), moderation_review, 20),
    ListPage(
        "内容审核·已审核",
        "community",
        at("moderation:queue"),
        moderation_decided,
        20,
        param="done",
    ),
    # 城运中心
    ListPage("通报", "dispatcher", at("ops:circulars"), ops_circulars, 20),
    ListPage("十分钟服务圈·圈外楼栋", "community", at("ops:circle-home"), ops_circle_gaps, 30),
    # 红色厨房
    ListPage("助餐名单", "community", at("kitchen:enrolments"), kitchen_enrolled, 30),
    # 鹰眼
    ListPage("视频告警待确认", "dispatcher", at("video:alerts"), video_alerts, 30),
    ListPage("视频告警截图", "dispatcher", video_alert_url, video_alert_events, 24),
    ListPage(
        "可登记助餐的老人",
        "community",
        at("kitchen:enrolments"),
        kitchen_candidates,
        30,
        param="cpage",
    ),
    ListPage("助餐异常提醒", "worker_a", at("kitchen:alerts"), kitchen_alerts, 30),
    ListPage("红色厨房·待走访", "worker_a", at("kitchen:home"), kitchen_alerts, 20, param="apage"),
    # 共建单位与民生服务项目
    ListPage("共建单位", "community", at("partners:home"), partners_units, 20, within="units"),
    ListPage(
        "社区需求",
        "community",
        at("partners:home"),
        partners_needs,
        20,
        param="npage",
        within="needs",
    ),
    ListPage(
        "民生服务项目",
        "community",
        at("partners:home"),
        partners_projects,
        20,
        param="ppage",
        within="projects",
    ),
    # The page's eight weeks of trend are a count each, whatever the list holds.
    ListPage(
        "认证率·尚未认证的居民",
        "community",
        at("ops:reach-home"),
        ops_not_verified,
        20,
        max_queries=24,
    ),
    # 台账
    ListPage("安全隐患排查", "worker_a", at("ledgers:inspections"), ledgers_inspections, 30),
    ListPage(
        "设施台账",
        "worker_a",
        at("ledgers:facilities"),
        ledgers_facilities,
        50,
        keep=f"kind={FacilityKind.values[1]}",
    ),
    ListPage(
        "组织台账",
        "community",
        at("ledgers:organisations"),
        ledgers_organisations,
        50,
        keep=f"kind={OrganisationKind.values[1]}",
    ),
    ListPage("议事厅(工作人员)", "community", at("ledgers:topics"), ledgers_topics, 30),
    ListPage(
        "议题意见(工作人员)", "community", topic_url("ledgers:topic"), ledgers_topic_comments, 30
    ),
    ListPage("议事厅·正在议事", "resident", at("ledgers:yishi"), ledgers_yishi_open, 20),
    ListPage(
        "议事厅·已公布决定",
        "resident",
        at("ledgers:yishi"),
        ledgers_yishi_decided,
        20,
        param="decided_page",
    ),
    ListPage(
        "议题意见(居民)", "resident", topic_url("ledgers:yishi-topic"), ledgers_topic_comments, 30
    ),
    ListPage("民意调查(工作人员)", "community", at("ledgers:surveys"), ledgers_surveys, 30),
    ListPage("民意调查·正在进行", "resident", at("ledgers:diaocha"), ledgers_surveys, 20),
    ListPage(
        "民意调查·已结束",
        "resident",
        at("ledgers:diaocha"),
        ledgers_diaocha_closed,
        20,
        param="closed_page",
    ),
    # 实有人口
    ListPage("实有人口", "community", at("residents:list"), residents_list, 50, keep="present=1"),
    ListPage("综治重点人员", "security", at("residents:security"), residents_security, 50),
    ListPage("逾期未走访", "community", at("residents:overdue"), residents_overdue, 50),
    ListPage(
        "人员走访记录",
        "community",
        lambda w: reverse("residents:person", args=[_the_person(w).pk]),
        residents_person_visits,
        20,
        param="visits_page",
    ),
    ListPage(
        "人员微心愿",
        "community",
        lambda w: reverse("residents:person", args=[_the_person(w).pk]),
        residents_person_wishes,
        20,
        param="wishes_page",
    ),
    ListPage(
        "微心愿", "community", at("residents:wishes"), residents_wishes, 50, keep="status=published"
    ),
    ListPage(
        "矛盾纠纷", "community", at("residents:disputes"), residents_disputes, 50, keep="show=open"
    ),
    # 志愿服务
    ListPage(
        "任务大厅", "resident", at("volunteering:browse"), volunteering_browse, 20, keep="kind=task"
    ),
    ListPage("我的任务", "resident", at("volunteering:mine"), volunteering_mine, 20),
    ListPage("我组织的任务", "community", at("volunteering:manage"), volunteering_managed, 20),
    ListPage(
        "待审核任务",
        "community",
        at("volunteering:manage"),
        volunteering_to_approve,
        20,
        param="approve_page",
        within="to-approve",
    ),
    ListPage(
        "报名名单",
        "community",
        lambda w: reverse("volunteering:manage-task", args=[_the_task(w).pk]),
        volunteering_roster,
        30,
        param="roster_page",
    ),
    ListPage(
        "任务记录",
        "community",
        lambda w: reverse("volunteering:manage-task", args=[_the_task(w).pk]),
        volunteering_events,
        30,
        param="events_page",
    ),
    # 乐享闲置
    ListPage(
        "乐享闲置",
        "resident",
        at("market:browse"),
        market_browse,
        20,
        keep="kind=offer",
    ),
    # 积分
    ListPage("活力值明细", "resident", at("points:history"), points_history, 30),
    ListPage("我的兑换券", "resident", at("points:vouchers"), points_vouchers, 20),
    ListPage("兑换台·今日核销", "community", at("points:counter"), points_counter, 30),
    ListPage(
        "积分兑换·兑换柜好物",
        "resident",
        at("points:home"),
        points_goods,
        20,
        param="goods_page",
        keep="offers_page=1",
    ),
    ListPage(
        "积分兑换·商家联盟优惠",
        "resident",
        at("points:home"),
        points_offers,
        20,
        param="offers_page",
        keep="goods_page=1",
    ),
    # 公告、消息、附近
    ListPage("已发布公告", "community", at("notices:published"), notices_any, 20),
    ListPage("网格公告(居民)", "resident", at("mobile:notices"), notices_any, 20),
    ListPage("消息", "worker_a", at("notifications:inbox"), inbox, 30),
    ListPage("消息(原点在线)", "resident", at("mobile:messages"), inbox, 30),
    ListPage("身边事", "resident", at("mobile:board"), board, 20),
    ListPage("待确认的住址", "worker_a", at("mobile:claims"), claims, 20),
    ListPage("附近", "resident", at("mobile:nearby"), nearby_places, 20, keep="kind=care_station"),
    # 审计
    ListPage("审计查询", "auditor", at("audit:index"), audit_accesses, 50, keep="topic=access"),
    # 巡查
    ListPage("巡查记录", "worker_a", at("patrols:index"), patrols_list, 30),
    ListPage("巡查报告", "worker_a", at("patrols:reports"), patrols_reports, 30),
    # 企业服务
    ListPage(
        "企业名录",
        "community",
        at("enterprises:registry"),
        enterprises_registry,
        50,
        keep="size=small",
    ),
    ListPage("助企走访", "community", at("enterprises:visits"), enterprises_visits_registry, 50),
    ListPage("惠企政策", "admin", at("enterprises:policies"), enterprises_policies, 30),
    ListPage(
        "企业诉求",
        "community",
        lambda w: reverse("enterprises:detail", args=[_the_enterprise(w).pk]),
        enterprises_requests,
        20,
        param="requests_page",
    ),
    ListPage(
        "企业走访记录",
        "community",
        lambda w: reverse("enterprises:detail", args=[_the_enterprise(w).pk]),
        enterprises_visits,
        20,
        param="visits_page",
    ),
    ListPage("我的企业诉求", "enterprise", at("enterprises:home"), enterprises_home_requests, 20),
    ListPage(
        "我的企业·惠企政策",
        "enterprise",
        at("enterprises:home"),
        enterprises_matches,
        20,
        param="policies_page",
        keep="page=1",  # the requests' pager below
    ),
    ListPage(
        "企业详情·政策匹配",
        "community",
        lambda w: reverse("enterprises:detail", args=[_the_enterprise(w).pk]),
        enterprises_matches,
        30,
        param="policies_page",
        keep="visits_page=1",
    ),
    # 党建
    ListPage("党组织", "community", at("party:staff"), party_orgs, 30),
    ListPage("待核实党员", "community", at("party:staff-members"), party_members, 30),
    ListPage("服务岗位", "community", at("party:staff-posts"), party_posts, 30),
    ListPage("五星支部", "community", at("party:staff-stars"), party_star_branches, 30),
    ListPage(
        "党员双报到·社区岗位",
        "resident",
        at("party:home"),
        party_member_posts,
        20,
        param="posts_page",
        within="posts",
    ),
    ListPage(
        "到本社区报到的党员",
        "community",
        lambda w: reverse("party:staff-org", args=[_community_org(w).pk]),
        party_registrations,
        30,
    ),
    # 热线、小原
    ListPage("热线回传", "dispatcher", at("hotline:deliveries"), hotline_deliveries, 30),
    ListPage(
        "小原未解决的问题",
        "admin",
        at("assistant:unanswered"),
        assistant_missed,
        30,
        max_queries=30,
    ),
]


@pytest.fixture
def world(people: dict[str, User], make_user: Callable[..., User]) -> World:  # noqa: F811
    return World(people, make_user)


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


PAGER = re.compile(
    r'<nav class="pager"[^>]*data-param="(?P<param>[^"]+)"[^>]*>(?P<body>.*?)</nav>', re.S
)


def pager(text: str, param: str) -> str:
    found = [m["body"] for m in PAGER.finditer(text) if m["param"] == param]
    assert len(found) == 1, f"one pager for {param!r}, found {len(found)}"
    return found[0]


def section(text: str, element_id: str) -> str:
    """The part of the page from the element with this id to the end of its section."""
    if not element_id:
        return text
    start = text.index(f'id="{element_id}"')
    return text[start : text.index("</section>", start)]


def link(body: str, rel: str) -> str:
    m = re.search(rf'rel="{rel}" href="([^"]+)"', body)
    assert m, f"no {rel} link in {body!r}"
    return html.unescape(m[1])


@pytest.mark.parametrize("lst", LISTS, ids=[f"{lst.make.__name__}-{lst.role}" for lst in LISTS])
def test_second_page_shows_the_rest(
    lst: ListPage, world: World, django_assert_max_num_queries: Any
) -> None:
    rows = lst.make(world, lst.per_page + 3)
    c = client_for(world.user(lst.role))
    url = lst.url(world)
    with django_assert_max_num_queries(lst.max_queries):
        first = c.get(f"{url}?{lst.keep}" if lst.keep else url)
    assert first.status_code == 200, first.content[:500]
    text = first.content.decode()
    body = pager(text, lst.param)
    assert f"共 {len(rows)} 条" in body
    assert "第 1 / 2 页" in body
    on_first = {r for r in rows if r in section(text, lst.within)}
    assert len(on_first) == lst.per_page

    after = link(body, "next")
    assert f"{lst.param}=2" in after
    if lst.keep:
        assert lst.keep in after, "the filter is kept in the pager's link"
    second = c.get(url + after)
    assert second.status_code == 200
    text2 = second.content.decode()
    on_second = {r for r in rows if r in section(text2, lst.within)}
    assert len(on_second) == 3
    assert on_first.isdisjoint(on_second)
    body2 = pager(text2, lst.param)
    assert "第 2 / 2 页" in body2
    before = link(body2, "prev")
    assert f"{lst.param}=1" in before and (not lst.keep or lst.keep in before)


def test_every_paged_template_is_in_the_table(world: World) -> None:
    """Each template that shows a pager is rendered by at least one row of `LISTS` (each list
    opened with one row of its own, then rolled back): the table is the complete inventory of
    the product's lists."""
    seen: set[str] = set()
    for lst in LISTS:
        known = set(world.people)
        with transaction.atomic():
            lst.make(world, 1)
            response = client_for(world.user(lst.role)).get(lst.url(world))
            assert response.status_code == 200, (lst.name, response.status_code)
            seen |= {t.name for t in response.templates if t.name}
            transaction.set_rollback(True)
        world.forget(known)
    paged = set()
    for path in TEMPLATES.glob("**/templates/**/*.html"):
        if "includes/pager.html" in path.read_text(encoding="utf-8"):
            paged.add(path.as_posix().split("/templates/", 1)[1])
    assert len(paged) > 40, "the templates with a pager"
    assert paged - seen == set(), "lists with a pager but no row in LISTS"


# Cut on purpose: the dispatch desk (its own page, rebuilt with its filters and paging) and the
# pickers of a form (grid choices in a <select>), which are not lists to read through.
FIXED_LENGTH_ALLOWED = {
    "selectors.dispatch_queue(user)[:100]",
    "selectors.report_nodes(user)[:300]",
}


def test_no_list_stops_at_a_fixed_length() -> None:
    """The pages build their lists through `paginate` and the API's through `api_page`, never by
    cutting a selector's queryset at a fixed length or by calling Paginator themselves."""
    offenders = []
    for path in [*TEMPLATES.glob("**/*views*.py"), *TEMPLATES.glob("*/api.py")]:
        source = path.read_text(encoding="utf-8")
        if "Paginator(" in source:
            offenders.append(f"{path.name}: Paginator")
        for m in re.finditer(r"selectors\.\w+\([^)]*\)\[:\d+\]", source):
            if m[0] not in FIXED_LENGTH_ALLOWED:
                offenders.append(f"{path.name}: {m[0]}")
    assert offenders == []


# ---------------------------------------------------------------- the JSON API's lists


@dataclass(frozen=True)
class ApiList:
    name: str
    role: str
    url: Callable[[World], str]
    make: Callable[[World, int], list[str]]
    text: Callable[[dict[str, Any]], str]  # a row's text that holds its marker
    keep: str = ""
    others: int = 0  # rows the factory adds besides the marked ones


def _api_requests(w: World, n: int) -> list[str]:
    rows = enterprises_requests(w, n)
    w._extra["numbers"] = {
        str(pk): t for pk, t in Case.objects.filter(title__in=rows).values_list("pk", "title")
    }
    return rows


def _api_signups(w: World, n: int) -> list[str]:
    rows = volunteering_mine(w, n)
    w._extra["numbers"] = {
        str(pk): t for pk, t in Task.objects.filter(title__in=rows).values_list("pk", "title")
    }
    return rows


def _api_vouchers(w: World, n: int) -> list[str]:
    return [v.code for v in _vouchers(w, "券", n)]


def _api_items(w: World, n: int) -> list[str]:
    from wangge.points.models import Item

    cabinet = _cabinet_item(w).cabinet
    for m in markers("物", n):
        Item.objects.create(kind="goods", cabinet=cabinet, name=m, points=2)
    return markers("物", n)


API_LISTS: list[ApiList] = [
    ApiList("巡查", "worker_a", lambda w: "/api/v1/patrols", patrols_list, lambda r: r["grid"]),
    ApiList(
        "我的任务",
        "resident",
        lambda w: "/api/v1/volunteering/mine",
        _api_signups,
        lambda r: str(r["task_id"]),
    ),
    ApiList(
        "可报名的任务",
        "resident",
        lambda w: "/api/v1/volunteering/tasks",
        volunteering_browse,
        lambda r: r["title"],
        keep="kind=task",
    ),
    ApiList(
        "企业诉求",
        "community",
        lambda w: f"/api/v1/enterprises/{_the_enterprise(w).pk}/requests",
        _api_requests,
        lambda r: str(r["case_id"]),
    ),
    ApiList(
        "兑换物品",
        "resident",
        lambda w: "/api/v1/points/items",
        _api_items,
        lambda r: r["name"],
        others=1,
    ),
    ApiList(
        "我的兑换券",
        "resident",
        lambda w: "/api/v1/points/vouchers",
        _api_vouchers,
        lambda r: r["code"],
    ),
    ApiList(
        "助餐异常提醒",
        "worker_a",
        lambda w: "/api/v1/kitchen/alerts",
        kitchen_alerts,
        lambda r: r["person"],
    ),
    ApiList(
        "逾期未走访",
        "community",
        lambda w: "/api/v1/residents/visits/overdue",
        residents_overdue,
        lambda r: r["person"]["name"],
    ),
]


@pytest.mark.parametrize("lst", API_LISTS, ids=[a.name for a in API_LISTS])
def test_api_list_pages(lst: ApiList, world: World) -> None:
    """An API list answers a page with the total and a `next` link that keeps the request's
    parameters; following it gives the rest, and `previous` leads back."""
    rows = lst.make(world, 23)
    numbers = world._extra.get("numbers", {})
    c = client_for(world.user(lst.role))
    url = lst.url(world) + (f"?{lst.keep}" if lst.keep else "")
    first = c.get(url, {"page_size": 20} if not lst.keep else None)
    assert first.status_code == 200, first.content[:300]
    body = first.json()
    if lst.keep:  # the default page size when none is asked for
        assert body["page_size"] == 20
    assert (body["count"], body["page"], body["previous"]) == (23 + lst.others, 1, None)

    def shown(answer: dict[str, Any]) -> set[str]:
        return {numbers.get(lst.text(r), lst.text(r)) for r in answer["results"]}

    on_first = shown(body) & set(rows)
    assert len(body["results"]) == 20
    assert body["next"] and "page=2" in body["next"]
    if lst.keep:
        assert lst.keep in body["next"]
    second = c.get(body["next"]).json()
    on_second = shown(second) & set(rows)
    assert on_first | on_second == set(rows) and on_first.isdisjoint(on_second)
    assert len(second["results"]) == 3 + lst.others
    assert second["next"] is None and "page=1" in second["previous"]
    past = c.get(f"{url}{'&' if lst.keep else '?'}page=9").json()
    assert (past["results"], past["count"]) == ([], 23 + lst.others)


def test_api_page_size_has_a_ceiling(world: World) -> None:
    c = client_for(world.user("worker_a"))
    assert c.get("/api/v1/patrols", {"page_size": 100}).status_code == 200
    too_many = c.get("/api/v1/patrols", {"page_size": 101})
    assert too_many.status_code == 422 and "page_size" in too_many.content.decode()
    assert c.get("/api/v1/patrols", {"page": 0}).status_code == 422


# Whole lists that belong to one thing and are short by nature: a case's timeline, the policies
# matching one enterprise, the roster of one task.
WHOLE_LISTS_ALLOWED = {
    "cases/api.py: EventOut",
    "enterprises/api.py: MatchOut",
    # A deliverer's own rounds of one day: the plans of the tasks they took, a handful.
    "kitchen/api.py: PlanDetailOut",
    "volunteering/api.py: RosterRow",
}


def test_api_lists_answer_pages() -> None:
    """An API route that answers a list of rows answers a page of them (`PageInfo` and
    `results`), unless it is one of the short lists above."""
    whole = set()
    for path in TEMPLATES.glob("*/api.py"):
        source = path.read_text(encoding="utf-8")
        for m in re.finditer(r"response=(?:\{200: )?list\[(\w+)\]", source):
            whole.add(f"{path.parent.name}/api.py: {m[1]}")
    assert whole == WHOLE_LISTS_ALLOWED
