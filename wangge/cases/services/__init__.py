"""Every write to a case: intake from any channel, and each action of the loop.

`case_intake` (intake) creates (or, for a retried external order, finds) a case, routes and
dispatches it. `case_act` (gate) is the one gate for actions: it locks the row, asks the state
machine whether the actor may take the action now, applies the step (dispatch, departments,
supervision, closing), and writes the timeline row. notices says who hears about it.
"""

from wangge.cases.services.category import case_category_set
from wangge.cases.services.closing import (
    CloseRequirement,
    FollowupWaiver,
    close_requirement_register,
    followup_waiver_register,
)
from wangge.cases.services.context import Ctx
from wangge.cases.services.departments import department_member_add, department_member_remove
from wangge.cases.services.gate import (
    HANDLERS,
    PHOTO_KIND,
    ActionNotAllowed,
    can_view_now,
    case_act,
    case_confidential_set,
    case_event_record,
    case_photos_add,
    case_unpublish,
    refusal_reason,
    reveal_reporter_phone,
)
from wangge.cases.services.intake import (
    CITY_MANAGEMENT,
    MAX_DESCRIPTION,
    MAX_TITLE,
    CaseInput,
    TriageHint,
    case_intake,
    clip,
    patrol_self_handle,
    report_photo_add,
)
from wangge.cases.services.notices import (
    REPORTER_WORDS,
    card_announce,
    plain_status,
    plain_status_of,
    status_words,
)

__all__ = [
    "CITY_MANAGEMENT",
    "HANDLERS",
    "MAX_DESCRIPTION",
    "MAX_TITLE",
    "PHOTO_KIND",
    "REPORTER_WORDS",
    "ActionNotAllowed",
    "CaseInput",
    "CloseRequirement",
    "Ctx",
    "FollowupWaiver",
    "TriageHint",
    "can_view_now",
    "card_announce",
    "case_act",
    "case_category_set",
    "case_confidential_set",
    "case_event_record",
    "case_intake",
    "case_photos_add",
    "case_unpublish",
    "clip",
    "close_requirement_register",
    "department_member_add",
    "department_member_remove",
    "followup_waiver_register",
    "patrol_self_handle",
    "plain_status",
    "plain_status_of",
    "refusal_reason",
    "report_photo_add",
    "reveal_reporter_phone",
    "status_words",
]
