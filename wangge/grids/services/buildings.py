"""Importing buildings: a CSV of addresses and points (or a 标准地址库 export, the address in
its parts), each building placed in its micro-grid, matched to the one it was before by code or
by address, all or nothing unless bad rows are skipped."""

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from wangge.grids import indexes
from wangge.grids.addresses import parts_used
from wangge.grids.coords import CRS, METRES_PER_DEGREE, to_wgs84
from wangge.grids.models import Building, GridLevel, GridNode, code_validator
from wangge.grids.services.files import ImportRejected, ImportReport, in_chunks

# How far a building's point may lie outside the micro-grid it is assigned to: a survey point on
# the wrong side of a shared wall is common, a building in another courtyard is a data error.
BUILDING_TOLERANCE_M = 30.0

BUILDING_COLUMNS = ("address", "lon", "lat")

# The columns of a 标准地址库 / 四标四实 export (the address in its parts), by the names such
# exports give them. A file with these and no `address` column is read by composing each row's
# address from its parts; beside an `address` column, the composed form becomes an alias.
# Parts under the building (单元, 层, 户/室) are not a building's and are not read.
ADDRESS_PART_COLUMNS: dict[str, tuple[str, ...]] = {
    "province": ("省", "省份", "province"),
    "city": ("市", "地市", "city"),
    "county": ("区县", "县区", "区", "县", "county", "district"),
    "town": ("街道", "乡镇", "街道乡镇", "乡镇街道", "town", "subdistrict"),
    "community": ("社区", "居委会", "社区居委会", "行政村", "村", "社区村", "community", "village"),
    "group": ("村民小组", "组", "group"),
    "hamlet": ("自然村", "hamlet"),
    "road": ("街路巷", "街巷", "道路", "路名", "街路巷名称", "road", "street"),
    "door": ("门牌", "门牌号", "门楼牌号", "门牌号码", "door", "house_number"),
    "estate": ("小区", "小区名称", "院落", "estate"),
    "building": ("楼栋", "楼栋号", "楼号", "幢", "栋", "building"),
}
# What a bare number in a part means (`12` in 门牌 is 12号, `66甲` 66甲号), as exports often
# leave it off.
_PART_SUFFIX = {"group": "组", "door": "号", "building": "号楼"}


def _part_columns(header: list[str]) -> dict[str, str]:
    """The file's column for each address part it has, by the names above."""
    found: dict[str, str] = {}
    plain = {
        h.replace("（", "").replace("）", "").replace("(", "").replace(")", ""): h for h in header
    }
    for part, names in ADDRESS_PART_COLUMNS.items():
        for name in names:
            if name in plain:
                found[part] = plain[name]
                break
    return found


def _composed_address(row: dict[str, str], columns: dict[str, str]) -> str:
    """One row's address written from its parts, in the order addresses are written: the
    区划 first, then a road and its door number, or (in a village) the 村, 组, 自然村 and door."""
    part = {}
    for name, column in columns.items():
        value = (row.get(column) or "").strip()
        if name in _PART_SUFFIX and value and (value[-1].isdigit() or value[-1] in "甲乙丙丁"):
            value += _PART_SUFFIX[name]
        part[name] = value
    order = ["province", "city", "county", "town"]
    if part.get("road"):
        order += ["road", "door", "estate", "building"]
    else:
        order += ["community", "group", "hamlet", "estate", "door", "building"]
    text = ""
    for name in order:
        value = part.get(name, "")
        if value and not text.endswith(value):  # an export that repeats 市 in 区县 etc.
            text += value
    return text


@dataclass
class _BuildingRow:
    line: int
    code: str | None
    address: str
    aliases: list[str]
    lon: float
    lat: float
    micro_grid: GridNode | None


def _metres_outside(boundary: BaseGeometry, lon: float, lat: float) -> float:
    # Distance in degrees scaled at this latitude: accurate enough for a 30 m tolerance.
    dist_deg = boundary.distance(shapely.Point(lon, lat))
    return float(dist_deg) * METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.1)


