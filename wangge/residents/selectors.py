"""Reads about households and people, always through the acting user's grid scope."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.cases.models import OPEN_STATUSES
from wangge.cases.selectors import cases_visible
from wangge.core.errors import NotFound
from wangge.core.scope import in_scope
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.points.models import Earning
from wangge.residents.models import (
    OPEN_DISPUTE_STATUSES,
    Dispute,
    DisputeKind,
    GroupTag,
    Household,
    Person,
    SecurityTag,
    SpecialGroup,
    Visit,
    VisitPhoto,
    Wish,
    WishPhoto,
    WishStatus,
)

SECURITY_PERMISSION = "residents.view_securitytag"


def may_see_security(user: User) -> bool:
    """The GB/T 31000 categories are granted one by one (the model's view permission, through
    the admin), never by a role alone: a grid worker's role does not open them."""
    return user.is_authenticated and user.has_perm(SECURITY_PERMISSION)


# Who may sign up for a wish (微心愿): residents and party members, not staff.
VOLUNTEER_ROLES = (Role.PARTY_MEMBER, Role.RESIDENT)


def persons_visible(user: User) -> QuerySet[Person]:
    """Everyone on the register in the user's subtree; nothing for residents and outsiders."""
    return in_scope(user, Person.objects.all(), "grid_path")


def households_visible(user: User) -> QuerySet[Household]:
    return in_scope(user, Household.objects.all(), "grid_path")


def access_person(user: User, person_id: int) -> Person:
    """A person the user may see, or NotFound (also when they exist out of scope)."""
    person = (
        persons_visible(user)
        .select_related("household__building__micro_grid", "account")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise NotFound(_("人员不存在或无权查看"))
    return person


@dataclass
class PersonFilter:
    q: str = ""
    grid: str = ""  # a node code: only people under it
    building: str = ""
    residence: str = ""
    group: str = ""
    present: bool | None = True


def person_list(user: User, f: PersonFilter) -> QuerySet[Person]:
    rows = persons_visible(user).select_related("household__building")
    if f.present is not None:
        rows = rows.filter(is_present=f.present)
    if f.q:
        rows = rows.filter(
            Q(name__contains=f.q)
            | Q(household__room=f.q)
            | Q(household__building__address__contains=f.q)
        )
    if f.grid:
        node = GridNode.objects.filter(code=f.grid).only("path").first()
        rows = rows.filter(grid_path__startswith=node.path) if node else rows.none()
    if f.building:
        rows = rows.filter(household__building__code=f.building)
    if f.residence:
        rows = rows.filter(residence=f.residence)
    if f.group:
        rows = rows.filter(tags__group=f.group, tags__is_active=True)
    return rows.order_by("household__building__code", "household__room", "pk")


def person_history(user: User, person: Person) -> dict[str, object]:
    """What the detail page shows beside the person: moves and tags (and the
    GB/T 31000 categories, only for a user granted them)."""
    return {
        "moves": list(person.moves.select_related("household__building", "recorded_by")),
        "tags": list(person.tags.filter(is_active=True)),
        "security_tags": list(security_tags_visible(user).filter(person=person, is_active=True)),
    }


def person_visits(person: Person) -> QuerySet[Visit]:
    """A person's visits, newest first (the detail page shows them a page at a time)."""
    return person.visits.select_related("visitor", "case").order_by("-visited_at", "-pk")


def person_wishes(person: Person) -> QuerySet[Wish]:
    return person.wishes.select_related("claimed_by").order_by("-created_at", "-pk")


def security_tags_visible(user: User) -> QuerySet[SecurityTag]:
    """GB/T 31000 categories in the user's scope, and none at all without the permission."""
    if not may_see_security(user):
        return SecurityTag.objects.none()
    return in_scope(user, SecurityTag.objects.all(), "grid_path")


@dataclass(frozen=True)
class OverdueVisit:
    person: Person
    groups: list[str]
    every_days: int
    last_visit: date | None
    due_on: date

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.due_on).days


