"""The locator: a point → its micro-grid and exclusive grid, answered by PostGIS over the
shapes the schema's triggers keep (`grids_locate`), with the rules of `spatial.GridIndex`.
Apart from the address side: it reads nothing of the buildings."""

import math
from collections.abc import Sequence
from typing import Any

from django.db import connection

from wangge.grids.dbengine.statements import statement
from wangge.grids.spatial import Hit

# Points asked in one statement by `locate_many` (a patrol's track, a building import).
_BATCH = 5_000

# A point's grids (locate_function.sql).
_LOCATE_SQL = "SELECT level, node_id FROM grids_locate(%s, %s)"
_LOCATE_MANY_SQL = statement("locate_many")

_MISS = Hit(None, None)


class ShapeLocator:
    """`GridIndex`'s lookups answered by PostGIS; holds nothing but this class."""

    def locate(self, lon: float, lat: float) -> Hit:
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise ValueError(f"坐标必须是有限数值：({lon}, {lat})")
        with connection.cursor() as cursor:
            cursor.execute(_LOCATE_SQL, [float(lon), float(lat)])
            rows = cursor.fetchall()
        if not rows:
            return _MISS
        found = dict(rows)
        return Hit(found.get("micro"), found.get("exclusive"))

    def locate_many(self, lons: Sequence[float] | Any, lats: Sequence[float] | Any) -> list[Hit]:
        xs = [float(x) for x in lons]
        ys = [float(y) for y in lats]
        if len(xs) != len(ys):
            raise ValueError("lons 和 lats 必须是等长的一维序列")
        if not all(math.isfinite(v) for v in (*xs, *ys)):
            raise ValueError("坐标必须是有限数值")
        hits: list[Hit] = []
        with connection.cursor() as cursor:
            for lo in range(0, len(xs), _BATCH):
                batch_xs, batch_ys = xs[lo : lo + _BATCH], ys[lo : lo + _BATCH]
                cursor.execute(_LOCATE_MANY_SQL, [batch_xs, batch_ys])
                found: dict[int, dict[str, int]] = {}
                for n, level, node_id in cursor.fetchall():
                    found.setdefault(n, {})[level] = node_id
                for n in range(1, len(batch_xs) + 1):
                    layers = found.get(n, {})
                    hits.append(Hit(layers.get("micro"), layers.get("exclusive")))
        return hits

    def __len__(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM grids_shape")
            row = cursor.fetchone()
        return int(row[0]) if row else 0


SHAPE_LOCATOR = ShapeLocator()
