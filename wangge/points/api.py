from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from wangge.accounts.models import User
from wangge.points.selectors import statement
from wangge.points.services import wallet_for

router = Router(tags=["活力值"])


class EntryOut(Schema):
    kind: str
    reason: str
    amount: int
    held_delta: int
    at: datetime


class MeOut(Schema):
    balance: int
    available: int
    held: int
    history: list[EntryOut]


@router.get("/me", response=MeOut, summary="我的活力值：余额、可用、冻结与流水")
def me(request: HttpRequest) -> MeOut:
    user: User = request.user  # type: ignore[assignment]
    s = statement(wallet_for(user))
    return MeOut(
        balance=s.balance,
        available=s.available,
        held=s.held,
        history=[
            EntryOut(
                kind=e.transfer.kind,
                reason=e.transfer.reason,
                amount=e.amount,
                held_delta=e.held_delta,
                at=e.created_at,
            )
            for e in s.history
        ],
    )
