"""The desk confirms or corrects a case's category: the category model's training examples.

A dispatcher who accepts the model's suggestion, picks one of its other choices, or says 不是这类
and names the right leaf, teaches the model (cases/learning.py reads every case whose category
a person chose). The case keeps the model's suggestions, so the desk's adoption of them can be
counted.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases import categories
from wangge.cases.actions import Event
from wangge.cases.models import OPEN_STATUSES, Case, CategorySource, Status
from wangge.cases.selectors import access_case
from wangge.cases.timeline import event_write
from wangge.cases.workflow import is_desk_of
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed


@transaction.atomic
def case_category_set(*, case_id: int, actor: User, code: str) -> Case:
    """Set (or confirm) the case's category to the leaf `code`, as the desk decided."""
    case = access_case(actor, case_id, lock=True)
    if not is_desk_of(case, actor):
        raise PermissionDenied(_("只有该事件所在街道的城运中心可以确认分类"))
    if case.is_history or case.status not in OPEN_STATUSES:
        raise Conflict(_("已结束的事件不能再更改分类"))
    category = categories.leaf((code or "").strip())
    if category is None:
        raise ValidationFailed(_("请选择一个在用的事件分类"), field="category")
    suggested = [s.get("code") for s in case.category_suggestions or []]
    before = case.category
    if before is not None and before.pk == category.pk:
        how = _("确认分类“%(name)s”") % {"name": category.name}
    elif before is not None:
        how = _("分类由“%(old)s”更正为“%(new)s”") % {"old": before.name, "new": category.name}
    else:
        how = _("分类定为“%(name)s”") % {"name": category.name}
    case.category, case.category_source = category, CategorySource.STAFF
    if case.status == Status.PENDING:
        # Not dispatched yet: the category's tier and urgency decide where it goes.
        case.tier, case.urgency = category.tier, category.urgency
    case.save(update_fields=["category", "category_source", "tier", "urgency", "updated_at"])
    event_write(
        case,
        action=Event.CATEGORY,
        actor=actor,
        note=how,
        data={
            "category": category.code,
            "before": before.code if before else "",
            "suggested": suggested[:3],
            "adopted": bool(suggested) and suggested[0] == category.code,
        },
    )
    return case
