"""A configured tile service, played by a tiny tile server in this test: the report map asks it
for tiles (taking turns at its subdomains) and draws them; on GCJ-02 tiles (高德/腾讯) a pin
dropped on the map is stored in WGS-84; a tile server that refuses or does not answer leaves
the map on our own base, never a grey box."""

import base64
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, watch
from tests.conftest import MICRO_A1, PASSWORD
from wangge.cases.models import Case
from wangge.grids.coords import wgs84_to_gcj02
from wangge.grids.models import GridNode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One opaque pale pixel (Leaflet stretches it over the 256 px tile).
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mP4/58BAAT/Af9jgNErAAAAAElFTkSuQmCC"
)


@dataclass
class TileServer:
    mode: str = "ok"  # ok | refuse | hang
    paths: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    url: str = ""


@pytest.fixture
def tile_server() -> Iterator[TileServer]:
    state = TileServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.paths.append(self.path)
            if state.mode == "hang":
                state.stop.wait(30)
                return
            if state.mode == "refuse":
                self.send_error(503)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(TILE_PNG)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(TILE_PNG)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    state.stop.set()
    server.shutdown()
    server.server_close()


def tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """The slippy-map tile that holds a point (高德, 腾讯, 天地图 _w and OSM alike)."""
    n = 2**zoom
    rad = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(rad)) / math.pi) / 2 * n)


def configure(settings: Any, server: TileServer, crs: str) -> None:
    settings.MAP_TILE_URL = server.url + "/{s}/{z}/{x}/{y}.png"
    settings.MAP_TILE_SUBDOMAINS = ["t0", "t1"]
    settings.MAP_TILE_CRS = crs
    settings.MAP_TILE_ATTRIBUTION = "测试底图"
    settings.MAP_TILE_TIMEOUT_SECONDS = 1.5


def test_gcj02_tiles_are_drawn_and_a_pin_on_them_is_stored_in_wgs84(
    live_server: Any,
    people: dict[str, Any],
    catalogue: Any,
    new_page: Any,
    settings: Any,
    tile_server: TileServer,
) -> None:
    configure(settings, tile_server, "gcj02")
    base = live_server.url
    page = new_page(phone=True)
    problems = watch(page)
    sign_in(page, base, people["resident"].phone, PASSWORD)
    page.goto(f"{base}/m/report/")
    start = page.evaluate("JSON.parse(document.getElementById('m-map-config').textContent).center")
    mapbox = page.locator("#m-map")
    mapbox.scroll_into_view_if_needed()
    expect(mapbox.locator("img.leaflet-tile-loaded").first).to_be_attached()
    expect(mapbox).to_have_attribute("data-base", "tiles")
    expect(mapbox.locator(".leaflet-control-attribution")).to_contain_text("测试底图")
    # Both subdomains in turn, and the tile under the map's centre is the one that holds the
    # centre's GCJ-02 position — not its WGS-84 one, some 500 m off.
    assert {p.split("/")[1] for p in tile_server.paths} == {"t0", "t1"}, tile_server.paths
    requested = {
        tuple(int(v) for v in p.removesuffix(".png").split("/")[2:]) for p in tile_server.paths
    }
    gx, gy = tile_of(*wgs84_to_gcj02(start[0], start[1]), 17)
    wx, wy = tile_of(start[0], start[1], 17)
    box = mapbox.bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    under = page.evaluate(
        """([x, y]) => {
            const tile = [...document.querySelectorAll("#m-map img.leaflet-tile")].find((e) => {
                const r = e.getBoundingClientRect();
                return r.left <= x && x < r.right && r.top <= y && y < r.bottom;
            });
            return tile ? tile.src : "";
        }""",
        [cx, cy],
    )
    assert under.endswith(f"/17/{gx}/{gy}.png"), (under, (gx, gy))
    assert (17, gx, gy) in requested and (gx, gy) != (wx, wy)
    # No own base on top of working tiles.
    assert mapbox.locator(".m-map-label").count() == 0

    # The pin dropped on the centre is the resident's home centre, stored in WGS-84.
    page.mouse.click(cx, cy)
    expect(page.locator("#m-where")).to_contain_text("A1 微网格")
    page.get_by_label("问题描述").fill("小区门口的路灯不亮，晚上看不清台阶")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(f"{base}/m/report/done/**")
    case = Case.objects.get()
    # Half a pixel at zoom 17 is about 0.5 m: 1e-5° (~1 m) holds; the GCJ-02 offset is ~5e-3°.
    assert case.lon == pytest.approx(start[0], abs=1e-5)
    assert case.lat == pytest.approx(start[1], abs=1e-5)
    assert case.grid_path == GridNode.objects.get(code=MICRO_A1).path
    assert problems == [], problems


@pytest.mark.parametrize("mode", ["refuse", "hang"])
def test_a_tile_server_that_does_not_answer_leaves_our_own_base(
    live_server: Any,
    people: dict[str, Any],
    new_page: Any,
    settings: Any,
    tile_server: TileServer,
    mode: str,
) -> None:
    tile_server.mode = mode
    configure(settings, tile_server, "wgs84")
    base = live_server.url
    page = new_page(phone=True)
    problems = watch(page)
    sign_in(page, base, people["resident"].phone, PASSWORD)
    page.goto(f"{base}/m/report/")
    mapbox = page.locator("#m-map")
    expect(mapbox).to_have_attribute("data-base", "own", timeout=10_000)
    expect(mapbox.locator(".m-map-label.m-map-grid", has_text="A1 微网格")).to_be_visible()
    expect(mapbox.locator(".map-note")).to_have_text("底图服务无响应，已改用本地底图")
    assert tile_server.paths, "the tiles were asked for first"
    assert mapbox.locator("img.leaflet-tile").count() == 0
    # What failed is the tile server, nothing of ours.
    assert [p for p in problems if tile_server.url not in p] == [], problems
