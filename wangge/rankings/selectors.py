"""Boards as people read them: ranked rows with masked names, and the caller's own place with the
entries that put them there."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.accounts.models import User
from wangge.core.dates import check_date
from wangge.core.db import report_alias
from wangge.core.errors import NotFound, ValidationFailed
from wangge.grids.models import GridNode
from wangge.moderation.selectors import names_held
from wangge.party import hours
from wangge.party.models import MemberStatus, OrgKind, PartyMember, PartyOrg
from wangge.rankings.aggregates import frozen_period, scoring_entries
from wangge.rankings.models import Board, OrgPeriodScore, PeriodScore, RefreshMark
from wangge.rankings.periods import Period

TIE_RULE = gettext_lazy(
    "得分高者在前；得分相同时，先达到该得分者排名靠前（以本期最后一笔计分记录的时间为准）；"
    "时间也相同时，先注册者在前。"
)
PAGE = 50


@dataclass(frozen=True)
class Row:
    rank: int
    subject_id: int
    name: str
    score: Decimal
    hours: Decimal | None
    reached_at: datetime | None
    is_me: bool = False
    members: int | None = None


@dataclass(frozen=True)
class Reason:
    at: datetime
    text: str
    amount: Decimal


@dataclass(frozen=True)
class MyPlace:
    rank: int | None
    score: Decimal
    reached_at: datetime | None
    higher: int  # ahead with a higher score
    tied_earlier: int  # same score, reached it earlier
    entries: list[Reason] = field(default_factory=list)
    org_name: str = ""


@dataclass(frozen=True)
class BoardView:
    board: str
    period: Period
    node: GridNode
    frozen: bool
    rows: list[Row]
    total: int
    me: MyPlace | None
    refreshed_at: datetime | None


def parse(
    board: str,
    period: str,
    day: date | None,
    grid: str | None,
    home: GridNode | None = None,
) -> tuple[Period, GridNode]:
    """The board's period and unit: the grid asked for, else the top of the caller's own tree
    (their district, or the city above it; with several districts, never another's)."""
    if board not in Board.values:
        raise ValidationFailed(_("榜单只能是 volunteers 或 party_orgs"))
    day = day or timezone.localdate()
    check_date(day)
    p = Period.containing(period, day)
    if grid:
        node = GridNode.objects.filter(code=grid).first()
        if node is None:
            raise NotFound(_("网格不存在"))
    else:
        top = home.ancestor_codes()[0] if home is not None else None
        roots = GridNode.objects.filter(parent__isnull=True).order_by("path")
        node = (roots.filter(code=top) if top else roots).first()
        if node is None:
            raise NotFound(_("网格不存在"))
    return p, node


def board(user: User, board: str, period: Period, node: GridNode, limit: int = PAGE) -> BoardView:
    if board == Board.VOLUNTEERS:
        return volunteers_board(user, period, node, limit)
    return party_orgs_board(user, period, node, limit)


def volunteers_board(user: User, period: Period, node: GridNode, limit: int = PAGE) -> BoardView:
    alias = report_alias()
    qs = PeriodScore.objects.using(alias).filter(
        period=period.kind, start=period.start, points__gt=0
    )
    if node.parent_id is not None:
        qs = qs.filter(home_path__startswith=node.path)
    top = list(
        qs.order_by("-points", "reached_at", "user_id").values_list(
            "user_id", "points", "reached_at"
        )[:limit]
    )
    ids = [uid for uid, _p, _r in top]
    # Each person's own privacy choice (我的 → 隐私设置) decides how others see them here.
    people = {u.pk: u for u in User.objects.using(alias).filter(pk__in=ids)}
    # A name still being checked (content security) is not shown to others until it passes.
    held = names_held(ids, alias)
    names = {
        uid: (
            u.name
            if uid == user.pk
            else (u.board_name if uid not in held else "") or str(_("匿名志愿者"))
        )
        for uid, u in people.items()
    }
    start, end = period.bounds()
    served = hours.confirmed_hours(start=start, end=end, user_ids=ids)
    rows = [
        Row(
            rank=i,
            subject_id=uid,
            name=names.get(uid, ""),
            score=Decimal(points),
            hours=served.get(uid, Decimal(0)),
            reached_at=reached,
            is_me=uid == user.pk,
        )
        for i, (uid, points, reached) in enumerate(top, start=1)
    ]
    me = None
    if user.is_authenticated:
        mine = qs.filter(user_id=user.pk).values_list("points", "reached_at").first()
        entries = [
            Reason(at=e.created_at, text=e.transfer.reason, amount=Decimal(e.amount))
            for e in scoring_entries(start, end, alias)
            .filter(account__owner_id=user.pk)
            .select_related("transfer")
            .order_by("created_at", "pk")[:100]
        ]
        if mine is None:
            me = MyPlace(None, Decimal(0), None, 0, 0, entries)
        else:
            points, reached = mine
            higher = qs.filter(points__gt=points).count()
            tied = qs.filter(
                Q(reached_at__lt=reached) | Q(reached_at=reached, user_id__lt=user.pk),
                points=points,
            ).count()
            me = MyPlace(higher + tied + 1, Decimal(points), reached, higher, tied, entries)
    mark = RefreshMark.objects.using(alias).filter(name="daily_points").first()
    return BoardView(
        board=Board.VOLUNTEERS,
        period=period,
        node=node,
        frozen=frozen_period(Board.VOLUNTEERS, period, alias) is not None,
        rows=rows,
        total=qs.count(),
        me=me,
        refreshed_at=mark.refreshed_at if mark else None,
    )


@dataclass(frozen=True)
class OrgLine:
    org_id: int
    name: str
    members: int
    hours: Decimal
    score: Decimal
    reached_at: datetime | None
    grid_path: str
    path: str


def org_rank_key(line: OrgLine) -> tuple[Decimal, datetime, int]:
    return (-line.score, line.reached_at or datetime.max.replace(tzinfo=UTC), line.org_id)


def compute_org_lines(period: Period) -> list[OrgLine]:
    """Every 党支部 with its verified members (those of its 党小组 included), their certified
    hours in the period, and hours per member; ranked by the published rule."""
    branches = list(
        PartyOrg.objects.filter(kind=OrgKind.BRANCH).select_related("grid_node").order_by("path")
    )
    by_path = {b.path: b for b in branches}
    members = PartyMember.objects.filter(status=MemberStatus.VERIFIED).values_list(
        "user_id", "org__path"
    )
    member_of: dict[int, int] = {}
    for user_id, path in members:
        parts = path.split("/")[:-1]
        for i in range(len(parts), 0, -1):
            branch = by_path.get("/".join(parts[:i]) + "/")
            if branch is not None:
                member_of[user_id] = branch.pk
                break
    start, end = period.bounds()
    totals: dict[int, Decimal] = {}
    reached: dict[int, datetime] = {}
    for rec in hours.service_records(start=start, end=end, user_ids=list(member_of)):
        org_id = member_of[rec.user_id]
        totals[org_id] = totals.get(org_id, Decimal(0)) + rec.hours
        if org_id not in reached or rec.confirmed_at > reached[org_id]:
            reached[org_id] = rec.confirmed_at
    counts: dict[int, int] = {}
    for org_id in member_of.values():
        counts[org_id] = counts.get(org_id, 0) + 1
    lines = []
    for b in branches:
        n = counts.get(b.pk, 0)
        total = totals.get(b.pk, Decimal(0))
        if n == 0 or total <= 0:
            continue
        score = (total / n).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        lines.append(
            OrgLine(b.pk, b.name, n, total, score, reached.get(b.pk), b.grid_node.path, b.path)
        )
    return sorted(lines, key=org_rank_key)


def stored_org_lines(period: Period, using: str = "default") -> list[OrgLine]:
    rows = (
        OrgPeriodScore.objects.using(using)
        .filter(period=period.kind, start=period.start)
        .select_related("org")
    )
    return sorted(
        (
            OrgLine(
                r.org_id,
                r.org.name,
                r.members,
                r.hours,
                r.score,
                r.reached_at,
                r.grid_path,
                r.org.path,
            )
            for r in rows
        ),
        key=org_rank_key,
    )


def party_orgs_board(user: User, period: Period, node: GridNode, limit: int = PAGE) -> BoardView:
    alias = report_alias()
    frozen = frozen_period(Board.PARTY_ORGS, period, alias) is not None
    lines = stored_org_lines(period, alias) if frozen else compute_org_lines(period)
    lines = [line for line in lines if line.grid_path.startswith(node.path)]
    member = PartyMember.objects.filter(user_id=user.pk, status=MemberStatus.VERIFIED).first()
    mine_org = None
    if member is not None:
        org_path = member.org.path
        mine_org = next((ln for ln in lines if org_path.startswith(ln.path)), None)
    rows = [
        Row(
            rank=i,
            subject_id=ln.org_id,
            name=ln.name,
            score=ln.score,
            hours=ln.hours,
            reached_at=ln.reached_at,
            is_me=mine_org is not None and ln.org_id == mine_org.org_id,
            members=ln.members,
        )
        for i, ln in enumerate(lines, start=1)
    ]
    me = None
    if mine_org is not None:
        i = lines.index(mine_org)
        higher = sum(1 for ln in lines[:i] if ln.score > mine_org.score)
        start, end = period.bounds()
        own = hours.service_records(start=start, end=end, user_ids=[user.pk])
        me = MyPlace(
            rank=i + 1,
            score=mine_org.score,
            reached_at=mine_org.reached_at,
            higher=higher,
            tied_earlier=i - higher,
            entries=[Reason(at=r.confirmed_at, text=r.task_title, amount=r.hours) for r in own],
            org_name=mine_org.name,
        )
    return BoardView(
        board=Board.PARTY_ORGS,
        period=period,
        node=node,
        frozen=frozen,
        rows=rows[:limit],
        total=len(rows),
        me=me,
        refreshed_at=timezone.now(),
    )


def explain(view: BoardView) -> str:
    """ "Why am I ranked N", in a sentence."""
    me = view.me
    if me is None:
        return _("您不是已核实的党员，或所在支部本期没有服务记录。")
    if me.rank is None:
        return _("您本期在该范围内还没有计分记录。")
    if view.board == Board.PARTY_ORGS:
        head = _("%(org)s人均服务 %(score)s 小时，排第 %(rank)s 名") % {
            "org": me.org_name,
            "score": me.score,
            "rank": me.rank,
        }
    else:
        head = _("您本期得分 %(score)s，排第 %(rank)s 名") % {"score": me.score, "rank": me.rank}
    return _("%(head)s：得分更高的有 %(higher)s 个，得分相同但更早达到的有 %(tied)s 个。") % {
        "head": head,
        "higher": me.higher,
        "tied": me.tied_earlier,
    }
