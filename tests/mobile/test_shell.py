"""原点在线: the shell a resident opens on their phone."""

from typing import Any

from django.test import Client

from tests.conftest import COMMUNITY
from wangge.notices.services import notice_publish


def test_home_shows_the_eight_modules_in_order(cast: dict[str, Any]) -> None:
    c = Client()
    c.force_login(cast["resident"])
    page = c.get("/m/").content.decode()
    order = [
        "党员双报到",
        "有事找支部",
        "小原帮办",
        "企业服务",
        "志愿服务",
        "乐享闲置",
        "积分兑换",
        "荣誉榜单",
    ]
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions)
    # Every module has its working page now: each tile leads there, none says 即将开放.
    for key, path in (
        ("party", "/party/"),
        ("report", "/m/report/"),
        ("assistant", "/assistant/"),
        ("enterprise", "/enterprises/"),
        ("volunteer", "/volunteering/"),
        ("market", "/market/"),
        ("points", "/points/"),
        ("honours", "/rankings/"),
    ):
        assert f'href="{path}" data-module="{key}"' in page
    assert "即将开放" not in page
    assert "A1 微网格" in page  # the resident's home grid


def test_home_lists_the_latest_notices_of_my_grid(
    cast: dict[str, Any], tree: dict[str, Any]
) -> None:
    notice = notice_publish(
        actor=cast["dispatcher"], node=tree[COMMUNITY], title="社区义诊通知", body="周六上午"
    )
    c = Client()
    c.force_login(cast["resident"])
    assert "社区义诊通知" in c.get("/m/").content.decode()
    detail = c.get(f"/m/notices/{notice.pk}/").content.decode()
    assert "周六上午" in detail
    outsider = Client()
    outsider.force_login(cast["outsider"])
    assert outsider.get(f"/m/notices/{notice.pk}/").status_code == 404


def test_tabs_and_manifest(cast: dict[str, Any]) -> None:
    c = Client()
    c.force_login(cast["resident"])
    for url, current in (("/m/messages/", "消息"), ("/m/me/", "我的")):
        page = c.get(url).content.decode()
        assert 'aria-current="page"' in page and current in page
    manifest = c.get("/m/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert '"start_url": "/m/"' in manifest.content.decode()
    assert Client().get("/m/").status_code == 302  # login first


def test_me_shows_points_and_household(cast: dict[str, Any], tree: dict[str, Any]) -> None:
    from wangge.points.models import Account
    from wangge.points.services import points_award, points_budget, wallet_for
    from wangge.residents.models import Household, Person

    c = Client()
    c.force_login(cast["resident"])
    page = c.get("/m/me/").content.decode()
    assert "参加志愿服务即可获得活力值" in page and 'id="my-household"' not in page
    assert not Account.objects.filter(owner=cast["resident"]).exists()  # looking opens no wallet
    issuer = Account.objects.create(kind="issuer", name="协会")
    points_budget(issuer=issuer, amount=500, key="b")
    points_award(
        issuer=issuer, wallet=wallet_for(cast["resident"]), amount=80, key="a", reason="服务"
    )
    page = c.get("/m/me/").content.decode()
    assert "<strong>80</strong>" in page

    # The grid worker registers her household with the ID number she verified: 我的 shows it.
    from wangge.accounts.services import user_set_real_name
    from wangge.grids.services import buildings_import
    from wangge.residents.services import household_create, person_register

    user_set_real_name(user=cast["resident"], name="王秀兰", id_number="410102195003070029")
    buildings_import("address,lon,lat,code\n中原区伊河路百花里3号楼,113.6008,34.7508,BH3\n")
    from wangge.grids.models import Building

    home = household_create(
        actor=cast["worker_a"],
        building=Building.objects.get(code="BH3"),
        room="2单元501",
        kind="changzhu",
    )
    person_register(
        actor=cast["worker_a"],
        household=home,
        name="王秀兰",
        id_number="410102195003070029",
        relation="head",
    )
    person_register(
        actor=cast["worker_a"],
        household=home,
        name="李建国",
        id_number="410102194809150015",
        relation="spouse",
    )
    page = c.get("/m/me/").content.decode()
    assert "中原区伊河路百花里3号楼 2单元501" in page
    assert "李建国 · 配偶" in page
    assert (
        "410102194809150015" not in page
        and Person.objects.filter(account=cast["resident"]).exists()
    )
    assert Household.objects.count() == 1
