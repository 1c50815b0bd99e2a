"""Signals other apps listen to, so the case loop does not depend on them.

`case_changed` is sent after every intake and action has been saved, inside its transaction:
sender=Case, case, action (e.g. "intake", "sign", "resolve"), from_status, event (the CaseEvent).
A receiver that talks to the outside world must defer that with transaction.on_commit.
One exception: an intake on PostgreSQL with no photos, outside a caller's transaction, is
written by a single statement and has no transaction of its own; its "intake" is sent once that
statement has committed. No receiver writes on "intake"; one that did would open its own.

`card_given` is sent by the SLA sweep when it has just given a case a yellow or red card, in
that case's savepoint: sender=Case, case_id, card, now. `cases.services.on_card` listens (the
timeline row, the handlers and dispatchers told); an exception there undoes that one card.
"""

from django.dispatch import Signal

case_changed = Signal()
card_given = Signal()
