"""What every action step is given, and the checks its parameters share."""

from collections.abc import Sequence
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


def _require_note(ctx: Ctx, what: str) -> str:
    if not ctx.note:
        raise ValidationFailed(_("请填写%(what)s") % {"what": what}, field="note")
    return ctx.note


def _node_param(ctx: Ctx, name: str = "node") -> GridNode:
    code = str(ctx.params.get(name) or "").strip()
    if not code:
        raise ValidationFailed(_("请选择承办网格"), field=name)
    node = GridNode.objects.filter(code=code).first()
    if node is None or not path_in_scope(ctx.actor, node.path):
        raise ValidationFailed(
            _("承办网格“%(c)s”不存在或不在您的管辖范围内") % {"c": code}, field=name
        )
    return node


def _parse_when(value: Any) -> datetime:
    when = value if isinstance(value, datetime) else parse_datetime(str(value or ""))
    if when is None:
        raise ValidationFailed(_("请填写有效的延期时间"), field="until")
    return check_datetime(when)


def _yes_no(ctx: Ctx, name: str, what: str) -> bool:
    value = ctx.params.get(name)
    if isinstance(value, bool):
        return value
    if str(value).lower() in {"true", "1", "yes", "是"}:
        return True
    if str(value).lower() in {"false", "0", "no", "否"}:
        return False
    raise ValidationFailed(_("请选择%(what)s") % {"what": what}, field=name)