def _read_building_rows(text: str) -> tuple[list[_BuildingRow], list[str], int]:
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    parts = _part_columns(header)
    # The parts stand for an address column only where they name a place to stand: a road or a
    # village, with a door number or a building.
    by_parts = bool({"road", "community", "hamlet"} & set(parts)) and bool(
        {"door", "building"} & set(parts)
    )
    missing = [c for c in BUILDING_COLUMNS if c not in header and not (c == "address" and by_parts)]
    if missing:
        raise ImportRejected([_("缺少列：%(cols)s") % {"cols": "、".join(missing)}])
    reader.fieldnames = header
    micro_codes: set[str] = set()
    raw_rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        clean = {k: (v or "").strip() for k, v in row.items() if k}
        raw_rows.append((reader.line_num, clean))
        if clean.get("micro_grid_code"):
            micro_codes.add(clean["micro_grid_code"])
    micros = {n.code: n for n in in_chunks(GridNode.objects.all(), "code", micro_codes)}
    # A micro-grid's shape, made once: a file has ten or more rows of each, and making the
    # polygon from its GeoJSON cost more than measuring the distance.
    shapes: dict[int, BaseGeometry] = {}

    def boundary_of(micro: GridNode) -> BaseGeometry:
        if micro.pk not in shapes:
            shapes[micro.pk] = shape(micro.boundary or {})
        return shapes[micro.pk]

    # Rows that give no micro-grid of their own are located together after the loop, in one
    # call: the in-memory index is built only if some row needs it (at a city's 100,000
    # micro-grids it takes tens of seconds and hundreds of megabytes, which a file whose every
    # row names its micro-grid never needs), and the database engine answers them in batches,
    # not a query per row.
    to_locate: list[tuple[int, float, float]] = []  # (line, lon, lat)

    rows: list[_BuildingRow] = []
    # (line, text): a row's problems are found in two passes (reading, then locating), and the
    # list is said in file order.
    found_problems: list[tuple[int, str]] = []
    seen_codes: dict[str, int] = {}
    for line, r in raw_rows:
        errs: list[str] = []
        address = r.get("address", "")
        composed = _composed_address(r, parts) if by_parts else ""
        if not address:
            address = composed
        if not address:
            errs.append(_("地址为空"))
        elif len(address) > 200:
            errs.append(_("地址超过 200 字"))
        crs = (r.get("crs") or CRS.WGS84).lower()
        lon = lat = math.nan
        try:
            lon, lat = float(r.get("lon", "")), float(r.get("lat", ""))
            if not (math.isfinite(lon) and math.isfinite(lat)) or not (
                -180 <= lon <= 180 and -90 <= lat <= 90
            ):
                raise ValueError
        except ValueError:
            errs.append(_("经纬度不是有效数字"))
        if crs not in CRS._value2member_map_:
            errs.append(_("未知坐标系“%(crs)s”") % {"crs": crs})
        elif not errs:
            lon, lat = to_wgs84(lon, lat, crs)
        code = r.get("code") or None
        if code:
            try:
                code_validator(code)
            except Exception:
                errs.append(_("编码含有非法字符"))
            if code in seen_codes:
                errs.append(_("编码与第 %(j)d 行重复") % {"j": seen_codes[code]})
            seen_codes.setdefault(code, line)
        micro: GridNode | None = None
        micro_code = r.get("micro_grid_code")
        if micro_code:
            micro = micros.get(micro_code)
            if micro is None or micro.level != GridLevel.MICRO:
                errs.append(_("微网格“%(code)s”不存在") % {"code": micro_code})
            elif not errs and _metres_outside(boundary_of(micro), lon, lat) > BUILDING_TOLERANCE_M:
                errs.append(_("坐标不在微网格“%(code)s”内") % {"code": micro_code})
        elif not errs:
            to_locate.append((line, lon, lat))
        if errs:
            found_problems.extend((line, e) for e in errs)
            continue
        aliases = [a.strip() for a in r.get("aliases", "").split("|") if a.strip()]
        if composed and composed != address and composed not in aliases:
            aliases.append(composed)  # the registry's own form, beside the address people use
        rows.append(
            _BuildingRow(
                line=line,
                code=code,
                address=address,
                aliases=aliases,
                lon=round(lon, 7),
                lat=round(lat, 7),
                micro_grid=micro,
            )
        )
    if to_locate:
        hits = indexes.grid_index().locate_many(
            [lon for _line, lon, _lat in to_locate], [lat for _line, _lon, lat in to_locate]
        )
        found = {
            line: hit.micro_id for (line, _lon, _lat), hit in zip(to_locate, hits, strict=True)
        }
        micro_by_id = {
            n.pk: n for n in GridNode.objects.filter(pk__in={m for m in found.values() if m})
        }
        outside = {line for line, micro_id in found.items() if micro_id is None}
        for placed in rows:
            micro_id = found.get(placed.line)
            if placed.micro_grid is None and micro_id is not None:
                placed.micro_grid = micro_by_id[micro_id]
        rows = [r for r in rows if r.line not in outside]
        no_micro = _("坐标不在任何微网格内，请填写 micro_grid_code")
        found_problems.extend((line, no_micro) for line in outside)
    problems = [
        _("第 %(line)d 行：%(err)s") % {"line": line, "err": e}
        for line, e in sorted(found_problems, key=lambda p: p[0])
    ]
    return rows, problems, len(raw_rows)


