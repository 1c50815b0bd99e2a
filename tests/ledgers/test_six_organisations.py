"""组织 on the 六要素 page: the register's organisations, and the party organisations,
enterprises and alliance merchants their own apps keep, counted once, in the caller's scope."""

from typing import Any

import pytest
from django.test import Client

from tests.cases.conftest import IN_A1, IN_B1, IN_EXCLUSIVE
from tests.conftest import COMMUNITY, GRID_A, GRID_B, MICRO_A2
from tests.enterprises.conftest import enterprise_input
from tests.party.conftest import orgs  # noqa: F401  (the party tree: street … 1号楼党小组)
from wangge.enterprises.services import enterprise_create
from wangge.grids.models import GridNode
from wangge.ledgers.selectors import name_key, organisation_counts
from wangge.ledgers.services import organisation_add
from wangge.party.models import PartyOrg
from wangge.points.models import Merchant


def node(code: str) -> GridNode:
    return GridNode.objects.get(code=code)


@pytest.fixture
def two_grids(people: dict[str, Any], orgs: dict[str, PartyOrg]) -> None:  # noqa: F811
    """Grid A: 党支部 + 党小组, two enterprises (one also in the exclusive grid), one merchant
    (and one that left the alliance), a property company typed into the register, and the
    merchant typed in again by hand. Grid B: 党支部, one enterprise, one merchant, and a
    register row for a shop of the same name as grid A's (another branch of it). The
    community: 党委, and the grid A merchant typed in once more, on the community."""
    admin = people["admin"]
    enterprise_create(actor=admin, data=enterprise_input(name="中原精密机械", at=IN_A1))
    enterprise_create(actor=admin, data=enterprise_input(name="商圈餐饮管理", at=IN_EXCLUSIVE))
    enterprise_create(actor=admin, data=enterprise_input(name="桐柏路数码科技", at=IN_B1))
    Merchant.objects.create(name="老张理发", address="建设路 86 号", node=node(GRID_A))
    Merchant.objects.create(name="已退出的修鞋铺", address="x", node=node(GRID_A), active=False)
    Merchant.objects.create(name="桐柏路药房", address="桐柏路 1 号", node=node(GRID_B))
    worker_a, worker_b = people["worker_a"], people["worker_b"]
    organisation_add(actor=worker_a, kind="property", name="百花里物业", node=node(GRID_A))
    organisation_add(actor=worker_a, kind="merchant", name="老张理发", node=node(MICRO_A2))
    organisation_add(actor=worker_a, kind="party", name="碧沙岗第1网格党支部", node=node(GRID_A))
    organisation_add(actor=worker_b, kind="merchant", name="老张理发", node=node(GRID_B))
    organisation_add(
        actor=people["community"], kind="merchant", name="老张理发", node=node(COMMUNITY)
    )


def counts(user: Any, code: str) -> dict[str, int]:
    return {o.label: o.n for o in organisation_counts(user, node(code))}


def test_each_grid_counts_its_own_from_the_source_apps(
    people: dict[str, Any], two_grids: None
) -> None:
    # Grid A: the branch and its 1号楼党小组 (the branch typed in again is not counted twice),
    # both enterprises located in A (one of them also in the exclusive grid), the merchant still
    # in the alliance (typed in on A2 as well: one shop), and the property company.
    assert counts(people["worker_a"], GRID_A) == {
        "物业公司": 1,
        "商户": 1,
        "党组织": 2,
        "企业": 2,
    }
    # Grid B: its own branch, enterprise and merchant, and the register's shop of the same name
    # as grid A's — a shop in another grid, so another shop.
    assert counts(people["worker_b"], GRID_B) == {"商户": 2, "党组织": 1, "企业": 1}
    # A grid worker never counts the other grid, even asked about the community above them.
    assert counts(people["worker_a"], COMMUNITY) == counts(people["worker_a"], GRID_A)
    assert counts(people["worker_b"], COMMUNITY) == counts(people["worker_b"], GRID_B)
    # The community sees both grids and its own 党委; 老张理发 typed in on the community is the
    # grid A shop again.
    assert counts(people["community"], COMMUNITY) == {
        "物业公司": 1,
        "商户": 3,
        "党组织": 4,
        "企业": 3,
    }
    # People without a grid see nothing.
    assert counts(people["resident"], COMMUNITY) == {}


def test_six_elements_page_shows_them(people: dict[str, Any], two_grids: None) -> None:
    pages = {}
    for who, code in (("worker_a", GRID_A), ("worker_b", GRID_B)):
        c = Client()
        c.force_login(people[who])
        page = c.get(f"/residents/grid/{code}/").content.decode()
        pages[who] = page[page.index('id="six-organisations"') :].split("</section>")[0]
    assert '<span class="count">2</span> 党组织' in pages["worker_a"]
    assert '<span class="count">2</span> 企业' in pages["worker_a"]
    assert '<span class="count">1</span> 商户' in pages["worker_a"]
    assert '<span class="count">1</span> 物业公司' in pages["worker_a"]
    assert '<span class="count">1</span> 党组织' in pages["worker_b"]
    assert '<span class="count">2</span> 商户' in pages["worker_b"]
    assert "物业公司" not in pages["worker_b"] and "尚未登记组织" not in pages["worker_b"]
    # Grid B's page is not grid A's worker's to open.
    c = Client()
    c.force_login(people["worker_a"])
    assert c.get(f"/residents/grid/{GRID_B}/").status_code == 404


def test_an_empty_grid_says_so(people: dict[str, Any]) -> None:
    c = Client()
    c.force_login(people["worker_b"])
    page = c.get(f"/residents/grid/{GRID_B}/").content.decode()
    assert "尚未登记组织" in page[page.index('id="six-organisations"') :]


def test_a_name_typed_differently_is_still_one_organisation(
    people: dict[str, Any], two_grids: None
) -> None:
    # Full-width brackets and a space, as typed on a phone, for the enterprise in grid A; and
    # the grid B enterprise's name typed on grid A, which is another place, so another one.
    admin = people["admin"]
    enterprise_create(actor=admin, data=enterprise_input(name="郑州(中原)五金商行", at=IN_A1))
    worker_a = people["worker_a"]
    organisation_add(
        actor=worker_a, kind="enterprise", name="郑州（中原） 五金商行", node=node(GRID_A)
    )
    organisation_add(actor=worker_a, kind="enterprise", name="桐柏路数码科技", node=node(GRID_A))
    assert counts(worker_a, GRID_A)["企业"] == 2 + 1 + 1
    assert name_key("郑州（中原） 五金商行") == name_key("郑州(中原)五金商行")
    assert name_key("ＡＢＣ物业") == name_key("abc物业")
