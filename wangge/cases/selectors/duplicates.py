"""Possible duplicates: open cases nearby that tell the same problem, compared by jieba words.
The case page, the hotline desk, the dispatcher's desk and its batch merge ask it, one case at a
time or a page at once."""

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from django.db.models import Q
from rapidfuzz import fuzz

from wangge.accounts.models import User
from wangge.cases.models import OPEN_STATUSES, Case
from wangge.cases.selectors.access import cases_visible
from wangge.core import segmentation
from wangge.grids.coords import METRES_PER_DEGREE, box_around, distance_m

# Within this distance an open case is "nearby" even when it lies in the next micro-grid.
NEARBY_METRES = 300.0
# A problem told again is told within a week: older open cases are not offered as duplicates.
DUPLICATE_WINDOW = timedelta(days=7)
# rapidfuzz token-set ratio (0–100) over jieba words. Tried on call texts: the same problem
# told twice scores 70–85, unrelated problems at the same place 10–40.
SIMILARITY_THRESHOLD = 60
_CANDIDATES = 200


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> str:
    """A text's jieba words, space-joined. Cached: the desk compares each new case with up to
    200 open ones nearby, page after page, and segmenting the same texts again each time made
    a page of 50 similar hotline orders take half a minute."""
    # jieba's plain segmentation (jieba.lcut), on the dictionary the category model loaded
    # already: loaded on first use, not at import, in a process that has no category model.
    return " ".join(w for w in segmentation.plain().lcut(text or "") if re.search(r"\w", w))


def text_similarity(a: str, b: str) -> float:
    """0–100; Chinese has no spaces, so compare jieba words, not raw characters."""
    wa, wb = _words(a), _words(b)
    return float(fuzz.token_set_ratio(wa, wb)) if wa and wb else 0.0


@dataclass(frozen=True)
class PossibleTwin:
    """What the desk compares and prints of an open case that may be a page case's twin, read
    as columns: a street's pool of a few hundred made into cases was a fifth of its desk page."""

    pk: int
    number: str
    title: str
    description: str
    micro_grid_id: int | None
    lon: float | None
    lat: float | None
    created_at: datetime


Told = TypeVar("Told", Case, PossibleTwin)


@dataclass(frozen=True)
class SimilarCase(Generic[Told]):
    case: Told
    score: float
    distance_m: float | None
    same_micro_grid: bool


def similar_open_cases_near(
    user: User,
    *,
    text: str,
    micro_grid_id: int | None,
    lon: float | None,
    lat: float | None,
    exclude_id: int | None = None,
    since: datetime | None = None,
    limit: int = 5,
) -> list[SimilarCase[Case]]:
    """Open cases the user may see in the same micro-grid or within 300 m that tell the same
    problem, most similar first: the dispatch desk's and the hotline desk's duplicate check."""
    near = Q(pk__in=[])
    if micro_grid_id is not None:
        near |= Q(micro_grid_id=micro_grid_id)
    if lon is not None and lat is not None:
        west, south, east, north = box_around(lon, lat, NEARBY_METRES)
        near |= Q(lon__range=(west, east), lat__range=(south, north))
    candidates = cases_visible(user).filter(near, status__in=OPEN_STATUSES).exclude(status="merged")
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    if since is not None:
        candidates = candidates.filter(created_at__gte=since)
    pool = candidates.select_related("handling_node", "category").order_by("-created_at", "-id")
    return _similar_in(
        pool[:_CANDIDATES], text=text, micro_grid_id=micro_grid_id, lon=lon, lat=lat, limit=limit
    )


def _similar_in(
    pool: Iterable[Told],
    *,
    text: str,
    micro_grid_id: int | None,
    lon: float | None,
    lat: float | None,
    limit: int,
) -> list[SimilarCase[Told]]:
    """The cases of `pool` in the same micro-grid or within 300 m that tell the same problem."""
    found: list[SimilarCase[Told]] = []
    for case in pool:
        same_micro = micro_grid_id is not None and case.micro_grid_id == micro_grid_id
        metres = None
        if lon is not None and lat is not None and case.lon is not None and case.lat is not None:
            metres = distance_m(lon, lat, case.lon, case.lat)
        if not same_micro and (metres is None or metres > NEARBY_METRES):
            continue
        score = text_similarity(text, f"{case.title} {case.description}")
        if score >= SIMILARITY_THRESHOLD:
            found.append(SimilarCase(case, score, metres, same_micro))
    found.sort(key=lambda s: (-s.score, s.distance_m if s.distance_m is not None else 0.0))
    return found[:limit]


