"""GridIndex point lookup and grid-boundary checks (pure Python, no Django).

Layout, in units of 0.01° east / north of (113.60, 34.75):

    y
    4            ┌──┐            E (part 2)
    3            └──┘
    2 ┌──┬──┐  ┌─────┐
      │C │D │  │ E   │          E (part 1) has a hole [3.5,4.5]×[0.5,1.5]
    1 ├──┼──┤  │ ▢   │
      │A │B │  │     │          exclusive X = [0.5,1.5]×[0.25,0.75] (over A and B)
    0 └──┴──┘  └─────┘          exclusive Y = [1.25,1.75]×[0.5,0.9] (over B, overlaps X)
      0  1  2  3  4  5  x

Codes are deliberately out of positional and id order, so the tests prove the tie-break
uses the smallest *code*: B < D < A < C < E, and Y < X.
"""

import math
import random
from typing import Any

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.grids.spatial import (
    EXCLUSIVE,
    MICRO,
    GridIndex,
    GridShape,
    Hit,
    geometry_problems,
    geometry_within,
)

pytestmark = pytest.mark.no_database

LON0, LAT0, UNIT = 113.60, 34.75, 0.01


def lon(x: float) -> float:
    return LON0 + x * UNIT


def lat(y: float) -> float:
    return LAT0 + y * UNIT


def ring(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    # The same (x, y) always maps to the same float, so neighbours share borders exactly.
    return [
        [lon(x0), lat(y0)],
        [lon(x1), lat(y0)],
        [lon(x1), lat(y1)],
        [lon(x0), lat(y1)],
        [lon(x0), lat(y0)],
    ]


def square(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring(x0, y0, x1, y1)]}


A, B, C, D, E, X, Y = 1, 2, 3, 4, 5, 100, 101
SHAPES = [
    GridShape(A, "410102001002003", MICRO, square(0, 0, 1, 1)),
    GridShape(B, "410102001002001", MICRO, square(1, 0, 2, 1)),
    GridShape(C, "410102001002004", MICRO, square(0, 1, 1, 2)),
    GridShape(D, "410102001002002", MICRO, square(1, 1, 2, 2)),
    GridShape(
        E,
        "410102001002005",
        MICRO,
        {
            "type": "MultiPolygon",
            "coordinates": [
                [ring(3, 0, 5, 2), ring(3.5, 0.5, 4.5, 1.5)[::-1]],
                [ring(3, 3, 4, 4)],
            ],
        },
    ),
    GridShape(X, "410102001002902", EXCLUSIVE, square(0.5, 0.25, 1.5, 0.75)),
    GridShape(Y, "410102001002901", EXCLUSIVE, square(1.25, 0.5, 1.75, 0.9)),
]

