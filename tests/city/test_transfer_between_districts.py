"""A case that reached the wrong district of a city is 转办 to the right one, with its history;
districts that share no city send nothing to each other."""

from typing import Any

import pytest
from django.test import Client

from tests.city.conftest import CITY, FIRST_POINT, OTHER, OTHER_GRID
from tests.conftest import STREET
from wangge.accounts.models import Role, User
from wangge.cases.models import Case
from wangge.cases.services import CaseInput, case_act, case_intake
from wangge.core.errors import ValidationFailed
from wangge.grids.models import GridNode
from wangge.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _misplaced_case(who: User) -> Case:
    # The pin fell in 中原区; the caller's words say 二七区's 陇海路.
    case, _created = case_intake(
        data=CaseInput(description="陇海路下水道堵了", lon=FIRST_POINT[0], lat=FIRST_POINT[1]),
        actor=who,
    )
    return case


def test_a_case_goes_to_the_right_district_with_its_history(
    city: dict[str, GridNode], cast: dict[str, Any], make_user: Any
) -> None:
    desk = make_user(Role.STREET_DISPATCHER, city[OTHER], name="二七区城运中心")
    case = _misplaced_case(cast["resident"])
    case_act(
        case_id=case.pk,
        actor=cast["dispatcher"],
        action="transfer",
        note="属二七区陇海路",
        params={"node": STREET},
    )
    # The case page offers the city's other district among the units to 转办 to.
    page = Client()
    page.force_login(cast["dispatcher"])
    assert "二七区" in page.get(f"/cases/{case.pk}/").content.decode()
    events_before = case.events.count()
    case_act(
        case_id=case.pk,
        actor=cast["dispatcher"],
        action="transfer",
        note="属二七区陇海路",
        params={"node": OTHER},
    )
    case.refresh_from_db()
    assert case.grid_path == city[OTHER].path
    assert case.micro_grid is None and case.street is None
    assert case.handling_node == city[OTHER]
    assert case.events.count() == events_before + 1
    # The receiving desk is told and sees the whole timeline; the sender no longer has it.
    assert Notification.objects.filter(recipient=desk, title__contains="中原区转来事件").exists()
    theirs = Client()
    theirs.force_login(desk)
    body = theirs.get(f"/cases/{case.pk}/").content.decode()
    assert "属二七区陇海路" in body and "转办" in body
    # The sender is told where it went, not shown the case (a reply lost on a weak network,
    # then the page opened again).
    gone = page.get(f"/cases/{case.pk}/", follow=True)
    assert gone.redirect_chain and "已转办至二七区，现由对方办理" in gone.content.decode()
    assert "陇海路下水道堵了" not in gone.content.decode()
    # Their own staff place it in their district.
    case_act(
        case_id=case.pk,
        actor=desk,
        action="transfer",
        note="陇海第1网格",
        params={"node": OTHER_GRID},
    )
    case.refresh_from_db()
    assert case.grid_path.startswith(f"{CITY}/{OTHER}/")
    assert case.handling_node is not None and case.handling_node.code == OTHER_GRID
    # Once the other district has acted on it, it is theirs alone: a plain 404.
    assert page.get(f"/cases/{case.pk}/").status_code == 404


def test_a_transfer_sent_again_after_its_reply_was_lost_is_done_once_and_says_so(
    city: dict[str, GridNode], cast: dict[str, Any], make_user: Any
) -> None:
    case = _misplaced_case(cast["resident"])
    case_act(
        case_id=case.pk,
        actor=cast["dispatcher"],
        action="transfer",
        note="属二七区陇海路",
        params={"node": STREET},
    )
    page = Client()
    page.force_login(cast["dispatcher"])
    form = {"action": "transfer", "node": OTHER, "note": "属二七区陇海路"}
    first = page.post(f"/cases/{case.pk}/act/", form)
    assert first.status_code == 302
    events = case.events.count()
    again = page.post(f"/cases/{case.pk}/act/", form, follow=True)
    assert f"事件 #{case.pk} 已转办至二七区，现由对方办理" in again.content.decode()
    assert case.events.count() == events  # nothing done twice
    # Someone else of the sending district, who did not send it, learns nothing of it.
    colleague = make_user(Role.STREET_DISPATCHER, GridNode.objects.get(code=STREET), name="同事")
    other = Client()
    other.force_login(colleague)
    assert other.get(f"/cases/{case.pk}/").status_code == 404
    assert other.post(f"/cases/{case.pk}/act/", form).status_code == 404


def test_districts_without_a_city_send_nothing_to_each_other(
    two_districts: dict[str, GridNode], cast: dict[str, Any]
) -> None:
    case = _misplaced_case(cast["resident"])
    case_act(
        case_id=case.pk,
        actor=cast["dispatcher"],
        action="transfer",
        note="x",
        params={"node": STREET},
    )
    with pytest.raises(ValidationFailed, match="不在您的管辖范围内"):
        case_act(
            case_id=case.pk,
            actor=cast["dispatcher"],
            action="transfer",
            note="属二七区",
            params={"node": OTHER},
        )
    case.refresh_from_db()
    assert case.grid_path.startswith(two_districts[STREET].path)
