"""The one reading of a position a client sends: a longitude and a latitude in degrees, each
finite and in its range, and the coordinate system they are in (WGS-84 when none is said).

API schemas type their fields with `Longitude`, `Latitude` and `CrsName`; pages read a position
through `grids.forms.PointForm`, whose fields take these ranges; text parameters (Open311's
`lat` / `long`, an import's columns) go through `read_degrees`. Conversion to WGS-84 is
`grids.coords.to_wgs84`'s.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field

from wangge.grids.coords import CRS

LON_RANGE = (-180.0, 180.0)
LAT_RANGE = (-90.0, 90.0)
RANGES = {"lon": LON_RANGE, "lat": LAT_RANGE}

Longitude = Annotated[float, Field(ge=LON_RANGE[0], le=LON_RANGE[1], allow_inf_nan=False)]
Latitude = Annotated[float, Field(ge=LAT_RANGE[0], le=LAT_RANGE[1], allow_inf_nan=False)]
CrsName = Literal["wgs84", "gcj02", "bd09"]
CRS_NAMES: tuple[str, ...] = tuple(c.value for c in CRS)


class PositionError(ValueError):
    """A part of a position that is not a number (``unreadable``) or lies outside its range,
    infinite or nan (``out_of_range``); the caller words the refusal for its own input."""

    def __init__(self, why: Literal["unreadable", "out_of_range"], low: float, high: float):
        super().__init__(why)
        self.why, self.low, self.high = why, low, high


def read_degrees(raw: str | float | None, axis: Literal["lon", "lat"]) -> float | None:
    """A longitude or a latitude as sent: None when nothing was; `PositionError` when it is not
    a finite number in its range."""
    low, high = RANGES[axis]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(raw.strip() if isinstance(raw, str) else raw)
    except ValueError:
        raise PositionError("unreadable", low, high) from None
    if not (math.isfinite(value) and low <= value <= high):
        raise PositionError("out_of_range", low, high)  # nan and inf are in no range
    return value


def read_crs(raw: str | None) -> str:
    """The system a position was sent in: WGS-84 when none, or one this does not know, was."""
    name = (raw or "").strip().lower()
    return name if name in CRS_NAMES else CRS.WGS84.value
