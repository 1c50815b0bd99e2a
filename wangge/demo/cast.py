"""What every part of the demo district shares: the district's code and name, the nodes the cast
works on, and the cast's one password. Below `seed` and the per-topic modules, which all read it."""

import functools

from django.contrib.auth.hashers import make_password

from wangge.grids.models import GridLevel, GridNode

DISTRICT_CODE, DISTRICT_NAME = "410102", "中原区"
DEMO_PASSWORD = "wangge2026"  # noqa: S105  (documented demo login; demo users work only in DEMO_MODE)


@functools.cache
def demo_password_hash() -> str:
    """The shared demo password hashed once: argon2 costs a fifth of a second a time, and the
    demo makes about a hundred accounts."""
    return make_password(DEMO_PASSWORD)


def demo_nodes() -> dict[str, GridNode]:
    """The demo street's nodes the sample data hangs on: the district, the first street, its
    first community, that community's first two grids (A and B), grid A's first micro-grid and
    the first exclusive grid."""
    district = GridNode.objects.get(code=DISTRICT_CODE)
    street = GridNode.objects.filter(level=GridLevel.STREET).order_by("code").first()
    community = (
        GridNode.objects.filter(parent=street, level=GridLevel.COMMUNITY).order_by("code").first()
    )
    grids = list(
        GridNode.objects.filter(parent=community, level=GridLevel.GRID).order_by("code")[:2]
    )
    micro = GridNode.objects.filter(parent=grids[0], level=GridLevel.MICRO).order_by("code").first()
    exclusive = GridNode.objects.filter(level=GridLevel.EXCLUSIVE).order_by("code").first()
    assert street and community and micro and exclusive and len(grids) == 2
    return {
        "district": district,
        "street": street,
        "community": community,
        "grid_a": grids[0],
        "grid_b": grids[1],
        "micro_a": micro,
        "exclusive": exclusive,
    }
