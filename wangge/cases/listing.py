"""The case list's filter, read one way wherever a list of cases is asked for: the JSON API
(`GET /api/v1/cases`), the 分拨台 and the Excel export read the same parameters here, with one
meaning for each and one refusal for a bad value.

    q              编号, phone tail, address, estate or name (cases.selectors.search_cases)
    status         one or more, comma-separated or repeated; `open` (every open status) and
                   `all`; the desk's `queue` (待受理 and 已退单) is the desk's default
    grid           a node's code, its subtree included
    category       a category's code, its children included
    channel        a source (Channel)
    overdue        1 / true: red-card overdue and open; 0 / false: not
    created_from   a day (from its start) or a moment
    created_to     a day (to its end: 2026-11-01 includes 1 November) or a moment (included)

A value that cannot be read is refused, never ignored: a list filtered by everything but the
bad value looks like an answer to the question asked, and an export of it is a wrong file.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.cases.models import OPEN_STATUSES, Channel, Status
from wangge.cases.selectors import MAX_QUERY, CaseFilter
from wangge.core.calendar import midnight
from wangge.core.dates import check_datetime, in_window, window_message

ALL, OPEN, QUEUE = "all", "open", "queue"
# The desk's dispatch queue: what waits for the street to send it on.
QUEUE_STATUSES = (Status.PENDING, Status.RETURNED)
# Whole days are bounds people mean inclusively; a moment is itself included.
_ONE_TICK = timedelta(microseconds=1)


class StatusesField(forms.Field):
    """Statuses, comma-separated or repeated; `all`, `open` and `queue` stand for their sets.
    None: every status."""

    def to_python(self, value: Any) -> list[str] | None:
        raw = value if isinstance(value, list) else [value or ""]
        words = [w.strip() for v in raw for w in str(v).split(",") if w.strip()]
        if not words or ALL in words:
            return None
        chosen: list[str] = []
        unknown: list[str] = []
        for word in words:
            if word == OPEN:
                chosen.extend(OPEN_STATUSES)
            elif word == QUEUE:
                chosen.extend(QUEUE_STATUSES)
            elif word in Status.values:
                chosen.append(word)
            else:
                unknown.append(word)
        if unknown:
            raise forms.ValidationError(
                _("未知状态：%(s)s") % {"s": "、".join(unknown)}, code="unknown_status"
            )
        return list(dict.fromkeys(chosen))


class DayOrMomentField(forms.Field):
    """`2026-11-01` (a whole day) or `2026-11-01T08:30:00+08:00` (a moment; without an offset,
    Beijing time)."""

    def to_python(self, value: Any) -> date | datetime | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            day = date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            day = None
        moment = None if day is not None else parse_datetime(text)
        if day is None and moment is None:
            raise forms.ValidationError(
                _("日期格式应为 2026-11-01 或 2026-11-01T08:30"), code="invalid"
            )
        found = day if day is not None else moment
        assert found is not None
        if not in_window(found):
            raise forms.ValidationError(window_message(), code="out_of_window")
        return found


class CaseListFilter(forms.Form):
    """The filter of a list of cases, from a query string (or a form's POST)."""

    q = forms.CharField(required=False, max_length=MAX_QUERY)
    status = StatusesField(required=False)
    grid = forms.CharField(required=False, max_length=40)
    category = forms.CharField(required=False, max_length=30)
    channel = forms.ChoiceField(required=False, choices=[("", ""), *Channel.choices])
    overdue = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("1", "1"), ("true", "true"), ("0", "0"), ("false", "false")],
    )
    created_from = DayOrMomentField(required=False)
    created_to = DayOrMomentField(required=False)

    error_messages = {"reversed": gettext_lazy("结束日期不能早于开始日期")}

    def __init__(self, params: QueryDict | dict[str, Any], *, default_status: str = ALL) -> None:
        data: dict[str, Any] = {}
        for name in self.base_fields:
            if isinstance(params, QueryDict):
                values = params.getlist(name)
                data[name] = values if name == "status" else (values[-1] if values else "")
            else:
                data[name] = params.get(name, "")
        # `?status=` (the desk's select on its first option) is no status chosen: the default.
        if not any(str(v).strip() for v in data.get("status") or []):
            data["status"] = default_status
        super().__init__(data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = self._start(data.get("created_from")), self._end(data.get("created_to"))
        if first is not None and last is not None and last <= first:
            self.add_error("created_to", self.error_messages["reversed"])
        return data

    @staticmethod
    def _start(value: date | datetime | None) -> datetime | None:
        if isinstance(value, datetime):
            return check_datetime(value)
        return midnight(value) if value is not None else None

    @staticmethod
    def _end(value: date | datetime | None) -> datetime | None:
        """The filter's bound is exclusive: a day's is the next midnight, a moment's the next
        instant after it."""
        if isinstance(value, datetime):
            return check_datetime(value) + _ONE_TICK
        return midnight(value + timedelta(days=1)) if value is not None else None

    def first_error(self) -> str:
        """The refusal in one sentence, naming the parameter."""
        for name, errors in self.errors.items():
            return f"{name}：{errors[0]}" if name != "__all__" else str(errors[0])
        return ""

    def case_filter(self) -> CaseFilter:
        """The filter the selectors apply; only for a valid form."""
        data = self.cleaned_data
        overdue = {"1": True, "true": True, "0": False, "false": False}.get(data["overdue"])
        return CaseFilter(
            status=data["status"],
            grid=data["grid"],
            category=data["category"],
            channel=data["channel"],
            overdue=overdue,
            created_from=self._start(data["created_from"]),
            created_to=self._end(data["created_to"]),
            q=data["q"].strip(),
        )
