"""A hazard reported from a checklist is rectified when its case is closed after verification."""

from typing import Any

from django.dispatch import receiver

from wangge.cases.models import Case, Status
from wangge.cases.signals import case_changed
from wangge.ledgers.services import results_rectified_by_case


@receiver(case_changed, sender=Case, dispatch_uid="ledgers_rectify_on_close")
def rectify_on_close(sender: Any, case: Case, event: Any = None, **kwargs: Any) -> None:
    if case.status != Status.CLOSED:
        return

    results_rectified_by_case(
        case_id=case.pk,
        actor=getattr(event, "actor", None),
        when=getattr(event, "created_at", None) or case.updated_at,
    )
