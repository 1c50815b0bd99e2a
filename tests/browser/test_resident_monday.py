"""What residents met on a Monday, each from where they start: a report on a slow or silent
network, the home tiles, the home-address claim, dates, and 圈子's photos.

Phones at 390 px, in the standard mode and in 长辈版; a desktop at 1440 px where the page is
used there too."""

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import close_contexts, shot, sign_in
from tests.browser.resident_pages import MEASURE
from tests.conftest import PASSWORD
from wangge.accounts.models import ResidenceClaim, User
from wangge.cases.models import Case
from wangge.circles.models import Post
from wangge.grids.services import buildings_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODES = [("standard", 390), ("elderly", 390), ("standard", 1440)]
MODE_IDS = ["390-standard", "390-elderly", "1440-standard"]
# 长辈版 (工信部 适老化): text 18 px and targets 60 × 60; otherwise 44 × 44.
TAP = {"standard": 44, "elderly": 60}
SLOW_SHOWN_MS = 8000  # the page says 网络较慢 after 4 s; this leaves room on a busy machine


@pytest.fixture
def resident_page(browser: Any) -> Iterator[Any]:
    """A page for the resident in a mode and width, signed in, in its own context."""
    contexts: list[Any] = []

    def make(user: User, mode: str, width: int) -> Any:
        if (mode == "elderly") != user.elderly_mode:
            user.elderly_mode = mode == "elderly"
            user.save(update_fields=["elderly_mode"])
        phone = width < 800
        ctx = browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": width, "height": 844 if phone else 900},
            is_mobile=phone,
            has_touch=phone,
            geolocation={"longitude": 113.6005, "latitude": 34.7505},
            permissions=["geolocation"],
            # What the page itself does on a slow network is tested here. The app's service
            # worker delivers a saved report by Background Sync, from outside the routes that
            # hold the page's requests, and sometimes won the race (test_offline_report.py
            # tests that delivery).
            service_workers="block",
        )
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    close_contexts(contexts)


def signed_in(resident_page: Any, base: str, user: User, mode: str, width: int) -> Any:
    page = resident_page(user, mode, width)
    sign_in(page, base, user.phone, PASSWORD)
    assert page.evaluate("document.documentElement.classList.contains('elderly')") == (
        mode == "elderly"
    )
    return page


def photo_file(
    tmp_path: Path, name: str = "phone.jpg", colour: tuple[int, int, int] = (90, 120, 160)
) -> str:
    path = tmp_path / name
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, format="JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return str(path)


def taps_too_small(page: Any, mode: str) -> list[str]:
    return list(page.evaluate(MEASURE, [0, TAP[mode]])["taps"])


# ------------------------------------------------------------------ 1. a report on a bad network


