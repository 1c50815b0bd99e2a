"""Reads for 原点在线 pages that gather other apps' data for one resident."""

from dataclasses import dataclass

from wangge.accounts.models import Role, RoleGrant, User
from wangge.grids.models import GridLevel, GridNode
from wangge.notices.models import ServicePlace
from wangge.notices.selectors import home_node, places_near

# Who a resident calls about their building, in the order they are asked: the micro-grid leader
# lives in the building; the grid worker is the paid 专属客服 of the whole grid.
CONTACT_ROLES = (Role.MICRO_GRID_LEADER, Role.GRID_WORKER, Role.GRID_LEADER)
# The places a resident walks to for help: 党群服务中心 first, then 网格家园.
CENTRE_KINDS = (ServicePlace.Kind.PARTY_CENTER, ServicePlace.Kind.GRID_HOME)


@dataclass(frozen=True)
class GridContact:
    person: User
    role: str  # Role value
    role_label: str
    node: GridNode


@dataclass(frozen=True)
class MyGrid:
    micro: GridNode
    grid: GridNode | None
    contacts: list[GridContact]
    centres: list[tuple[ServicePlace, float | None]]
    is_home: bool  # the viewer lives here: numbers are shown in full


def micro_grid_of(user: User) -> GridNode | None:
    """The viewer's own micro-grid (or the lowest node their home grant is on)."""
    return home_node(user)


def my_grid(*, viewer: User, micro: GridNode) -> MyGrid:
    paths = micro.ancestor_paths()  # from the district down to the micro-grid itself
    chain = {n.path: n for n in GridNode.objects.filter(path__in=paths)}
    grid = next((n for n in chain.values() if n.level == GridLevel.GRID), None)
    grants = (
        RoleGrant.objects.filter(role__in=CONTACT_ROLES, node__path__in=paths, user__is_active=True)
        .select_related("user", "node")
        .order_by("node__depth", "pk")
    )
    order: dict[str, int] = {str(role): i for i, role in enumerate(CONTACT_ROLES)}
    # The nearest node first (a micro-grid's own leader before the grid's), then by role.
    rows = sorted(grants, key=lambda g: (-g.node.depth, order[g.role]))
    seen: set[int] = set()
    contacts: list[GridContact] = []
    for g in rows:
        if g.user_id in seen:
            continue
        seen.add(g.user_id)
        contacts.append(GridContact(g.user, g.role, str(Role(g.role).label), g.node))
    home = home_node(viewer)
    is_home = home is not None and home.path.startswith(micro.path)
    lon, lat = micro.centroid_lon, micro.centroid_lat
    centres: list[tuple[ServicePlace, float | None]] = []
    for kind in CENTRE_KINDS:
        centres.extend(places_near(lon=lon, lat=lat, kind=kind, limit=2))
    return MyGrid(micro=micro, grid=grid, contacts=contacts, centres=centres, is_home=is_home)


def micro_grid_by_code(code: str) -> GridNode | None:
    return GridNode.objects.filter(code=code, level=GridLevel.MICRO).first()
