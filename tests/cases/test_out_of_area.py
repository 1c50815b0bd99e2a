"""地点不在本区: a message about another city never reaches a street's desk by a common word.

Messages from other cities (a 问政 board of another province) share the words of our estates
and roads (建设, 文化, 和平, 人民, 幸福): they wait at the district's desk, marked out of area
with the place names they carry, whatever our buildings they resemble. Genuine addresses of ours
still go to their micro-grid, and a message naming no place at all waits as before, unmarked.
"""

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import DISTRICT, MICRO_A1, MICRO_A2, MICRO_B1, STREET
from tests.hotline.conftest import order, post_order
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case, Channel, Status
from wangge.cases.selectors import dispatch_queue
from wangge.cases.services import CaseInput, case_intake
from wangge.grids.services import buildings_import

# Estates and roads of ours named with the words every city has, all in 林山寨街道: before,
# any of them near a word of a message was enough to send it to that street's desk.
COMMON_NAMES = (
    "address,lon,lat,code\n"
    "中原区建设路文化花园1号楼,113.6025,34.7505,WH1\n"
    "中原区建设路文化花园2号楼,113.6030,34.7505,WH2\n"
    "中原区和平路幸福家园3号楼,113.6050,34.7510,XF3\n"
    "中原区人民路人民医院家属院2号楼,113.6060,34.7530,RM2\n"
)


@pytest.fixture
def common_names(people: dict[str, User]) -> dict[str, User]:
    buildings_import(COMMON_NAMES)
    return people


@pytest.fixture
def key(common_names: dict[str, User]) -> str:
    """The 12345 integration's token, a district admin's (as tests/hotline deploys it)."""
    _token, secret = api_token_create(user=common_names["admin"], name="12345 热线")
    return secret


def hotline(description: str, address: str = "", **kw: Any) -> Case:
    case, _created = case_intake(
        data=CaseInput(channel=Channel.HOTLINE, description=description, address=address, **kw),
        actor=None,
    )
    return case


def assert_at_the_district_desk(case: Case, people: dict[str, User]) -> None:
    assert case.status == Status.PENDING
    assert (case.micro_grid, case.building, case.street, case.community) == (None,) * 4
    assert case.grid_path == f"{DISTRICT}/"
    assert case.handling_node is None and case.assignee is None
    assert not dispatch_queue(people["dispatcher"]).filter(pk=case.pk).exists()
    assert dispatch_queue(people["admin"]).filter(pk=case.pk).exists()


# Each of these went to 林山寨街道's desk, or to one of our grids, before: the place names
# stand apart from the words that matched ours (another clause, a "的" between them).
@pytest.mark.parametrize(
    ("description", "words"),
    [
        # 建设路 is ours, word for word: the street's desk.
        ("长沙市岳麓区，建设路与桐梓坡路交叉口红绿灯坏了好几天，请尽快维修", "长沙市、岳麓区"),
        # 建设中路 is near our 建设路: the street's desk.
        ("浏阳市集里街道建设中路，阳光小区门口有人摆摊", "浏阳市、集里街道"),
        # Our 文化花园 has no 3号楼: its buildings were the candidates, in one street.
        ("市民反映：湖南省长沙市开福区，文化花园3号楼夜间施工噪音扰民", "湖南省、长沙市、开福区"),
        # Only the city, beside 人民: the data names no city for 中原区, so none is ours.
        ("长沙市人民医院门口天天堵车，希望交警加强管理", "长沙市"),
        # An anonymised board writes its places with letters.
        ("西地省A市幸福家园3栋物业不作为，电梯经常停运", "西地省A市"),
        ("A市A1区，和平路幸福家园3栋楼下烧烤油烟扰民", "A市、A1区"),
        # Our 幸福家园3号楼 and 人民医院家属院 are unique: dispatched to a grid worker.
        ("沈阳市和平区，幸福家园3栋楼下烧烤油烟扰民，多次反映无人管", "沈阳市、和平区"),
        ("长沙市天心区人民路，人民医院家属院门口垃圾成堆", "长沙市、天心区"),
        ("我是长沙的，住在岳麓区的文化花园2栋，小区垃圾没人清理", "岳麓区"),
    ],
)
def test_a_message_about_another_city_waits_at_the_district_desk(
    common_names: dict[str, User], description: str, words: str
) -> None:
    case = hotline(description)
    assert_at_the_district_desk(case, common_names)
    assert case.out_of_area
    assert f"地点不在本区（文中地点：{words}）" in case.routing_reason
    assert "转区城运中心分拨台人工派单" in case.routing_reason
    # Our look-alike buildings are not offered to the desk as where it might be.
    assert "候选" not in case.routing_reason


def test_another_district_with_a_road_and_door_of_ours_is_still_out_of_area(
    common_names: dict[str, User],
) -> None:
    # The address field names the district in front of the road: the resolver refuses it.
    in_field = hotline("楼道灯坏了，晚上看不见路", address="长沙市岳麓区桐柏路123号院5号楼")
    assert_at_the_district_desk(in_field, common_names)
    assert in_field.out_of_area
    assert "地点不在本区（文中地点：长沙市、岳麓区）" in in_field.routing_reason
    # In the text, "的" cuts the district off the road, and our building's words follow it
    # word for word: the reading does not start again after names that refuse the address,
    # and the message is about 岳麓区, not our building.
    in_text = hotline("长沙市岳麓区的桐柏路123号院5号楼楼道灯坏了")
    assert_at_the_district_desk(in_text, common_names)
    assert in_text.out_of_area
    assert in_text.building is None
    assert "地点不在本区（文中地点：长沙市、岳麓区）" in in_text.routing_reason


