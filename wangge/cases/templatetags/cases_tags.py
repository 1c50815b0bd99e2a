from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases import panels
from wangge.cases.models import Case
from wangge.cases.workflow import caller_visible

register = template.Library()


def _span(seconds: float) -> str:
    minutes = int(abs(seconds) // 60)
    if minutes < 60:
        return _("%(n)d分钟") % {"n": max(minutes, 1)}
    hours = minutes // 60
    if hours < 48:
        return _("%(n)d小时") % {"n": hours}
    return _("%(n)d天") % {"n": hours // 24}


@register.simple_tag
def due_label(case: Case, now: datetime | None = None) -> str:
    """“剩余 5小时” or “已超期 2天”: what a worker glances at on the queue."""
    if case.due_at is None:
        return _("未计时")
    if case.status in ("closed", "resolved", "verified", "voided", "merged"):
        return (
            _("按期")
            if case.closed_on_time
            else (_("超期办结") if case.closed_on_time is False else "")
        )
    if case.status == "suspended":
        return _("挂账停表")
    left = (case.due_at - (now or timezone.now())).total_seconds()
    return (
        _("剩余 %(t)s") % {"t": _span(left)} if left > 0 else _("已超期 %(t)s") % {"t": _span(left)}
    )


@register.filter
def card_class(case: Case) -> str:
    return {"yellow": "card-yellow", "red": "card-red"}.get(case.card, "")


@register.simple_tag
def shows_caller(case: Case, user: User) -> bool:
    """Whether the page may show who raised the case (a 保密件's caller: the desk alone)."""
    return caller_visible(case, user)


@register.simple_tag
def case_panels(case: Case, user: User) -> SafeString:
    """What other apps add to the case page (cases.panels)."""
    return panels.render(case, user)
