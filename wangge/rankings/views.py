from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from wangge.accounts.models import User
from wangge.core.web import AuthedRequest, cleaned
from wangge.grids.models import GridNode
from wangge.grids.selectors import node_path
from wangge.notices.selectors import home_node
from wangge.rankings import selectors
from wangge.rankings.forms import BoardForm
from wangge.rankings.models import Board, PeriodKind
from wangge.rankings.periods import Period


def _grid_choices(user: User) -> list[GridNode]:
    """The district and each level above the caller's home: 全区, my street, my community …"""
    home = home_node(user)
    if home is None:
        return list(GridNode.objects.filter(parent__isnull=True))
    return node_path(home)


@login_required
def board(request: AuthedRequest) -> HttpResponse:
    user: User = request.user
    # An unreadable day, an unknown board or period is said on the error page (422); an unknown
    # grid is a 404.
    asked = cleaned(BoardForm(request.GET))
    kind = asked["board"] or Board.VOLUNTEERS
    period_kind = asked["period"] or PeriodKind.WEEK
    day = asked["date"]
    choices = _grid_choices(user)
    grid = asked["grid"] or (choices[0].code if choices else None)
    period, node = selectors.parse(kind, period_kind, day, grid)
    view = selectors.board(user, kind, period, node)
    if node not in choices:
        choices.append(node)
    return render(
        request,
        "rankings/board.html",
        {
            "tab": "home",
            "view": view,
            "why": selectors.explain(view),
            "tie_rule": selectors.TIE_RULE,
            "boards": Board.choices,
            "board_kinds": Board,
            "periods": PeriodKind.choices,
            "grids": choices,
            "prev": period.previous(),
            # The period after this one, once this one is over (never a board of the future).
            "next": Period.containing(period.kind, period.end) if period.is_closed() else None,
            "selected": {"board": kind, "period": period.kind, "grid": node.code},
        },
    )
