"""What content security listens to: a resident's report made public is checked as it comes in
(cases stands below this app and announces it with `case_changed`)."""

from typing import Any

from wangge.cases.actions import Event
from wangge.cases.models import Case
from wangge.cases.signals import case_changed
from wangge.moderation import registry, services
from wangge.moderation.models import Kind


def on_case_changed(sender: Any, case: Case, action: str, **kwargs: Any) -> None:
    if action != Event.INTAKE or not case.is_public:
        return
    if case.public_hold != Case.PublicHold.PENDING:
        return
    # Writes in its own transaction (cases.signals): a PostgreSQL intake of one statement has
    # already committed when it announces.
    services.case_public_submit(case)


def connect() -> None:
    case_changed.connect(on_case_changed, sender=Case, dispatch_uid="moderation.case_public")
    registry.register(
        Kind.PUBLIC_CASE,
        publish=services.case_public_publish,
        hide=services.case_public_hide,
    )
