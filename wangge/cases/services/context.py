"""What every action step is given, and the checks its parameters share."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases.models import (
    Case,
)
from wangge.core.dates import check_datetime
from wangge.core.errors import ValidationFailed
from wangge.core.images import CleanImage
from wangge.core.scope import path_in_scope
from wangge.grids.models import GridNode


@dataclass
class Ctx:
    case: Case
    actor: User
    params: dict[str, Any]
    photos: Sequence[CleanImage]
    now: datetime
    note: str
    data: dict[str, Any] = field(default_factory=dict)
    # Set by an action that decides its own target state (e.g. a follow-up nobody answered).
    status: str | None = None


# One action's step: it reads the context, changes the case in memory (the gate saves it and
# writes the timeline row) and may set `status`. Each step module holds a table of its own,
# action → step, and the gate joins them.
Step = Callable[[Ctx], None]


def note_required(ctx: Ctx, what: str) -> str:
    """The note an action cannot go without (a reason for returning, a 督办 opinion…), or a
    refusal at the note field saying what it must hold."""
    if not ctx.note:
        raise ValidationFailed(_("请填写%(what)s") % {"what": what}, field="note")
    return ctx.note


def node_param(ctx: Ctx, name: str = "node") -> GridNode:
    """The grid node a dispatch or transfer names by its code, refused unless it exists and
    lies in the actor's scope."""
    code = str(ctx.params.get(name) or "").strip()
    if not code:
        raise ValidationFailed(_("请选择承办网格"), field=name)
    node = GridNode.objects.filter(code=code).first()
    if node is None or not path_in_scope(ctx.actor, node.path):
        raise ValidationFailed(
            _("承办网格“%(c)s”不存在或不在您的管辖范围内") % {"c": code}, field=name
        )
    return node


def deadline_param(value: Any) -> datetime:
    """A deadline given with an action (an extension asked or approved, a 重办's own due
    time), read from a datetime or its text and held to the accepted date window."""
    when = value if isinstance(value, datetime) else parse_datetime(str(value or ""))
    if when is None:
        raise ValidationFailed(_("请填写有效的延期时间"), field="until")
    return check_datetime(when)


def yes_no_param(ctx: Ctx, name: str, what: str) -> bool:
    """A yes-or-no answer of the follow-up (reached, contacted, solved), as a form, the API or
    an adapter sends it; refused at its field when it is neither."""
    value = ctx.params.get(name)
    if isinstance(value, bool):
        return value
    if str(value).lower() in {"true", "1", "yes", "是"}:
        return True
    if str(value).lower() in {"false", "0", "no", "否"}:
        return False
    raise ValidationFailed(_("请选择%(what)s") % {"what": what}, field=name)
