"""The one writer of a case's timeline (`CaseEvent`): every row, whoever writes it (the gate,
intake, the sweep's cards, a merge, a recount), is made here, and its action is a name of
`cases.actions` — an `Action` a person takes or an `Event` no one takes — never a bare string."""

from typing import Any

from wangge.accounts.models import User
from wangge.cases.actions import Action, Event
from wangge.cases.models import Case, CaseEvent
from wangge.core import inserts


def event_row(
    case: Case,
    *,
    action: Action | Event,
    actor: User | None,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> CaseEvent:
    """A row of the case's timeline, not yet saved (intake writes its first rows in the one
    statement that writes the case). The states default to the case's own; who did it is named
    after the actor unless `actor_label` says (the system, a channel)."""
    return inserts.new(
        CaseEvent,
        case=case,
        action=str(action),
        actor=actor,
        from_status=case.status if from_status is None else from_status,
        to_status=case.status if to_status is None else to_status,
        note=note,
        data=data or {},
        actor_label=actor_label or (actor.name if actor else ""),
    )


def event_write(
    case: Case,
    *,
    action: Action | Event,
    actor: User | None,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> CaseEvent:
    """The row written now, inside the caller's transaction."""
    row = event_row(
        case,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data,
        actor_label=actor_label,
    )
    row.save(force_insert=True)
    return row
