"""活力值 the case loop earns: a report by a micro-grid leader (微网格长) or a resident that the
street verifies (核查通过) pays the `micro_report_verified` or `resident_report_verified` rule,
once per case, within the rule's daily cap, from the case's community budget.

`cases` knows nothing of points: this listens to `cases.signals.case_changed`. It pays in the
same transaction as the verification, in a savepoint of its own: the ledger entry commits with
the verification or not at all, so a crash between the two cannot leave a verified report
unpaid (on_commit could) and a verification that rolls back pays nothing. An empty budget is
logged and does not hold up the verification; the key is then unused, so a later verification of
the same case (after 重办) pays it.
"""

import logging
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wangge.accounts.models import Role
from wangge.cases.models import Case, Channel
from wangge.cases.workflow import Action
from wangge.grids.models import GridNode
from wangge.points.models import EarningRule
from wangge.points.services import BudgetExhausted, community_issuer, earn

logger = logging.getLogger(__name__)

MICRO_RULE = "micro_report_verified"
RESIDENT_RULE = "resident_report_verified"
# The channels through which a resident reports for themself (有事找支部, 随手拍, 小原帮办).
RESIDENT_CHANNELS = frozenset({Channel.RESIDENT, Channel.SNAPSHOT, Channel.ASSISTANT})


def report_rule(case: Case) -> str | None:
    """The rule a verified case pays its reporter by, or None (staff reporting at work, a
    12345 caller, an anonymous push)."""
    reporter = case.reporter
    if reporter is None or not reporter.is_active:
        return None
    if reporter.has_role(Role.MICRO_GRID_LEADER):
        return MICRO_RULE
    if case.channel in RESIDENT_CHANNELS:
        return RESIDENT_RULE
    return None


def report_key(case: Case) -> str:
    """One reward per case, however often it is verified."""
    return f"case-report:{case.pk}"


def _paying_node(case: Case) -> GridNode | None:
    if case.community_id or case.street_id:
        return case.community or case.street
    return GridNode.objects.filter(path=case.grid_path).first() if case.grid_path else None


def report_verified_pay(*, case: Case, occurred_at: Any) -> None:
    rule = report_rule(case)
    node = _paying_node(case)
    if rule is None or node is None or case.reporter is None:
        return
    if not EarningRule.objects.filter(code=rule).exists():
        # A district that removed the rule pays nothing for reports; verifying must still work.
        logger.info("report reward for case %s not paid: no earning rule %s", case.number, rule)
        return
    try:
        with transaction.atomic():
            earn(
                rule_code=rule,
                owner=case.reporter,
                issuer_account=community_issuer(node),
                idempotency_key=report_key(case),
                reason=_("有效上报：%(t)s（%(n)s）") % {"t": case.title, "n": case.number},
                occurred_at=occurred_at,
            )
    except BudgetExhausted:
        logger.warning("report reward for case %s not paid: budget exhausted", case.number)


def on_case_changed(*, case: Case, action: str, event: Any = None, **kwargs: Any) -> None:
    if action == Action.VERIFY_PASS:
        report_verified_pay(case=case, occurred_at=event.created_at if event else case.verified_at)
