"""A resident who moves to another district keeps their reports and their 活力值; their home
(notices, 身边事, circles) follows them."""

from typing import Any

import pytest
from django.test import Client

from tests.city.conftest import FIRST_POINT, OTHER_MICRO
from wangge.accounts.models import ResidenceClaim, Role, User
from wangge.accounts.registration import residence_claim, residence_decide
from wangge.cases.services import CaseInput, case_intake
from wangge.grids.models import Building, GridNode
from wangge.grids.services import buildings_import
from wangge.notices.selectors import home_node
from wangge.points.services import community_issuer, points_award, points_budget, wallet_for

pytestmark = pytest.mark.django_db


def test_a_resident_moves_district_with_their_history_and_points(
    city: dict[str, GridNode], cast: dict[str, Any], make_user: Any
) -> None:
    resident: User = cast["resident"]
    resident.real_name_verified_at = resident.date_joined
    resident.save(update_fields=["real_name_verified_at"])
    case, _created = case_intake(
        data=CaseInput(description="楼道灯坏了", lon=FIRST_POINT[0], lat=FIRST_POINT[1]),
        actor=resident,
    )
    issuer = community_issuer(home_node(resident) or city[OTHER_MICRO])
    points_budget(issuer=issuer, amount=100, key="move-budget")
    points_award(
        issuer=issuer, wallet=wallet_for(resident), amount=30, key="move-award", reason="志愿服务"
    )

    buildings_import("address,lon,lat,code\n二七区陇海路8号院2号楼,113.503,34.752,LH8B2\n")
    building = Building.objects.get(code="LH8B2")
    claim = residence_claim(user=resident, building=building, room="1单元302")
    their_worker = make_user(Role.GRID_WORKER, city[OTHER_MICRO].parent, name="冯志强")
    residence_decide(actor=their_worker, claim_id=claim.pk, confirm=True)
    assert ResidenceClaim.objects.get(pk=claim.pk).status == ResidenceClaim.Status.CONFIRMED

    resident = User.objects.get(pk=resident.pk)
    home = home_node(resident)
    assert home is not None and home.code == OTHER_MICRO
    assert resident.grants.filter(role=Role.RESIDENT).count() == 1
    assert wallet_for(resident).balance == 30
    client = Client()
    client.force_login(resident)
    mine = client.get("/api/v1/cases").json()["results"]
    assert [c["id"] for c in mine] == [case.pk]
    assert "陇海C1 微网格" in client.get("/m/").content.decode()
