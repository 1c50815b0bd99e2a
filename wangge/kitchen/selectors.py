"""红色厨房's reads: kitchens, enrolments and plans in the user's scope, a deliverer's meals of
the day, open alerts with whether the visit was made, and the monthly figures per community."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.calendar import midnight, month_bounds
from wangge.core.errors import NotFound, PermissionDenied
from wangge.core.scope import in_scope, path_in_scope
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import home_nodes
from wangge.kitchen.models import (
    Alert,
    Delivery,
    DeliveryEvent,
    Enrolment,
    Kitchen,
    MealPlan,
    Outcome,
)
from wangge.residents.models import GroupTag, Person, Visit
from wangge.volunteering.models import SignUp


def born_by(day: date, age: int) -> date:
    """The latest birth date of someone `age` or older on `day` (29 February → the 28th)."""
    try:
        return day.replace(year=day.year - age)
    except ValueError:
        return day.replace(year=day.year - age, day=28)


def home_address(person: Person) -> str:
    home = person.household
    return f"{home.building.address} {home.room}".strip()


def require_staff(user: User) -> None:
    if not user.is_grid_staff:
        raise PermissionDenied(_("红色厨房的名单和计划仅供网格工作人员查看"))


def kitchens(user: User) -> QuerySet[Kitchen]:
    """Kitchens serving a unit the user works in, or lying inside it."""
    paths = user.scope_paths()
    qs = Kitchen.objects.filter(is_active=True).select_related("node")
    if paths is None:
        return qs
    q = Q(pk__in=[])
    for path in paths:
        # A kitchen of the street serves the community staff's residents too.
        q |= Q(grid_path__startswith=path) | Q(
            grid_path__in=[path[:i] for i in range(1, len(path) + 1)]
        )
    return qs.filter(q)


def enrolments(user: User, *, active: bool = True) -> QuerySet[Enrolment]:
    qs = in_scope(user, Enrolment.objects.filter(is_active=active), "grid_path")
    return qs.select_related("person__household__building", "kitchen").order_by(
        "grid_path", "person__household__building__address", "person__household__room", "pk"
    )


def candidates(user: User, today: date | None = None) -> QuerySet[Person]:
    """Registered residents who may be enrolled and are not: present, of age, in a group."""
    today = today or timezone.localdate()
    tagged = GroupTag.objects.filter(
        person=OuterRef("pk"), is_active=True, group__in=settings.KITCHEN_GROUPS
    )
    enrolled = Enrolment.objects.filter(person=OuterRef("pk"), is_active=True)
    last_visit = Visit.objects.filter(person=OuterRef("pk")).order_by("-visited_at")
    people = in_scope(user, Person.objects.all(), "grid_path")
    return (
        people.filter(is_present=True, birth_date__lte=born_by(today, settings.KITCHEN_MIN_AGE))
        .filter(Exists(tagged))
        .exclude(Exists(enrolled))
        .annotate(last_visit_at=last_visit.values("visited_at")[:1])
        .select_related("household__building")
        .order_by("grid_path", "household__building__address", "household__room", "pk")
    )


def plans_of_day(user: User, day: date) -> QuerySet[MealPlan]:
    """The day's plans the user may see, with their counts by outcome."""
    qs = in_scope(user, MealPlan.objects.filter(day=day), "grid_path")
    return (
        qs.select_related("kitchen", "grid", "task")
        .annotate(
            total=Count("deliveries"),
            delivered=Count("deliveries", filter=Q(deliveries__outcome=Outcome.DELIVERED)),
            pending=Count("deliveries", filter=Q(deliveries__outcome=Outcome.PENDING)),
            missed=Count("deliveries", filter=Q(deliveries__alert__isnull=False)),
        )
        .order_by("window_start", "grid_path", "pk")
    )


def access_plan(user: User, plan_id: int) -> MealPlan:
    plan = MealPlan.objects.select_related("kitchen", "grid", "task").filter(pk=plan_id).first()
    if plan is None or not (
        (user.is_grid_staff and path_in_scope(user, plan.grid_path)) or _delivers(user, plan)
    ):
        raise NotFound(_("送餐计划不存在或无权查看"))
    return plan


def _delivers(user: User, plan: MealPlan) -> bool:
    return (
        plan.task_id is not None
        and SignUp.objects.filter(
            task_id=plan.task_id, user=user, status=SignUp.Status.SIGNED
        ).exists()
    )


def deliveries(plan: MealPlan) -> QuerySet[Delivery]:
    """A plan's meals, those still waiting first (the round's next doors, where they were at
    the bottom under the recorded ones), then by where they live; each with its history of
    records (`events`), which the grid worker reads when a record was changed."""
    waiting_first = Case(When(outcome=Outcome.PENDING, then=Value(0)), default=Value(1))
    return (
        Delivery.objects.filter(plan=plan)
        .select_related("enrolment__person__household__building", "recorded_by", "alert")
        .prefetch_related(
            Prefetch("events", queryset=DeliveryEvent.objects.select_related("recorded_by"))
        )
        .order_by(
            waiting_first, "grid_path", "enrolment__person__household__building__address", "pk"
        )
    )


