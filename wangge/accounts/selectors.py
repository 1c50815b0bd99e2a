from collections.abc import Iterable
from typing import Any

from wangge.accounts.models import PHONE_REVEAL_ROLES, STAFF_ROLES, Role, RoleGrant, User
from wangge.grids.models import GridNode


def may_reveal(user: User, roles: Iterable[str] = PHONE_REVEAL_ROLES) -> bool:
    """Whether `user`'s roles let them see a personal field in full (by default a phone
    number: the roles that must call people). Seeing it is still audited, by the services."""
    return user.is_superuser or user.has_role(*roles)


def staff_on_node(node: GridNode) -> list[dict[str, Any]]:
    """The people who work a node, phones masked. Residents, merchants and enterprises that
    belong to the node are not staff and are never listed here."""
    roles = STAFF_ROLES | {Role.DEPARTMENT_HANDLER}
    grants = (
        RoleGrant.objects.filter(node=node, role__in=roles)
        .select_related("user")
        .order_by("role", "user__name")
    )
    return [
        {"name": g.user.name, "role": str(g.get_role_display()), "phone": g.user.masked_phone}
        for g in grants
        if g.user.is_active
    ]
