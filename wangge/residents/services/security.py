"""综治重点人员 (GB/T 31000 categories): who may see them, and tagging a person."""

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils.translation import gettext as _

from wangge.accounts.models import (
    User,
)
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.scope import path_in_scope
from wangge.residents.models import (
    Person,
    SecurityCategory,
    SecurityTag,
)
from wangge.residents.selectors import (
    may_see_security,
)


@transaction.atomic
def security_access_set(*, user: User, allowed: bool) -> None:
    """Grant or withdraw the GB/T 31000 categories for one person (an administrator's act, by
    the `residents_security_access` command). Their grid scope still limits what they see."""
    perm = Permission.objects.get(content_type__app_label="residents", codename="view_securitytag")
    if allowed:
        user.user_permissions.add(perm)
    else:
        user.user_permissions.remove(perm)


@transaction.atomic
def security_tag_set(
    *,
    actor: User,
    person: Person,
    category: str,
    measures: str = "",
    visit_every_days: int = 30,
    is_active: bool = True,
) -> SecurityTag:
    if not may_see_security(actor) or not path_in_scope(actor, person.grid_path):
        raise PermissionDenied(_("您无权登记综治重点人员"))
    if category not in SecurityCategory.values:
        raise ValidationFailed(_("未知类别“%(c)s”") % {"c": category})
    if not 1 <= visit_every_days <= 366:
        raise ValidationFailed(_("走访周期应在 1 到 366 天之间"))
    tag, _created = SecurityTag.objects.update_or_create(
        person=person,
        category=category,
        defaults={
            "measures": measures.strip(),
            "visit_every_days": visit_every_days,
            "is_active": is_active,
            "grid_path": person.grid_path,
        },
    )
    return tag
