"""What the case loop hears from its own tables: a category, a calendar day or the working
hours changed, so this process's cached leaves and calendar are dropped.

Module-level and connected once (by dispatch_uid) in CasesConfig.ready.
"""

from typing import Any

from wangge.cases import categories, sla


def categories_changed(**kwargs: Any) -> None:
    categories.invalidate_leaves()


def calendar_changed(**kwargs: Any) -> None:
    sla.invalidate_calendar()
