"""The rows every write leaves: a timeline entry, its photos, the clock a dispatch starts."""

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from django.db import connections, router
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from wangge.cases import deadlines, routing
from wangge.cases.models import (
    Card,
    Case,
    CaseAttachment,
    CaseEvent,
    Status,
)
from wangge.core import inserts
from wangge.core.images import CleanImage, store_image


def case_number(now: datetime, pk: int) -> str:
    """编号: the day of filing and the id, at least six digits (20261122000042)."""
    return f"{timezone.localdate(now):%Y%m%d}{pk:06d}"


def insert_case(case: Case, now: datetime, *groups: Sequence[Model]) -> None:
    """Write a new case with its number, which is made of its id, and the rows of `groups` (its
    timeline, the inbox messages about it), as `save()` and one `bulk_create` per group would.

    On PostgreSQL one statement: the id is drawn from the table's sequence inside it, the number
    built from that id, and the other rows written with them. Their values hold
    `inserts.NEW_ID` and `inserts.NEW_TAG` wherever they hold the case's id and number (the
    case's own pk and number are those stand-ins while the rows are made). One statement is
    atomic by itself, so an intake with nothing else to write needs no transaction of its own.
    Elsewhere, the INSERT, an UPDATE of the number and the groups' INSERTs, in the caller's
    transaction."""
    if not inserts.available(Case):
        case.pk = None
        case.number = Case._meta.get_field("number").get_default()
        case.save()
        case.number = case_number(now, case.pk)
        Case.objects.filter(pk=case.pk).update(number=case.number)
        for rows in groups:
            for obj in rows:
                inserts.fill_in(obj, case.pk, case.number)
        inserts.insert_together(*groups)
        return
    alias = router.db_for_write(Case)
    connection = connections[alias]
    cols = inserts.columns(Case, ("number",))
    case._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    pre_save.send(sender=Case, instance=case, raw=False, using=alias, update_fields=None)
    params = [f"{timezone.localdate(now):%Y%m%d}", Case._meta.db_table, cols.pk.column]
    params += cols.values(case, connection)
    head = inserts.Head(
        model=Case,
        ctes=_numbered_insert_sql(),
        params=params,
        id_sql="(SELECT id FROM n)",
        tag_sql="(SELECT number FROM n)",
    )
    pk, number = inserts.insert_together(*groups, head=head)
    case.number = number
    inserts.saved(case, pk, alias)
    post_save.send(
        sender=Case, instance=case, created=True, update_fields=None, raw=False, using=alias
    )


@cache
def _numbered_insert_sql() -> str:
    cols = inserts.columns(Case, ("number",))
    number = connections[router.db_for_write(Case)].ops.quote_name(
        str(Case._meta.get_field("number").column)
    )
    # A volatile WITH query (nextval) is evaluated once, however often it is read. Only
    # placeholders and names from the model go into the text.
    draw = (
        "n AS (SELECT s.id, %s || lpad(s.id::text, greatest(6, length(s.id::text)), '0')"
        " AS number FROM (SELECT nextval(pg_get_serial_sequence(%s, %s)) AS id) s)"
    )
    return (
        f"{draw}, c AS (INSERT INTO {cols.table} ({cols.pk_column}, {number}, {cols.names})"  # noqa: S608
        " VALUES ((SELECT id FROM n), (SELECT number FROM n),"
        f" {cols.row_placeholders[1:]}"
        f" RETURNING {cols.pk_column})"
    )


def photos_attach(
    case: Case, event: CaseEvent | None, kind: str, photos: Sequence[CleanImage]
) -> None:
    """Store the photos that came with a step (the report's, a signing's before, a resolving's
    after, any other action's evidence), each on that step's timeline row."""
    for p in photos:
        store_image(CaseAttachment(case=case, event=event, kind=kind), p)


def route_apply(
    case: Case, route: routing.Route, now: datetime, due_override: datetime | None
) -> None:
    """Put the case where routing sent it: the reason always; when it was dispatched, the
    handling level, node and handler, and its clock started."""
    case.routing_reason = route.reason
    case.status = route.status
    if route.status != Status.DISPATCHED:
        return
    case.handling_level = route.level
    case.handling_node = route.node
    case.assignee = route.assignee
    clock_start(case, now, due_override)


def clock_start(case: Case, now: datetime, due_override: datetime | None = None) -> None:
    """Start the case's clock at `now` (a dispatch, a 重办): its sign, contact and resolve
    deadlines on the calendar, or the sender's own due time when it gives one, and no card."""
    due = deadlines.compute(now, case.category, case.urgency, case.grid_path)
    case.dispatched_at = now
    case.sign_due_at = due.sign_due_at
    case.contact_due_at = due.contact_due_at
    case.due_at, case.warn_at = due.due_at, due.warn_at
    case.deadline_provisional = due.provisional
    if due_override is not None and due_override > now:
        # The sender's deadline rules; warn at 75 % of the time it leaves.
        case.due_at = due_override
        case.warn_at = now + (due_override - now) * deadlines.YELLOW_FRACTION
    case.card = Card.NONE
