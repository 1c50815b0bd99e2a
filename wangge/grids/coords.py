"""Conversions between the three coordinate systems in everyday use in China.

* WGS-84 — GPS receivers, 天地图 and CGCS2000 data (CGCS2000 differs from WGS-84 by a few
  centimetres, far below what grid assignment cares about, so we treat them as the same).
* GCJ-02 — the state-mandated obfuscated datum ("火星坐标") used by 高德, 腾讯 and WeChat's
  location API.
* BD-09 — Baidu's further obfuscation applied on top of GCJ-02.

We *store* WGS-84 only; everything a client sends is normalised with :func:`to_wgs84`, and
anything we hand to a GCJ-02 / BD-09 map is produced with :func:`from_wgs84`.

The forward formulas are the widely published reverse-engineered ones (Krasovsky 1940
ellipsoid constants, as in the coordtransform / eviltransform libraries), so our output is
bit-for-bit what those libraries and the map vendors' JavaScript produce. The published
inverses are one-step approximations that are off by up to a couple of metres; we refine them
iteratively so that a round trip through any pair of systems is exact to well below 1e-7°
(about 1 cm), which keeps a point drawn on a GCJ-02 map from creeping across a grid border
after being saved and re-displayed a few times.
"""

from __future__ import annotations

import math
from enum import StrEnum

__all__ = [
    "CRS",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "from_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "out_of_china",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]


class CRS(StrEnum):
    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


# Krasovsky 1940 ellipsoid: the GCJ-02 algorithm was reverse-engineered with these constants,
# so they must stay exactly as published even though we store WGS-84.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0

# The inverses stop once re-applying the forward transform reproduces the input to within
# this many degrees (~1e-5 m); 1e-7° is the accuracy promised to callers.
_INVERSE_TOLERANCE = 1e-11
# The offset field's gradient is ~1e-3 per degree, so each step gains ~3 digits and 3-4 steps
# suffice; the cap only guards against pathological inputs near the China box edge.
_INVERSE_MAX_STEPS = 30


def out_of_china(lon: float, lat: float) -> bool:
    """True where the GCJ-02 offset is not applied.

    This is the coarse rectangle used by coordtransform_py and eviltransform (not a real
    border): GCJ-02 data sources leave points outside it unshifted, so we must too, or we
    would mis-convert coordinates coming from abroad. Bounds are inclusive as in those
    libraries.
    """
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj02_offset(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 minus WGS-84 at a WGS-84 point, ignoring the out-of-China rule."""
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = math.sin(radlat)
    magic = 1 - _EE * magic * magic
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlon, dlat


def _check_finite(lon: float, lat: float) -> None:
    # NaN would silently propagate into stored coordinates and then match no grid at all;
    # failing loudly at the boundary is far easier to debug.
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError(f"坐标必须是有限数值：({lon}, {lat})")


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    _check_finite(lon, lat)
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _gcj02_offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Inverse of :func:`wgs84_to_gcj02`, accurate to well under 1e-7°.

    Fixed-point iteration w ← w - (gcj(w) - target), started from the classic one-step
    approximation; it converges because the offset varies slowly with position.
    """
    _check_finite(lon, lat)
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _gcj02_offset(lon, lat)
    wlon, wlat = lon - dlon, lat - dlat
    for _ in range(_INVERSE_MAX_STEPS):
        dlon, dlat = _gcj02_offset(wlon, wlat)
        err_lon = wlon + dlon - lon
        err_lat = wlat + dlat - lat
        if abs(err_lon) < _INVERSE_TOLERANCE and abs(err_lat) < _INVERSE_TOLERANCE:
            break
        wlon -= err_lon
        wlat -= err_lat
    return wlon, wlat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    # Applied everywhere, not only inside China: that is what the published formula (and
    # Baidu's own JavaScript conversion) does.
    _check_finite(lon, lat)
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def _bd09_to_gcj02_approx(lon: float, lat: float) -> tuple[float, float]:
    """The published one-step inverse (coordtransform's bd09togcj02)."""
    x = lon - 0.0065
    y = lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Inverse of :func:`gcj02_to_bd09`.

    The published formula alone is only good to ~5e-7° (it evaluates the perturbation terms
    at the BD-09 point instead of the GCJ-02 one), so we polish it with fixed-point steps to
    make BD-09 round trips exact like the GCJ-02 ones.
    """
    _check_finite(lon, lat)
    glon, glat = _bd09_to_gcj02_approx(lon, lat)
    for _ in range(_INVERSE_MAX_STEPS):
        blon, blat = gcj02_to_bd09(glon, glat)
        err_lon = blon - lon
        err_lat = blat - lat
        if abs(err_lon) < _INVERSE_TOLERANCE and abs(err_lat) < _INVERSE_TOLERANCE:
            break
        glon -= err_lon
        glat -= err_lat
    return glon, glat


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def _parse_crs(crs: CRS | str) -> CRS:
    try:
        # Clients send "GCJ02", "gcj02", " bd09 "...; be lenient about case and whitespace
        # but never guess between systems.
        return CRS(crs.strip().lower())
    except (ValueError, AttributeError):
        allowed = ", ".join(c.value for c in CRS)
        raise ValueError(f"未知坐标系：{crs!r}（支持：{allowed}）") from None


def to_wgs84(lon: float, lat: float, crs: CRS | str) -> tuple[float, float]:
    """Convert a point given in ``crs`` to WGS-84 (the storage datum)."""
    match _parse_crs(crs):
        case CRS.WGS84:
            _check_finite(lon, lat)
            return lon, lat
        case CRS.GCJ02:
            return gcj02_to_wgs84(lon, lat)
        case CRS.BD09:
            return bd09_to_wgs84(lon, lat)


def from_wgs84(lon: float, lat: float, crs: CRS | str) -> tuple[float, float]:
    """Convert a stored WGS-84 point to ``crs`` for display on a vendor map."""
    match _parse_crs(crs):
        case CRS.WGS84:
            _check_finite(lon, lat)
            return lon, lat
        case CRS.GCJ02:
            return wgs84_to_gcj02(lon, lat)
        case CRS.BD09:
            return wgs84_to_bd09(lon, lat)


EARTH_RADIUS_M = 6_371_000.0
# Metres in a degree of latitude (and of longitude at the equator).
METRES_PER_DEGREE = 111_320


def box_around(lon: float, lat: float, metres: float) -> tuple[float, float, float, float]:
    """(west, south, east, north): the box holding every point within `metres` of a WGS-84
    point, to read from a table by its lon and lat columns before measuring each."""
    dlat = metres / METRES_PER_DEGREE
    dlon = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return (lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points (haversine); within a district
    the sphere's error is far below what a phone's GPS gives."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))
