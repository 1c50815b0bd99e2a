import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema

from wangge.accounts.models import User
from wangge.core.web import AuthedRequest
from wangge.notices.selectors import home_node
from wangge.rankings import selectors
from wangge.rankings.models import Board, PeriodKind

router = Router(tags=["荣誉榜单"])


class BoardQuery(Schema):
    board: Board = Board.VOLUNTEERS
    period: PeriodKind = PeriodKind.WEEK
    date: dt.date | None = None
    grid: str | None = None


class RowOut(Schema):
    rank: int
    name: str
    score: Decimal
    hours: Decimal | None
    members: int | None = None
    is_me: bool


class ReasonOut(Schema):
    at: dt.datetime
    text: str
    amount: Decimal


class MyRankOut(Schema):
    rank: int | None
    score: Decimal
    reached_at: dt.datetime | None
    higher: int
    tied_earlier: int
    org_name: str
    why: str
    entries: list[ReasonOut]


class Detail(Schema):
    detail: str


class BoardOut(Schema):
    board: str
    period: str
    start: dt.date
    end: dt.date
    label: str
    grid: str
    grid_name: str
    frozen: bool
    total: int
    tie_rule: str
    rows: list[RowOut]
    me: MyRankOut | None


@router.get(
    "",
    response={200: BoardOut, 404: Detail, 422: Detail},
    summary="荣誉榜单：志愿者榜或党组织榜，按周、月、年，任一网格",
)
def rankings(request: AuthedRequest, q: Query[BoardQuery]) -> BoardOut:
    user: User = request.user
    period, node = selectors.parse(q.board, q.period, q.date, q.grid, home_node(user))
    view = selectors.board(user, q.board, period, node)
    me = None
    if view.me is not None:
        m = view.me
        me = MyRankOut(
            rank=m.rank,
            score=m.score,
            reached_at=m.reached_at,
            higher=m.higher,
            tied_earlier=m.tied_earlier,
            org_name=m.org_name,
            why=selectors.explain(view),
            entries=[ReasonOut(at=e.at, text=e.text, amount=e.amount) for e in m.entries],
        )
    return BoardOut(
        board=view.board,
        period=period.kind,
        start=period.start,
        end=period.last_day,
        label=period.label,
        grid=node.code,
        grid_name=node.name,
        frozen=view.frozen,
        total=view.total,
        tie_rule=str(selectors.TIE_RULE),
        rows=[
            RowOut(
                rank=r.rank,
                name=r.name,
                score=r.score,
                hours=r.hours,
                members=r.members,
                is_me=r.is_me,
            )
            for r in view.rows
        ],
        me=me,
    )
