"""One catalogue for the city, adjusted by each district: a case takes the resolve time of the
deepest unit above it that adjusted its category, else the catalogue's own."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from tests.city.conftest import CITY, FIRST_POINT, OTHER, OTHER_POINT
from tests.conftest import DISTRICT
from wangge.accounts.models import User
from wangge.cases.models import Case, CategoryAdjustment, Department
from wangge.cases.services import CaseInput, case_intake
from wangge.grids.models import GridNode

pytestmark = pytest.mark.django_db


def _heating_case(at: tuple[float, float], who: User) -> Case:
    case, _created = case_intake(
        data=CaseInput(
            description="暖气不热，家里只有十几度", category_code="GN-01", lon=at[0], lat=at[1]
        ),
        actor=who,
    )
    assert case.dispatched_at is not None and case.due_at is not None
    return case


def test_each_district_keeps_its_own_allowance(
    city: dict[str, GridNode], people: dict[str, User]
) -> None:
    # The catalogue: 24 hours for a cold radiator. 二七区 allows 12; the city allows 48 to
    # every district that set nothing of its own.
    CategoryAdjustment.objects.create(
        unit=city[OTHER],
        category_id=_category("GN-01"),
        resolve_amount=12,
        resolve_unit="calendar_hours",
        note="二七区供暖季承诺",
    )
    here = _heating_case(FIRST_POINT, people["resident"])
    there = _heating_case(OTHER_POINT, people["resident"])
    assert here.due_at - here.dispatched_at == timedelta(hours=24)
    assert there.due_at - there.dispatched_at == timedelta(hours=12)
    CategoryAdjustment.objects.create(
        unit=city[CITY],
        category_id=_category("GN-01"),
        resolve_amount=48,
        resolve_unit="calendar_hours",
    )
    here = _heating_case(FIRST_POINT, people["resident"])
    there = _heating_case(OTHER_POINT, people["resident"])
    assert here.due_at - here.dispatched_at == timedelta(hours=48)
    assert there.due_at - there.dispatched_at == timedelta(hours=12)


def _category(code: str) -> int:
    from wangge.cases.models import Category

    return Category.objects.get(code=code).pk


def test_an_adjustment_is_a_district_or_city_own(city: dict[str, GridNode], people: Any) -> None:
    street = GridNode.objects.filter(level="street").first()
    theirs = Department.objects.create(code="CGJ", name="城管局", unit=city[OTHER])
    wrong = CategoryAdjustment(
        unit=street, category_id=_category("GN-01"), resolve_amount=1, resolve_unit="calendar_hours"
    )
    with pytest.raises(ValidationError, match="只有区或市"):
        wrong.full_clean()
    borrowed = CategoryAdjustment(
        unit=city[DISTRICT],
        category_id=_category("GN-01"),
        resolve_amount=1,
        resolve_unit="calendar_hours",
        department=theirs,
    )
    with pytest.raises(ValidationError, match="本区"):
        borrowed.full_clean()
    CategoryAdjustment.objects.create(
        unit=city[DISTRICT],
        category_id=_category("GN-01"),
        resolve_amount=1,
        resolve_unit="calendar_hours",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CategoryAdjustment.objects.create(
            unit=city[DISTRICT],
            category_id=_category("GN-01"),
            resolve_amount=2,
            resolve_unit="calendar_hours",
        )


def test_a_district_administrator_sees_only_their_adjustments_in_the_admin(
    city: dict[str, GridNode], people: dict[str, User]
) -> None:
    from django.contrib.auth.models import Permission

    CategoryAdjustment.objects.create(
        unit=city[OTHER],
        category_id=_category("GN-01"),
        resolve_amount=12,
        resolve_unit="calendar_hours",
        note="二七区供暖季承诺",
    )
    CategoryAdjustment.objects.create(
        unit=city[DISTRICT],
        category_id=_category("GN-01"),
        resolve_amount=20,
        resolve_unit="calendar_hours",
        note="中原区供暖季承诺",
    )
    admin = people["admin"]  # 中原区's administrator
    admin.user_permissions.add(*Permission.objects.filter(codename__endswith="categoryadjustment"))
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/cases/categoryadjustment/").content.decode()
    assert "中原区供暖季承诺" in page and "二七区供暖季承诺" not in page
    form = client.get("/admin/cases/categoryadjustment/add/").content.decode()
    assert "中原区" in form and "二七区" not in form


def test_the_department_search_offers_only_the_administrators_own_and_shared_departments(
    city: dict[str, GridNode], people: dict[str, User]
) -> None:
    """The adjustment form's department autocomplete and the department list: another
    district's 城管局 is neither listed nor offered, nor accepted when posted by its id."""
    from django.contrib.auth.models import Permission

    own = Department.objects.create(code="CG-A", name="中原区城市管理局", unit=city[DISTRICT])
    other = Department.objects.create(code="CG-B", name="二七区城市管理局", unit=city[OTHER])
    shared = Department.objects.create(code="GD", name="市供电公司")
    admin = people["admin"]  # 中原区's administrator
    admin.user_permissions.add(
        *Permission.objects.filter(codename__endswith="categoryadjustment"),
        *Permission.objects.filter(codename="view_department"),
    )
    client = Client()
    client.force_login(admin)
    found = client.get(
        "/admin/autocomplete/",
        {
            "term": "",
            "app_label": "cases",
            "model_name": "categoryadjustment",
            "field_name": "department",
        },
    )
    assert found.status_code == 200
    ids = {int(r["id"]) for r in found.json()["results"]}
    assert own.pk in ids and shared.pk in ids and other.pk not in ids
    listed = client.get("/admin/cases/department/").content.decode()
    assert "中原区城市管理局" in listed and "二七区城市管理局" not in listed
    posted = client.post(
        "/admin/cases/categoryadjustment/add/",
        {
            "unit": city[DISTRICT].pk,
            "category": _category("GN-01"),
            "resolve_amount": 20,
            "resolve_unit": "calendar_hours",
            "department": other.pk,
            "note": "",
        },
    )
    assert posted.status_code == 200  # the form again, with its error
    assert not CategoryAdjustment.objects.filter(department=other).exists()
