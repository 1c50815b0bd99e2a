"""精准派单: by point, by address, by exclusive grid, by tier, and to triage."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.cases.conftest import IN_A1, IN_B1, IN_EXCLUSIVE, crossing_roads
from tests.conftest import COMMUNITY, EXCLUSIVE, GRID_A, GRID_B, MICRO_A1, MICRO_B1, STREET
from wangge.cases.models import Case, HandlingLevel, Status


def test_point_goes_to_the_grid_worker_of_that_grid(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report(at=IN_A1)
    assert case.status == Status.DISPATCHED
    assert case.micro_grid.code == MICRO_A1
    assert (case.handling_level, case.handling_node.code) == (HandlingLevel.GRID, GRID_A)
    assert case.assignee == people["worker_a"]
    assert "按坐标定位到A1 微网格" in case.routing_reason
    assert "派碧沙岗第1网格网格员周敏办理" in case.routing_reason
    assert case.due_at is not None and case.sign_due_at is not None
    assert case.number.endswith(f"{case.pk:06d}")


def test_grid_b_gets_its_own_worker(people: dict[str, Any], report: Callable[..., Case]) -> None:
    case = report(at=IN_B1)
    assert case.handling_node.code == GRID_B
    assert case.assignee == people["worker_b"]


def test_address_routes_through_the_building(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report(at=None, address="郑州市中原区伊河路百花里三号楼2单元501")
    assert case.building.code == "BH3"
    assert case.micro_grid.code == MICRO_A1
    assert case.assignee == people["worker_a"]
    assert "按地址匹配到楼栋“中原区伊河路百花里3号楼”" in case.routing_reason


def test_without_point_or_address_the_text_gives_the_building(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report("市民来电称伊河路百花里3号楼门口下水道堵了，污水外溢", at=None)
    assert case.building.code == "BH3"
    assert case.assignee == people["worker_a"]
    assert "按地址匹配到楼栋“中原区伊河路百花里3号楼”" in case.routing_reason


def test_a_text_naming_no_building_goes_to_triage(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report("市民来电称伊河路附近下水道堵了，3天没人管", at=None)
    assert case.building is None
    assert case.status == Status.PENDING
    assert "无法确定到楼栋" in case.routing_reason


def test_the_text_settles_a_vague_address_only_among_its_candidates(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    settled = report("百花里3号楼楼道灯坏了", at=None, address="伊河路")
    assert settled.building.code == "BH3"
    # The address names 伊河路; a text naming a building on 桐柏路 does not overrule it.
    kept = report("桐柏路123号院5号楼楼道灯坏了", at=None, address="伊河路")
    assert kept.building is None
    assert kept.status == Status.PENDING


def test_exclusive_grid_wins_over_the_residential_grid(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report(at=IN_EXCLUSIVE)
    assert case.exclusive_grid.code == EXCLUSIVE
    assert case.handling_node.code == EXCLUSIVE
    assert case.assignee == people["exclusive_leader"]
    assert "位于专属网格“碧沙岗商圈”内" in case.routing_reason


def test_complex_goes_to_the_community_and_difficult_to_the_street(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    complex_case = report("楼顶有人私搭违建", category="WJ-01")
    assert (complex_case.handling_level, complex_case.handling_node.code) == (
        HandlingLevel.COMMUNITY,
        COMMUNITY,
    )
    assert complex_case.assignee == people["community"]
    difficult = report("楼道里飞线充电很多年了", category="XF-01")
    assert (difficult.handling_level, difficult.handling_node.code) == (
        HandlingLevel.STREET,
        STREET,
    )
    assert difficult.assignee is None


def test_unplaceable_cases_wait_for_a_person(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report(at=None, address="某某路不知道哪个小区")
    assert case.status == Status.PENDING
    assert case.handling_node is None and case.due_at is None
    assert "无法确定到楼栋" in case.routing_reason
    assert "分拨台人工派单" in case.routing_reason
    outside = report(at=(116.4, 39.9))
    assert outside.status == Status.PENDING
    assert "坐标不在任何网格内" in outside.routing_reason


def test_work_is_spread_to_the_least_loaded_worker(
    people: dict[str, Any], report: Callable[..., Case], make_user: Callable[..., Any], tree: Any
) -> None:
    from wangge.accounts.models import Role

    second = make_user(Role.GRID_WORKER, tree[GRID_A], name="第二网格员")
    first_case = report()
    second_case = report()
    assert {first_case.assignee, second_case.assignee} == {people["worker_a"], second}


def test_a_senders_triage_hint_is_used_only_when_the_place_is_unknown(
    people: dict[str, Any], tree: Any
) -> None:
    from wangge.cases.services import CaseInput, TriageHint, case_intake

    hint = TriageHint(node=tree[STREET], note="按来件单位转林山寨街道分拨", by="上级平台")
    lost, _c = case_intake(
        data=CaseInput(description="某处路灯不亮", address="不知道哪里", triage=hint),
        actor=people["admin"],
    )
    assert lost.status == Status.PENDING and lost.grid_path == tree[STREET].path
    assert lost.street == tree[STREET] and lost.community is None
    assert lost.routing_reason.endswith("按来件单位转林山寨街道分拨")
    assert lost.events.get(action="triage").actor_label == "上级平台"
    placed, _c = case_intake(
        data=CaseInput(description="路灯不亮", lon=IN_A1[0], lat=IN_A1[1], triage=hint),
        actor=people["admin"],
    )
    assert placed.status == Status.DISPATCHED and not placed.events.filter(action="triage").exists()


def test_a_grid_whose_worker_left_goes_to_its_grid_leader(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    people["worker_a"].is_active = False
    people["worker_a"].save(update_fields=["is_active"])
    case = report()
    assert case.handling_node.code == GRID_A
    assert case.assignee == people["grid_leader_a"]
    assert "派碧沙岗第1网格网格员李志强办理" in case.routing_reason
    # The leader hears of it in the inbox; the worker who left does not.
    assert people["grid_leader_a"].notifications.filter(topic=f"case:{case.pk}").exists()
    assert not people["worker_a"].notifications.filter(topic=f"case:{case.pk}").exists()


def test_the_grid_worker_comes_before_a_leader_with_less_work(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    # The worker already has open cases and the leader none: still the worker's, the leader
    # is only the fallback of a grid without one.
    cases = [report() for _ in range(3)]
    assert {c.assignee for c in cases} == {people["worker_a"]}


def test_a_street_desk_case_tells_every_active_dispatcher_of_that_street(
    people: dict[str, Any], report: Callable[..., Case], make_user: Callable[..., Any], tree: Any
) -> None:
    from wangge.accounts.models import Role

    on_duty = make_user(Role.STREET_DISPATCHER, tree[STREET], name="值班调度员")
    left = make_user(Role.STREET_DISPATCHER, tree[STREET], name="已离岗调度员")
    left.is_active = False
    left.save(update_fields=["is_active"])
    elsewhere = make_user(Role.STREET_DISPATCHER, tree[COMMUNITY], name="社区节点调度员")
    case = report("楼道里有人飞线充电", category="XF-01")
    assert (case.handling_level, case.handling_node.code) == (HandlingLevel.STREET, STREET)
    assert case.assignee is None
    told = {
        u for u in (on_duty, left, elsewhere) if u.notifications.filter(topic=f"case:{case.pk}")
    }
    assert told == {on_duty}


def test_a_pin_and_an_address_elsewhere_show_the_place_they_are_routed_by(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    # The resident chose the suggestion 百花里3号楼 (in A1), then moved the pin to 桐柏路123号院
    # (in B1): the pin routes the case, and the case shows the building at the pin.
    case = report(at=(113.6061, 34.7521), address="中原区伊河路百花里3号楼")
    assert case.micro_grid.code == MICRO_B1
    assert case.assignee == people["worker_b"]
    assert case.address == "中原区桐柏路123号院5号楼"
    assert case.building.code == "TB5"
    assert "填写的地址“中原区伊河路百花里3号楼”不在图钉位置" in case.routing_reason


def test_a_pin_far_from_every_building_shows_its_grid_not_the_other_address(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report(at=(113.6070, 34.7535), address="中原区伊河路百花里3号楼")
    assert case.micro_grid.code == MICRO_B1
    assert case.building is None
    assert "百花里" not in case.address
    assert case.address.endswith("B1 微网格")


def test_an_address_at_the_pin_is_kept_with_its_building(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report(at=IN_A1, address="郑州市中原区伊河路百花里三号楼2单元501")
    assert case.address == "郑州市中原区伊河路百花里三号楼2单元501"
    assert case.building.code == "BH3"
    assert case.micro_grid.code == MICRO_A1


def test_an_address_naming_no_building_stays_beside_the_pin(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report(at=IN_B1, address="小区东门垃圾桶旁")
    assert case.address == "小区东门垃圾桶旁"
    assert case.micro_grid.code == MICRO_B1


def test_a_crossings_corner_routes_to_its_micro_grid_with_the_point_inferred(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    crossing_roads()
    case = report("市民反映建设路与桐柏路交叉口东北角井盖缺失，请尽快处理", at=None)
    assert case.micro_grid.code == MICRO_B1
    assert case.building is None
    assert case.assignee == people["worker_b"]
    assert case.place_phrase == "建设路与桐柏路交叉口东北角"
    assert "由“建设路与桐柏路交叉口东北角”推定位置，在B1 微网格" in case.routing_reason
    assert case.lon is not None and 113.604 < case.lon < 113.6045
    assert case.lat is not None and 34.7525 < case.lat < 34.753


def test_a_crossing_on_a_border_waits_for_a_person_above_both_grids(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    crossing_roads()
    case = report("建设路与桐柏路交叉口有井盖缺失", at=None)
    assert case.micro_grid is None and case.place_phrase == ""
    assert case.status == Status.PENDING
    assert "候选微网格" in case.routing_reason
    assert case.grid_path.endswith(f"{COMMUNITY}/")


@pytest.mark.parametrize("category", ["CSGL-01", "WJ-01"])
def test_routing_asks_the_grid_tree_once_per_located_point(
    people: dict[str, Any],
    report: Callable[..., Case],
    monkeypatch: pytest.MonkeyPatch,
    category: str,
) -> None:
    # One walk of the tree answers every tier routing and the case's street and community
    # read; none of them asks for one ancestor at a time.
    from wangge.grids import selectors

    asked: list[str] = []
    placement, ancestor = selectors.placement, selectors.ancestor

    def counted_placement(node: Any) -> Any:
        asked.append(f"placement {node.code}")
        return placement(node)

    def counted_ancestor(node: Any, level: str) -> Any:
        asked.append(f"ancestor {node.code} {level}")
        return ancestor(node, level)

    monkeypatch.setattr(selectors, "placement", counted_placement)
    monkeypatch.setattr(selectors, "ancestor", counted_ancestor)
    case = report(at=IN_A1, category=category)
    assert case.micro_grid.code == MICRO_A1 and case.status == Status.DISPATCHED
    assert (case.community.code, case.street.code) == (COMMUNITY, STREET)
    assert asked == [f"placement {MICRO_A1}"]
