"""红色厨房's rules: who may be enrolled, the day's plans, what the deliverer records, and the
alert a meal not taken raises (one per meal: a visit by the grid worker the same day and one
message to the emergency contact)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_contact_phone
from wangge.accounts.models import Role, RoleGrant, User
from wangge.core.calendar import midnight
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.core.scope import path_in_scope
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import ancestor
from wangge.kitchen import selectors
from wangge.kitchen.models import (
    MISSED,
    Alert,
    Delivery,
    DeliveryEvent,
    Enrolment,
    Kitchen,
    Meal,
    MealPlan,
    Outcome,
    Payment,
)
from wangge.notifications.services import notify, sms_send
from wangge.residents.models import GroupTag, Person, Visit
from wangge.volunteering.models import SignUp, Task
from wangge.volunteering.services import TaskInput, task_create, task_publish

# Who plans meals and enrols residents: the community's staff and the street's.
KITCHEN_STAFF = frozenset({Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.ADMIN})


def _require_staff(actor: User, path: str) -> None:
    if not (actor.has_role(*KITCHEN_STAFF) and path_in_scope(actor, path)):
        raise PermissionDenied(_("只有社区、街道工作人员可以管理红色厨房"))


# ---------------------------------------------------------------- enrolment


@dataclass(frozen=True)
class EnrolmentInput:
    kitchen_id: int
    contact_name: str
    contact_phone: str
    payment: str
    resident_pays: Decimal
    subsidy: Decimal
    meals: tuple[str, ...] = (Meal.LUNCH,)
    contact_relation: str = ""
    contact_is_guardian: bool = False
    diet: str = ""
    subsidy_source: str = ""
    assessed_visit_id: int | None = None
    starts_on: date | None = None


def eligibility(person: Person, today: date | None = None) -> list[str]:
    """Why `person` may not be enrolled (empty when they may): present, of age, in a group."""
    today = today or timezone.localdate()
    reasons = []
    if not person.is_present:
        reasons.append(_("已不在本网格居住"))
    age = settings.KITCHEN_MIN_AGE
    if person.birth_date > selectors.born_by(today, age):
        reasons.append(_("未满 %(age)s 周岁") % {"age": age})
    groups = set(
        GroupTag.objects.filter(person=person, is_active=True).values_list("group", flat=True)
    )
    if not groups & set(settings.KITCHEN_GROUPS):
        reasons.append(_("不在助餐对象的特殊人群中（空巢、独居、残疾等）"))
    return reasons


@transaction.atomic
def enrol(*, actor: User, person: Person, data: EnrolmentInput) -> Enrolment:
    """Put a resident on a kitchen's list, from the register."""
    _require_staff(actor, person.grid_path)
    kitchen = Kitchen.objects.filter(pk=data.kitchen_id, is_active=True).first()
    if kitchen is None or not person.grid_path.startswith(kitchen.grid_path):
        raise ValidationFailed(_("请选择服务该老人所在社区的红色厨房"), field="kitchen")
    reasons = eligibility(person)
    if reasons:
        raise ValidationFailed(
            _("%(name)s不符合助餐条件：%(why)s") % {"name": person.name, "why": "；".join(reasons)}
        )
    name = data.contact_name.strip()
    if not name:
        raise ValidationFailed(_("请填写紧急联系人"), field="contact_name")
    try:
        phone = normalize_contact_phone(data.contact_phone)
    except DjangoValidationError as exc:
        raise ValidationFailed(_("紧急联系人电话格式不正确"), field="contact_phone") from exc
    if data.payment not in Payment.values:
        raise ValidationFailed(_("付费方式不正确"), field="payment")
    if data.resident_pays < 0 or data.subsidy < 0:
        raise ValidationFailed(_("金额不能为负数"), field="resident_pays")
    if data.payment == Payment.FREE and data.resident_pays:
        raise ValidationFailed(_("全额补贴时个人每餐应为 0 元"), field="resident_pays")
    if data.payment == Payment.SELF and data.subsidy:
        raise ValidationFailed(_("自费时补贴每餐应为 0 元"), field="subsidy")
    meals = [m for m in data.meals if m in Meal.values]
    if not meals:
        raise ValidationFailed(_("请至少选择一餐"), field="meals")
    visit = None
    if data.assessed_visit_id is not None:
        visit = Visit.objects.filter(pk=data.assessed_visit_id, person=person).first()
        if visit is None:
            raise ValidationFailed(_("评估走访不是这位老人的走访记录"), field="assessed_visit")
    enrolment = Enrolment(
        person=person,
        kitchen=kitchen,
        meals=",".join(sorted(set(meals), key=Meal.values.index)),
        diet=data.diet.strip()[:200],
        contact_name=name[:50],
        contact_relation=data.contact_relation.strip()[:20],
        contact_is_guardian=data.contact_is_guardian,
        payment=data.payment,
        resident_pays=data.resident_pays,
        subsidy=data.subsidy,
        subsidy_source=data.subsidy_source.strip()[:80],
        assessed_visit=visit,
        starts_on=data.starts_on or timezone.localdate(),
        enrolled_by=actor,
        grid_path=person.grid_path,
    )
    enrolment.contact_phone = phone
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as exc:
        raise Conflict(_("%(name)s已在助餐名单中") % {"name": person.name}) from exc
    return enrolment


