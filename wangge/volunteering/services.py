"""Every write of 志愿服务 but check-in and check-out (presence.py): publishing and approving
tasks, 抢任务 with a waitlist, the organiser's hours decisions and the points that follow, and the
sweep that moves tasks through their day.

Locks (docs/architecture.md, "Lock order"): the person's row first, then the task's, then its
sign-ups', then points accounts (inside `earn`), so two requests never wait on each other in a
circle. Every `select_for_update` here locks one table (`of=("self",)` where the query joins):
a lock taken through `select_related` would take the task or the person out of turn. A grab
inserts its new sign-up before it takes the task's row (see `_task_grab_locked`); no other
request can wait on a row that is not yet committed.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.core.scope import path_in_scope
from wangge.grids.coords import to_wgs84
from wangge.grids.selectors import locate, node_path
from wangge.notifications.services import notify
from wangge.points.models import Account, Earning
from wangge.points.services import BudgetExhausted, community_issuer, earn, system_account
from wangge.volunteering import selectors
from wangge.volunteering.models import HoursDecision, SignUp, Task, TaskEvent
from wangge.volunteering.presence import HOURS_STEP, checkins_close, record_hours
from wangge.volunteering.selectors import OPEN_SIGNUP, OPEN_STATUSES, can_manage, open_signup

MAX_TASK_LENGTH = timedelta(days=7)

# The state table: which status may follow which. One gate (`_transition`) enforces it.
TRANSITIONS: dict[str, frozenset[str]] = {
    Task.Status.DRAFT: frozenset(
        {Task.Status.PENDING, Task.Status.PUBLISHED, Task.Status.CANCELLED}
    ),
    Task.Status.PENDING: frozenset(
        {Task.Status.PUBLISHED, Task.Status.DRAFT, Task.Status.CANCELLED}
    ),
    Task.Status.PUBLISHED: frozenset(
        {Task.Status.ONGOING, Task.Status.FINISHED, Task.Status.CANCELLED}
    ),
    Task.Status.ONGOING: frozenset({Task.Status.FINISHED, Task.Status.CANCELLED}),
    Task.Status.FINISHED: frozenset({Task.Status.SETTLED}),
    Task.Status.SETTLED: frozenset(),
    Task.Status.CANCELLED: frozenset(),
}
APPROVER_ROLES = (Role.COMMUNITY_STAFF, Role.ADMIN)
# Before it starts, a task's details may still change (within what people signed up for).
EDITABLE = (Task.Status.DRAFT, Task.Status.PENDING, Task.Status.PUBLISHED)


def _event(task: Task, actor: User | None, action: str, note: str = "", **kw: str) -> None:
    TaskEvent.objects.create(task=task, actor=actor, action=action, note=note[:300], **kw)


def _transition(
    task: Task, to: str, *, actor: User | None, action: TaskEvent.Action, note: str = ""
) -> None:
    """Move a (locked or freshly read) task to `to`. The UPDATE is conditional on the status
    it was read in, so two workers never make the same move twice."""
    if to not in TRANSITIONS[task.status]:
        raise Conflict(
            _("任务当前为“%(s)s”，不能%(a)s") % {"s": task.get_status_display(), "a": action.label}
        )
    if not Task.objects.filter(pk=task.pk, status=task.status).update(status=to):
        raise Conflict(_("任务状态已变化，请刷新后重试"))
    _event(task, actor, action, note, from_status=task.status, to_status=to)
    task.status = to


# ---------------------------------------------------------------- publishing


@dataclass(frozen=True)
class TaskInput:
    kind: str
    publisher_kind: str
    publisher_name: str
    title: str
    place: str
    lon: float
    lat: float
    starts_at: datetime
    ends_at: datetime
    slots: int
    description: str = ""
    category: str = "other"
    crs: str = "wgs84"
    skills: str = ""
    circle_tag: str = ""
    points_rule: str = Task.PointsRule.PER_HOUR
    checkin_method: str = Task.CheckinMethod.QR
    geofence_m: int = 200


def _clean(data: TaskInput, actor: User) -> dict[str, object]:
    if data.kind not in Task.Kind.values:
        raise ValidationFailed(_("任务类型不正确"))
    if data.publisher_kind not in Task.PublisherKind.values:
        raise ValidationFailed(_("发布方类型不正确"))
    if data.publisher_kind != Task.PublisherKind.INDIVIDUAL and not actor.is_grid_staff:
        raise PermissionDenied(_("只有组织管理员或社区工作人员可以以组织名义发布"))
    title, place = data.title.strip(), data.place.strip()
    if not title:
        raise ValidationFailed(_("请填写标题"))
    if not place:
        raise ValidationFailed(_("请填写地点"))
    name = data.publisher_name.strip() or (
        actor.name if data.publisher_kind == Task.PublisherKind.INDIVIDUAL else ""
    )
    if not name:
        raise ValidationFailed(_("请填写发布方名称"))
    if data.ends_at <= data.starts_at:
        raise ValidationFailed(_("结束时间须晚于开始时间"))
    if data.ends_at - data.starts_at > MAX_TASK_LENGTH:
        raise ValidationFailed(_("一次任务最长 7 天，请分开发布"))
    if not 1 <= data.slots <= 10_000:
        raise ValidationFailed(_("名额须在 1 到 10000 之间"))
    if data.category not in {c for c, _label in Task._meta.get_field("category").choices or []}:
        raise ValidationFailed(_("服务类别不正确"))
    if data.points_rule not in Task.PointsRule.values:
        raise ValidationFailed(_("活力值规则不正确"))
    if data.kind == Task.Kind.ACTIVITY and data.points_rule == Task.PointsRule.PER_HOUR:
        raise ValidationFailed(_("社区活动不计时长：请选择每人固定或不发放"))
    if data.checkin_method not in Task.CheckinMethod.values:
        raise ValidationFailed(_("签到方式不正确"))
    if not 30 <= data.geofence_m <= 5000:
        raise ValidationFailed(_("定位半径须在 30 到 5000 米之间"))
    try:
        lon, lat = to_wgs84(data.lon, data.lat, data.crs)
        where = locate(lon=lon, lat=lat)
    except (ValueError, NotFound) as exc:
        raise ValidationFailed(_("地点不在本区网格内，请在地图上重新选点")) from exc
    grid = where.micro_grid or where.exclusive_grid
    assert grid is not None
    return {
        "kind": data.kind,
        "publisher_kind": data.publisher_kind,
        "publisher_name": name[:80],
        "title": title[:80],
        "description": data.description.strip()[:4000],
        "category": data.category,
        "place": place[:120],
        "lon": lon,
        "lat": lat,
        "grid": grid,
        "grid_path": grid.path,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "slots": data.slots,
        "skills": data.skills.strip()[:200],
        "circle_tag": data.circle_tag.strip()[:30],
        "points_rule": data.points_rule,
        "checkin_method": data.checkin_method,
        "geofence_m": data.geofence_m,
    }


@transaction.atomic
def task_create(*, organiser: User, data: TaskInput) -> Task:
    """A draft; nobody sees it until it is published (or, for an individual, approved)."""
    task = Task.objects.create(
        organiser=organiser, qr_secret=secrets.token_hex(16), **_clean(data, organiser)
    )
    _event(task, organiser, TaskEvent.Action.CREATE, to_status=Task.Status.DRAFT)
    return task


@transaction.atomic
def task_update(*, task_id: int, actor: User, data: TaskInput) -> Task:
    task = Task.objects.select_for_update().filter(pk=task_id).first()
    if task is None or not can_manage(actor, task):
        raise NotFound(_("该任务不存在"))
    if task.status not in EDITABLE:
        raise Conflict(_("任务已开始或已结束，不能再修改"))
    values = _clean(data, actor)
    if values["slots"] < task.taken:  # type: ignore[operator]
        raise ValidationFailed(_("已有 %(n)d 人报名，名额不能少于报名人数") % {"n": task.taken})
    for field in ("starts_at", "ends_at"):
        # Forms carry minutes: a time given to the minute it already has is no change.
        if abs(values[field] - getattr(task, field)) < timedelta(minutes=1):
            values[field] = getattr(task, field)
    if task.taken and (values["starts_at"] != task.starts_at or values["ends_at"] != task.ends_at):
        raise Conflict(_("已有人报名，不能修改时间；如需改期请取消后重新发布"))
    for field, value in values.items():
        setattr(task, field, value)
    task.save()
    _event(task, actor, TaskEvent.Action.EDIT)
    return task


def _issuer_for(task: Task) -> Account:
    """Whose budget pays the points: the publishing organisation's issuing account; an
    individual's task is paid from the community's account, as the community approved it."""
    if task.publisher_kind != Task.PublisherKind.INDIVIDUAL:
        return system_account(Account.Kind.ISSUER, task.publisher_name)
    return community_issuer(task.grid)


@transaction.atomic
def task_publish(*, task_id: int, actor: User) -> Task:
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("grid")
        .filter(pk=task_id)
        .first()
    )
    if task is None or not can_manage(actor, task):
        raise NotFound(_("该任务不存在"))
    if task.ends_at <= timezone.now():
        raise Conflict(_("任务时间已过，请修改时间后再发布"))
    if task.issuer_id is None:
        task.issuer = _issuer_for(task)
        task.save(update_fields=["issuer"])
    if task.publisher_kind == Task.PublisherKind.INDIVIDUAL:
        _transition(task, Task.Status.PENDING, actor=actor, action=TaskEvent.Action.SUBMIT)
        staff = User.objects.filter(
            grants__role=Role.COMMUNITY_STAFF,
            grants__node__path__in=[n.path for n in node_path(task.grid)],
        ).distinct()
        notify(
            recipients=list(staff),
            title=_("待审核的志愿任务：%(t)s") % {"t": task.title},
            link=f"/volunteering/manage/{task.pk}/",
            topic=f"volunteer-task:{task.pk}",
        )
    else:
        _transition(task, Task.Status.PUBLISHED, actor=actor, action=TaskEvent.Action.PUBLISH)
    return task


def can_edit(user: User, task: Task) -> bool:
    return task.status in EDITABLE and can_manage(user, task)


def can_cancel(user: User, task: Task) -> bool:
    return Task.Status.CANCELLED in TRANSITIONS[task.status] and can_manage(user, task)


# Hours are certified once the task has begun, until it is settled or cancelled.
HOURS_STATUSES = (*OPEN_STATUSES, Task.Status.FINISHED)


def can_decide_hours(user: User, task: Task) -> bool:
    """What the organiser's page offers; `hours_decide` holds the same rule."""
    return (
        task.status in HOURS_STATUSES
        and timezone.now() >= task.starts_at
        and can_manage(user, task)
    )


