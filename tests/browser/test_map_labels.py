"""A crowded map without a tile service: ~200 buildings and a few roads around the resident's
grid. The report map at its default zoom on a phone and the desk map on a dispatcher's screen
name what fits and nothing more: no two labels overlap, none covers the pin or a case, and the
labels are placed again after a zoom."""

import random
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import close_contexts, shot, sign_in, watch
from tests.browser.map_labels import map_boxes, on_top, overlaps
from tests.conftest import MICRO_A1, MICRO_A2, MICRO_B1, PASSWORD
from wangge.grids.models import Building, GridNode
from wangge.grids.services import buildings_bulk_create, roads_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPOUNDS = ["百花里", "绿都苑", "锦绣园", "翠竹小区", "银杏院", "幸福家园", "康宁里", "阳光城"]


def crowd(n: int = 200) -> None:
    """n buildings of eight compounds packed around micro-grids A1 and A2, and three roads."""
    rng = random.Random(35)
    micros = {code: GridNode.objects.get(code=code) for code in (MICRO_A1, MICRO_A2, MICRO_B1)}
    rows = []
    for i in range(n):
        lon, lat = rng.uniform(113.6002, 113.6052), rng.uniform(34.7504, 34.7536)
        micro = MICRO_A1 if lon < 113.602 else MICRO_A2 if lon < 113.604 else MICRO_B1
        compound = COMPOUNDS[i % len(COMPOUNDS)]
        rows.append(
            Building(
                code=f"T{i:04d}",
                address=f"中原区伊河路{compound}{i // len(COMPOUNDS) + 1}号楼",
                lon=round(lon, 7),
                lat=round(lat, 7),
                micro_grid=micros[micro],
            )
        )
    buildings_bulk_create(rows)

    def road(name: str, kind: str, coords: list[list[float]]) -> dict[str, Any]:
        return {
            "type": "Feature",
            "properties": {"name": name, "kind": kind},
            "geometry": {"type": "LineString", "coordinates": coords},
        }

    roads_import(
        {
            "type": "FeatureCollection",
            "features": [
                road("伊河路", "arterial", [[113.595, 34.7520], [113.612, 34.7521]]),
                road("桐柏路", "secondary", [[113.6030, 34.745], [113.6031, 34.758]]),
                road("百花路", "branch", [[113.598, 34.7532], [113.606, 34.7532]]),
                road("金水河", "river", [[113.596, 34.7512], [113.611, 34.7513]]),
            ],
        }
    )


def settle(page: Any, within: str) -> None:
    """Until the base has arrived and the labels stand still."""
    expect(page.locator(f"{within} .map-label[data-kind=building]").first).to_be_attached()
    before = None
    for _ in range(20):
        page.wait_for_timeout(150)
        now = map_boxes(page, within)
        if now == before:
            return
        before = now


def test_report_map_at_default_zoom_shows_the_pin_and_names_only_what_fits(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    crowd()
    base = live_server.url
    page = new_page(phone=True)
    problems = watch(page)
    sign_in(page, base, people["resident"].phone, PASSWORD)
    page.goto(f"{base}/m/report/")
    page.locator("#m-map").scroll_into_view_if_needed()
    settle(page, "#m-map")
    # The pin dropped in the middle of the crowd, at the zoom the form opens with.
    box = page.locator("#m-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#m-map .m-pin")).to_be_visible()
    settle(page, "#m-map")
    assert page.locator("#m-map").get_attribute("data-zoom") == "17"
    shot(page, "report-map-crowded")

    shown = map_boxes(page, "#m-map")["labels"]
    names = [text for text, _box in shown]
    # Named: the grid, a road and buildings near the pin — but far from all 200.
    assert "A1 微网格" in names, names
    assert any(n.endswith("路") for n in names), names
    buildings = [n for n in names if n.endswith("号楼")]
    assert 3 <= len(buildings) < 60, names
    assert overlaps(page, "#m-map") == []
    assert on_top(page, "#m-map .m-pin")
    # Markers above labels, whatever is drawn later.
    panes = page.evaluate(
        """() => ["marker", "baseLabels"].map((p) => Number(
            getComputedStyle(document.querySelector("#m-map .leaflet-" + p + "-pane")).zIndex))"""
    )
    assert panes[0] > panes[1], panes
    # A river is drawn blue and without a road's casing; a road keeps both.
    river = page.locator("#m-map path.map-river")
    expect(river.first).to_be_attached()
    assert river.first.get_attribute("stroke") == "#a9d0f0"
    assert page.locator("#m-map path.map-road-casing").count() >= 1
    assert page.locator("#m-map path.map-secondary").first.get_attribute("stroke") == "#ffffff"

    # Placed again after each zoom: closer in, more buildings named; out again, still clear.
    page.locator("#m-map .leaflet-control-zoom-in").click()
    expect(page.locator("#m-map")).to_have_attribute("data-zoom", "18")
    settle(page, "#m-map")
    closer = [t for t, _b in map_boxes(page, "#m-map")["labels"] if t.endswith("号楼")]
    assert overlaps(page, "#m-map") == []
    assert on_top(page, "#m-map .m-pin")
    assert closer, closer
    for zoom in ("17", "16"):
        page.locator("#m-map .leaflet-control-zoom-out").click()
        expect(page.locator("#m-map")).to_have_attribute("data-zoom", zoom)
    settle(page, "#m-map")
    assert overlaps(page, "#m-map") == []
    assert problems == [], problems


def test_desk_map_keeps_every_case_clear_of_labels(
    live_server: Any, people: dict[str, Any], report: Any, browser: Any
) -> None:
    crowd()
    rng = random.Random(36)
    for i in range(24):
        at = (round(rng.uniform(113.6003, 113.6075), 6), round(rng.uniform(34.7503, 34.7537), 6))
        report(f"第{i + 1}处路灯不亮，晚上看不清台阶", at=at)
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900}
    )
    try:
        page = context.new_page()
        problems = watch(page)
        sign_in(page, live_server.url, people["dispatcher"].phone, PASSWORD)
        page.goto(f"{live_server.url}/cases/desk/?status=open")
        page.locator("#desk-map-box summary").click()
        # Each case on its own or counted in a cluster of near ones (desk.js), every one shown.
        singles = page.locator("#desk-map .leaflet-marks-pane path.desk-case")
        clusters = page.locator("#desk-map .leaflet-marks-pane .marker-cluster")
        expect(singles.or_(clusters).first).to_be_visible()
        settle(page, "#desk-map")
        assert singles.count() + sum(int(t) for t in clusters.all_inner_texts()) == 24
        markers = page.locator(
            "#desk-map .leaflet-marks-pane path.desk-case, #desk-map .marker-cluster"
        )
        shot(page, "desk-map-crowded")
        assert overlaps(page, "#desk-map") == []
        names = [t for t, _b in map_boxes(page, "#desk-map")["labels"]]
        assert "A1 微网格" in names, names
        # Each mark is what a click at its centre reaches: nothing drawn over it.
        for i in range(markers.count()):
            b = markers.nth(i).bounding_box()
            assert b is not None
            hit = page.evaluate(
                """([x, y]) => { const el = document.elementFromPoint(x, y);
                    return (el.closest(".marker-cluster") ? "marker-cluster " : "")
                        + (el.getAttribute("class") || ""); }""",
                [b["x"] + b["width"] / 2, b["y"] + b["height"] / 2],
            )
            assert "desk-case" in hit or "marker-cluster" in hit, (i, hit)
        assert problems == [], problems
    finally:
        close_contexts([context])
