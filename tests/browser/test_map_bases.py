"""Every map of the product without MAP_TILE_URL (as in a fresh install): the base is drawn from
our own data — micro-grid A1's outline with its name, the buildings as labelled points — never
an empty grey box, and nothing behind the map answers 404 or fails (the browser's favicon and
the service worker's requests included)."""

import base64
import math
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, watch
from tests.browser.map_labels import overlaps
from tests.conftest import MICRO_A1, PASSWORD
from wangge.grids.coords import wgs84_to_gcj02
from wangge.grids.models import GridNode
from wangge.volunteering.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def base_shown(page: Any, within: str) -> None:
    """The grid's label and the buildings' dots on the map `within`, its names clear of each
    other and of its markers (a building is named only where its name fits)."""
    box = page.locator(within)
    expect(page.locator(f"{within}.m-map-own")).to_have_count(1)
    expect(box.locator(".m-map-label.m-map-grid", has_text="A1 微网格")).to_be_visible()
    expect(box.locator(".leaflet-baseLines-pane path").first).to_be_attached()
    assert overlaps(page, within) == []


def a_task(people: dict[str, Any]) -> Task:
    a1 = GridNode.objects.get(code=MICRO_A1)
    start = timezone.now() + timedelta(days=2)
    return Task.objects.create(
        kind=Task.Kind.TASK,
        publisher_kind=Task.PublisherKind.SOCIAL_ORG,
        publisher_name="志愿者协会",
        organiser=people["community"],
        grid=a1,
        grid_path=a1.path,
        title="百花里楼道清理",
        category="environment",
        place="百花里3号楼",
        lon=113.6008,
        lat=34.7508,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        slots=10,
        status=Task.Status.PUBLISHED,
        qr_secret="test-secret",
    )


def test_volunteering_task_map_and_place_picker(
    live_server: Any, people: dict[str, Any], catalogue: Any, new_page: Any
) -> None:
    task = a_task(people)
    base = live_server.url
    resident = new_page(phone=True)
    problems = watch(resident)
    sign_in(resident, base, people["resident"].phone, PASSWORD)
    resident.goto(f"{base}/volunteering/{task.pk}/")
    base_shown(resident, "#task-map")

    organiser = new_page(phone=True)
    problems += watch(organiser)
    sign_in(organiser, base, people["community"].phone, PASSWORD)
    organiser.goto(f"{base}/volunteering/manage/new/?lon=113.6008&lat=34.7508")
    picker = organiser.locator("#pick-map")
    picker.click(position={"x": 150, "y": 100})
    expect(organiser.locator("input[name=lon]")).not_to_have_value("")
    organiser.evaluate("document.getElementById('pick-map').scrollIntoView()")
    expect(picker.locator(".m-map-label.m-map-grid").first).to_be_visible()
    assert problems == [], problems


def test_case_page_and_desk_maps(
    live_server: Any, people: dict[str, Any], report: Any, new_page: Any
) -> None:
    case = report("百花里3号楼门口路灯不亮")
    base = live_server.url
    worker = new_page()
    problems = watch(worker)
    sign_in(worker, base, people["worker_a"].phone, PASSWORD)
    worker.goto(f"{base}/cases/{case.pk}/")
    base_shown(worker, "#case-map")

    dispatcher = new_page()
    problems += watch(dispatcher)
    sign_in(dispatcher, base, people["dispatcher"].phone, PASSWORD)
    dispatcher.goto(f"{base}/cases/desk/")
    dispatcher.locator("#desk-map-box summary").click()
    expect(
        dispatcher.locator("#desk-map .m-map-label.m-map-grid", has_text="A1 微网格")
    ).to_be_visible()
    assert problems == [], problems


# One transparent pixel: what the tile server below answers for every tile.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
TILES = "https://tiles.example/{z}/{x}/{y}.png"


def tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """The slippy-map tile that holds a point (the scheme of 高德, 腾讯 and OSM tiles alike)."""
    n = 2**zoom
    rad = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(rad)) / math.pi) / 2 * n)


def test_a_place_picked_on_gcj02_tiles_is_stored_in_wgs84(
    live_server: Any, people: dict[str, Any], catalogue: Any, new_page: Any, settings: Any
) -> None:
    """高德/腾讯 tiles are drawn in GCJ-02, some 500 m off WGS-84 around 郑州: the picker shows
    the start point where those tiles have it, and a point picked there is stored as WGS-84."""
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_CRS = "gcj02"
    base = live_server.url
    organiser = new_page(phone=True)
    organiser.route(
        "https://tiles.example/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
    )
    problems = watch(organiser)
    sign_in(organiser, base, people["community"].phone, PASSWORD)
    organiser.goto(f"{base}/volunteering/manage/new/")
    picker = organiser.locator("#pick-map")
    picker.scroll_into_view_if_needed()
    start_lon = float(picker.get_attribute("data-lon") or "nan")
    start_lat = float(picker.get_attribute("data-lat") or "nan")
    expect(picker.locator("img.leaflet-tile-loaded").first).to_be_attached()
    marker = picker.locator("path.leaflet-interactive").bounding_box()
    assert marker is not None
    x, y = marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] / 2

    # The marker stands on the tile that holds the point's GCJ-02 position, not its WGS-84 one.
    src = organiser.evaluate(
        """([x, y]) => {
            const tile = [...document.querySelectorAll("#pick-map img.leaflet-tile")].find((e) => {
                const r = e.getBoundingClientRect();
                return r.left <= x && x < r.right && r.top <= y && y < r.bottom;
            });
            return tile ? tile.src : "";
        }""",
        [x, y],
    )
    zoom, tx, ty = (int(part) for part in src.removesuffix(".png").split("/")[-3:])
    assert (tx, ty) == tile_of(*wgs84_to_gcj02(start_lon, start_lat), zoom), src
    assert (tx, ty) != tile_of(start_lon, start_lat, zoom)

    # Picking that very spot stores the WGS-84 position (within a few pixels at zoom 16).
    organiser.mouse.click(x, y)
    lon = float(organiser.locator("input[name=lon]").input_value())
    lat = float(organiser.locator("input[name=lat]").input_value())
    assert abs(lon - start_lon) < 5e-5 and abs(lat - start_lat) < 5e-5, (lon, lat)
    assert problems == [], problems