def my_rounds(user: User, day: date) -> list[MealPlan]:
    """The plans of `day` whose delivery task the user signed up for (a deliverer's list)."""
    tasks = SignUp.objects.filter(user=user, status=SignUp.Status.SIGNED).values("task_id")
    return list(
        MealPlan.objects.filter(day=day, task_id__in=tasks)
        .select_related("kitchen", "grid")
        .order_by("window_start", "pk")
    )


def _visited() -> Exists:
    return Exists(
        Visit.objects.filter(person=OuterRef("person"), visited_at__gte=OuterRef("raised_at"))
    )


def alerts(user: User, *, open_only: bool = False) -> QuerySet[Alert]:
    """Alerts in the user's scope, each with `visited` (a visit recorded since it was raised)."""
    require_staff(user)
    qs = in_scope(user, Alert.objects.all(), "grid_path").annotate(visited=_visited())
    if open_only:
        qs = qs.filter(visited=False, withdrawn_at__isnull=True)
    return qs.select_related(
        "person__household__building", "delivery__plan__kitchen", "worker"
    ).order_by("-raised_at", "-pk")


def access_alert(user: User, alert_id: int) -> Alert:
    found = alerts(user).filter(pk=alert_id).first()
    if found is None:
        raise NotFound(_("提醒不存在或无权查看"))
    return found


def report_unit(user: User, code: str | None) -> GridNode:
    """The unit whose figures are asked for, in scope; without a code, the user's highest."""
    require_staff(user)
    if code:
        node = GridNode.objects.filter(code=code).first()
        if node is None or not path_in_scope(user, node.path):
            raise NotFound(_("网格不存在或无权查看"))
        return node
    nodes = home_nodes(user)
    if not nodes:
        raise PermissionDenied(_("您没有负责的网格"))
    return min(nodes, key=lambda n: len(n.path))


@dataclass
class MonthRow:
    code: str
    name: str
    enrolled: int = 0
    meals: int = 0
    delivered: int = 0
    not_home: int = 0
    refused: int = 0
    not_delivered: int = 0
    alerts: int = 0
    visited_same_day: int = 0

    @property
    def delivered_rate(self) -> float | None:
        return round(self.delivered / self.meals, 4) if self.meals else None


@dataclass
class MonthReport:
    month: date
    unit: MonthRow
    rows: list[MonthRow] = field(default_factory=list)


def _unit_rows(node: GridNode) -> list[GridNode]:
    """The communities under `node` (or `node` itself from a community down)."""
    if node.level in (GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.MICRO, GridLevel.EXCLUSIVE):
        return [node]
    return list(
        GridNode.objects.filter(path__startswith=node.path, level=GridLevel.COMMUNITY).order_by(
            "path"
        )
    )


def month_figures(user: User, node: GridNode, month: date) -> MonthReport:
    """Per community (or the unit itself below a community): residents enrolled during the
    month, meals planned and their outcomes, alerts and those visited the same day."""
    first, last = month_bounds(month)
    start, end = midnight(first), midnight(last)
    units = _unit_rows(node)
    rows = [MonthRow(u.code, u.name) for u in units]
    total = MonthRow(node.code, node.name)
    # A meal counts once recorded, or once its window passed without a record.
    meals = in_scope(
        user,
        Delivery.objects.filter(plan__day__gte=first, plan__day__lt=last).filter(
            Q(plan__closed_at__isnull=False) | ~Q(outcome=Outcome.PENDING)
        ),
        "grid_path",
    )
    enrolled = in_scope(
        user,
        Enrolment.objects.filter(starts_on__lt=last).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=first)
        ),
        "grid_path",
    )
    raised = in_scope(
        user, Alert.objects.filter(raised_at__gte=start, raised_at__lt=end), "grid_path"
    )
    same_day = Exists(
        Visit.objects.filter(
            person=OuterRef("person"),
            visited_at__gte=OuterRef("raised_at"),
            visited_at__lt=OuterRef("visit_due"),
        )
    )
    for row, unit in zip(rows, units, strict=True):
        scoped = Q(grid_path__startswith=unit.path)
        counts = meals.filter(scoped).aggregate(
            meals=Count("pk"),
            delivered=Count("pk", filter=Q(outcome=Outcome.DELIVERED)),
            not_home=Count("pk", filter=Q(outcome=Outcome.NOT_HOME)),
            refused=Count("pk", filter=Q(outcome=Outcome.REFUSED)),
            not_delivered=Count("pk", filter=Q(outcome=Outcome.PENDING)),
        )
        for key, value in counts.items():
            setattr(row, key, value)
        row.enrolled = enrolled.filter(scoped).values("person").distinct().count()
        alert_counts = (
            raised.filter(scoped)
            .annotate(same=same_day)
            .aggregate(alerts=Count("pk"), visited=Count("pk", filter=Q(same=True)))
        )
        row.alerts, row.visited_same_day = alert_counts["alerts"], alert_counts["visited"]
    for row in rows:
        for key in (
            "enrolled",
            "meals",
            "delivered",
            "not_home",
            "refused",
            "not_delivered",
            "alerts",
            "visited_same_day",
        ):
            setattr(total, key, getattr(total, key) + getattr(row, key))
    return MonthReport(first, total, rows if len(rows) > 1 or rows[0].code != node.code else [])
