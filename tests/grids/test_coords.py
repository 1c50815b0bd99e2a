"""WGS-84 / GCJ-02 / BD-09 conversions (pure Python, no Django)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wangge.grids.coords import (
    CRS,
    bd09_to_gcj02,
    bd09_to_wgs84,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    out_of_china,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

pytestmark = pytest.mark.no_database

# Published (input, output) pairs, all (lon, lat).
# [coordtransform] github.com/wandergis/coordtransform README.md "示例用法" (also test/app.js),
#                  every function applied to (116.404, 39.915).
# [eviltransform]  github.com/googollee/eviltransform python/test.py and go/transform_test.go
#                  TESTS table (given there as wgsLat, wgsLng, gcjLat, gcjLng).
WGS84_TO_GCJ02_PUBLISHED = [
    pytest.param((116.404, 39.915), (116.41024449916938, 39.91640428150164), id="coordtransform"),
    pytest.param(
        (121.5272106, 31.1774276), (121.531541859215, 31.17530398364597), id="evil-shanghai"
    ),
    pytest.param(
        (113.912316, 22.543847), (113.9171764808363, 22.540796131694766), id="evil-shenzhen"
    ),
    pytest.param(
        (116.377817, 39.911954), (116.38404722455657, 39.91334545536069), id="evil-beijing"
    ),
]
# [coordtransform] gcj02tobd09(116.404, 39.915)
GCJ02_TO_BD09_PUBLISHED = ((116.404, 39.915), (116.41036949371029, 39.92133699351021))
# [coordtransform] bd09togcj02(116.404, 39.915): the one-step approximate inverse.
BD09_TO_GCJ02_PUBLISHED = ((116.404, 39.915), (116.39762729119315, 39.90865673957631))
# [coordtransform] gcj02towgs84(116.404, 39.915): the one-step approximate inverse.
GCJ02_TO_WGS84_PUBLISHED = ((116.404, 39.915), (116.39775550083061, 39.91359571849836))

# 中原区 and its surroundings.
zz_lon = st.floats(min_value=113.55, max_value=113.68)
zz_lat = st.floats(min_value=34.70, max_value=34.80)
ROUND_TRIP = 1e-7  # degrees, ≈ 1 cm


def close(a: tuple[float, float], b: tuple[float, float], tol: float) -> bool:
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance; plenty for offsets of a few hundred metres."""
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * 111_320


@pytest.mark.parametrize(("wgs", "gcj"), WGS84_TO_GCJ02_PUBLISHED)
def test_wgs84_to_gcj02_matches_published_pairs(
    wgs: tuple[float, float], gcj: tuple[float, float]
) -> None:
    # Same formula, same constants: agreement to the last few ulps.
    assert close(wgs84_to_gcj02(*wgs), gcj, 1e-12)


@pytest.mark.parametrize(("wgs", "gcj"), WGS84_TO_GCJ02_PUBLISHED)
def test_gcj02_to_wgs84_inverts_published_pairs(
    wgs: tuple[float, float], gcj: tuple[float, float]
) -> None:
    # eviltransform itself only promises 0.5 m for its exact inverse; ours is far tighter.
    assert close(gcj02_to_wgs84(*gcj), wgs, 1e-9)


def test_gcj02_to_bd09_matches_published_pair() -> None:
    src, expected = GCJ02_TO_BD09_PUBLISHED
    assert close(gcj02_to_bd09(*src), expected, 1e-12)


def test_bd09_to_gcj02_refines_published_approximation() -> None:
    src, published = BD09_TO_GCJ02_PUBLISHED
    ours = bd09_to_gcj02(*src)
    # The published one-step inverse is within ~5e-7° of the exact inverse...
    assert close(ours, published, 1e-6)
    # ...but only ours maps back onto the input.
    assert close(gcj02_to_bd09(*ours), src, 1e-10)
    assert not close(gcj02_to_bd09(*published), src, 1e-7)


def test_gcj02_to_wgs84_refines_published_approximation() -> None:
    src, published = GCJ02_TO_WGS84_PUBLISHED
    ours = gcj02_to_wgs84(*src)
    assert close(ours, published, 1e-5)  # one-step inverse: right to within a metre or so
    assert close(wgs84_to_gcj02(*ours), src, 1e-10)
    assert not close(wgs84_to_gcj02(*published), src, 1e-7)


@given(zz_lon, zz_lat)
def test_round_trip_wgs84_gcj02(lon: float, lat: float) -> None:
    assert close(gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat)), (lon, lat), ROUND_TRIP)
    assert close(wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat)), (lon, lat), ROUND_TRIP)