def can_approve(user: User, task: Task) -> bool:
    return (
        user.is_authenticated
        and (user.is_superuser or user.has_role(*APPROVER_ROLES))
        and path_in_scope(user, task.grid_path)
    )


@transaction.atomic
def task_review(*, task_id: int, actor: User, approve: bool, note: str = "") -> Task:
    """Community staff approve an individual's task (it is published) or send it back."""
    task = Task.objects.select_for_update().filter(pk=task_id).first()
    if task is None or not can_approve(actor, task):
        raise NotFound(_("该任务不存在"))
    if task.status != Task.Status.PENDING:
        raise Conflict(_("该任务不在待审核状态"))
    if approve:
        _transition(
            task, Task.Status.PUBLISHED, actor=actor, action=TaskEvent.Action.APPROVE, note=note
        )
        task.approved_by, task.approved_at = actor, timezone.now()
        task.save(update_fields=["approved_by", "approved_at"])
        title = _("您发布的志愿任务已通过审核：%(t)s") % {"t": task.title}
    else:
        if not note.strip():
            raise ValidationFailed(_("退回时请说明原因"))
        _transition(task, Task.Status.DRAFT, actor=actor, action=TaskEvent.Action.REJECT, note=note)
        title = _("您发布的志愿任务被退回：%(t)s") % {"t": task.title}
    notify(
        recipients=[task.organiser],
        title=title,
        body=note,
        link=f"/volunteering/manage/{task.pk}/",
        topic=f"volunteer-task:{task.pk}",
    )
    return task


