"""The 中原区 demo district: real codes, geometry that tiles, buildings inside their grids."""

import csv
from typing import Any

import pytest
import shapely
from django.core.management import call_command
from shapely.geometry import shape
from shapely.ops import unary_union

from wangge.accounts.models import Role, RoleGrant, User
from wangge.core.errors import NotFound
from wangge.demo.seed import DEMO_USERS, DIVISIONS_CSV
from wangge.grids.models import Building, GridLevel, GridNode, Road
from wangge.grids.selectors import locate, resolve_address

pytestmark = pytest.mark.django_db


def test_real_streets_and_communities_with_their_codes(seeded: Any) -> None:
    with DIVISIONS_CSV.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    streets = {r["street_code9"]: r["street_name"] for r in rows}
    assert len(streets) == 14 and len(rows) == 157
    assert (
        dict(GridNode.objects.filter(level=GridLevel.STREET).values_list("code", "name")) == streets
    )
    communities = dict(
        GridNode.objects.filter(level=GridLevel.COMMUNITY).values_list("code", "parent__code")
    )
    assert communities == {r["code12"]: r["street_code9"] for r in rows}


def test_sizes_are_as_documented(seeded: Any) -> None:
    for community in GridNode.objects.filter(level=GridLevel.COMMUNITY):
        assert 3 <= community.children.filter(level=GridLevel.GRID).count() <= 6
    for grid in GridNode.objects.filter(level=GridLevel.GRID)[:50]:
        assert 4 <= grid.children.count() <= 10
    assert 9 <= GridNode.objects.filter(level=GridLevel.EXCLUSIVE).count() <= 12
    micro_count = GridNode.objects.filter(level=GridLevel.MICRO).count()
    assert 8 * micro_count <= Building.objects.count() <= 12 * micro_count
    assert not GridNode.objects.filter(is_sample=False).exists()  # all labelled as sample data


def test_children_tile_their_parent(seeded: Any) -> None:
    for street in GridNode.objects.filter(level=GridLevel.STREET)[:3]:
        parent = shape(street.boundary)
        union = unary_union([shape(c.boundary) for c in street.children.all()])
        # Coordinates are kept to 1e-7° (about 1 cm); along kilometres of borders that leaves
        # slivers of a few m² on a street of ~10 km², nothing a point could fall through.
        assert union.symmetric_difference(parent).area < parent.area * 1e-5
        district_box = shapely.box(113.54, 34.69, 113.69, 34.81)
        assert district_box.contains(parent)


def test_every_building_locates_to_its_micro_grid(seeded: Any) -> None:
    # All of them, not a sample: a few buildings in fifty thousand standing on a boundary line is
    # exactly the defect a sample misses most of the time.
    astray = []
    for address, micro_id, lon, lat in Building.objects.values_list(
        "address", "micro_grid_id", "lon", "lat"
    ).iterator(chunk_size=5000):
        try:
            found = locate(lon=lon, lat=lat).micro_grid
        except NotFound:
            found = None
        if found is None or found.pk != micro_id:
            astray.append(address)
    assert astray == []


def test_addresses_use_real_roads_and_resolve(seeded: Any) -> None:
    b = Building.objects.order_by("code").first()
    assert b is not None and b.address.startswith("中原区") and b.address.endswith("号楼")
    match = resolve_address(q=b.address.removeprefix("中原区"))
    assert match.building is not None and match.building.pk == b.pk
    assert Building.objects.exclude(aliases=[]).exists()


def test_sample_roads_run_past_the_buildings_that_name_them(seeded: Any) -> None:
    """`make run` shows roads: sample lines, marked as such, on the roads the addresses name,
    each within a few hundred metres of a building of its own community on that road."""
    roads = list(Road.objects.all())
    assert len(roads) > 300 and all(r.is_sample for r in roads)
    road_names = {r.name for r in roads}
    for b in Building.objects.order_by("code")[::5000]:
        name = next(n for n in road_names if b.address.removeprefix("中原区").startswith(n))
        near = [
            r
            for r in roads
            if r.name == name and shape(r.geometry).distance(shapely.Point(b.lon, b.lat)) < 0.005
        ]
        assert near, b.address


