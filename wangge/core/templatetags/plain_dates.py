"""`{% load plain_dates %}`: dates written one way on residents' and staff pages alike
(`core.dates.plain_when`): the desk, the kitchen and the circulars wrote 11-28 21:13 and
2026-11-28 21:13 side by side in one shift.

<span>{{ post.created_at|when }}</span>  → 11月28日 21:13 (2024年11月28日 21:13 in another year)
<span>{{ voucher.valid_until|day }}</span> → 11月28日 (a moment's date only)
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

from wangge.core.dates import plain_when

register = template.Library()


@register.filter
def when(value: date | datetime | None) -> str:
    return plain_when(value)


@register.filter
def day(value: date | datetime | None) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return plain_when(value.date())
    return plain_when(value)
