"""Every write about households and people: registering, moving, tagging, visiting, wishes,
disputes, importing and exporting — one module per topic, the names all re-exported here so
callers write `residents.services.person_register` whichever module holds it."""

from wangge.residents.services.disputes import (
    dispute_clear,
    dispute_escalate,
    dispute_mediate,
    dispute_register,
)
from wangge.residents.services.people import (
    household_create,
    person_link_account,
    person_move_in,
    person_move_out,
    person_register,
    person_register_at,
    person_reveal_id_number,
    person_reveal_phone,
)
from wangge.residents.services.security import security_access_set, security_tag_set
from wangge.residents.services.spreadsheets import (
    EXPORT_HEADER,
    IMPORT_COLUMNS,
    ImportReport,
    persons_export,
    persons_import,
)
from wangge.residents.services.visits import group_tag_set, visit_record
from wangge.residents.services.wishes import (
    WISH_RULE,
    WishThanked,
    visit_record_with_wish,
    wish_claim,
    wish_fulfil,
    wish_points_pay,
    wish_publish,
    wish_raise,
    wish_thank,
)

__all__ = [
    "EXPORT_HEADER",
    "IMPORT_COLUMNS",
    "WISH_RULE",
    "ImportReport",
    "WishThanked",
    "dispute_clear",
    "dispute_escalate",
    "dispute_mediate",
    "dispute_register",
    "group_tag_set",
    "household_create",
    "person_link_account",
    "person_move_in",
    "person_move_out",
    "person_register",
    "person_register_at",
    "person_reveal_id_number",
    "person_reveal_phone",
    "persons_export",
    "persons_import",
    "security_access_set",
    "security_tag_set",
    "visit_record",
    "visit_record_with_wish",
    "wish_claim",
    "wish_fulfil",
    "wish_points_pay",
    "wish_publish",
    "wish_raise",
    "wish_thank",
]
