"""Background jobs of the 12345 adapter: sending 回传, and the sweep that retries them.

The sending side lives here with its jobs (services records a delivery and queues it; a sent
delivery queues the next one of its case), so this module needs nothing from services."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wangge.hotline import callback, wire
from wangge.hotline.categories import platform_categories_suggest
from wangge.hotline.models import Delivery

logger = logging.getLogger(__name__)

# A delivery waits while an earlier one of the same case is still outstanding.
BLOCKING_STATES = (Delivery.State.PENDING, Delivery.State.FAILED)


@db_task()
def delivery_send_task(delivery_id: int) -> None:
    delivery_send(delivery_id=delivery_id)


@db_periodic_task(crontab(minute="*"))
def deliveries_sweep() -> None:
    """Every minute: attempts whose back-off has passed, and any a lost job left behind."""
    queued = deliveries_send_due()
    if queued:
        logger.info("12345 deliveries queued: %d", queued)


def _claimable() -> QuerySet[Delivery]:
    """Pending deliveries with no earlier outstanding one of the same case."""
    earlier = Delivery.objects.filter(
        case_id=OuterRef("case_id"), pk__lt=OuterRef("pk"), state__in=BLOCKING_STATES
    )
    return Delivery.objects.filter(state=Delivery.State.PENDING).filter(~Exists(earlier))


def delivery_send(*, delivery_id: int) -> str | None:
    """One attempt at one delivery. Returns the state it left, or None if it was not ours to send
    (not due, already sent, held back by an earlier one, or taken by another worker).

    Deliberately not one transaction: the HTTP call may take up to 10 s and must hold no
    transaction or row lock meanwhile. The claim and the outcome are each one conditional
    UPDATE, so two workers never send the same attempt, and a stale worker cannot overwrite a
    newer attempt's outcome.
    """
    url = settings.HOTLINE_CALLBACK_URL
    if not url:
        return None  # switched off: the rows wait, pending, until it is switched on again
    now = timezone.now()
    payload = Delivery.objects.filter(pk=delivery_id).values_list("payload", flat=True).first()
    if payload is not None and not wire.ready(payload):
        # Its photos are still being cleaned: no attempt yet, a look again shortly.
        Delivery.objects.filter(
            pk=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now
        ).update(next_attempt_at=now + callback.FIRST_BACKOFF)
        return None
    claimed = (
        _claimable()
        .filter(pk=delivery_id, next_attempt_at__lte=now)
        .update(attempts=F("attempts") + 1, next_attempt_at=now + callback.LEASE)
    )
    if not claimed:
        return None
    delivery = Delivery.objects.get(pk=delivery_id)
    outcome = callback.post(
        url=url,
        secret=settings.HOTLINE_CALLBACK_SECRET,
        delivery_id=delivery.pk,
        payload=wire.expanded(delivery.payload),
    )
    done = timezone.now()
    mine = Delivery.objects.filter(
        pk=delivery.pk, state=Delivery.State.PENDING, attempts=delivery.attempts
    )
    if outcome.ok:
        mine.update(
            state=Delivery.State.SENT,
            sent_at=done,
            next_attempt_at=None,
            last_status_code=outcome.status_code,
            last_error="",
        )
        _send_next_of_case(delivery.case_id)
        return Delivery.State.SENT
    if delivery.attempts >= callback.MAX_ATTEMPTS or outcome.permanent:
        # A refusal the platform will repeat (bad signature, unknown order, a conflict) is
        # for a person to look at now, not after twelve more of the same.
        mine.update(
            state=Delivery.State.FAILED,
            next_attempt_at=None,
            last_status_code=outcome.status_code,
            last_error=outcome.error,
        )
        logger.warning(
            "12345 delivery %s (%s %s) failed after %d attempt(s): %s",
            delivery.pk,
            delivery.order_no,
            delivery.kind,
            delivery.attempts,
            outcome.error,
        )
        return Delivery.State.FAILED
    mine.update(
        next_attempt_at=done + callback.backoff(delivery.attempts),
        last_status_code=outcome.status_code,
        last_error=outcome.error,
    )
    return Delivery.State.PENDING


def _send_next_of_case(case_id: int) -> None:
    """The next result of the same case was held back behind this one: send it now."""
    following = (
        _claimable()
        .filter(case_id=case_id, next_attempt_at__lte=timezone.now())
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        transaction.on_commit(lambda: delivery_send_task(following))


def deliveries_send_due(*, limit: int = 500) -> int:
    """The sweep: queue an attempt for every delivery that is due and not held back.

    It only enqueues; each attempt claims its row, so a row queued twice (by this sweep and by
    the commit of its action, or by two overlapping sweeps) is still sent once.
    """
    if not settings.HOTLINE_CALLBACK_URL:
        return 0
    due = list(
        _claimable()
        .filter(next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        delivery_send_task(pk)
    return len(due)


# 18:40 UTC is 02:40 in Asia/Shanghai, after the category model's training: the platform codes
# the desk has since filed by hand get history's suggestion for the operator to accept.
@db_periodic_task(crontab(hour="18", minute="40"))
def platform_categories_suggest_nightly() -> int:
    return platform_categories_suggest()