@transaction.atomic
def task_cancel(*, task_id: int, actor: User, reason: str) -> Task:
    """Cancel a task; everyone signed up or waiting is told, and their sign-ups close."""
    task = Task.objects.select_for_update().filter(pk=task_id).first()
    if task is None or not can_manage(actor, task):
        raise NotFound(_("该任务不存在"))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("请填写取消原因"))
    _transition(
        task, Task.Status.CANCELLED, actor=actor, action=TaskEvent.Action.CANCEL, note=reason
    )
    signups = list(task.signups.filter(status__in=OPEN_SIGNUP).select_related("user"))
    SignUp.objects.filter(pk__in=[s.pk for s in signups]).update(
        status=SignUp.Status.CANCELLED, cancelled_at=timezone.now()
    )
    checkins_close(task, at=timezone.now())
    Task.objects.filter(pk=task.pk).update(taken=0, cancel_reason=reason[:200])
    notify(
        recipients=[s.user for s in signups],
        title=_("志愿任务已取消：%(t)s") % {"t": task.title},
        body=_("取消原因：%(r)s") % {"r": reason},
        link=f"/volunteering/{task.pk}/",
        topic=f"volunteer-task:{task.pk}",
    )
    return task


# ---------------------------------------------------------------- 抢任务


def _overlapping(user: User, task: Task) -> SignUp | None:
    return (
        SignUp.objects.filter(
            user=user,
            status=SignUp.Status.SIGNED,
            task__starts_at__lt=task.ends_at,
            task__ends_at__gt=task.starts_at,
        )
        .exclude(task_id=task.pk)
        .exclude(task__status=Task.Status.CANCELLED)
        .select_related("task")
        .first()
    )