class Server:
    """The case API as the phone meets it: answering, silent (the request is held, never
    answered), or filing the report and losing the answer on the way back."""

    def __init__(self, page: Any) -> None:
        self.mode = "answer"
        self.held: list[Any] = []
        self.seen = 0
        page.context.route("**/api/v1/cases", self.handle)

    def handle(self, route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        self.seen += 1
        if self.mode == "silent":
            self.held.append(route)
        elif self.mode == "lose-answer":
            self.mode = "answer"  # once: the next try gets through
            route.fetch()  # the server files it…
            route.abort("connectionreset")  # …and the answer never reaches the phone
        else:
            route.continue_()

    def drop_held(self) -> None:
        for route in self.held:
            # The page may have given up on it already.
            with contextlib.suppress(Exception):
                route.abort("timedout")
        self.held.clear()


def fill_report(page: Any, tmp_path: Path, words: str) -> None:
    page.locator("#m-description").fill(words)
    page.locator("#m-locate").click()
    expect(page.locator("#m-located")).to_have_text("已获取位置")
    page.locator("#m-photos").set_input_files(photo_file(tmp_path))
    expect(page.locator("#m-previews li")).to_have_count(1)


def no_false_offline(page: Any) -> None:
    """Never 'no network' while the phone has one."""
    assert page.evaluate("navigator.onLine")
    assert "没有网络" not in page.locator("body").inner_text()


@pytest.mark.parametrize(("mode", "width"), MODES, ids=MODE_IDS)
def test_a_silent_server_is_called_slow_and_cancel_keeps_everything(
    live_server: Any,
    people: dict[str, Any],
    resident_page: Any,
    tmp_path: Path,
    mode: str,
    width: int,
) -> None:
    base = live_server.url
    page = signed_in(resident_page, base, people["resident"], mode, width)
    page.goto(f"{base}/m/report/")
    server = Server(page)
    server.mode = "silent"
    words = "楼道灯坏了，晚上老人上下楼看不见"
    fill_report(page, tmp_path, words)
    page.locator("#m-submit").click()

    # A few seconds without an answer: said as it is, with the two ways out.
    expect(page.locator("#m-report-status")).to_contain_text("网络较慢", timeout=SLOW_SHOWN_MS)
    later = page.get_by_role("button", name="稍后自动发送")
    cancel = page.get_by_role("button", name="取消")
    expect(later).to_be_visible()
    expect(cancel).to_be_visible()
    no_false_offline(page)
    # Nothing typed or chosen has gone while it waits.
    expect(page.locator("#m-description")).to_have_value(words)
    expect(page.locator("#m-previews li")).to_have_count(1)
    assert axe_serious(page) == []
    for control in (later, cancel):
        box = control.bounding_box()
        assert box is not None and min(box["width"], box["height"]) >= TAP[mode], box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, f"report-slow-{mode}-{width}")

    cancel.click()
    expect(page.locator("#m-report-status")).to_contain_text("已取消发送")
    expect(page.locator("#m-slow")).to_be_hidden()
    expect(page.locator("#m-report")).to_be_visible()
    expect(page.locator("#m-description")).to_have_value(words)
    expect(page.locator("#m-previews li")).to_have_count(1)
    expect(page.locator("#m-submit")).to_be_enabled()
    # Taken back: it does not wait on the phone to be sent later.
    assert page.evaluate("async () => (await window.wanggeOutbox.all()).length") == 0
    no_false_offline(page)
    shot(page, f"report-cancelled-{mode}-{width}")
    server.drop_held()
    assert Case.objects.count() == 0

    # Sent again once the network answers: one case, with the photo.
    server.mode = "answer"
    page.locator("#m-submit").click()
    page.wait_for_url(re.compile(r"/m/report/done/\d+/$"))
    case = Case.objects.get()
    assert case.description == words and case.attachments.count() == 1


