"""Fields the pages' forms share, for inputs Django's own fields read differently than the
pages send them."""

from typing import Any

from django import forms


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