@transaction.atomic
def buildings_import(text: str, *, skip_bad: bool = False) -> ImportReport:
    """Create or update buildings from CSV text; all or nothing unless `skip_bad`."""
    rows, problems, total = _read_building_rows(text)
    if total == 0:
        raise ImportRejected([_("文件中没有数据行")])
    if problems and not skip_bad:
        raise ImportRejected(problems)
    report = ImportReport(skipped=problems)
    now = timezone.now()
    by_code = {
        b.code: b
        for b in in_chunks(Building.objects.all(), "code", [r.code for r in rows if r.code])
    }
    # Rows without a code are matched to an existing building by address within the micro-grid,
    # so re-importing the same file does not duplicate them.
    by_address = {
        (b.micro_grid_id, b.address): b
        for b in in_chunks(
            Building.objects.all(), "address", [r.address for r in rows if not r.code]
        )
    }
    next_seq: dict[int, int] = {}
    to_create: list[Building] = []
    to_update: list[Building] = []
    for r in rows:
        assert r.micro_grid is not None
        building = by_code.get(r.code) if r.code else by_address.get((r.micro_grid.pk, r.address))
        if building is None:
            code = r.code or _next_building_code(r.micro_grid, next_seq)
            to_create.append(
                Building(
                    code=code,
                    address=r.address,
                    aliases=r.aliases,
                    lon=r.lon,
                    lat=r.lat,
                    micro_grid=r.micro_grid,
                )
            )
        else:
            building.address, building.aliases = r.address, r.aliases
            building.lon, building.lat, building.micro_grid = r.lon, r.lat, r.micro_grid
            building.updated_at = now
            to_update.append(building)
    Building.objects.bulk_create(to_create, batch_size=1000)
    Building.objects.bulk_update(
        to_update, ["address", "aliases", "lon", "lat", "micro_grid", "updated_at"], batch_size=1000
    )
    report.created, report.updated = len(to_create), len(to_update)
    report.parts = dict(parts_used(r.address for r in rows))
    indexes.invalidate()
    return report


def _next_building_code(micro: GridNode, next_seq: dict[int, int]) -> str:
    """Micro-grid code + 3-digit sequence, continuing after the highest one in use."""
    if micro.pk not in next_seq:
        taken = Building.objects.filter(code__startswith=micro.code).values_list("code", flat=True)
        numbers = [int(c[len(micro.code) :]) for c in taken if c[len(micro.code) :].isdigit()]
        next_seq[micro.pk] = max(numbers, default=0)
    next_seq[micro.pk] += 1
    return f"{micro.code}{next_seq[micro.pk]:03d}"


def buildings_bulk_create(buildings: Iterable[Building]) -> int:
    """For the demo generator: rows it made itself and placed by construction."""
    created = Building.objects.bulk_create(list(buildings), batch_size=2000)
    indexes.invalidate()
    return len(created)