def task_grab(*, task_id: int, user: User, waitlist: bool = False) -> tuple[SignUp, bool]:
    """Take a slot while slots last. Returns (sign-up, created). A person who already has a
    sign-up gets it back. When the task is full: a Conflict, or with `waitlist` a place in the
    first-come waitlist."""
    # A task seen full is answered at once, with one read and outside any transaction: when a
    # popular task opens, the 190 who came too late must neither queue for its lock nor each pay
    # for a transaction. (A slot freed a moment later is no reason to say otherwise: the task
    # was full when asked.) Someone already signed up goes on, to be given their sign-up back.
    if not waitlist and selectors.seen_full(task_id, user.pk):
        raise Conflict(_("名额已满，可以排队候补"))
    return _task_grab_locked(task_id=task_id, user=user, waitlist=waitlist)


@transaction.atomic
def _task_grab_locked(*, task_id: int, user: User, waitlist: bool) -> tuple[SignUp, bool]:
    """The person's row is locked first (two grabs of overlapping tasks by one person cannot
    both pass the overlap check). The task's row is locked only by the conditional UPDATE that
    takes the slot, so from there to the commit: when 200 people grab at once, the ten who get
    a slot queue behind each other for two statements, not for every check. The CHECK
    taken <= slots is the last line."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    task = Task.objects.filter(pk=task_id).first()
    if task is None or task.status in (Task.Status.DRAFT, Task.Status.PENDING):
        raise NotFound(_("该任务不存在"))
    existing = open_signup(task_id, user)
    if existing is not None:
        return existing, False
    now = timezone.now()
    if task.status not in OPEN_STATUSES or task.ends_at <= now:
        raise Conflict(_("报名已截止"))
    if task.organiser_id == user.pk:
        raise Conflict(_("不能报名自己组织的任务"))
    if task.taken >= task.slots and not waitlist:
        raise Conflict(_("名额已满，可以排队候补"))
    clash = _overlapping(user, task)
    if clash is not None:
        raise Conflict(
            _("与您已报名的“%(t)s”（%(when)s）时间冲突")
            % {
                "t": clash.task.title,
                "when": timezone.localtime(clash.task.starts_at).strftime("%m-%d %H:%M"),
            }
        )
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(task=task, user=user, status=SignUp.Status.SIGNED)
    except IntegrityError:
        # Only reachable without row locks (SQLite): the same person's other request won.
        again = open_signup(task_id, user)
        if again is None:
            raise
        return again, False
    took = (
        Task.objects.filter(
            pk=task.pk, status__in=OPEN_STATUSES, ends_at__gt=now, taken__lt=F("slots")
        ).update(taken=F("taken") + 1)
        if task.taken < task.slots
        else 0
    )
    if not took:
        # Full, or changed since it was read: decide on the locked row. A Conflict undoes the
        # sign-up above with the rest of the transaction.
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.status not in OPEN_STATUSES or locked.ends_at <= now:
            raise Conflict(_("报名已截止"))
        if locked.taken < locked.slots:  # a slot was freed meanwhile
            Task.objects.filter(pk=task.pk).update(taken=F("taken") + 1)
        elif not waitlist:
            raise Conflict(_("名额已满，可以排队候补"))
        else:
            signup.status = SignUp.Status.WAITLISTED
            signup.save(update_fields=["status"])
    return signup, True


def _promote(task: Task) -> SignUp | None:
    """Give a freed slot to the first person waiting who is free at that time; anyone who has
    meanwhile taken an overlapping task is told and leaves the line. The task is locked."""
    for waiting in (
        task.signups.filter(status=SignUp.Status.WAITLISTED)
        .select_related("user")
        .order_by("created_at", "id")
    ):
        clash = _overlapping(waiting.user, task)
        if clash is not None:
            waiting.status, waiting.cancelled_at = SignUp.Status.CANCELLED, timezone.now()
            waiting.save(update_fields=["status", "cancelled_at"])
            notify(
                recipients=[waiting.user],
                title=_("候补到名额，但与您的其他任务时间冲突：%(t)s") % {"t": task.title},
                body=_("冲突任务：%(c)s") % {"c": clash.task.title},
                link=f"/volunteering/{task.pk}/",
                topic=f"volunteer-task:{task.pk}",
            )
            continue
        waiting.status = SignUp.Status.SIGNED
        waiting.save(update_fields=["status"])
        Task.objects.filter(pk=task.pk).update(taken=F("taken") + 1)
        notify(
            recipients=[waiting.user],
            title=_("候补成功：%(t)s") % {"t": task.title},
            body=_("您已从候补转为正式报名，请按时参加。"),
            link=f"/volunteering/{task.pk}/",
            topic=f"volunteer-task:{task.pk}",
        )
        return waiting
    return None


@transaction.atomic
def signup_cancel(*, task_id: int, user: User) -> SignUp:
    """Withdraw before the start; a freed slot goes to the first in the waitlist."""
    task = Task.objects.select_for_update().filter(pk=task_id).first()
    signup = (
        SignUp.objects.select_for_update()
        .filter(task_id=task_id, user=user, status__in=OPEN_SIGNUP)
        .first()
        if task is not None
        else None
    )
    if task is None or signup is None:
        raise NotFound(_("您没有报名该任务"))
    if signup.status == SignUp.Status.SIGNED and timezone.now() >= task.starts_at:
        raise Conflict(_("任务已开始，不能取消报名；请联系组织人"))
    was_signed = signup.status == SignUp.Status.SIGNED
    signup.status, signup.cancelled_at = SignUp.Status.CANCELLED, timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    if was_signed:
        Task.objects.filter(pk=task.pk).update(taken=F("taken") - 1)
        if task.status in OPEN_STATUSES:
            _promote(task)
    return signup


# ---------------------------------------------------------------- hours and points


@transaction.atomic
def hours_decide(
    *, signup_id: int, actor: User, decision: str, hours: Decimal | None = None, note: str = ""
) -> SignUp:
    """The organiser certifies a person's service: confirm what the check-ins recorded, adjust
    it (with a reason), or decline it (with a reason). A decision is final and pays the points
    at once, under an idempotency key per sign-up, so confirming twice never pays twice; the
    decision row keeps who and why, and nothing is ever deleted."""
    # The task before the sign-up, as `task_cancel` takes them: the sign-up's task is read
    # without a lock (a sign-up never changes task), then each row is locked on its own.
    task_id = SignUp.objects.filter(pk=signup_id).values_list("task_id", flat=True).first()
    task = (
        Task.objects.select_for_update().filter(pk=task_id).first() if task_id is not None else None
    )
    signup = (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=signup_id)
        .first()
        if task is not None
        else None
    )
    if task is None or signup is None or not can_manage(actor, task):
        raise NotFound(_("该报名不存在"))
    signup.task = task
    if decision not in (SignUp.Hours.CONFIRMED, SignUp.Hours.ADJUSTED, SignUp.Hours.DECLINED):
        raise ValidationFailed(_("请选择确认、调整或不予认定"))
    if signup.decided:
        if signup.hours_status == decision and (
            decision != SignUp.Hours.ADJUSTED or signup.hours == hours
        ):
            return signup  # the same decision again: already done, nothing more is paid
        raise Conflict(_("该志愿者的时长已认定，不能更改"))
    if task.status == Task.Status.CANCELLED:
        raise Conflict(_("任务已取消"))
    if signup.status != SignUp.Status.SIGNED:
        raise Conflict(_("该报名已取消或在候补中"))
    now = timezone.now()
    if task.status not in HOURS_STATUSES:
        raise Conflict(_("该任务已结算，不能再认定时长"))
    if now < task.starts_at:
        raise Conflict(_("任务开始后才能认定时长"))
    if (
        task.status != Task.Status.FINISHED
        and signup.checkins.filter(checked_out_at__isnull=True).exists()
    ):
        raise Conflict(_("该志愿者尚未签退，请在其签退或任务结束后再认定"))
    record_hours(task, signup)
    note = note.strip()
    window = Decimal((task.ends_at - task.starts_at).total_seconds()) / 3600
    certified: Decimal | None
    if task.is_activity:
        # Activities record attendance; there are no hours to adjust.
        if decision == SignUp.Hours.ADJUSTED:
            raise ValidationFailed(_("社区活动只确认是否到场，不计时长"))
        certified = None
    elif decision == SignUp.Hours.CONFIRMED:
        if signup.recorded_hours <= 0:
            raise ValidationFailed(_("没有签到签退记录，请调整时长并说明原因，或不予认定"))
        certified = signup.recorded_hours
    elif decision == SignUp.Hours.ADJUSTED:
        if hours is None or not 0 < hours <= window.quantize(HOURS_STEP):
            raise ValidationFailed(
                _("调整后的时长须大于 0 且不超过任务时长 %(h)s 小时")
                % {"h": window.quantize(Decimal("0.1"))}
            )
        if not note:
            raise ValidationFailed(_("调整时长时请说明原因"))
        certified = hours.quantize(HOURS_STEP, rounding=ROUND_HALF_UP)
    else:
        if not note:
            raise ValidationFailed(_("不予认定时请说明原因"))
        certified = Decimal(0)
    HoursDecision.objects.create(
        signup=signup,
        decision=decision,
        recorded_hours=signup.recorded_hours,
        hours=certified,
        note=note[:200],
        decided_by=actor,
    )
    signup.hours_status, signup.hours, signup.hours_note = decision, certified, note[:200]
    signup.hours_by, signup.confirmed_at = actor, now
    if decision != SignUp.Hours.DECLINED:
        _pay(task, signup, certified)
    signup.save()
    _event(
        task,
        actor,
        TaskEvent.Action.HOURS,
        f"{signup.user.name or signup.user.masked_phone}: {signup.get_hours_status_display()}"
        f" {certified if certified is not None else ''} {note}",
    )
    notify(
        recipients=[signup.user],
        title=(
            _("志愿服务已认定：%(t)s，获得活力值 %(p)d") % {"t": task.title, "p": signup.points}
            if decision != SignUp.Hours.DECLINED
            else _("志愿服务未予认定：%(t)s") % {"t": task.title}
        ),
        body=note,
        link="/volunteering/mine/",
        topic=f"volunteer-task:{task.pk}",
    )
    _settle_if_done(task, actor)
    return signup


def _pay(task: Task, signup: SignUp, hours: Decimal | None) -> None:
    """Points by the earning rule (data in points.EarningRule, with its daily cap), from the
    publisher's issuing budget, under one idempotency key per sign-up."""
    per_hour = task.points_rule == Task.PointsRule.PER_HOUR
    if per_hour and not hours:
        return
    code = selectors.rule_code_for(task)
    if code is None:
        return
    if task.issuer_id is None:
        task.issuer = _issuer_for(task)
        Task.objects.filter(pk=task.pk).update(issuer=task.issuer)
    assert task.issuer is not None
    key = f"volunteering:signup:{signup.pk}"
    try:
        transfer = earn(
            rule_code=code,
            owner=signup.user,
            issuer_account=task.issuer,
            quantity=hours if per_hour and hours else 1,
            idempotency_key=key,
            reason=_("志愿服务：%(t)s") % {"t": task.title},
            occurred_at=signup.served_at or task.starts_at,
        )
    except BudgetExhausted as exc:
        raise Conflict(
            _("“%(a)s”的活力值预算不足，请先下拨预算再认定") % {"a": task.issuer.name}
        ) from exc
    earning = Earning.objects.get(idempotency_key=key)
    signup.points, signup.points_transfer = earning.granted, transfer