@transaction.atomic
def enrolment_end(*, actor: User, enrolment_id: int, reason: str) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().filter(pk=enrolment_id).first()
    if enrolment is None or not path_in_scope(actor, enrolment.grid_path):
        raise NotFound(_("助餐登记不存在"))
    _require_staff(actor, enrolment.grid_path)
    if not enrolment.is_active:
        return enrolment
    if not reason.strip():
        raise ValidationFailed(_("请填写停止原因"), field="reason")
    enrolment.is_active = False
    enrolment.ended_on = timezone.localdate()
    enrolment.end_reason = reason.strip()[:100]
    enrolment.save(update_fields=["is_active", "ended_on", "end_reason", "updated_at"])
    # Meals not yet delivered are not waited for any more.
    Delivery.objects.filter(
        enrolment=enrolment, outcome=Outcome.PENDING, plan__closed_at__isnull=True
    ).delete()
    return enrolment


# ---------------------------------------------------------------- the day's plans


@dataclass(frozen=True)
class PlanInput:
    kitchen_id: int
    day: date
    meal: str
    window_start: time
    window_end: time
    menu: str = ""
    # Deliverers wanted per grid: the volunteering task's slots.
    deliverers: int = 2


def _grid_of(path: str, grids: dict[str, GridNode]) -> GridNode | None:
    for grid_path, grid in grids.items():
        if path.startswith(grid_path):
            return grid
    return None