def overdue_visits(user: User, today: date | None = None, under: str = "") -> list[OverdueVisit]:
    """People in special groups in the user's grid whose next visit is due or past, longest
    overdue first. The shortest frequency of a person's groups sets when the next one is due."""
    today = today or timezone.localdate()
    tagged = (
        persons_visible(user)
        .filter(is_present=True, tags__is_active=True, grid_path__startswith=under)
        .annotate(every=Min("tags__visit_every_days"), last=Max("visits__visited_at"))
        .select_related("household__building")
        .prefetch_related("tags")
    )
    groups: dict[int, list[str]] = {}
    labels = dict(SpecialGroup.choices)
    for tag in in_scope(user, GroupTag.objects.filter(is_active=True), "grid_path").values_list(
        "person_id", "group"
    ):
        groups.setdefault(tag[0], []).append(str(labels[tag[1]]))
    out: list[OverdueVisit] = []
    for p in tagged:
        last = timezone.localdate(p.last) if p.last else None
        every: int = p.every
        # Never visited: due from the day the person was put on the register.
        due = last + timedelta(days=every) if last else timezone.localdate(p.created_at)
        if due <= today:
            out.append(
                OverdueVisit(
                    person=p,
                    groups=groups.get(p.pk, []),
                    every_days=every,
                    last_visit=last,
                    due_on=due,
                )
            )
    out.sort(key=lambda o: (o.due_on, o.person.pk))
    return out


def visits_visible(user: User) -> QuerySet[Visit]:
    return in_scope(user, Visit.objects.all(), "grid_path")


def visit_photo_visible(user: User, name: str) -> bool:
    """The protected media view's question for a visit photo: staff whose subtree holds the
    visit, as for the visit itself."""
    photo = VisitPhoto.objects.filter(Q(image=name) | Q(thumb=name)).only("visit_id").first()
    return photo is not None and visits_visible(user).filter(pk=photo.visit_id).exists()


RESIDENT_CHANNELS = ("resident", "snapshot", "hotline", "assistant", "open311")


def six_elements(user: User, node: GridNode) -> dict[str, object]:
    """六要素 of a grid node the user may see (the caller got it through access_node): counts a
    worker can read in a minute. 物 and 组织 come from ledgers.selectors.six_things."""
    prefix = node.path
    persons = persons_visible(user).filter(grid_path__startswith=prefix, is_present=True)
    people = persons.aggregate(
        total=Count("id"),
        huji=Count("id", filter=Q(residence="huji")),
        changzhu=Count("id", filter=Q(residence="changzhu")),
        liudong=Count("id", filter=Q(residence="liudong")),
        elderly=Count("id", filter=Q(birth_date__lte=_years_ago(60))),
    )
    labels = dict(SpecialGroup.choices)
    groups = [
        (labels[row["group"]], row["n"])
        for row in in_scope(user, GroupTag.objects.all(), "grid_path")
        .filter(grid_path__startswith=prefix, is_active=True, person__is_present=True)
        .values("group")
        .annotate(n=Count("id"))
        .order_by("group")
    ]
    households = households_visible(user).filter(grid_path__startswith=prefix)
    place = households.aggregate(
        households=Count("id"), rentals=Count("id", filter=Q(is_rental=True))
    )
    place["buildings"] = Building.objects.filter(micro_grid__path__startswith=prefix).count()
    place["exclusive"] = GridNode.objects.filter(
        path__startswith=prefix, level=GridLevel.EXCLUSIVE
    ).count()
    place["micro_grids"] = GridNode.objects.filter(
        path__startswith=prefix, level=GridLevel.MICRO
    ).count()
    cases = cases_visible(user).filter(grid_path__startswith=prefix)
    now = timezone.now()
    open_cases = cases.filter(status__in=OPEN_STATUSES)
    month_ago = now - timedelta(days=30)
    situation = {
        "open_needs": open_cases.filter(channel__in=RESIDENT_CHANNELS).count(),
        "follow_ups": visits_visible(user)
        .filter(grid_path__startswith=prefix, visited_at__gte=month_ago)
        .exclude(follow_up="")
        .count(),
        "overdue_visits": len(overdue_visits(user, under=prefix)),
    }
    events = {
        "open": open_cases.count(),
        "overdue": open_cases.filter(due_at__lt=now).count(),
        "last_30_days": cases.filter(created_at__gte=month_ago).count(),
        "recent": list(cases.order_by("-created_at")[:8]),
    }
    return {
        "people": people,
        "groups": groups,
        "situation": situation,
        "place": place,
        "events": events,
    }


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def wishes_visible(user: User) -> QuerySet[Wish]:
    """The whole 心愿台账 of the staff's grid, with the person and the detail."""
    if not user.is_authenticated or not user.is_grid_staff:
        return Wish.objects.none()
    return in_scope(user, Wish.objects.all(), "grid_path")


def _community_prefixes(user: User) -> list[str]:
    # A volunteer serves the community they belong to: a resident's or party member's grant on
    # a micro-grid or grid opens the wishes of its whole community; one higher up, that node's
    # subtree. Staff roles do not count here: staff read the ledger of their own grid.
    prefixes = []
    grants = user.grants.filter(role__in=VOLUNTEER_ROLES)
    for path in grants.values_list("node__path", flat=True):
        codes = [c for c in path.split("/") if c]
        prefixes.append("/".join(codes[:3]) + "/" if len(codes) > 3 else path)
    return prefixes


