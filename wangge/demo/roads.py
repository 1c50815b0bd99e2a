"""Sample road lines for the demo district, on the real road names its buildings' addresses use.

Each community gets a line for every road its compounds are on, across the community and through
the middle of that road's buildings there (east–west and north–south in turn), so the map's roads
and its addresses agree. They are generated, not surveyed: marked as sample data, and an
operator's own network (`import_roads`) replaces them.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import shapely
from shapely.geometry import LineString, mapping

from wangge.grids.models import Road, RoadKind

# A road named by this many communities' compounds is drawn as a main road.
ARTERIAL_COMMUNITIES = 20


def _road_of(address: str, names: Sequence[str]) -> str | None:
    rest = address.split("区", 1)[-1]
    return next((n for n in names if rest.startswith(n)), None)


def build_roads(
    rows: Iterable[Mapping[str, Any]], micro_shapes: Mapping[str, Any], road_names: Sequence[str]
) -> list[Road]:
    names = sorted(road_names, key=len, reverse=True)  # 建设西路 before 建设路
    points: defaultdict[str, defaultdict[str, list[tuple[float, float]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for r in rows:
        name = _road_of(r["address"], names)
        if name is not None:
            points[r["micro_code"][:12]][name].append((r["lon"], r["lat"]))
    users: defaultdict[str, int] = defaultdict(int)
    for roads in points.values():
        for name in roads:
            users[name] += 1
    micros_of: defaultdict[str, list[Any]] = defaultdict(list)
    for code, geom in micro_shapes.items():
        micros_of[code[:12]].append(geom)

    out: list[Road] = []
    for community in sorted(points):
        area = shapely.union_all(micros_of[community])
        west, south, east, north = area.bounds
        for i, name in enumerate(sorted(points[community])):
            spots = points[community][name]
            if i % 2 == 0:
                lat = sum(p[1] for p in spots) / len(spots)
                line = LineString([(west - 0.001, lat), (east + 0.001, lat)])
            else:
                lon = sum(p[0] for p in spots) / len(spots)
                line = LineString([(lon, south - 0.001), (lon, north + 0.001)])
            cut = shapely.set_precision(line.intersection(area), 1e-7)
            parts = [g for g in getattr(cut, "geoms", [cut]) if g.geom_type == "LineString"]
            if not parts:
                continue
            geometry = mapping(parts[0] if len(parts) == 1 else shapely.MultiLineString(parts))
            w, s, e, n = shapely.bounds(shapely.MultiLineString(parts))
            out.append(
                Road(
                    name=name,
                    kind=RoadKind.ARTERIAL
                    if users[name] >= ARTERIAL_COMMUNITIES
                    else RoadKind.SECONDARY,
                    geometry=_plain(geometry),
                    west=float(w),
                    south=float(s),
                    east=float(e),
                    north=float(n),
                    is_sample=True,
                )
            )
    return out


def _plain(geometry: Any) -> dict[str, Any]:
    """shapely's mapping() as JSON-ready lists (it gives tuples)."""

    def walk(v: Any) -> Any:
        return [walk(x) for x in v] if isinstance(v, (list, tuple)) else v

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}