def test_once_the_data_names_our_city_its_other_districts_are_out_of_area(
    common_names: dict[str, User],
) -> None:
    # A building whose address is written under the city: 中原区 lies in 郑州市.
    buildings_import("address,lon,lat,code\n郑州市中原区华山路88号院1号楼,113.6065,34.7525,HS1\n")
    elsewhere = hotline("郑州市金水区建设路上有人占道经营")
    assert_at_the_district_desk(elsewhere, common_names)
    assert elsewhere.out_of_area
    assert "地点不在本区（文中地点：金水区）" in elsewhere.routing_reason
    # Our city alone says nothing against us.
    ours = hotline("郑州市建设路上有人占道经营")
    assert not ours.out_of_area


@pytest.mark.parametrize(
    ("address", "description", "micro", "code"),
    [
        ("郑州市中原区伊河路百花里三号楼2单元501", "楼道灯坏了", MICRO_A1, "BH3"),
        ("", "市民来电称伊河路百花里3号楼门口下水道堵了，污水外溢", MICRO_A1, "BH3"),
        ("", "郑州中原区桐柏路123号院5号楼楼道灯坏了", MICRO_B1, "TB5"),
        # Another city named in passing, ours named too: ours.
        ("", "我在长沙市出差，家住中原区桐柏路123号院5号楼，楼道灯坏了", MICRO_B1, "TB5"),
        # A city the data does not name does not overrule our building found word for word.
        ("", "郑州市建设路文化花园2号楼门口有人摆摊", MICRO_A2, "WH2"),
    ],
)
def test_our_own_addresses_still_go_to_their_micro_grid(
    common_names: dict[str, User], address: str, description: str, micro: str, code: str
) -> None:
    case = hotline(description, address=address)
    assert case.status == Status.DISPATCHED
    assert (case.micro_grid.code, case.building.code) == (micro, code)
    assert not case.out_of_area
    assert "地点不在本区" not in case.routing_reason


@pytest.mark.parametrize(
    "description",
    [
        "小区门口有人摆摊占道，堵住出入口",
        "热心市民反映这条街道上的超市占道经营，周边区域环境很差",
        "这座城市越来越好，但是老城区的路灯不亮",
        # A lettered 区 of an estate or a car park is no district.
        "B2区停车场积水，锦艺城A区5号楼门口也是",
    ],
)
def test_a_message_naming_no_place_is_not_out_of_area(
    common_names: dict[str, User], description: str
) -> None:
    case = hotline(description)
    assert_at_the_district_desk(case, common_names)
    assert not case.out_of_area
    assert "地点不在本区" not in case.routing_reason


@pytest.mark.parametrize(
    ("description", "why"),
    [
        (
            "建设路上有人占道经营，影响通行",
            "候选仅为近似匹配（文中未写出其小区名或门牌号），不转街道",
        ),
        # 长沙 without 市 is not read as a place (a bare short name never is), but the crossing
        # of two roads the district has no lines for sends it to no street either.
        ("长沙人民路和建设路交叉口的红绿灯坏了", "路口的道路不在本区道路数据中"),
    ],
)
def test_a_road_name_alone_in_free_text_gives_no_street(
    common_names: dict[str, User], description: str, why: str
) -> None:
    # 建设路 is ours, and every city's too: the text names no estate or door of it.
    case = hotline(description)
    assert_at_the_district_desk(case, common_names)
    assert not case.out_of_area
    assert why in case.routing_reason


def test_an_estate_written_out_or_an_address_field_still_finds_the_street(
    common_names: dict[str, User], tree: Any
) -> None:
    # Our 文化花园 has no 3号楼: which building is a choice, the street is not.
    estate = hotline("文化花园3号楼门口垃圾没人清理")
    assert estate.status == Status.PENDING and estate.micro_grid is None
    assert not estate.out_of_area
    assert (estate.grid_path, estate.street) == (tree[STREET].path, tree[STREET])
    assert dispatch_queue(common_names["dispatcher"]).filter(pk=estate.pk).exists()
    # The caller's own address field, a road alone: its candidates' street, as before.
    field = hotline("路灯不亮", address="伊河路")
    assert (field.status, field.street) == (Status.PENDING, tree[STREET])


def test_a_hotline_order_about_another_city_is_received_and_marked(
    common_names: dict[str, User], key: str
) -> None:
    resp = post_order(
        order(
            content="市民来电称长沙市岳麓区和平路幸福家园门口垃圾堆积，无人清理",
            address="长沙市岳麓区和平路",
            category="",
        ),
        key,
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    case = Case.objects.get(pk=body["case_id"])
    assert (body["status"], body["handling_unit"]) == ("pending", None)
    assert "地点不在本区（文中地点：长沙市、岳麓区）" in body["routing_reason"]
    assert case.out_of_area
    assert_at_the_district_desk(case, common_names)


def test_a_hotline_order_of_ours_is_dispatched_unmarked(
    common_names: dict[str, User], key: str
) -> None:
    resp = post_order(order(), key)
    assert resp.status_code == 201, resp.content
    case = Case.objects.get(pk=resp.json()["case_id"])
    assert case.status == Status.DISPATCHED and case.building.code == "BH3"
    assert not case.out_of_area


def test_a_point_routes_as_before(
    common_names: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report("长沙来的朋友说这里摆摊占道", at=(113.6005, 34.7505))
    assert case.micro_grid.code == MICRO_A1 and not case.out_of_area
