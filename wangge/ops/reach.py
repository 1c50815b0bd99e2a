"""认证率 and 知晓率: who 原点在线 has reached, per community and micro-grid.

* **认证率** — of the registered adult residents living in a unit (the register's persons, 在住,
  of age `REACH_ADULT_AGE` or more), the share whose account is real-name verified. A person
  counts once their register entry is linked to an active account with `real_name_verified_at`
  set; an account not linked to the register, or linked but not verified, does not.
* **知晓率** — of the answers to the standing question a survey marks 【知晓率】 (a single
  choice whose first option is the "yes", such as 知道), the share that chose it; each answer is
  placed in the micro-grid of the household asked (door to door) or of the resident who
  answered online (their register entry).
* **The weekly trend** is read back from the timestamps: at the end of each week, the adults
  then on the register who still live there, and those of them verified by then.

Every read keeps to the user's scope under the unit asked for (an out-of-scope unit does not
exist for them): a 微网格长 sees their own micro-grid and who in it is not yet reached."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.calendar import week_bounds
from wangge.core.errors import PermissionDenied
from wangge.core.scope import in_scope, path_in_scope
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import access_node, home_nodes
from wangge.ledgers.models import Answer, QuestionKind
from wangge.residents.models import Person

# Weeks of the trend shown by default.
TREND_WEEKS = 8


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Reach:
    """One unit's figures."""

    code: str
    name: str
    level: str
    adults: int = 0
    verified: int = 0
    asked: int = 0
    aware: int = 0

    def add(self, row: dict[str, object]) -> None:
        for key in ("adults", "verified", "asked", "aware"):
            value = row.get(key)
            if isinstance(value, int):
                setattr(self, key, getattr(self, key) + value)

    @property
    def verified_rate(self) -> float | None:
        return _share(self.verified, self.adults)

    @property
    def awareness_rate(self) -> float | None:
        return _share(self.aware, self.asked)

    @property
    def not_verified(self) -> int:
        return self.adults - self.verified


@dataclass(frozen=True)
class Week:
    """认证率 at the end of the week starting `week` (a Monday)."""

    week: date
    adults: int
    verified: int

    @property
    def rate(self) -> float | None:
        return _share(self.verified, self.adults)


@dataclass
class ReachReport:
    unit: Reach
    children: list[Reach] = field(default_factory=list)
    trend: list[Week] = field(default_factory=list)


def reach_unit(user: User, code: str | None) -> GridNode:
    """The unit asked for in the user's scope (NotFound outside it); without a code, the
    highest unit the user holds. Grid staff only: residents have no register to count."""
    if not user.is_grid_staff:
        raise PermissionDenied(_("认证率仅供网格工作人员查看"))
    if code:
        return access_node(user, code)
    nodes = home_nodes(user)
    if not nodes:
        raise PermissionDenied(_("您没有负责的网格"))
    return min(nodes, key=lambda n: len(n.path))


def adult_born_by(day: date) -> date:
    """The latest birth date of someone who is an adult on `day` (29 February → 28th)."""
    age = settings.REACH_ADULT_AGE
    try:
        return day.replace(year=day.year - age)
    except ValueError:
        return day.replace(year=day.year - age, day=28)


def _verified_q(until: datetime | None = None) -> Q:
    q = Q(
        account__isnull=False,
        account__is_active=True,
        account__real_name_verified_at__isnull=False,
    )
    if until is not None:
        q &= Q(account__real_name_verified_at__lt=until)
    return q


def adults_registered(user: User, node: GridNode, today: date | None = None) -> QuerySet[Person]:
    """The registered adults living under `node` that the user may see."""
    today = today or timezone.localdate()
    people = in_scope(user, Person.objects.all(), "grid_path")
    return people.filter(
        grid_path__startswith=node.path, is_present=True, birth_date__lte=adult_born_by(today)
    )


def not_yet_verified(user: User, node: GridNode) -> QuerySet[Person]:
    """Who the 微网格长 can help: registered adults under `node` without a verified account."""
    return (
        adults_registered(user, node)
        .exclude(_verified_q())
        .select_related("household__building", "account")
        .order_by("grid_path", "household__building__address", "household__room", "pk")
    )