# (name, (x, y) in layout units, expected answer)
CASES: list[tuple[str, tuple[float, float], Hit]] = [
    # Inside each micro-grid.
    ("inside-A", (0.25, 0.1), Hit(A, None)),
    ("inside-B", (1.9, 0.1), Hit(B, None)),
    ("inside-C", (0.5, 1.5), Hit(C, None)),
    ("inside-D", (1.5, 1.5), Hit(D, None)),
    ("inside-E-part1", (3.25, 0.25), Hit(E, None)),
    ("inside-E-part2", (3.5, 3.5), Hit(E, None)),
    # Shared borders: the smaller code wins, whatever the ids.
    ("border-A|B", (1, 0.1), Hit(B, None)),
    ("border-A|C", (0.5, 1), Hit(A, None)),
    ("border-C|D", (1, 1.5), Hit(D, None)),
    ("border-B|D", (1.5, 1), Hit(B, None)),
    ("corner-ABCD", (1, 1), Hit(B, None)),
    ("outer-corner-A|B", (1, 0), Hit(B, None)),
    ("outer-corner-C|D", (1, 2), Hit(D, None)),
    # Outer boundary of a single grid still counts as inside it.
    ("outer-edge-A", (0, 0.5), Hit(A, None)),
    ("east-edge-of-bbox", (5, 1), Hit(E, None)),
    ("north-edge-of-bbox", (4, 4), Hit(E, None)),
    ("south-west-corner-of-bbox", (0, 0), Hit(A, None)),
    # Outside every micro-grid.
    ("gap-inside-bbox", (2.5, 1), Hit(None, None)),
    ("beside-E-part2", (4.5, 3.5), Hit(None, None)),
    ("far-away", (-30, 50), Hit(None, None)),
    ("just-east-of-bbox", (5.0001, 1), Hit(None, None)),
    ("north-east-corner-of-bbox", (5, 4), Hit(None, None)),
    # The hole of E is not E; its rim is.
    ("in-hole", (4, 1), Hit(None, None)),
    ("hole-rim", (3.5, 1), Hit(E, None)),
    # Exclusive grids are independent of the micro-grid.
    ("A-and-X", (0.75, 0.5), Hit(A, X)),
    ("B-and-X", (1.1, 0.3), Hit(B, X)),
    ("border-A|B-in-X", (1, 0.5), Hit(B, X)),
    ("X-and-Y-overlap", (1.4, 0.6), Hit(B, Y)),
    ("X-border-in-Y", (1.5, 0.5), Hit(B, Y)),
    ("only-Y", (1.6, 0.85), Hit(B, Y)),
    ("X-corner", (0.5, 0.25), Hit(A, X)),
    ("just-outside-X", (0.49, 0.25), Hit(A, None)),
]
CASE_PARAMS = [pytest.param(xy, hit, id=name) for name, xy, hit in CASES]


@pytest.fixture(scope="module")
def index() -> GridIndex:
    return GridIndex(SHAPES)


def brute_force(shapes: list[GridShape], x: float, y: float) -> Hit:
    """The rule, spelled out: smallest (code, id) among grids whose closure holds the point."""
    found: dict[str, int | None] = {}
    for level in (MICRO, EXCLUSIVE):
        hits = sorted(
            (s.code, s.id)
            for s in shapes
            if s.level == level and shapely.intersects_xy(shapely.geometry.shape(s.geometry), x, y)
        )
        found[level] = hits[0][1] if hits else None
    return Hit(found[MICRO], found[EXCLUSIVE])


@pytest.mark.parametrize(("xy", "expected"), CASE_PARAMS)
def test_locate_layout(index: GridIndex, xy: tuple[float, float], expected: Hit) -> None:
    assert index.locate(lon(xy[0]), lat(xy[1])) == expected


@pytest.mark.parametrize(("xy", "expected"), CASE_PARAMS)
def test_brute_force_agrees_with_hand_written_expectations(
    xy: tuple[float, float], expected: Hit
) -> None:
    # Guards the test oracle used by the property tests below.
    assert brute_force(SHAPES, lon(xy[0]), lat(xy[1])) == expected


@pytest.mark.parametrize("subdivisions", [1, 2, 7, 40])
def test_cell_resolution_does_not_change_answers(subdivisions: int) -> None:
    # Coarse tables push everything through geometry tests, fine ones decide most points
    # from the table; both must give the same answers.
    idx = GridIndex(SHAPES, cell_subdivisions=subdivisions)
    for name, (x, y), expected in CASES:
        assert idx.locate(lon(x), lat(y)) == expected, name


def test_answers_do_not_depend_on_input_order() -> None:
    shuffled = SHAPES[:]
    random.Random(3).shuffle(shuffled)
    forward, backward = GridIndex(SHAPES), GridIndex(reversed(SHAPES))
    shuffled_index = GridIndex(shuffled)
    for _, (x, y), expected in CASES:
        p = (lon(x), lat(y))
        assert forward.locate(*p) == backward.locate(*p) == shuffled_index.locate(*p) == expected


