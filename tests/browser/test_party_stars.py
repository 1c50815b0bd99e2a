"""五星支部 in Chromium as first opened: the community's party staff on a desk (the branches with
their stars per year, one branch's year with each criterion's reason and the form to attach a
material), the branch's page on a 390 × 844 phone, and a member's own page with their branch's
stars. axe-core finds nothing critical or
serious; on the phone no control is under 44 × 44 and nothing scrolls sideways; the stars and
the reasons are on screen."""

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.axe import axe_serious
from tests.browser.conftest import opened, sign_in, watch
from tests.browser.resident_pages import MEASURE
from tests.conftest import MICRO_A1, PASSWORD
from tests.party.conftest import make_member, orgs  # noqa: F401  (shared fixtures)
from wangge.accounts.models import User
from wangge.grids.models import GridNode
from wangge.party.models import EvidenceKind, PartyMember, PartyOrg, StarBand, StarCriterion
from wangge.party.services import star_evidence_attach

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "佐证材料 1 份，达到 1 份的标准"


def test_stars_pages_on_a_desk_and_the_branch_page_on_a_phone(
    live_server: Any,
    cast: dict[str, User],
    orgs: dict[str, PartyOrg],  # noqa: F811
    make_member: Callable[..., PartyMember],  # noqa: F811
    new_page: Any,
) -> None:
    base = live_server.url
    year = timezone.localdate().year
    for stars in range(1, 6):
        StarBand.objects.get_or_create(stars=stars, defaults={"min_points": stars})
    StarCriterion.objects.all().delete()  # the migration's, if this database still has them
    made = StarCriterion.objects.create(
        name="组织建设", kind=EvidenceKind.MATERIALS, target=Decimal(1), order=1
    )
    StarCriterion.objects.create(
        name="为民办事", kind=EvidenceKind.CASES_CLOSED, target=Decimal(20), order=2
    )
    branch = orgs["branch_a"]
    staff = cast["community"]
    star_evidence_attach(
        actor=staff, org_id=branch.pk, year=year, criterion_id=made.pk, note="三会一课记录 12 次"
    )
    findings: dict[str, Any] = {}

    desk = new_page()
    problems = watch(desk)
    sign_in(desk, base, staff.phone, PASSWORD)
    for path in ("/party/staff/stars/", f"/party/staff/stars/{branch.pk}/{year}/"):
        found = opened(desk, base, path, phone=False, name="stars")
        if found:
            findings[f"桌面 {path}"] = found
    assert desk.get_by_text(REASON).first.is_visible()
    assert desk.get_by_text("所在网格结案事件 0 件，未达到 20 件的标准（差 20 件）").is_visible()
    assert desk.get_by_role("img", name="1 星").first.is_visible()
    assert desk.get_by_label("材料说明").is_visible()

    phone = new_page(phone=True)
    problems += watch(phone)
    sign_in(phone, base, staff.phone, PASSWORD)
    path = f"/party/staff/orgs/{branch.pk}/"
    found = opened(phone, base, path, phone=True, name="stars")
    if found:
        findings[f"手机 {path}"] = found
    stars = phone.locator("#stars")
    assert stars.get_by_role("img", name="1 星").is_visible()
    assert stars.get_by_text(REASON).is_visible()

    # A member of the branch's 党小组 on their own phone page.
    member = make_member("李卫红", orgs["group_a1"], GridNode.objects.get(code=MICRO_A1))
    mine = new_page(phone=True)
    problems += watch(mine)
    sign_in(mine, base, member.user.phone, PASSWORD)
    found = opened(mine, base, "/party/", phone=True, name="stars")
    if found:
        findings["党员 /party/"] = found
    assert mine.locator("#branch-stars").get_by_role("img", name="1 星").is_visible()
    mine.get_by_text("评定理由").click()
    assert mine.get_by_text(REASON).is_visible()
    # The same page in 长辈版: 18 px text and 60 × 60 targets.
    member.user.elderly_mode = True
    member.user.save(update_fields=["elderly_mode"])
    mine.goto(f"{base}/party/")
    mine.wait_for_load_state("networkidle")
    assert mine.evaluate("document.documentElement.classList.contains('elderly')")
    measured = mine.evaluate(MEASURE, [18, 60])
    elder = {"axe": axe_serious(mine), "text": measured["text"], "taps": measured["taps"]}
    if any(elder.values()):
        findings["长辈版 /party/"] = elder
    assert mine.locator("#branch-stars").get_by_role("img", name="1 星").is_visible()

    assert findings == {}, json.dumps(findings, ensure_ascii=False, indent=1)
    assert problems == [], problems
