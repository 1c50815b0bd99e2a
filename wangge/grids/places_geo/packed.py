"""Points kept as arrays, not as a Python object each: a district's place index holds every
building's point and every compound's buildings, and as dicts of tuples and one geometry per
compound they were a third of what the index kept (the master builds it before the workers
fork, and each worker's memory counts a share of it)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry


class PointsById(Mapping[int, tuple[float, float]]):
    """A building's point in the local plane by its id: ids sorted, points beside them."""

    def __init__(self, rows: Iterable[tuple[int, tuple[float, float]]]) -> None:
        pairs = sorted(rows)
        self._ids = np.fromiter((pk for pk, _xy in pairs), dtype=np.int64, count=len(pairs))
        self._xy = np.array([xy for _pk, xy in pairs], dtype=np.float64).reshape(-1, 2)

    def _at(self, pk: object) -> int:
        if not isinstance(pk, int | np.integer):
            return -1
        at = int(np.searchsorted(self._ids, pk))
        return at if at < len(self._ids) and self._ids[at] == pk else -1

    def __getitem__(self, pk: int) -> tuple[float, float]:
        at = self._at(pk)
        if at < 0:
            raise KeyError(pk)
        return float(self._xy[at, 0]), float(self._xy[at, 1])

    def __contains__(self, pk: object) -> bool:
        return self._at(pk) >= 0

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids.tolist())

    def __len__(self) -> int:
        return len(self._ids)


class PointsByName(Mapping[str, tuple[BaseGeometry, list[int]]]):
    """Each name's points (a MultiPoint, made when asked) and the buildings they are, in the
    order given: one array of points and one of ids for all names, cut at offsets."""

    def __init__(
        self, points: Mapping[str, list[tuple[float, float]]], owners: Mapping[str, list[int]]
    ) -> None:
        names = list(points)
        self._row = {name: at for at, name in enumerate(names)}
        sizes = np.fromiter((len(points[n]) for n in names), dtype=np.int64, count=len(names))
        self._start = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self._start[1:])
        total = int(self._start[-1])
        self._xy = np.array([p for n in names for p in points[n]], dtype=np.float64).reshape(
            total, 2
        )
        self._ids = np.fromiter((i for n in names for i in owners[n]), dtype=np.int64, count=total)

    def __getitem__(self, name: str) -> tuple[BaseGeometry, list[int]]:
        at = self._row[name]
        a, b = int(self._start[at]), int(self._start[at + 1])
        return shapely.multipoints(self._xy[a:b]), self._ids[a:b].tolist()

    def __contains__(self, name: object) -> bool:
        return name in self._row

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)