def test_locate_many_layout(index: GridIndex) -> None:
    xs = [lon(x) for _, (x, _), _ in CASES]
    ys = [lat(y) for _, (_, y), _ in CASES]
    expected = [hit for _, _, hit in CASES]
    assert index.locate_many(xs, ys) == expected
    assert index.locate_many(np.array(xs), np.array(ys)) == expected


_INDEX: list[GridIndex] = []


def _shared_index() -> GridIndex:
    # Hypothesis forbids function-scoped fixtures in @given tests; build once per module.
    if not _INDEX:
        _INDEX.append(GridIndex(SHAPES))
    return _INDEX[0]


# Points anywhere around the layout, half of them snapped to the 0.25 lattice so that
# borders, corners and vertices are hit exactly.
coord = st.one_of(
    st.floats(min_value=-0.5, max_value=5.5),
    st.integers(min_value=-2, max_value=22).map(lambda k: k * 0.25),
)
points = st.tuples(coord, coord)


@given(st.lists(points, min_size=1, max_size=40))
@settings(deadline=None)
def test_locate_and_locate_many_agree(pts: list[tuple[float, float]]) -> None:
    idx = _shared_index()
    xs = [lon(x) for x, _ in pts]
    ys = [lat(y) for _, y in pts]
    single = [idx.locate(x, y) for x, y in zip(xs, ys, strict=True)]
    assert idx.locate_many(xs, ys) == single
    assert single == [brute_force(SHAPES, x, y) for x, y in zip(xs, ys, strict=True)]


def jittered_tessellation(n: int, seed: int) -> list[GridShape]:
    """n×n irregular quadrilaterals sharing jittered vertices, random codes."""
    rng = random.Random(seed)
    vx = [[i + rng.uniform(-0.3, 0.3) for i in range(n + 1)] for _ in range(n + 1)]
    vy = [[j + rng.uniform(-0.3, 0.3) for _ in range(n + 1)] for j in range(n + 1)]

    def v(i: int, j: int) -> list[float]:
        return [lon(vx[j][i] * 0.2), lat(vy[j][i] * 0.2)]

    codes = list(range(n * n))
    rng.shuffle(codes)
    shapes = []
    for j in range(n):
        for i in range(n):
            k = j * n + i
            geometry = {
                "type": "Polygon",
                "coordinates": [[v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)]],
            }
            shapes.append(GridShape(k + 1, f"G{codes[k]:04d}", MICRO, geometry))
    # A few exclusive grids straddling many quads, some overlapping each other.
    for e in range(6):
        x0, y0 = rng.uniform(0, n * 0.2 - 0.6), rng.uniform(0, n * 0.2 - 0.6)
        shapes.append(
            GridShape(1000 + e, f"Z{rng.randrange(100):02d}-{e}", EXCLUSIVE, _tri(x0, y0))
        )
    return shapes


def _tri(x0: float, y0: float) -> dict[str, Any]:
    pts = [[lon(x0), lat(y0)], [lon(x0 + 0.6), lat(y0 + 0.1)], [lon(x0 + 0.2), lat(y0 + 0.55)]]
    return {"type": "Polygon", "coordinates": [[*pts, pts[0]]]}


@pytest.mark.parametrize("subdivisions", [1, 4, 12])
def test_tessellation_matches_brute_force_on_vertices_and_random_points(
    subdivisions: int,
) -> None:
    shapes = jittered_tessellation(12, seed=subdivisions)
    idx = GridIndex(shapes, cell_subdivisions=subdivisions)
    # Every vertex is shared by up to four quads: the tie-break is exercised everywhere.
    probe = {tuple(p) for s in shapes for p in s.geometry["coordinates"][0] if s.level == MICRO}
    rng = random.Random(99)
    probe |= {(lon(rng.uniform(-0.2, 2.6)), lat(rng.uniform(-0.2, 2.6))) for _ in range(400)}
    xs, ys = zip(*sorted(probe), strict=True)
    expected = [brute_force(shapes, x, y) for x, y in zip(xs, ys, strict=True)]
    assert [idx.locate(x, y) for x, y in zip(xs, ys, strict=True)] == expected
    assert idx.locate_many(xs, ys) == expected