@given(zz_lon, zz_lat)
def test_round_trip_gcj02_bd09(lon: float, lat: float) -> None:
    assert close(bd09_to_gcj02(*gcj02_to_bd09(lon, lat)), (lon, lat), ROUND_TRIP)
    assert close(gcj02_to_bd09(*bd09_to_gcj02(lon, lat)), (lon, lat), ROUND_TRIP)


@given(zz_lon, zz_lat)
def test_round_trip_wgs84_bd09(lon: float, lat: float) -> None:
    assert close(bd09_to_wgs84(*wgs84_to_bd09(lon, lat)), (lon, lat), ROUND_TRIP)
    assert close(wgs84_to_bd09(*bd09_to_wgs84(lon, lat)), (lon, lat), ROUND_TRIP)


@given(zz_lon, zz_lat, st.sampled_from([*CRS, "GCJ02", " bd09 ", "WGS84"]))
def test_to_and_from_wgs84_round_trip(lon: float, lat: float, crs: CRS | str) -> None:
    assert close(to_wgs84(*from_wgs84(lon, lat, crs), crs), (lon, lat), ROUND_TRIP)


def test_to_wgs84_dispatches_on_crs() -> None:
    p = (113.62, 34.75)
    assert to_wgs84(*p, CRS.WGS84) == p
    assert to_wgs84(*p, "gcj02") == gcj02_to_wgs84(*p)
    assert to_wgs84(*p, "BD09") == bd09_to_wgs84(*p)
    assert from_wgs84(*p, "gcj02") == wgs84_to_gcj02(*p)
    assert from_wgs84(*p, CRS.BD09) == wgs84_to_bd09(*p)


@pytest.mark.parametrize("crs", ["", "epsg:4326", "cgcs2000", "mercator", "gcj-02"])
def test_unknown_crs_is_rejected(crs: str) -> None:
    with pytest.raises(ValueError, match="未知坐标系"):
        to_wgs84(113.62, 34.75, crs)
    with pytest.raises(ValueError, match="未知坐标系"):
        from_wgs84(113.62, 34.75, crs)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_input_is_rejected(bad: float) -> None:
    for fn in (wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02):
        with pytest.raises(ValueError, match="有限"):
            fn(bad, 34.75)
        with pytest.raises(ValueError, match="有限"):
            fn(113.62, bad)
    with pytest.raises(ValueError, match="有限"):
        to_wgs84(bad, 34.75, CRS.WGS84)


@pytest.mark.parametrize(
    "point",
    [
        (139.6917, 35.6895),  # Tokyo
        (2.3522, 48.8566),  # Paris
        (151.2093, -33.8688),  # Sydney
        (-74.006, 40.7128),  # New York
        (37.6173, 55.7558),  # Moscow
    ],
)
def test_points_outside_china_are_not_shifted(point: tuple[float, float]) -> None:
    assert out_of_china(*point)
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point


@given(
    st.one_of(st.floats(-180, 72.0), st.floats(137.84, 180)),
    st.floats(-90, 90),
)
def test_gcj02_is_identity_outside_china_box(lon: float, lat: float) -> None:
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)


def test_out_of_china_box() -> None:
    assert not out_of_china(113.62, 34.75)  # 郑州
    assert not out_of_china(87.62, 43.82)  # 乌鲁木齐
    assert not out_of_china(126.63, 45.75)  # 哈尔滨
    assert out_of_china(113.62, 56.0)
    assert out_of_china(71.9, 39.0)


@given(zz_lon, zz_lat)
def test_gcj02_offset_near_zhengzhou_is_a_few_hundred_metres(lon: float, lat: float) -> None:
    # Around 郑州 the published field shifts points ~0.006° east and ~0.001° south,
    # i.e. roughly 550 m. A result far off that means broken constants, not a rounding issue.
    d = metres((lon, lat), wgs84_to_gcj02(lon, lat))
    assert 300 < d < 900
    gcj = wgs84_to_gcj02(lon, lat)
    assert gcj[0] > lon  # east
    assert gcj[1] < lat  # south


@given(zz_lon, zz_lat)
def test_bd09_offset_is_on_top_of_gcj02(lon: float, lat: float) -> None:
    # BD-09 adds roughly another 0.0065° E / 0.006° N (≈ 900 m) to GCJ-02.
    d = metres(wgs84_to_gcj02(lon, lat), wgs84_to_bd09(lon, lat))
    assert 600 < d < 1200
