"""原点在线 as residents use it: one frame for every page, 长辈版 remembered on the account,
我的网格 with the people to call, the short guide, the report form's helpers and confirmation."""

import json
import re
from typing import Any

import pytest
from django.test import Client

from tests.cases.conftest import (  # noqa: F401  (shared fixtures)
    CORNER,
    CROSSING,
    catalogue,
    crossing_roads,
    people,
)
from tests.conftest import COMMUNITY, MICRO_A1, MICRO_B1, PASSWORD
from wangge.accounts.models import PersonalDataAccess, Role
from wangge.cases.models import Case
from wangge.cases.services import CaseInput, case_act, case_intake
from wangge.grids.services import buildings_import
from wangge.notices.models import ServicePlace

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_residents_signing_in_with_a_password_land_in_the_app(cast: dict[str, Any]) -> None:
    c = Client()
    response = c.post(
        "/accounts/login/", {"username": cast["resident"].phone, "password": PASSWORD}
    )
    assert response["Location"] == "/m/"
    assert c.get("/")["Location"] == "/m/"  # the desk's home sends them on too
    staff = Client()
    response = staff.post(
        "/accounts/login/", {"username": cast["worker_a"].phone, "password": PASSWORD}
    )
    assert response["Location"] == "/"
    assert staff.get("/").status_code == 200


def test_shared_pages_take_the_frame_of_who_looks(cast: dict[str, Any]) -> None:
    resident, worker = client_for(cast["resident"]), client_for(cast["worker_a"])
    for path in ("/cases/mine/", "/assistant/"):
        mine = resident.get(path).content.decode()
        assert 'class="m-tabs"' in mine and "data-back" in mine, path
        assert 'class="topbar"' not in mine, path
        desk = worker.get(path).content.decode()
        assert 'class="topbar"' in desk and 'class="m-tabs"' not in desk, path
    # One inbox for residents: the app's 消息.
    assert resident.get("/inbox/")["Location"] == "/m/messages/"
    # A missing page a resident meets keeps the frame and leads back to the app.
    missing = resident.get("/cases/999999/").content.decode()
    assert 'class="m-tabs"' in missing and 'href="/m/"' in missing
    # Signed out, the sign-in page the app sends to is in the app's frame.
    login = Client().get("/accounts/login/?next=/m/").content.decode()
    assert 'class="m-tabs"' in login


def test_elderly_mode_is_remembered_on_the_account(cast: dict[str, Any]) -> None:
    resident = cast["resident"]
    c = client_for(resident)
    home = c.get("/m/").content.decode()
    assert '<html lang="zh-Hans" class="m-app">' in home
    assert "开启长辈版" in home
    response = c.post("/m/me/elderly/", {"on": "1", "next": "/m/"})
    assert response["Location"] == "/m/"
    resident.refresh_from_db()
    assert resident.elderly_mode is True
    # Another phone, same account: still 长辈版, with 有事找支部 first and the switch back.
    other = client_for(resident).get("/m/").content.decode()
    assert '<html lang="zh-Hans" class="m-app elderly">' in other
    assert other.index('data-module="report"') < other.index('data-module="party"')
    assert "切回标准版" in other
    assert "切回标准版" in client_for(resident).get("/m/me/").content.decode()
    c.post("/m/me/elderly/", {"on": "0", "next": "https://elsewhere.example/"})
    resident.refresh_from_db()
    assert resident.elderly_mode is False
    # A grid worker's desk never takes the class, whatever the flag says.
    cast["worker_a"].elderly_mode = True
    cast["worker_a"].save()
    assert "elderly" not in client_for(cast["worker_a"]).get("/assistant/").content.decode()[:200]


