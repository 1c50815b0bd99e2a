"""What the adapter hears from the case loop: results the hotline must be told (回传)."""

from typing import Any

from wangge.cases.models import Case, CaseEvent
from wangge.hotline.services import delivery_for_event


def on_case_changed(
    sender: type[Case], *, case: Case, action: str, event: CaseEvent, **kwargs: Any
) -> None:
    # Runs inside the action's transaction: the Delivery row commits or rolls back with it, and
    # the HTTP call waits for the commit (see services.delivery_queue).

    delivery_for_event(case=case, action=action, event=event)
