"""保密件: a confidential case as each person may see it.

A 12345 order marked 是否保密 must not show who called beyond the desk (the street
dispatchers). Staff handling the case still see everything else of it; its caller's name and
number are blank in their copy of the row, whichever page or answer renders it.
(`workflow.caller_visible` says who may see them.)

The blank copy is what reads hand out (`selectors.access_case`, and the gate's answer after an
action); the row itself keeps the caller. Saving a blank copy would erase them, so it is
refused: `refuse_saving_a_shown_copy` is connected to the case's pre_save in CasesConfig.ready.
"""

from copy import copy
from typing import Any

from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.cases.workflow import caller_visible

CALLER_FIELDS = (
    "reporter_name",
    "reporter_phone_encrypted",
    "reporter_phone_hash",
    "reporter_phone_masked",
    "reporter_phone_tail_hash",
)
_SHOWN = "_caller_hidden"


class ShownCopySaved(RuntimeError):
    """A programming error: a case read for display, its caller blanked, was about to be
    saved. Read the row again (with its lock) before writing."""


def shown_to(case: Case, user: User) -> Case:
    """`case` itself when `user` may see its caller, else a copy with the caller blanked."""
    if caller_visible(case, user):
        return case
    shown = copy(case)
    for name in CALLER_FIELDS:
        setattr(shown, name, "")
    vars(shown)[_SHOWN] = True
    return shown


def is_shown_copy(case: Case) -> bool:
    return bool(vars(case).get(_SHOWN))


def refuse_saving_a_shown_copy(sender: type[Case], instance: Case, **kwargs: Any) -> None:
    if is_shown_copy(instance):
        raise ShownCopySaved(f"case {instance.pk}: a copy with its caller blanked is not saved")