@transaction.atomic
def plan_day(*, actor: User, data: PlanInput) -> list[MealPlan]:
    """The kitchen's meal for the day: one plan per grid that has residents enrolled for it,
    each with a delivery to every one of them and a volunteering task for its deliverers.
    Planned again, a grid's plan is kept and residents enrolled since are added."""
    kitchen = Kitchen.objects.filter(pk=data.kitchen_id, is_active=True).first()
    if kitchen is None or not path_in_scope(actor, kitchen.grid_path):
        raise NotFound(_("红色厨房不存在"))
    _require_staff(actor, kitchen.grid_path)
    if data.meal not in Meal.values:
        raise ValidationFailed(_("餐次不正确"), field="meal")
    if data.window_end <= data.window_start:
        raise ValidationFailed(_("送达截止须晚于送达开始"), field="window_end")
    start = timezone.make_aware(datetime.combine(data.day, data.window_start))
    end = timezone.make_aware(datetime.combine(data.day, data.window_end))
    if end <= timezone.now():
        raise ValidationFailed(_("送达截止时间已过，请选择今天以后的时间"), field="window_end")
    if not 1 <= data.deliverers <= 50:
        raise ValidationFailed(_("送餐人数须在 1 到 50 之间"), field="deliverers")
    enrolled = [
        e
        for e in Enrolment.objects.filter(kitchen=kitchen, is_active=True, starts_on__lte=data.day)
        if data.meal in e.meal_list
    ]
    if not enrolled:
        raise ValidationFailed(_("这一餐还没有登记的助餐老人"))
    grids = {
        g.path: g
        for g in GridNode.objects.filter(
            level=GridLevel.GRID, path__startswith=kitchen.grid_path
        ).order_by("-depth")
    }
    by_grid: dict[int, tuple[GridNode, list[Enrolment]]] = {}
    for e in enrolled:
        grid = _grid_of(e.grid_path, grids)
        if grid is None:
            continue
        by_grid.setdefault(grid.pk, (grid, []))[1].append(e)
    plans = []
    meal_label = Meal(data.meal).label
    for grid, members in by_grid.values():
        plan, created = MealPlan.objects.get_or_create(
            kitchen=kitchen,
            grid=grid,
            day=data.day,
            meal=data.meal,
            defaults={
                "window_start": start,
                "window_end": end,
                "menu": data.menu.strip()[:200],
                "created_by": actor,
                "grid_path": grid.path,
            },
        )
        if plan.closed_at is not None:
            continue
        if created:
            task = task_create(
                organiser=actor,
                data=TaskInput(
                    kind=Task.Kind.TASK,
                    publisher_kind=Task.PublisherKind.PARTY_ORG,
                    publisher_name=kitchen.name,
                    title=_("红色厨房送餐：%(grid)s %(day)s%(meal)s")
                    % {"grid": grid.name, "day": f"{data.day:%m月%d日}", "meal": meal_label},
                    description=_(
                        "在%(kitchen)s取餐，按名单点对点送到老人家中，逐户记录已送达、不在家或拒收。"
                    )
                    % {"kitchen": kitchen.name},
                    place=kitchen.address,
                    lon=kitchen.lon,
                    lat=kitchen.lat,
                    # Collection a quarter of an hour before the window opens.
                    starts_at=start - timedelta(minutes=15),
                    ends_at=end,
                    slots=data.deliverers,
                    category="care",
                    checkin_method=Task.CheckinMethod.EITHER,
                ),
            )
            plan.task = task_publish(task_id=task.pk, actor=actor)
            plan.save(update_fields=["task"])
        have = set(plan.deliveries.values_list("enrolment_id", flat=True))
        Delivery.objects.bulk_create(
            Delivery(plan=plan, enrolment=e, grid_path=e.grid_path)
            for e in members
            if e.pk not in have
        )
        plans.append(plan)
    return plans


# ---------------------------------------------------------------- at the door


def may_record(user: User, plan: MealPlan) -> bool:
    """The plan's deliverers (signed up to its task) and the staff of its grid."""
    if user.is_grid_staff and path_in_scope(user, plan.grid_path):
        return True
    return (
        plan.task_id is not None
        and SignUp.objects.filter(
            task_id=plan.task_id, user=user, status=SignUp.Status.SIGNED
        ).exists()
    )


class OutcomeChangeUnconfirmed(Conflict):
    """A recorded outcome changed without `confirm`: one tap must never undo what an alert
    has already set going (the grid worker told to visit, the family texted)."""


@transaction.atomic
def delivery_record(
    *,
    actor: User,
    delivery_id: int,
    outcome: str,
    at: datetime | None = None,
    note: str = "",
    confirm: bool = False,
) -> Delivery:
    """已送达 / 不在家 / 拒收 at the door. A meal not taken raises its alert at once; a later
    已送达 (a second knock) withdraws it. `at` is the phone's time at the door.

    A recorded outcome is changed only with `confirm` (the round's 更改结果, which says what
    the change undoes); the same outcome again is the record already kept. Every record is
    kept in the meal's history (`DeliveryEvent`), so the grid worker sees what was recorded
    and when, not only the last word."""
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("plan", "enrolment__person")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or not may_record(actor, delivery.plan):
        raise NotFound(_("送餐记录不存在或您不是这一餐的送餐人"))
    if outcome not in (Outcome.DELIVERED, *MISSED):
        raise ValidationFailed(_("请选择已送达、不在家或拒收"), field="outcome")
    now = timezone.now()
    at = at or now
    plan = delivery.plan
    if at > now + timedelta(minutes=5):
        raise ValidationFailed(_("记录时间不能晚于现在"), field="at")
    if at < plan.window_start - timedelta(hours=2) or at > plan.window_end + timedelta(hours=12):
        raise ValidationFailed(_("记录时间不在这一餐的送餐时段内"), field="at")
    previous = delivery.outcome
    if previous == outcome:
        # A second tap, or the same record sent again without its key: already kept.
        return delivery
    if previous != Outcome.PENDING and not confirm:
        raise OutcomeChangeUnconfirmed(_unconfirmed_message(delivery, outcome))
    delivery.outcome = outcome
    delivery.recorded_at = at
    delivery.received_at = now
    delivery.recorded_by = actor
    delivery.note = note.strip()[:200]
    delivery.save(update_fields=["outcome", "recorded_at", "received_at", "recorded_by", "note"])
    DeliveryEvent.objects.create(
        delivery=delivery,
        outcome=outcome,
        replaced="" if previous == Outcome.PENDING else previous,
        recorded_at=at,
        received_at=now,
        recorded_by=actor,
        note=delivery.note,
    )
    if outcome in MISSED:
        if alert_raise(delivery=delivery, reason=outcome) is None:
            _alert_restate(delivery=delivery, reason=outcome)
    else:
        _alert_withdraw(delivery=delivery, now=now)
    return delivery