@pytest.mark.parametrize(
    ("x", "y"),
    [(math.nan, 34.75), (113.6, math.nan), (math.inf, 34.75), (113.6, -math.inf)],
)
def test_non_finite_points_are_rejected(index: GridIndex, x: float, y: float) -> None:
    with pytest.raises(ValueError, match="有限"):
        index.locate(x, y)
    with pytest.raises(ValueError, match="有限"):
        index.locate_many([113.6, x], [34.75, y])


def test_locate_many_rejects_mismatched_lengths(index: GridIndex) -> None:
    with pytest.raises(ValueError, match="等长"):
        index.locate_many([113.6, 113.61], [34.75])


def test_locate_many_empty_input(index: GridIndex) -> None:
    assert index.locate_many([], []) == []


def test_empty_index() -> None:
    idx = GridIndex([])
    assert len(idx) == 0
    assert idx.locate(113.6, 34.75) == Hit(None, None)
    assert idx.locate_many([113.6], [34.75]) == [Hit(None, None)]
    with pytest.raises(ValueError, match="有限"):
        idx.locate(math.nan, 34.75)


def test_only_exclusive_grids() -> None:
    idx = GridIndex([s for s in SHAPES if s.level == EXCLUSIVE])
    assert idx.locate(lon(1.4), lat(0.6)) == Hit(None, Y)
    assert idx.locate(lon(0.75), lat(0.5)) == Hit(None, X)
    assert idx.locate(lon(0.25), lat(0.1)) == Hit(None, None)


def test_len_counts_both_levels(index: GridIndex) -> None:
    assert len(index) == len(SHAPES) == 7


def test_equal_codes_fall_back_to_id() -> None:
    shapes = [
        GridShape(9, "same", MICRO, square(0, 0, 1, 1)),
        GridShape(8, "same", MICRO, square(1, 0, 2, 1)),
    ]
    assert GridIndex(shapes).locate(lon(1), lat(0.5)) == Hit(8, None)


def test_unknown_level_is_rejected() -> None:
    with pytest.raises(ValueError, match="未知层级"):
        GridIndex([GridShape(1, "x", "community", square(0, 0, 1, 1))])


def test_non_polygon_geometry_is_rejected() -> None:
    point = {"type": "Point", "coordinates": [113.6, 34.75]}
    with pytest.raises(ValueError, match="Polygon"):
        GridIndex([GridShape(1, "x", MICRO, point)])


def test_invalid_polygon_is_indexed_as_repaired() -> None:
    # A bow-tie that slipped into the database must not break every lookup.
    corners = [[lon(0), lat(0)], [lon(1), lat(1)], [lon(1), lat(0)], [lon(0), lat(1)]]
    bow_tie = {"type": "Polygon", "coordinates": [[*corners, corners[0]]]}
    idx = GridIndex([GridShape(1, "x", MICRO, bow_tie)])
    assert idx.locate(lon(0.9), lat(0.5)) == Hit(1, None)
    assert idx.locate(lon(0.5), lat(0.9)) == Hit(None, None)


# --------------------------------------------------------------- geometry_problems


def test_valid_geometries_have_no_problems() -> None:
    assert geometry_problems(square(0, 0, 1, 1)) == []
    assert geometry_problems(SHAPES[4].geometry) == []  # MultiPolygon with a hole


def test_bow_tie_is_self_intersecting() -> None:
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    problems = geometry_problems(bow_tie)
    assert len(problems) == 1
    assert "自相交" in problems[0]
    assert "(0.5, 0.5)" in problems[0]


def test_unclosed_ring() -> None:
    unclosed = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}
    assert any("未闭合" in p for p in geometry_problems(unclosed))


def test_too_few_points() -> None:
    short = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}
    problems = geometry_problems(short)
    assert any("点数不足" in p for p in problems)


