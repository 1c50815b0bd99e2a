"""Fields the pages' forms share, for inputs Django's own fields read differently than the
pages send them, and the form of a page's query string."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from wangge.core.dates import validate_in_window


class Ticked(forms.Field):
    """A checkbox the page sends as value "1"; anything else (absent, "0") is not ticked."""

    def __init__(self) -> None:
        super().__init__(required=False)

    def to_python(self, value: object) -> bool:
        return value == "1"


class Listed(forms.Field):
    """Every value posted under the name (ticked boxes, a multiple select), as typed, in order;
    what they may be is the service's question."""

    widget = forms.MultipleHiddenInput

    def __init__(self) -> None:
        super().__init__(required=False)

    def to_python(self, value: Any) -> list[str]:
        return [str(v) for v in value or []]


class DayField(forms.DateField):
    """A day typed into a page's filter (`?day=2026-03-02`), inside the platform's window."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            input_formats=["%Y-%m-%d"],
            validators=[validate_in_window],
            error_messages={"invalid": _("日期格式不正确，应为 年-月-日，如 2026-03-02")},
            **kwargs,
        )


class MonthField(forms.DateField):
    """A month typed into a page's filter (`?month=2026-03`): its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            input_formats=["%Y-%m"],
            validators=[validate_in_window],
            error_messages={"invalid": _("月份格式不正确，应为 年-月，如 2026-03")},
            **kwargs,
        )


class QueryForm(forms.Form):
    """A page's query string (`?kind=…&month=…`), read once when the form is made. A value that
    does not read is left at its default and its reason kept in `error`, so the page still
    shows, with that line above it and status 422, as the 五星支部 year and the kitchen's month
    do: a link from an old bookmark is answered, never a blank page. A field's `initial` is the
    page's default when the parameter is absent or empty."""

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)

    def value(self, name: str) -> Any:
        """What the parameter reads as; its default when absent, empty or unreadable."""
        self.is_valid()
        field = self.fields[name]
        # A value that did not read is as if it were not sent.
        value = self.cleaned_data[name] if name in self.cleaned_data else field.to_python("")
        if value in field.empty_values and field.initial is not None:
            return field.initial
        return value

    def sent(self, name: str) -> bool:
        """Whether the parameter was given at all, read or not."""
        return self[name].value() not in (None, "")

    @property
    def error(self) -> str:
        """The first reason a value was not read, or ""."""
        return str(next(iter(self.errors.values()))[0]) if self.errors else ""

    @property
    def status_code(self) -> int:
        """The page's status: 422 when a value was not read (named so a parameter may be
        called `status`)."""
        return 422 if self.errors else 200


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """Attributes as django/forms/widgets/attrs.html writes them: in their order, True as the
    bare name, False left out."""
    return mark_safe(  # noqa: S308 — each part is format_html's
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


class ListSelect(forms.Select):
    """A select of a long list (a street's 150 units, a catalogue's 100 items), written in Python:
    the HTML Django's templates write, without rendering a template for every option (two
    lists of a street's units were half of the desk page's time over a city)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 — each part is format_html's