def _unconfirmed_message(delivery: Delivery, outcome: str) -> str:
    alert = Alert.objects.filter(delivery=delivery, withdrawn_at__isnull=True).first()
    recorded = delivery.recorded_at
    was = {
        "name": delivery.enrolment.person.name,
        "was": Outcome(delivery.outcome).label,
        "time": f"{timezone.localtime(recorded):%H:%M}" if recorded else "",
        "new": Outcome(outcome).label,
    }
    if alert is not None:
        return (
            _(
                "%(name)s已于 %(time)s 记录为“%(was)s”，网格员已收到上门提醒，家属已收到短信。"
                "确需改为“%(new)s”，请点“更改结果”并确认。"
            )
            % was
        )
    return (
        _("%(name)s已于 %(time)s 记录为“%(was)s”。确需改为“%(new)s”，请点“更改结果”并确认。") % was
    )


def _what(plan: MealPlan) -> str:
    return _("%(day)s%(meal)s") % {"day": f"{plan.day:%m月%d日}", "meal": plan.get_meal_display()}


def _alert_withdraw(*, delivery: Delivery, now: datetime) -> None:
    """The meal was taken after all: the open alert is withdrawn, and those it set going are
    told, so the grid worker does not climb the stairs for nothing and the family is not left
    worrying."""
    alert = (
        Alert.objects.select_related("worker")
        .filter(delivery=delivery, withdrawn_at__isnull=True)
        .first()
    )
    if alert is None:
        return
    Alert.objects.filter(pk=alert.pk).update(withdrawn_at=now)
    person = delivery.enrolment.person
    what = _what(delivery.plan)
    if alert.worker is not None:
        notify(
            recipients=[alert.worker],
            title=_("红色厨房：%(name)s%(what)s后来已送达，上门提醒已撤销")
            % {"name": person.name, "what": what},
            link=f"/kitchen/alerts/{alert.pk}/",
            topic=f"kitchen-alert-withdrawn:{alert.pk}",
            event="kitchen_alert",
        )
    phone = delivery.enrolment.contact_phone
    if alert.contact_told_at is not None and phone:
        sms_send(
            phone=phone,
            body=_("【原点在线】%(contact)s您好：%(name)s的%(meal)s后来已送到，请放心。")
            % {
                "contact": delivery.enrolment.contact_name,
                "name": person.name,
                "meal": delivery.plan.get_meal_display(),
            },
        )


def _alert_restate(*, delivery: Delivery, reason: str) -> None:
    """The meal has had its alert (one per meal): a withdrawn one stands again, for the new
    reason, and the grid worker is told again; an open one takes the new reason."""
    alert = Alert.objects.select_related("worker").filter(delivery=delivery).first()
    if alert is None:
        return
    reopened = alert.withdrawn_at is not None
    Alert.objects.filter(pk=alert.pk).update(reason=reason, withdrawn_at=None)
    if reopened and alert.worker is not None:
        person = delivery.enrolment.person
        notify(
            recipients=[alert.worker],
            title=_("红色厨房：%(name)s%(what)s%(why)s，请今天上门看看")
            % {"name": person.name, "what": _what(delivery.plan), "why": Outcome(reason).label},
            body=_("地址：%(address)s。走访后请在老人的页面记录走访。")
            % {"address": selectors.home_address(person)},
            link=f"/kitchen/alerts/{alert.pk}/",
            topic=f"kitchen-alert-again:{alert.pk}",
            event="kitchen_alert",
        )