def test_point_is_not_a_grid_boundary() -> None:
    problems = geometry_problems({"type": "Point", "coordinates": [113.6, 34.75]})
    assert problems == ["几何类型必须是 Polygon 或 MultiPolygon，当前为 'Point'"]


def test_longitude_out_of_range() -> None:
    g = {"type": "Polygon", "coordinates": [[[200, 0], [201, 0], [201, 1], [200, 0]]]}
    problems = geometry_problems(g)
    assert any("经度超出范围" in p and "200" in p for p in problems)


def test_latitude_out_of_range_catches_swapped_axes() -> None:
    # (lat, lon) instead of (lon, lat) for 郑州 puts "latitude" at 113.
    g = square(0, 0, 1, 1)
    swapped = {"type": "Polygon", "coordinates": [[[y, x] for x, y in g["coordinates"][0]]]}
    assert any("纬度超出范围" in p for p in geometry_problems(swapped))


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[0, 0], ["a", 1], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [True, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [math.nan, 1], [0, 0]]]},
        {"type": "MultiPolygon", "coordinates": [[]]},
        {"type": "MultiPolygon", "coordinates": [["not a ring"]]},
    ],
)
def test_malformed_input_is_reported_not_raised(geometry: Any) -> None:
    assert geometry_problems(geometry)


def test_hole_outside_shell_is_reported_in_chinese() -> None:
    g = {"type": "Polygon", "coordinates": [ring(0, 0, 1, 1), ring(2, 2, 3, 3)]}
    assert any("内环" in p for p in geometry_problems(g))


def test_problems_name_the_polygon_of_a_multipolygon() -> None:
    g = {
        "type": "MultiPolygon",
        "coordinates": [[ring(0, 0, 1, 1)], [[[0, 0], [1, 0], [0, 0]]]],
    }
    problems = geometry_problems(g)
    assert problems
    assert all(p.startswith("第 2 个多边形") for p in problems)


# --------------------------------------------------------------- geometry_within

PARENT = square(0, 0, 2, 2)  # ≈ 1.8 km × 2.2 km


def test_child_sharing_parent_border_is_within() -> None:
    assert geometry_within(square(0, 0, 1, 1), PARENT)
    assert geometry_within(PARENT, PARENT)


def test_float_noise_on_shared_border_is_tolerated() -> None:
    # ~1e-9° (0.1 mm) outside the parent's west edge, as re-projected borders come out.
    noisy = square(0, 0, 1, 1)
    noisy["coordinates"][0][0][0] -= 1e-9
    noisy["coordinates"][0][-1][0] -= 1e-9
    assert geometry_within(noisy, PARENT)
    assert not geometry_within(noisy, PARENT, tolerance_m=0)


def test_child_sticking_out_is_not_within() -> None:
    assert not geometry_within(square(1, 1, 2.1, 1.5), PARENT)  # ~90 m out
    assert not geometry_within(square(3, 3, 4, 4), PARENT)  # disjoint


def test_tolerance_is_in_metres() -> None:
    # 0.5 m east of the parent's east edge at this latitude is ~5.5e-6° of longitude.
    half_metre = 0.5 / (111_320 * math.cos(math.radians(LAT0))) / UNIT
    child = square(1, 1, 2 + half_metre, 1.5)
    assert geometry_within(child, PARENT, tolerance_m=1.0)
    assert not geometry_within(child, PARENT, tolerance_m=0.25)


def test_child_in_parent_hole_is_not_within() -> None:
    parent = SHAPES[4].geometry  # E, with a hole [3.5,4.5]×[0.5,1.5]
    assert geometry_within(square(3, 0, 3.5, 2), parent)
    assert not geometry_within(square(3.75, 0.75, 4.25, 1.25), parent)


def test_geometry_within_rejects_invalid_input() -> None:
    with pytest.raises(ValueError, match="inner"):
        geometry_within({"type": "Point", "coordinates": [0, 0]}, PARENT)
    with pytest.raises(ValueError, match="tolerance"):
        geometry_within(PARENT, PARENT, tolerance_m=-1)