def _settle_if_done(task: Task, actor: User | None) -> None:
    """A finished task whose every sign-up is decided is settled."""
    task.refresh_from_db(fields=["status"])
    if task.status != Task.Status.FINISHED:
        return
    if task.signups.filter(status=SignUp.Status.SIGNED, hours_status=SignUp.Hours.PENDING).exists():
        return
    _transition(task, Task.Status.SETTLED, actor=actor, action=TaskEvent.Action.SETTLE)


# ---------------------------------------------------------------- the sweep


def tasks_sweep(now: datetime | None = None) -> dict[str, int]:
    """Move tasks through their day. Each move is a conditional UPDATE on the old status, so
    two workers running the sweep at once make each move once."""
    now = now or timezone.now()
    done = {"started": 0, "finished": 0}
    starting = Task.objects.filter(
        status=Task.Status.PUBLISHED, starts_at__lte=now, ends_at__gt=now
    ).values_list("pk", flat=True)[:500]
    for pk in starting:
        with transaction.atomic():
            task = Task.objects.get(pk=pk)
            if Task.objects.filter(pk=pk, status=Task.Status.PUBLISHED).update(
                status=Task.Status.ONGOING
            ):
                _event(
                    task, None, TaskEvent.Action.START, from_status=task.status, to_status="ongoing"
                )
                done["started"] += 1
    ending = Task.objects.filter(status__in=OPEN_STATUSES, ends_at__lte=now).values_list(
        "pk", "status"
    )[:500]
    for pk, old in ending:
        with transaction.atomic():
            if not Task.objects.filter(pk=pk, status=old).update(status=Task.Status.FINISHED):
                continue
            task = Task.objects.select_related("organiser").get(pk=pk)
            _event(task, None, TaskEvent.Action.FINISH, from_status=old, to_status="finished")
            _finish(task)
            done["finished"] += 1
    return done


def _finish(task: Task) -> None:
    # A check-in nobody closed ends at the task's end, flagged for the organiser to look at.
    checkins_close(task, at=task.ends_at)
    for signup in task.signups.filter(status=SignUp.Status.SIGNED).prefetch_related("checkins"):
        record_hours(task, signup)
    waiting = list(task.signups.filter(status=SignUp.Status.WAITLISTED).select_related("user"))
    if waiting:
        SignUp.objects.filter(pk__in=[s.pk for s in waiting]).update(
            status=SignUp.Status.CANCELLED, cancelled_at=task.ends_at
        )
        notify(
            recipients=[s.user for s in waiting],
            title=_("候补未成功：%(t)s 已结束") % {"t": task.title},
            link=f"/volunteering/{task.pk}/",
            topic=f"volunteer-task:{task.pk}",
        )
    if task.signups.filter(status=SignUp.Status.SIGNED).exists():
        notify(
            recipients=[task.organiser],
            title=_("请确认志愿时长：%(t)s") % {"t": task.title},
            link=f"/volunteering/manage/{task.pk}/",
            topic=f"volunteer-task:{task.pk}",
        )
    _settle_if_done(task, None)