# ---------------------------------------------------------------- the alert


def _worker_for(path: str) -> User | None:
    """The grid worker of the grid the resident lives in (its 网格长 when it has none)."""
    micro = GridNode.objects.filter(path=path).first()
    grid = ancestor(micro, GridLevel.GRID) if micro is not None else None
    if grid is None:
        return None
    for role in (Role.GRID_WORKER, Role.GRID_LEADER):
        grant = (
            RoleGrant.objects.filter(node=grid, role=role, user__is_active=True)
            .select_related("user")
            .order_by("user_id")
            .first()
        )
        if grant is not None:
            return grant.user
    return None


def alert_raise(*, delivery: Delivery, reason: str) -> Alert | None:
    """One alert for a meal not taken (None when it had one already): the grid worker is told
    to visit before the day ends, the 微网格长 is told too, and the emergency contact gets one
    text message, after the surrounding transaction commits."""
    person = delivery.enrolment.person
    now = timezone.now()
    worker = _worker_for(person.grid_path)
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                delivery=delivery,
                person=person,
                reason=reason,
                raised_at=now,
                visit_due=midnight(timezone.localdate(now) + timedelta(days=1)),
                worker=worker,
                grid_path=person.grid_path,
            )
    except IntegrityError:
        return None
    plan = delivery.plan
    what = _what(plan)
    why = Outcome(reason).label
    leaders = list(
        User.objects.filter(
            grants__role=Role.MICRO_GRID_LEADER,
            grants__node__path=person.grid_path,
            is_active=True,
        )
    )
    notify(
        recipients=[u for u in [worker, *leaders] if u is not None],
        title=_("红色厨房：%(name)s%(what)s%(why)s，请今天上门看看")
        % {"name": person.name, "what": what, "why": why},
        body=_("地址：%(address)s。走访后请在老人的页面记录走访。")
        % {"address": selectors.home_address(person)},
        link=f"/kitchen/alerts/{alert.pk}/",
        topic=f"kitchen-alert:{alert.pk}",
        event="kitchen_alert",
    )
    enrolment = delivery.enrolment
    phone = enrolment.contact_phone
    if phone:
        worker_name = worker.name if worker is not None else _("网格员")
        sms_send(
            phone=phone,
            body=_(
                "【原点在线】%(contact)s您好：红色厨房今天给%(name)s送%(what)s时%(why)s，"
                "网格员%(worker)s今天会上门看看。如有情况请联系社区。"
            )
            % {
                "contact": enrolment.contact_name,
                "name": person.name,
                "what": plan.get_meal_display(),
                "why": why,
                "worker": worker_name,
            },
        )
        Alert.objects.filter(pk=alert.pk).update(contact_told_at=now)
    return alert


def plans_close(now: datetime | None = None) -> dict[str, int]:
    """Every few minutes: each plan whose window has passed raises an alert for every meal
    still waiting, then is closed. Plans are taken one at a time under a lock that other
    workers skip, so two sweeps never both raise (and the alert is one per meal anyway)."""
    now = now or timezone.now()
    closed = raised = 0
    while True:
        with transaction.atomic():
            plan = (
                MealPlan.objects.select_for_update(skip_locked=True)
                .filter(closed_at__isnull=True, window_end__lte=now)
                .order_by("window_end", "pk")
                .first()
            )
            if plan is None:
                break
            # Each waiting meal is locked as the deliverer's record locks it, so a 不在家
            # arriving now either lands first (and the meal is no longer waiting) or waits
            # for this alert; neither side waits on the other's alert.
            waiting = (
                Delivery.objects.select_for_update(of=("self",))
                .filter(plan=plan, outcome=Outcome.PENDING)
                .select_related("plan", "enrolment__person")
                .order_by("pk")
            )
            for delivery in waiting:
                if alert_raise(delivery=delivery, reason=Outcome.PENDING) is not None:
                    raised += 1
            plan.closed_at = now
            plan.save(update_fields=["closed_at"])
            closed += 1
    return {"closed": closed, "raised": raised}
