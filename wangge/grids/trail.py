"""The rows a `save()` of each grid node leaves beside the node itself — its version in the
history (django-simple-history) and its entry in the change log (django-auditlog) — written
for nodes that an import writes in bulk (INSERTs of many rows, `bulk_update`), which sends no
signals.

Saved one at a time, a district's 7,700 nodes cost three round trips each (the node, its
version, its entry) and a fourth for every update (auditlog reads the row back to compare):
most of `import_grids` (docs/benchmarks.md). Here each kind of row goes in one INSERT per
batch, made from the same objects by the libraries' own functions (simple_history's
`bulk_history_create`, auditlog's `model_instance_diff`; each entry filled in as auditlog's
`log_create` fills it), so the rows are those the receivers would have written.
tests/grids/test_import_trail.py compares the two, and fails when a new receiver of
GridNode's signals appears that this path would skip.
"""

from collections.abc import Sequence
from typing import Any

from auditlog import get_logentry_model
from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled
from auditlog.diff import model_instance_diff
from auditlog.registry import auditlog
from auditlog.signals import post_log, pre_log
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import Model
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str

from wangge.core import inserts

# Rows a statement: a node's change-log entry holds its boundary, a few kilobytes of text.
BATCH = 500


def insert_rows(rows: Sequence[Model]) -> None:
    """INSERT `rows` (of one model) as `bulk_create` does, their ids set, a batch a statement.

    On PostgreSQL Django's bulk_create sends each column as one array (INSERT … SELECT FROM
    UNNEST), and psycopg escapes every element of a text array with a regular expression: for
    the nodes' boundaries and the entries' changes (JSON, a few kilobytes each) that escaping
    was a third of a district's import (docs/benchmarks.md). core.inserts binds each value on
    its own instead, and is bulk_create elsewhere."""
    for i in range(0, len(rows), BATCH):
        inserts.insert_together(rows[i : i + BATCH])


def history_bulk(model: type[Model], objs: Sequence[Model], *, update: bool) -> None:
    """A version of each of `objs` (saved), "+" or "~", with the reason set on each as
    `_change_reason`; the person is found as each save would find them (the request's)."""
    if objs:
        # No reason is None, as a save leaves it (the bulk default is "").
        model.history.bulk_history_create(  # type: ignore[attr-defined]
            objs, batch_size=BATCH, update=update, default_change_reason=None
        )


def change_log_bulk(pairs: Sequence[tuple[Model | None, Model]]) -> int:
    """A change-log entry for each (before, after) pair of saved rows, as django-auditlog's
    receivers write them: "created" where `before` is None, else "updated" naming the fields
    that differ from `before` (the row as the database held it before the write), and none where
    no field it follows changed. Each entry goes through LogEntry's pre_save as `save()` sends
    it, so the person and address of the request (wangge.audit) or of `set_actor` are on it.
    How many entries were written."""
    if not pairs or auditlog_disabled.get():
        return 0
    log_entry = get_logentry_model()
    alias = router.db_for_write(log_entry)
    as_json = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    cid = get_cid()
    written: list[tuple[Any, Model, Model | None, dict[str, Any], list[Any]]] = []
    for before, after in pairs:
        model = type(after)
        if not auditlog.contains(model):
            continue
        action = log_entry.Action.CREATE if before is None else log_entry.Action.UPDATE
        answers = pre_log.send(model, instance=after, action=action)
        if any(answer is False for _receiver, answer in answers):
            continue
        changes = model_instance_diff(before, after, use_json_for_changes=as_json)
        if not changes:
            continue
        entry = log_entry(
            content_type=ContentType.objects.get_for_model(after),
            object_pk=after.pk,
            object_id=after.pk if isinstance(after.pk, int) else None,
            object_repr=smart_str(after),
            serialized_data=log_entry.objects._get_serialized_data_or_none(after),
            action=action,
            changes=changes,
            cid=cid,
        )
        additional = getattr(after, "get_additional_data", None)
        if callable(additional):
            entry.additional_data = additional()
        pre_save.send(sender=log_entry, instance=entry, raw=False, using=alias, update_fields=None)
        written.append((entry, after, before, changes, answers))
    insert_rows([w[0] for w in written])
    for entry, after, before, changes, answers in written:
        post_log.send(
            type(after),
            instance=after,
            instance_old=before,
            action=entry.action,
            error=None,
            pre_log_results=answers,
            changes=changes,
            log_entry=entry,
            log_created=True,
            use_json_for_changes=as_json,
        )
    return len(written)