def test_elderly_mode_speaks_plainly_on_the_same_pages(cast: dict[str, Any]) -> None:
    """The home tiles, the home page's links and the report form's steps and buttons: the
    standard wording in the standard app, shorter plain words in 长辈版, from one template."""
    from wangge.mobile.modules import MODULES
    from wangge.mobile.wording import WORDING

    resident = cast["resident"]
    c = client_for(resident)
    plain = {
        "/m/": ["报</span>反映问题", "光荣榜", "积分换物", "找网格员", "附近服务点", "通知"],
        "/m/report/": [
            ">说一说</label>",
            "在哪儿</h2>",
            ">就在我这儿</button>",
            "拍张照（可以不拍）</h2>",
            ">发出去</button>",
            ">我反映的事</a>",
        ],
    }
    standard = {
        "/m/": [
            "报</span>有事找支部",
            "荣誉榜单",
            "积分兑换",
            "我的网格",
            "附近的便民服务点",
            "网格公告",
        ],
        "/m/report/": [
            ">问题描述</label>",
            "在哪里</h2>",
            ">使用我的位置</button>",
            "拍照（可选）</h2>",
            ">提交</button>",
            ">我的诉求</a>",
        ],
    }

    def text(url: str) -> str:
        return re.sub(r"\s+", " ", c.get(url).content.decode())

    for url, words in standard.items():
        page = text(url)
        assert all(w in page for w in words), url
        assert not any(w in page for w in plain[url]), url
    resident.elderly_mode = True
    resident.save(update_fields=["elderly_mode"])
    for url, words in plain.items():
        page = text(url)
        assert all(w in page for w in words), url
        assert not any(w in page for w in standard[url]), url
    # Every entry of the table says it differently in 长辈版.
    assert all(str(a) != str(b) for a, b in WORDING.values())
    assert all(str(m.plain) != str(m.name) for m in MODULES)


def test_my_grid_shows_my_people_with_numbers_and_audits_it(
    cast: dict[str, Any], tree: dict[str, Any], make_user: Any
) -> None:
    leader = make_user(Role.MICRO_GRID_LEADER, tree[MICRO_A1], name="郑桂芳")
    ServicePlace.objects.create(
        kind=ServicePlace.Kind.PARTY_CENTER,
        name="碧沙岗社区党群服务中心",
        address="碧沙岗社区 1 号",
        lon=113.6012,
        lat=34.7521,
        hours="周一至周日 8:30-17:30",
        node=tree[COMMUNITY],
    )
    page = client_for(cast["resident"]).get("/m/grid/").content.decode()
    assert "A1 微网格" in page and "碧沙岗第1网格" in page
    assert page.index("郑桂芳") < page.index("周敏")  # the building's own leader first
    assert f'href="tel:{leader.phone}"' in page and f'href="tel:{cast["worker_a"].phone}"' in page
    assert "周一至周日 8:30-17:30" in page
    seen = PersonalDataAccess.objects.filter(actor=cast["resident"], field="phone")
    assert {a.subject for a in seen} == {leader, cast["worker_a"]}

    # Someone else's micro-grid: the same people, numbers masked, nothing to audit.
    other = make_user(Role.RESIDENT, tree[MICRO_B1], name="李四")
    page = client_for(other).get(f"/m/grid/{MICRO_A1}/").content.decode()
    assert (
        "郑桂芳" in page
        and leader.phone not in page
        and "tel:" not in page.split("grid-centres")[0]
    )
    assert leader.masked_phone in page
    assert not PersonalDataAccess.objects.filter(actor=other).exists()
    assert client_for(other).get("/m/grid/nope/").status_code == 404
    # No home yet: an invitation to bind the address.
    assert "绑定住址" in client_for(cast["outsider"]).get("/m/grid/").content.decode()


def test_the_guide_is_offered_until_read_or_skipped(cast: dict[str, Any]) -> None:
    c = client_for(cast["resident"])
    assert 'id="m-guide-offer"' in c.get("/m/").content.decode()
    guide = c.get("/m/guide/").content.decode()
    assert len(re.findall(r"<svg [^>]*role=\"img\"", guide)) == 4
    assert c.post("/m/guide/", {"skip": "1"})["Location"] == "/m/"
    assert 'id="m-guide-offer"' not in c.get("/m/").content.decode()
    assert 'href="/m/guide/"' in c.get("/m/me/").content.decode()  # still reachable


