"""Signals other apps listen to, so the case loop does not depend on them.

`case_changed` is sent after every intake and action has been saved, inside its transaction:
sender=Case, case, action (e.g. "intake", "sign", "resolve"), from_status, event (the CaseEvent).
A receiver that talks to the outside world must defer that with transaction.on_commit.
One exception: an intake on PostgreSQL with no photos, outside a caller's transaction, is
written by a single statement and has no transaction of its own; its "intake" is sent once that
statement has committed. No receiver writes on "intake"; one that did would open its own.
"""

from django.dispatch import Signal

case_changed = Signal()
