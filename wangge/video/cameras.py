"""Cameras as data: a district's camera list (CSV or GeoJSON) onto the facility register.

The file is checked whole before anything is written: one bad row refuses it, and every problem
is listed by line (or feature) so the operator fixes them all in one pass. A camera is matched
on its 编号, so the same file loaded again updates rather than doubles; a camera the register
already holds (a 监控探头 entered by hand, same name, same micro-grid) is taken over, not copied.
"""

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from wangge.core.errors import NotFound
from wangge.grids import selectors as grid_selectors
from wangge.grids.coords import CRS
from wangge.grids.services import ImportRejected
from wangge.ledgers.models import Facility, FacilityKind
from wangge.video.models import GB_CODE_RE, Camera, CameraType, CameraUnit

HEADER = ("编号", "国标编码", "名称", "经度", "纬度", "类型", "所属单位", "视频地址")
CRS_COLUMN = "坐标系"
TYPE_WORDS = {str(c.label): c.value for c in CameraType}
UNIT_WORDS = {str(c.label): c.value for c in CameraUnit}
CRS_WORDS = {"": CRS.WGS84, "wgs84": CRS.WGS84, "gcj02": CRS.GCJ02, "bd09": CRS.BD09}
MAX_CAMERAS = 20_000


@dataclass
class CameraRow:
    where: str  # 第 N 行 / 第 N 个要素
    code: str
    gb_code: str
    name: str
    lon: float
    lat: float
    camera_type: str
    unit_type: str
    stream_url: str
    micro_grid_id: int = 0
    grid_path: str = ""


@dataclass
class CameraImport:
    created: int = 0
    updated: int = 0
    adopted: int = 0  # register rows that became cameras


def _stream_ok(url: str) -> bool:
    if not url:
        return True
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def _row(where: str, values: dict[str, str], problems: list[str]) -> CameraRow | None:
    def say(text: str) -> None:
        problems.append(f"{where}：{text}")

    v = {k: (values.get(k) or "").strip() for k in (*HEADER, CRS_COLUMN)}
    count = len(problems)
    if not v["编号"]:
        say(_("缺少编号"))
    elif len(v["编号"]) > 40:
        say(_("编号超过 40 个字符"))
    if v["国标编码"] and not _matches(v["国标编码"]):
        say(_("国标编码“%(c)s”须为 20 位数字（GB/T 28181）") % {"c": v["国标编码"]})
    if not v["名称"]:
        say(_("缺少名称"))
    elif len(v["名称"]) > 100:
        say(_("名称超过 100 个字符"))
    lon = _number(v["经度"])
    lat = _number(v["纬度"])
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        say(_("经纬度“%(lon)s, %(lat)s”不是有效坐标") % {"lon": v["经度"], "lat": v["纬度"]})
    camera_type = TYPE_WORDS.get(v["类型"])
    if camera_type is None:
        say(_("类型“%(t)s”须为 球机、枪机 或 鹰眼") % {"t": v["类型"]})
    unit_type = UNIT_WORDS.get(v["所属单位"])
    if unit_type is None:
        say(_("所属单位“%(u)s”须为 学校、医院、工地、楼院 或 道路") % {"u": v["所属单位"]})
    if not _stream_ok(v["视频地址"]) or len(v["视频地址"]) > 500:
        say(_("视频地址“%(u)s”须为 http(s) 地址（HLS 或 HTTP-FLV）") % {"u": v["视频地址"][:80]})
    crs = CRS_WORDS.get(v[CRS_COLUMN].lower())
    if crs is None:
        say(_("坐标系“%(c)s”须为 wgs84、gcj02 或 bd09") % {"c": v[CRS_COLUMN]})
    if len(problems) > count:
        return None
    assert lon is not None and lat is not None and crs is not None
    assert camera_type is not None and unit_type is not None
    try:
        loc = grid_selectors.locate(lon=lon, lat=lat, crs=crs)
    except NotFound:
        say(_("坐标（%(lon)s, %(lat)s）不在任何网格内") % {"lon": v["经度"], "lat": v["纬度"]})
        return None
    anchor = loc.micro_grid or loc.exclusive_grid
    assert anchor is not None
    return CameraRow(
        where=where,
        code=v["编号"],
        gb_code=v["国标编码"],
        name=v["名称"],
        lon=loc.lon,
        lat=loc.lat,
        camera_type=camera_type,
        unit_type=unit_type,
        stream_url=v["视频地址"],
        micro_grid_id=anchor.pk,
        grid_path=anchor.path,
    )