def test_report_helpers_say_where_a_pin_or_an_address_is(cast: dict[str, Any]) -> None:
    buildings_import("address,lon,lat,code\n中原区伊河路百花里3号楼,113.6008,34.7508,BH3\n")
    c = client_for(cast["resident"])
    at = c.get("/m/report/where.json?lon=113.6009&lat=34.7509").json()
    assert at["found"] is True
    assert (at["micro_grid"], at["grid"], at["building"]) == (
        "A1 微网格",
        "碧沙岗第1网格",
        "中原区伊河路百花里3号楼",
    )
    outside = c.get("/m/report/where.json?lon=100.0&lat=30.0")
    assert outside.status_code == 200 and outside.json()["found"] is False
    assert c.get("/m/report/where.json?lon=x&lat=1").status_code == 400
    found = c.get("/m/report/address.json?q=百花里3号楼").json()
    assert found["candidates"][0]["address"] == "中原区伊河路百花里3号楼"
    assert found["candidates"][0]["micro_grid"] == "A1 微网格"
    base = c.get("/m/report/base.json?lon=113.601&lat=34.752").json()
    kinds = {(f["properties"]["kind"], f["properties"]["name"]) for f in base["features"]}
    assert ("grid", "A1 微网格") in kinds and ("building", "中原区伊河路百花里3号楼") in kinds


def test_a_place_in_the_words_is_offered_as_a_pin_never_as_the_reports_position(
    cast: dict[str, Any],
) -> None:
    crossing_roads()
    c = client_for(cast["resident"])
    # Typed in the address field: the corner's inferred point, its words and its grid.
    found = c.get("/m/report/address.json", {"q": CORNER}).json()
    assert found["kind"] == "place" and found["candidates"] == []
    place = found["place"]
    assert (place["phrase"], place["micro_grid"], place["grid"]) == (
        CORNER,
        "B1 微网格",
        "碧沙岗第2网格",
    )
    assert 113.604 < place["lon"] < 113.6045 and 34.7525 < place["lat"] < 34.753
    # In the description, with the address field empty: the same place, read as the intake
    # reads a report (the address first, else the text).
    told = c.get("/m/report/address.json", {"text": f"市民反映{CORNER}井盖缺失，请尽快处理"}).json()
    assert told["kind"] == "place" and told["place"]["phrase"] == CORNER
    # An address that names a building speaks for the place; the description is not read.
    buildings_import("address,lon,lat,code\n中原区伊河路百花里3号楼,113.6008,34.7508,BH3\n")
    addressed = c.get("/m/report/address.json", {"q": "百花里3号楼", "text": CORNER}).json()
    assert addressed["kind"] == "building" and addressed["place"] is None
    # The crossing itself lies on the border of two grids: both named, no point offered.
    border = c.get("/m/report/address.json", {"q": CROSSING}).json()
    assert border["kind"] == "candidates" and border["place"] is None
    assert set(border["grids"]) == {"碧沙岗第1网格 A2 微网格", "碧沙岗第2网格 B1 微网格"}
    empty = c.get("/m/report/address.json", {"q": "", "text": "a"}).json()
    assert empty["kind"] == "refused" and empty["place"] is None


def test_the_report_page_has_the_suggested_pins_words_and_its_confirm_button(
    cast: dict[str, Any],
) -> None:
    page = client_for(cast["resident"]).get("/m/report/").content.decode()
    confirm = re.search(r'<button type="button" class="btn primary" id="m-confirm" hidden>', page)
    assert confirm and "确认位置</button>" in page
    assert 'id="m-suggested-text" role="status"' in page
    texts = json.loads(re.search(r'<script id="m-text"[^>]*>(.*?)</script>', page, re.S)[1])
    assert texts["inferred"] == "由“%(p)s”推定，请确认或拖动图钉"
    assert texts["severalGrids"].startswith("这个位置可能在几个网格")
    # Without script the form still sends nothing but what was typed: no position is set.
    assert re.search(r'<input type="hidden" name="lon">', page)


def test_confirmation_and_case_page_speak_plainly(
    cast: dict[str, Any],
    people: Any,  # noqa: F811  (the fixture imported above)
) -> None:
    case, _ = case_intake(
        data=CaseInput(description="小区门口有人摆摊占道，堵住出入口", lon=113.6005, lat=34.7505),
        actor=cast["resident"],
    )
    c = client_for(cast["resident"])
    done = c.get(f"/m/report/done/{case.pk}/").content.decode()
    assert case.number in done and "谁来办" in done
    case_act(case_id=case.pk, actor=people["worker_a"], action="sign")
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert 'aria-current="step">正在处理' in page
    for internal in ("派单依据", "置信度", case.routing_reason or "—"):
        assert internal not in page
    assert 'class="m-tabs"' in page
    # Someone else's case stays out of reach, in the app's frame.
    other = client_for(cast["outsider"]).get(f"/m/report/done/{case.pk}/")
    assert other.status_code == 404
    assert Case.objects.count() == 1