def test_stop_waiting_saves_it_and_it_goes_by_itself_once(
    live_server: Any, people: dict[str, Any], resident_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    page = signed_in(resident_page, base, people["resident"], "standard", 390)
    page.goto(f"{base}/m/report/")
    server = Server(page)
    server.mode = "silent"
    words = "小区东门的垃圾桶满了，三天没人清"
    fill_report(page, tmp_path, words)
    page.locator("#m-submit").click()
    page.get_by_role("button", name="稍后自动发送").click(timeout=SLOW_SHOWN_MS)

    done = page.locator("#m-offline-done")
    expect(done).to_be_visible()
    expect(done).to_contain_text("网络较慢")
    expect(done).to_contain_text("稍后会自动提交")
    expect(page.locator("#m-queued-what")).to_contain_text(words)
    expect(page.locator("#m-queued-what")).to_contain_text("照片 1 张")
    expect(page.locator("#m-report-status")).to_contain_text("稍后自动提交")
    no_false_offline(page)
    assert axe_serious(page) == []
    shot(page, "report-later-saved")

    # The held request dies; the network answers again; nobody touches the phone.
    server.mode = "answer"
    server.drop_held()
    expect(page.locator("#m-report-status")).to_contain_text("已提交，编号", timeout=45000)
    case = Case.objects.get()
    assert case.description == words
    expect(page.locator("#m-report-status")).to_contain_text(case.number)
    assert page.evaluate("async () => (await window.wanggeOutbox.all()).length") == 0
    page.goto(f"{base}/m/")
    page.wait_for_load_state("networkidle")
    assert Case.objects.count() == 1


def test_a_lost_answer_is_not_called_no_network_and_files_one_case(
    live_server: Any, people: dict[str, Any], resident_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    page = signed_in(resident_page, base, people["resident"], "elderly", 390)
    page.goto(f"{base}/m/report/")
    server = Server(page)
    server.mode = "lose-answer"
    words = "路口的井盖丢了，晚上很危险"
    fill_report(page, tmp_path, words)
    page.locator("#m-submit").click()

    expect(page.locator("#m-offline-done")).to_be_visible()
    expect(page.locator("#m-queued-why")).to_contain_text("没有收到回复")
    expect(page.locator("#m-queued-why")).to_contain_text("不会重复")
    no_false_offline(page)
    assert Case.objects.count() == 1  # the server had filed it; the phone does not know yet
    shot(page, "report-lost-answer-elderly")

    # Tried again by itself: the same report id is answered with the same case.
    expect(page.locator("#m-report-status")).to_contain_text("已提交，编号", timeout=30000)
    case = Case.objects.get()
    expect(page.locator("#m-report-status")).to_contain_text(case.number)
    assert server.seen >= 2
    # What became of it, dated as every resident page dates things.
    if case.due_at:
        expect(page.locator("#m-outbox-due")).to_have_text(
            re.compile(r"^(\d{4}年)?\d{1,2}月\d{1,2}日 \d{2}:\d{2} 前$")
        )
    assert Case.objects.count() == 1


def test_a_report_sent_with_no_network_says_so_and_goes_when_it_is_back(
    live_server: Any, people: dict[str, Any], resident_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    page = signed_in(resident_page, base, people["resident"], "standard", 390)
    page.goto(f"{base}/m/report/")
    fill_report(page, tmp_path, "楼下的路灯不亮了")
    page.context.set_offline(True)
    page.locator("#m-submit").click()
    expect(page.locator("#m-queued-why")).to_contain_text("现在没有网络")
    expect(page.locator("#m-report-status")).to_contain_text("联网后自动提交")
    assert Case.objects.count() == 0
    page.context.set_offline(False)
    expect(page.locator("#m-report-status")).to_contain_text("已提交，编号", timeout=20000)
    assert Case.objects.count() == 1


def test_a_silent_server_with_nobody_answering_the_question_saves_it_in_time(
    live_server: Any, people: dict[str, Any], resident_page: Any, tmp_path: Path
) -> None:
    """The resident neither waits on nor cancels: the send is given up at its time limit and
    the report is saved, said to be slow (not offline), and goes once the server answers."""
    base = live_server.url
    page = signed_in(resident_page, base, people["resident"], "standard", 390)
    page.goto(f"{base}/m/report/")
    server = Server(page)
    server.mode = "silent"
    page.locator("#m-description").fill("电梯又停了，老人下不了楼")
    page.locator("#m-submit").click()
    expect(page.locator("#m-offline-done")).to_be_visible(timeout=45000)
    expect(page.locator("#m-queued-why")).to_contain_text("网络较慢")
    no_false_offline(page)
    server.mode = "answer"
    server.drop_held()
    expect(page.locator("#m-report-status")).to_contain_text("已提交，编号", timeout=30000)
    assert Case.objects.count() == 1


# ------------------------------------------------------------------ 2. the home tiles

TILES = """() => Array.from(document.querySelectorAll('#modules > li')).map((li) => {
  const tile = li.firstElementChild;
  const cell = li.getBoundingClientRect(), box = tile.getBoundingClientRect();
  const label = Array.from(tile.childNodes).find((n) => n.nodeType === 3 && n.textContent.trim());
  const range = document.createRange(); range.selectNodeContents(label);
  const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
  return {label: label.textContent.trim(), lines, cellW: cell.width, cellH: cell.height,
          w: box.width, h: box.height, top: Math.round(box.top), left: box.left, right: box.right};
})"""


@pytest.mark.parametrize(
    ("mode", "width"),
    [("standard", 390), ("elderly", 390), ("standard", 1440), ("elderly", 1440), ("standard", 360)],
    ids=["390-standard", "390-elderly", "1440-standard", "1440-elderly", "360-standard"],
)
def test_home_tiles_fill_their_cells_evenly_and_labels_stay_whole(
    live_server: Any, people: dict[str, Any], resident_page: Any, mode: str, width: int
) -> None:
    base = live_server.url
    page = signed_in(resident_page, base, people["resident"], mode, width)
    page.goto(f"{base}/m/")
    page.wait_for_load_state("networkidle")
    tiles = page.evaluate(TILES)
    assert len(tiles) == 8
    rows: dict[int, list[dict[str, Any]]] = {}
    for t in tiles:
        # Each tile is its whole cell, not a box around its text.
        assert abs(t["w"] - t["cellW"]) <= 1 and abs(t["h"] - t["cellH"]) <= 1, t
        # A label is one line: 党员双报到 never breaks inside the word.
        assert t["lines"] == 1, t
        assert t["h"] >= TAP[mode], t
        rows.setdefault(t["top"], []).append(t)
    for row in rows.values():
        assert max(t["w"] for t in row) - min(t["w"] for t in row) <= 1, row
        assert max(t["h"] for t in row) - min(t["h"] for t in row) <= 1, row
    # Rows are full but for the last, and never more than four across (no row of seven and one).
    counts = [len(rows[top]) for top in sorted(rows)]
    assert max(counts) <= 4 and all(c == counts[0] for c in counts[:-1]), counts
    if width >= 390:
        assert counts == ([2, 2, 2, 2] if (mode == "elderly" and width == 390) else [4, 4]), counts
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_serious(page) == []
    shot(page, f"home-tiles-{mode}-{width}")


# ------------------------------------------------------------------ 3. the home-address claim


@pytest.mark.parametrize(("mode", "width"), MODES[:2], ids=MODE_IDS[:2])
def test_no_address_is_chosen_for_the_resident(
    live_server: Any, people: dict[str, Any], resident_page: Any, mode: str, width: int
) -> None:
    buildings_import("address,lon,lat,code\n中原区伊河路百花里5号楼,113.6010,34.7510,BH5\n")
    resident = people["resident"]
    resident.real_name_verified_at = timezone.now()  # a claim needs the real name first
    resident.save(update_fields=["real_name_verified_at"])
    base = live_server.url
    page = signed_in(resident_page, base, resident, mode, width)
    page.goto(f"{base}/m/address/")
    page.get_by_label("住址（小区、楼栋）").fill("百花里")
    page.get_by_role("button", name="查找楼栋").click()
    radios = page.locator("input[name=building]")
    expect(radios.first).to_be_visible()
    assert radios.count() >= 2
    assert page.locator("input[name=building]:checked").count() == 0
    page.get_by_label("单元和房号").fill("2单元501")
    page.get_by_role("button", name="提交给网格员确认").click()

    error = page.get_by_role("alert")
    expect(error).to_contain_text("请先点选您住的楼栋")
    # The form as it was: the search, the buildings, the room; still nothing chosen.
    expect(page.get_by_label("住址（小区、楼栋）")).to_have_value("百花里")
    expect(page.get_by_label("单元和房号")).to_have_value("2单元501")
    assert radios.count() >= 2
    assert page.locator("input[name=building]:checked").count() == 0
    assert ResidenceClaim.objects.count() == 0
    assert axe_serious(page) == []
    assert taps_too_small(page, mode) == []
    shot(page, f"address-unchosen-{mode}")

    page.get_by_label("中原区伊河路百花里5号楼").check()
    page.get_by_role("button", name="提交给网格员确认").click()
    page.wait_for_url(f"{base}/m/me/")
    claim = ResidenceClaim.objects.get()
    assert (claim.building.code, claim.room) == ("BH5", "2单元501")


# ------------------------------------------------------------------ 4. dates
# (the formats themselves: tests/mobile/test_resident_monday.py)


def test_resident_pages_write_dates_one_way(
    live_server: Any, people: dict[str, Any], resident_page: Any
) -> None:
    from wangge.circles import services as circles
    from wangge.notices.selectors import home_node
    from wangge.notices.services import notice_publish

    resident = people["resident"]
    node = home_node(resident)
    assert node is not None
    notice_publish(actor=people["worker_a"], node=node, title="本周六上午停水通知", body="检修")
    circles.post_create(author=resident, circle="residents", text="楼下花坛的月季开了")
    base = live_server.url
    page = signed_in(resident_page, base, resident, "standard", 390)
    one_way = re.compile(r"^(\d{4}年)?\d{1,2}月\d{1,2}日 \d{2}:\d{2}$")
    for path, where in (
        ("/m/", "#notices .meta span"),
        ("/m/notices/", ".case-card .meta span"),
        ("/circles/", "#posts .meta span"),
    ):
        page.goto(f"{base}{path}")
        shown = [t.strip() for t in page.locator(where).all_inner_texts()]
        dates = [t for t in shown if re.search(r"\d{1,2}[-/月]\d{1,2}", t)]
        assert dates and all(one_way.match(t) for t in dates), (path, shown)


# ------------------------------------------------------------------ 5. 圈子's photos


@pytest.mark.parametrize(("mode", "width"), MODES, ids=MODE_IDS)
def test_circle_photos_have_a_chinese_button_with_what_was_chosen(
    live_server: Any,
    people: dict[str, Any],
    resident_page: Any,
    tmp_path: Path,
    mode: str,
    width: int,
) -> None:
    base = live_server.url
    page = signed_in(resident_page, base, people["resident"], mode, width)
    page.goto(f"{base}/circles/")
    button = page.locator("label[for=post-photos]")
    expect(button).to_have_text(re.compile("添加照片"))
    expect(button).to_be_visible()
    # The label is the input's name: a screen reader and get_by_label find the input by it.
    photos = page.get_by_label("添加照片")
    assert photos.evaluate("(el) => el.type") == "file"
    expect(page.locator("#post-photos-count")).to_contain_text("最多 9 张")
    assert "Choose" not in page.locator("form").inner_text()
    # Keyboard: the next stop after the text is the photo input, shown as the focused button.
    page.get_by_label("说点什么").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "post-photos"
    assert button.evaluate("(el) => getComputedStyle(el).outlineStyle") != "none"
    box = button.bounding_box()
    assert box is not None and box["height"] >= TAP[mode] and box["width"] >= TAP[mode]
    assert axe_serious(page) == []
    assert taps_too_small(page, mode) == []

    page.get_by_label("说点什么").fill("楼下花坛的月季开了")
    photos.set_input_files(
        [photo_file(tmp_path, "a.jpg"), photo_file(tmp_path, "b.jpg", (200, 80, 80))]
    )
    expect(page.locator("#post-photos-count")).to_have_text("已选 2 张照片")
    expect(page.locator("#post-photos-previews img")).to_have_count(2)
    # Choosing again adds to the photos already chosen.
    photos.set_input_files(photo_file(tmp_path, "c.jpg", (80, 200, 80)))
    expect(page.locator("#post-photos-count")).to_have_text("已选 3 张照片")
    page.get_by_role("button", name="删除第 2 张照片").click()
    expect(page.locator("#post-photos-count")).to_have_text("已选 2 张照片")
    assert page.evaluate("document.getElementById('post-photos').files.length") == 2
    assert axe_serious(page) == []
    assert taps_too_small(page, mode) == []
    shot(page, f"circle-photos-{mode}-{width}")

    page.get_by_role("button", name="发布").click()
    page.wait_for_load_state("networkidle")
    post = Post.objects.get(text="楼下花坛的月季开了")
    assert post.photos.count() == 2
