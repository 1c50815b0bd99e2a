"""Members' service hours. Members log service through the same check-in as volunteer tasks, so
hours come from the volunteering app's organiser-certified records: this is the one place the
party and rankings apps read them (`volunteering.selectors`' public contract)."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from wangge.volunteering import selectors as volunteering
from wangge.volunteering.selectors import ServiceRecord

__all__ = ["ServiceRecord", "confirmed_hours", "service_records"]


def confirmed_hours(
    *, start: datetime, end: datetime, user_ids: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """Certified hours per user id for service in [start, end); users without any are absent."""
    ids = None if user_ids is None else list(user_ids)
    if ids == []:
        return {}
    return volunteering.confirmed_hours(start=start, end=end, user_ids=ids)


def service_records(
    *, start: datetime, end: datetime, user_ids: Iterable[int] | None = None
) -> list[ServiceRecord]:
    ids = None if user_ids is None else list(user_ids)
    if ids == []:
        return []
    return volunteering.service_records(start=start, end=end, user_ids=ids)