def test_demo_users_for_every_role(seeded: Any) -> None:
    assert {role for _p, _n, role, _w in DEMO_USERS} == set(Role.values)
    listed = [phone for phone, *_rest in DEMO_USERS]
    assert User.objects.filter(is_demo=True, phone__in=listed).count() == len(DEMO_USERS)
    assert not User.objects.filter(is_demo=False).exists()
    street = GridNode.objects.filter(level=GridLevel.STREET).order_by("code").first()
    grids = GridNode.objects.filter(level=GridLevel.GRID, path__startswith=street.path)
    assert all(g.grants.filter(role=Role.GRID_WORKER).exists() for g in grids)
    worker_a = RoleGrant.objects.get(user__phone="13800000005")
    worker_b = RoleGrant.objects.get(user__phone="13800000006")
    assert (
        worker_a.node.parent_id == worker_b.node.parent_id and worker_a.node_id != worker_b.node_id
    )


def test_seed_is_not_repeated_without_reset(
    seeded: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    before = Building.objects.count()
    call_command("seed_demo", "--if-empty")
    call_command("seed_demo")
    assert Building.objects.count() == before
    assert "已存在" in capsys.readouterr().out


def test_demo_cases_span_the_loop(seeded: Any) -> None:
    from wangge.cases.models import Case, Category

    assert Category.objects.filter(children__isnull=True).count() >= 50
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"dispatched", "signed", "closed"} <= statuses
    assert Case.objects.filter(channel="hotline").exists()
    # Every demo case lies in the district and routed cases carry their reason.
    assert not Case.objects.exclude(grid_path__startswith="410102/").exists()
    assert not Case.objects.filter(status="dispatched", routing_reason="").exists()


def test_the_demo_department_handler_has_whistled_cases(seeded: Any) -> None:
    """王海涛 answers for 城管局, whose whistled cases open for him at every stage."""
    from django.test import Client

    from wangge.cases.models import Assistance

    handler = User.objects.get(phone="13800000008")
    assert list(handler.departments.values_list("name", flat=True)) == ["城管局"]
    summoned = Assistance.objects.filter(department__members=handler)
    assert sorted(summoned.values_list("state", flat=True)) == [
        "reported",
        "signed",
        "signed",
        "summoned",
    ]
    c = Client()
    c.force_login(handler)
    queue = c.get("/cases/department/").content.decode()
    assert 'id="dept-total">3<' in queue
    for case_id in summoned.values_list("case_id", flat=True):
        assert c.get(f"/cases/{case_id}/").status_code == 200


def test_every_demo_community_can_pay_for_its_wishes(seeded: Any) -> None:
    from wangge.points.services import community_issuer

    street = GridNode.objects.filter(level=GridLevel.STREET).order_by("code").first()
    communities = GridNode.objects.filter(parent=street, level=GridLevel.COMMUNITY)
    assert communities.count() >= 2
    from wangge.points.models import Earning

    for community in communities:
        account = community_issuer(community)
        # The budget of 20,000 less what the demo already paid from it (thanked wishes and
        # verified reports): funded before anything was paid, so nothing went unpaid.
        paid = sum(Earning.objects.filter(issuer=account).values_list("granted", flat=True))
        assert account.name == f"{community.name}志愿服务"
        assert account.available == 20_000 - paid and account.available >= 15_000


def test_the_demo_assistant_knows_the_seed_base(seeded: Any) -> None:
    from wangge.assistant import index
    from wangge.assistant.models import KbCalibration, KnowledgeItem

    index.invalidate()
    assert KnowledgeItem.objects.count() == 150
    assert KbCalibration.objects.get().items == 150
    reply = index.retriever().ask("我是外地人，在中原区租房，怎么办居住证")
    assert reply.answer_id == "HJ001"