def likely_duplicates(user: User, case: Case, limit: int = 5) -> list[tuple[Case, int]]:
    """Open cases of the last week that may be the same problem: (case, similarity 0–100)."""

    rows = similar_open_cases_near(
        user,
        text=case.description,
        micro_grid_id=case.micro_grid_id,
        lon=case.lon,
        lat=case.lat,
        exclude_id=case.pk,
        since=case.created_at - DUPLICATE_WINDOW,
        limit=limit,
    )
    return [(r.case, int(r.score)) for r in rows]


# A page's shared pool of candidates: enough for a street's week of open cases nearby.
_PAGE_CANDIDATES = 1000


Box = tuple[float, float, float, float]


def _nearby_boxes(cases: Sequence[Case]) -> list[Box]:
    """Boxes (west, south, east, north) that hold every point within `NEARBY_METRES` of the
    located cases, one a case, merged where they overlap: a street's page is one or two, a
    city's page as many as the places it spans. One box around all of them was the whole city
    for a city's page, and its pool every open case of the period."""
    boxes: list[Box] = []
    for c in cases:
        if c.lon is None or c.lat is None:
            continue
        box = box_around(c.lon, c.lat, NEARBY_METRES)
        # The boxes it overlaps are taken out and it grows to hold them; a grown box may reach
        # one it did not, so it is compared again until it overlaps none.
        while overlapped := [b for b in boxes if _overlap(b, box)]:
            boxes = [b for b in boxes if not _overlap(b, box)]
            box = (
                min(b[0] for b in (box, *overlapped)),
                min(b[1] for b in (box, *overlapped)),
                max(b[2] for b in (box, *overlapped)),
                max(b[3] for b in (box, *overlapped)),
            )
        boxes.append(box)
    return boxes


def _overlap(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def likely_duplicates_for(
    user: User, cases: Sequence[Case], limit: int = 1
) -> dict[int, list[tuple[PossibleTwin, int]]]:
    """`likely_duplicates` for a page of cases at once (the desk): one query for the open cases
    near any of them, then each case compared with that pool — not a query and 200 rows for
    every case of the page."""
    if not cases:
        return {}
    near = Q(pk__in=[])
    micro = {c.micro_grid_id for c in cases if c.micro_grid_id is not None}
    if micro:
        near |= Q(micro_grid_id__in=micro)
    for west, south, east, north in _nearby_boxes(cases):
        near |= Q(lon__range=(west, east), lat__range=(south, north))
    week = DUPLICATE_WINDOW
    pool = [
        PossibleTwin(*row)
        for row in cases_visible(user)
        .filter(
            near, status__in=OPEN_STATUSES, created_at__gte=min(c.created_at for c in cases) - week
        )
        .exclude(status="merged")
        .order_by("-created_at", "-id")
        .values_list(*(f.name for f in dataclasses.fields(PossibleTwin)))[:_PAGE_CANDIDATES]
    ]
    # Each case is compared only with the pool's cases of its micro-grid and of its band of
    # latitude (`_similar_in` checks the distance): a page of 50 against a pool of 1,000 was
    # 50,000 distances, most of them across the street.
    band = NEARBY_METRES / METRES_PER_DEGREE
    order = {o.pk: i for i, o in enumerate(pool)}
    by_micro: dict[int, list[PossibleTwin]] = {}
    for o in pool:
        if o.micro_grid_id is not None:
            by_micro.setdefault(o.micro_grid_id, []).append(o)
    by_lat = sorted((o for o in pool if o.lat is not None), key=lambda o: o.lat or 0.0)
    lats = [o.lat or 0.0 for o in by_lat]
    result: dict[int, list[tuple[PossibleTwin, int]]] = {}
    for case in cases:
        since = case.created_at - week
        near_by = {o.pk: o for o in by_micro.get(case.micro_grid_id or 0, ())}
        if case.lat is not None and case.lon is not None:
            lo = bisect.bisect_left(lats, case.lat - band)
            hi = bisect.bisect_right(lats, case.lat + band)
            near_by.update((o.pk, o) for o in by_lat[lo:hi])
        mine = sorted(
            (o for o in near_by.values() if o.pk != case.pk and o.created_at >= since),
            key=lambda o: order[o.pk],
        )
        rows = _similar_in(
            mine,
            text=case.description,
            micro_grid_id=case.micro_grid_id,
            lon=case.lon,
            lat=case.lat,
            limit=limit,
        )
        result[case.pk] = [(r.case, int(r.score)) for r in rows]
    return result