def _child_units(node: GridNode) -> list[GridNode]:
    if node.level == GridLevel.MICRO:
        return []
    return list(
        GridNode.objects.filter(parent=node)
        .exclude(level=GridLevel.EXCLUSIVE)
        .order_by("code")
        .only("code", "name", "level", "path")
    )


def _by_path(rows: Iterable[dict[str, object]], units: list[Reach], paths: list[str]) -> None:
    """Adds each micro-grid row's counts to the unit whose path holds it."""
    for row in rows:
        path = str(row["path"])
        for unit, prefix in zip(units, paths, strict=True):
            if path.startswith(prefix):
                unit.add(row)
                break


def _awareness_rows(user: User, node: GridNode) -> list[dict[str, object]]:
    """Per micro-grid path under `node`: answers to a 知晓率 question, and those that chose its
    first option. A door-to-door answer belongs to the household's micro-grid, an online one to
    the micro-grid the resident is registered in (unregistered respondents are not placed)."""
    door = "response__building__micro_grid__path"
    online = "response__respondent__resident_record__grid_path"
    answers = (
        Answer.objects.filter(question__counts_awareness=True, question__kind=QuestionKind.SINGLE)
        .filter(Q(**{f"{door}__startswith": node.path}) | Q(**{f"{online}__startswith": node.path}))
        .values_list("choices", door, online)
    )
    counts: dict[str, tuple[int, int]] = {}
    for choices, door_path, online_path in answers:
        path = door_path or online_path
        if not path or not path.startswith(node.path) or not path_in_scope(user, path):
            continue
        asked, aware = counts.get(path, (0, 0))
        counts[path] = (asked + 1, aware + (1 if choices == [0] else 0))
    return [{"path": p, "asked": n, "aware": k} for p, (n, k) in counts.items()]


def reach(user: User, node: GridNode, *, weeks: int = TREND_WEEKS) -> ReachReport:
    """`node`'s 认证率 and 知晓率, each child unit's (communities under a street, grids under a
    community, micro-grids under a grid), and the weekly trend of 认证率."""
    today = timezone.localdate()
    adults = adults_registered(user, node, today)
    rows: list[dict[str, object]] = [
        {"path": r["grid_path"], "adults": r["adults"], "verified": r["verified"]}
        for r in adults.values("grid_path").annotate(
            adults=Count("pk"), verified=Count("pk", filter=_verified_q())
        )
    ]
    awareness = _awareness_rows(user, node)
    unit = Reach(node.code, node.name, node.level)
    _by_path(rows, [unit], [node.path])
    _by_path(awareness, [unit], [node.path])
    children = _child_units(node)
    child_rows = [Reach(c.code, c.name, c.level) for c in children]
    paths = [c.path for c in children]
    _by_path(rows, child_rows, paths)
    _by_path(awareness, child_rows, paths)
    visible = [r for r, c in zip(child_rows, children, strict=True) if path_in_scope(user, c.path)]
    return ReachReport(unit=unit, children=visible, trend=trend(user, node, weeks=weeks))


def trend(user: User, node: GridNode, *, weeks: int = TREND_WEEKS) -> list[Week]:
    """认证率 at the end of each of the last `weeks` weeks, this one included (so far)."""
    today = timezone.localdate()
    this_monday, _next = week_bounds(today)
    people = in_scope(user, Person.objects.all(), "grid_path").filter(
        grid_path__startswith=node.path, is_present=True
    )
    out: list[Week] = []
    zone = timezone.get_current_timezone()
    for back in range(weeks - 1, -1, -1):
        monday = this_monday - timedelta(weeks=back)
        end_day = min(monday + timedelta(days=7), today + timedelta(days=1))
        end = datetime.combine(end_day, datetime.min.time(), tzinfo=zone)
        week = people.filter(
            created_at__lt=end, birth_date__lte=adult_born_by(end_day - timedelta(days=1))
        ).aggregate(adults=Count("pk"), verified=Count("pk", filter=_verified_q(end)))
        out.append(Week(monday, week["adults"], week["verified"]))
    return out
