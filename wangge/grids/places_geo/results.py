"""What the place reader finds: a landmark to start from, and a place, a choice or a refusal."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import Point


@dataclass(frozen=True, slots=True)
class Landmark:
    points: Point  # in the local plane
    radius: float  # how uncertain its position is (a compound's spread, a gate)
    words: str
    building_id: int | None = None  # the one building the words named, if they did
    # Every building of a landmark known by several (a 小区, a 屯): near it is near any.
    spots: tuple[tuple[float, float], ...] = ()
    # A crossing's point is exact (where the centrelines meet): its radius is the crossing's
    # own width, which a distance counted from its edge only adds to, never takes from.
    exact: bool = False


@dataclass(slots=True)
class PlaceResult:
    """A place found, a choice among micro-grids, or a refusal with its reason."""

    kind: str  # "place", "candidates", "refused"
    how: str  # "crossing", "corner", "offset", "near", "way"
    phrase: str  # the words it was read from
    lon: float | None = None
    lat: float | None = None
    micro_grid_id: int | None = None
    candidates: list[int] = field(default_factory=list)  # micro-grid ids, most covered first
    reason: str = ""
    building_ids: list[int] = field(default_factory=list)  # the landmark's buildings
    landmark_found: bool = True  # False: the words before 旁边 / 向北 name nothing known