def may_see_wishes(user: User) -> bool:
    """Staff read the ledger of their grid; residents and party members the community's board.
    Anyone else has neither (and is shown no 微心愿 link)."""
    return bool(user.is_authenticated and (user.is_grid_staff or user.has_role(*VOLUNTEER_ROLES)))


def wish_board(user: User) -> QuerySet[Wish]:
    """What volunteers and party members see: published wishes of their community, and the ones
    they claimed. Pages show only the public title and the micro-grid, never the person."""
    if not user.is_authenticated:
        return Wish.objects.none()
    q = Q(claimed_by=user)
    for prefix in _community_prefixes(user):
        q |= Q(status=WishStatus.PUBLISHED, grid_path__startswith=prefix)
    return Wish.objects.filter(q)


def access_wish(user: User, wish_id: int) -> tuple[Wish, bool]:
    """A wish and whether the user sees it as staff (full) or as a volunteer (public part)."""
    wish = wishes_visible(user).filter(pk=wish_id).first()
    if wish is not None:
        return wish, True
    wish = wish_board(user).filter(pk=wish_id).first()
    if wish is None:
        raise NotFound(_("心愿不存在或无权查看"))
    return wish, False


def wish_photo_visible(user: User, name: str) -> bool:
    """The protected media view's question for a wish's evidence photo: whoever the wish page
    shows it to (`access_wish`) — staff in scope, and the volunteer who claimed the wish and
    took the photo (photos come with fulfilment, when the wish has left the public board)."""
    photo = WishPhoto.objects.filter(Q(image=name) | Q(thumb=name)).only("wish_id").first()
    if photo is None:
        return False
    try:
        access_wish(user, photo.wish_id)
    except NotFound:
        return False
    return True


def wish_points(wish: Wish) -> Earning | None:
    """What the claimer earned for the wish (the `wish_fulfilled` rule's answer), or None when
    nothing has been paid yet."""
    return Earning.objects.filter(idempotency_key=wish.points_key).first()


def disputes_visible(user: User) -> QuerySet[Dispute]:
    if not user.is_authenticated or not user.is_grid_staff:
        return Dispute.objects.none()
    return in_scope(user, Dispute.objects.all(), "grid_path")


def access_dispute(user: User, dispute_id: int) -> Dispute:
    dispute = (
        disputes_visible(user)
        .select_related("building", "case", "registered_by")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise NotFound(_("纠纷不存在或无权查看"))
    return dispute


@dataclass(frozen=True)
class ScreeningRow:
    dispute: Dispute
    problem: str  # "" when the dispute has its next step in hand


def dispute_screening(user: User, node: GridNode, month: date) -> dict[str, object]:
    """The monthly 矛盾纠纷排查 of a community (or any node): what was registered and cleared in
    the month, and every dispute still open with its next step, flagged when the step is
    missing or its date has passed (逐个清零)."""
    first = month.replace(day=1)
    last = month.replace(day=monthrange(month.year, month.month)[1])
    today = timezone.localdate()
    rows = disputes_visible(user).filter(grid_path__startswith=node.path)
    in_month = Q(created_at__date__gte=first, created_at__date__lte=last)
    open_rows = []
    for d in rows.filter(status__in=OPEN_DISPUTE_STATUSES).select_related("building", "case"):
        if not d.next_step or d.next_step_on is None:
            problem = str(_("缺少下一步工作"))
        elif d.next_step_on < today:
            problem = str(_("已过期"))
        else:
            problem = ""
        open_rows.append(ScreeningRow(dispute=d, problem=problem))
    open_rows.sort(key=lambda r: (r.problem == "", r.dispute.next_step_on or today))
    return {
        "first": first,
        "last": last,
        "registered": rows.filter(in_month).count(),
        "cleared": rows.filter(cleared_at__date__gte=first, cleared_at__date__lte=last).count(),
        "by_kind": [
            (str(DisputeKind(r["kind"]).label), r["n"])
            for r in rows.filter(in_month).values("kind").annotate(n=Count("id")).order_by("kind")
        ],
        "open": open_rows,
        "flagged": sum(1 for r in open_rows if r.problem),
    }


def own_household(user: User) -> tuple[Household | None, list[Person]]:
    """A resident's own household as the grid worker registered it (names and relations only),
    for the resident's 我的 page: their record is linked to their account by the verified ID."""
    me = (
        Person.objects.filter(account=user, is_present=True)
        .select_related("household__building")
        .first()
    )
    if me is None:
        return None, []
    members = list(
        me.household.persons.filter(is_present=True).only("name", "relation").order_by("pk")
    )
    return me.household, members
