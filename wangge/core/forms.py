"""Fields the pages' forms share, for inputs Django's own fields read differently than the
pages send them."""

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


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
    lists of a street's units were half of the desk page's 135 ms over a city)."""

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