def test_service_worker_caches_the_shell(cast: dict[str, Any]) -> None:
    sw = Client().get("/m/sw.js").content.decode()
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", sw).group(1))  # type: ignore[union-attr]
    assert shell[:2] == ["/m/", "/m/report/"]
    assert any(u.endswith("mobile/report_map.js") for u in shell)
    home = client_for(cast["resident"]).get("/m/").content.decode()
    assert "mobile/frame.js" in home  # registers the worker from /m/ itself


def test_the_worker_serves_every_resident_scope_and_a_never_opened_page_says_so(
    cast: dict[str, Any],
) -> None:
    resp = Client().get("/m/sw.js")
    # Registered for /cases/mine/, /circles/, /assistant/ … too, from the one script.
    assert resp["Service-Worker-Allowed"] == "/"
    sw = resp.content.decode()
    assert 'const NOT_SAVED = "/m/offline/"' in sw
    assert "/m/offline/" in json.loads(re.search(r"const SHELL = (\[.*?\]);", sw).group(1))  # type: ignore[union-attr]
    assert 'addEventListener("sync"' in sw and "report_outbox.js" in sw
    home = client_for(cast["resident"]).get("/m/").content.decode()
    scopes = json.loads(re.search(r'id="m-sw-scopes"[^>]*>(.*?)</script>', home).group(1))  # type: ignore[union-attr]
    assert {"/m/", "/cases/mine/", "/circles/", "/assistant/"} <= set(scopes)
    page = client_for(cast["resident"]).get("/m/offline/").content.decode()
    assert "这一页没有保存在手机上" in page and 'href="/m/"' in page


def test_signed_out_the_app_opens_on_the_text_message_sign_in(cast: dict[str, Any]) -> None:
    c = Client()
    first = c.get("/m/", follow=True)
    assert first.redirect_chain[-1][0] == "/m/login/?next=/m/"
    page = first.content.decode()
    assert 'value="send"' in page and "获取验证码" in page  # the SMS sign-in / sign-up
    assert "演示账号见 README" not in page
    assert 'href="/accounts/login/?next=/m/"' in page  # the password, a secondary link
    # From the password form (reached from the app) the way back to the text message is first.
    password = c.get("/accounts/login/?next=/m/").content.decode()
    assert 'href="/m/login/?next=/m/"' in password and "演示账号见 README" not in password
    # A page deeper in the app is where the code sign-in returns to.
    assert c.get("/m/report/")["Location"] == "/m/login/?next=/m/report/"
    deeper = c.get("/m/login/?next=/m/report/").content.decode()
    assert '<input type="hidden" name="next" value="/m/report/">' in deeper


def test_elderly_home_calls_the_grid_worker_in_one_tap(cast: dict[str, Any]) -> None:
    resident, worker = cast["resident"], cast["worker_a"]
    c = client_for(resident)
    assert 'id="m-call-worker"' not in c.get("/m/").content.decode()  # standard mode: 我的网格
    resident.elderly_mode = True
    resident.save(update_fields=["elderly_mode"])
    home = c.get("/m/").content.decode()
    assert f'id="m-call-worker" href="tel:{worker.phone}"' in home
    assert f"给网格员{worker.name}打电话" in home
    # The call buttons of 我的网格 and 附近 say whom they call, never just "拨打电话".
    assert "拨打电话" not in c.get("/m/grid/").content.decode()


def test_the_worker_leaves_staff_pages_inside_its_scopes_to_the_network(
    cast: dict[str, Any],
) -> None:
    """/party/ and /points/ are the app's, but the committee's desk and a merchant's counter
    under them are staff pages: the residents' worker neither keeps nor stands in for them."""
    from wangge.mobile.modules import OFFLINE_SCOPES

    sw = Client().get("/m/sw.js").content.decode()
    staff = json.loads(re.search(r"const STAFF_ONLY = (\[.*?\]);", sw).group(1))  # type: ignore[union-attr]
    assert staff == ["/party/staff/", "/points/counter/"]
    assert all(any(path.startswith(scope) for scope in OFFLINE_SCOPES) for path in staff)
    passes = sw.index("STAFF_ONLY.some(")
    assert passes < sw.index("event.respondWith(") and "return;" in sw[passes : passes + 120]