def _matches(code: str) -> bool:
    return re.fullmatch(GB_CODE_RE, code) is not None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _csv_rows(text: str, problems: list[str]) -> list[tuple[str, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [h for h in HEADER if h not in header]
    if missing:
        problems.append(
            _("表头缺少列：%(cols)s（须为 %(header)s，可另加 坐标系）")
            % {"cols": "、".join(missing), "header": ",".join(HEADER)}
        )
        return []
    reader.fieldnames = header
    return [(_("第 %(n)d 行") % {"n": reader.line_num}, row) for row in reader]


def _geojson_rows(data: Any, problems: list[str]) -> list[tuple[str, dict[str, str]]]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(_("GeoJSON 须为 FeatureCollection"))
        return []
    rows = []
    for n, feature in enumerate(data.get("features") or [], start=1):
        where = _("第 %(n)d 个要素") % {"n": n}
        geometry = (feature or {}).get("geometry") or {}
        coords = geometry.get("coordinates")
        if geometry.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
            problems.append(f"{where}：" + _("几何须为 Point"))
            continue
        props = {
            k: "" if v is None else str(v) for k, v in (feature.get("properties") or {}).items()
        }
        props["经度"], props["纬度"] = str(coords[0]), str(coords[1])
        rows.append((where, props))
    return rows


def parse(text: str) -> list[CameraRow]:
    """The file's cameras, each located to its micro-grid; ImportRejected with every problem."""
    problems: list[str] = []
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError as exc:
            raise ImportRejected([_("GeoJSON 无法解析：%(e)s") % {"e": exc}]) from exc
        raw = _geojson_rows(data, problems)
    else:
        raw = _csv_rows(text, problems)
    if not raw and not problems:
        problems.append(_("文件中没有摄像头"))
    if len(raw) > MAX_CAMERAS:
        raise ImportRejected([_("一次最多导入 %(n)d 路摄像头") % {"n": MAX_CAMERAS}])
    rows = [r for where, values in raw if (r := _row(where, values, problems)) is not None]
    seen: dict[str, str] = {}
    for r in rows:
        for key, label in ((r.code, _("编号")), (r.gb_code, _("国标编码"))):
            if not key:
                continue
            first = seen.setdefault(f"{label}:{key}", r.where)
            if first != r.where:
                problems.append(
                    _("%(where)s：%(label)s“%(key)s”与%(first)s重复")
                    % {"where": r.where, "label": label, "key": key, "first": first}
                )
    _gb_codes_taken(rows, problems)
    if problems:
        raise ImportRejected(problems)
    return rows


def _gb_codes_taken(rows: list[CameraRow], problems: list[str]) -> None:
    """A 国标编码 already held by another camera (another 编号) would break its uniqueness."""
    codes = {r.gb_code: r for r in rows if r.gb_code}
    held = Camera.objects.filter(gb_code__in=list(codes)).values_list("gb_code", "code")
    for gb_code, code in held:
        row = codes[gb_code or ""]
        if code != row.code:
            problems.append(
                _("%(where)s：国标编码“%(gb)s”已属于摄像头 %(code)s")
                % {"where": row.where, "gb": gb_code, "code": code}
            )


@transaction.atomic
def cameras_import(text: str) -> CameraImport:
    """Create or update the file's cameras (by 编号) and their register rows; all or nothing."""
    rows = parse(text)
    report = CameraImport()
    existing = {c.code: c for c in Camera.objects.select_related("facility")}
    # Register rows of kind 监控探头 with no camera yet, by (name, micro-grid).
    loose = {
        (f.name, f.micro_grid_id): f
        for f in Facility.objects.filter(kind=FacilityKind.CAMERA, camera__isnull=True)
    }
    for r in rows:
        camera = existing.get(r.code)
        facility = camera.facility if camera else loose.pop((r.name, r.micro_grid_id), None)
        if facility is None:
            facility = Facility(kind=FacilityKind.CAMERA)
            report.created += 1
        elif camera is None:
            report.adopted += 1
        else:
            report.updated += 1
        facility.name = r.name
        facility.micro_grid_id = r.micro_grid_id
        facility.grid_path = r.grid_path
        facility.save()
        camera = camera or Camera(facility=facility, code=r.code)
        camera.gb_code = r.gb_code or None
        camera.camera_type = r.camera_type
        camera.unit_type = r.unit_type
        camera.stream_url = r.stream_url
        camera.lon, camera.lat = r.lon, r.lat
        camera.save()
    return report
