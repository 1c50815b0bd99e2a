"""Types for API input that every database accepts."""

from datetime import UTC, datetime
from typing import Annotated

from django.utils import timezone
from pydantic import AfterValidator


def _sane_datetime(value: datetime) -> datetime:
    """Naive times are Beijing time; everything is stored and compared in UTC. Offsets such as
    -16:31 are valid to Python but not to PostgreSQL, and year 790 is no deadline: both are
    refused as input errors rather than reaching the database."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    value = value.astimezone(UTC)
    if not 2000 <= value.year <= 2100:
        raise ValueError("时间须在 2000 年至 2100 年之间")
    return value


ApiDateTime = Annotated[datetime, AfterValidator(_sane_datetime)]
