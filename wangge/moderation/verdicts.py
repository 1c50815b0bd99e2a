"""A check's verdict, and what it means for its content: published once every check of it has
passed, hidden (with the reason the author is shown) as soon as one fails."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.moderation import registry
from wangge.moderation.models import ContentCheck, Kind, NameHold

Status = ContentCheck.Status

# msgSecCheck / mediaCheckAsync v2 labels, named for the author of hidden content.
LABELS = {
    "10001": _("广告"),
    "20001": _("时政"),
    "20002": _("色情"),
    "20003": _("辱骂"),
    "20006": _("违法犯罪"),
    "20008": _("欺诈"),
    "20012": _("低俗"),
    "20013": _("版权"),
}


def risky_reason(label: str, *, photo: bool) -> str:
    name = LABELS.get(label)
    if photo:
        if name:
            return _("照片可能含有%(l)s内容，未通过内容安全审核") % {"l": name}
        return _("照片未通过内容安全审核")
    if name:
        return _("内容可能含有%(l)s信息，未通过内容安全审核") % {"l": name}
    return _("内容未通过内容安全审核")


@transaction.atomic
def record(
    check_id: int,
    *,
    status: str,
    via: str,
    reason: str = "",
    label: str = "",
    by: User | None = None,
) -> bool:
    """Give an open check its verdict (once: a check already decided is left as it is) and
    apply what it means to the content. Answers whether this call decided it."""
    fields: dict[str, Any] = {
        "status": status,
        "via": via,
        "reason": reason[:200],
        "label": label[:12],
    }
    if status in (Status.PASSED, Status.HIDDEN):
        fields.update(decided_at=timezone.now(), decided_by=by, next_try_at=None)
    elif status == Status.REVIEW:
        fields.update(next_try_at=None)
    open_ = [Status.PENDING, Status.REVIEW]
    if by is not None:
        # A person's decision is saved through the model, so the change log (auditlog) records
        # who decided what, as for other staff actions.
        found = ContentCheck.objects.select_for_update().filter(pk=check_id, status__in=open_)
        check = found.first()
        if check is None:
            return False
        for name, value in fields.items():
            setattr(check, name, value)
        check.save()
    else:
        if not ContentCheck.objects.filter(pk=check_id, status__in=open_).update(**fields):
            return False
        check = ContentCheck.objects.get(pk=check_id)
    settle(check.kind, check.object_id)
    return True


def settle(kind: str, object_id: int) -> None:
    """Publish the content when all its checks have passed; hide it when one has failed."""
    checks = list(
        ContentCheck.objects.filter(kind=kind, object_id=object_id)
        .exclude(status=Status.MOOT)
        .order_by("pk")
        .values_list("pk", "status", "reason")
    )
    if kind == Kind.NAME:
        # A name given again replaces the one before: only the latest is judged.
        checks = checks[-1:]
    hidden = [reason for _pk, status, reason in checks if status == Status.HIDDEN]
    if hidden:
        ContentCheck.objects.filter(
            kind=kind, object_id=object_id, status__in=[Status.PENDING, Status.REVIEW]
        ).update(status=Status.MOOT, next_try_at=None)
        _apply(kind, object_id, passed=False, reason=hidden[0] or _("内容未通过审核"))
    elif checks and all(status == Status.PASSED for _pk, status, _r in checks):
        _apply(kind, object_id, passed=True, reason="")


def _apply(kind: str, object_id: int, *, passed: bool, reason: str) -> None:
    if kind == Kind.NAME:
        hold = NameHold.objects.filter(user_id=object_id).first()
        if hold is not None:
            if passed:
                hold.delete()
            else:
                hold.reason = reason
                hold.save(update_fields=["reason"])
        return
    owner = registry.owner(kind)
    if owner is None:
        return
    if passed:
        owner.publish(object_id)
    else:
        owner.hide(object_id, reason)
