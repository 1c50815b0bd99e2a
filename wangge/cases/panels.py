"""Parts of the case page that other apps draw (the 12345 adapter's call recordings).

The case loop imports none of the apps above it, so they register a panel in their
`AppConfig.ready()`: a function given the case and the viewer (who may already see the case)
that returns the panel's HTML, or "" when it has nothing to show them.
"""

from collections.abc import Callable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from wangge.accounts.models import User
from wangge.cases.models import Case

CasePanel = Callable[[Case, User], str]
_panels: dict[str, CasePanel] = {}


def register(name: str, panel: CasePanel) -> None:
    _panels[name] = panel


def render(case: Case, user: User) -> SafeString:
    # Each panel renders its own template (autoescaped); joined as they are.
    return format_html_join("", "{}", ((SafeString(p(case, user)),) for p in _panels.values()))
