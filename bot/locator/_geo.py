"""Distances and a grid index that finds the nearest points without scanning them all.

Points are bucketed into cells of ``CELL_DEG`` degrees. A query visits rings of cells
around its own cell, nearest ring first, and stops as soon as nothing outside the rings
visited can be closer than what it already holds. Dense or sparse, a query looks at a
few dozen cells.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

EARTH_RADIUS_M = 6_371_008.8
KM_PER_DEG_LAT = 111.195
CELL_DEG = 0.05
MAX_RINGS = 40
SPARE = 4  # beyond this, a linear scan is cheaper than empty cells

T = TypeVar("T")


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def valid_coordinates(lat: float, lon: float) -> bool:
    """True for finite latitude in [-90, 90] and longitude in [-180, 180]."""
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """An indexed item and its distance from the query point."""

    item: T
    distance_m: float


class GridIndex(Generic[T]):
    """Nearest-neighbour search over (lat, lon, item) triples."""

    def __init__(self, entries: Iterable[tuple[float, float, T]]) -> None:
        self._cells: dict[tuple[int, int], list[tuple[float, float, T]]] = {}
        self._all: list[tuple[float, float, T]] = []
        for lat, lon, item in entries:
            entry = (lat, lon, item)
            self._all.append(entry)
            self._cells.setdefault(_cell(lat, lon), []).append(entry)
        # Per row of cells, its occupied columns (sorted): a ring visits only occupied cells.
        self._columns: dict[int, list[int]] = {}
        for i, j in sorted(self._cells):
            self._columns.setdefault(i, []).append(j)
        self._rows = sorted(self._columns)

    def __len__(self) -> int:
        return len(self._all)

    def nearest(
        self,
        lat: float,
        lon: float,
        n: int,
        radius_m: float = math.inf,
        keep: Callable[[T], bool] | None = None,
    ) -> list[Hit[T]]:
        """Up to ``n`` items within ``radius_m`` for which ``keep`` is true, nearest first."""
        if n <= 0 or not self._all:
            return []
        want = n
        n += SPARE  # re-ranked exactly at the end: near-ties can swap under the approximation
        ci, cj = _cell(lat, lon)
        # Rank with a flat-earth distance in degrees (cheap, and exact enough to order
        # points a few km apart); report the great-circle distance.
        k = math.cos(math.radians(lat))
        limit = (radius_m * 1.01 / (KM_PER_DEG_LAT * 1000)) ** 2
        best: list[tuple[float, int, float, float, T]] = []  # max-heap via negation
        seen = 0
        for ring in range(MAX_RINGS + 1):
            for key in self._occupied(ci, cj, ring):
                for plat, plon, item in self._cells[key]:
                    dy = plat - lat
                    dx = (plon - lon) * k
                    d2 = dx * dx + dy * dy
                    if d2 > limit or (len(best) == n and d2 >= -best[0][0]):
                        continue
                    if keep is not None and not keep(item):
                        continue
                    seen += 1
                    entry = (-d2, seen, plat, plon, item)
                    if len(best) < n:
                        heapq.heappush(best, entry)
                    else:
                        heapq.heapreplace(best, entry)
            reach = _reach_m(lat, ci, cj, ring)
            if reach >= radius_m:
                return self._finish(lat, lon, best, radius_m, want)
            if len(best) == n:
                worst_m = math.sqrt(-best[0][0]) * KM_PER_DEG_LAT * 1000
                if worst_m * 1.01 <= reach:
                    return self._finish(lat, lon, best, radius_m, want)
        # Far from everything: the rings ran out before the radius did.
        return self._scan(lat, lon, want, radius_m, keep)

    @staticmethod
    def _finish(
        lat: float,
        lon: float,
        best: list[tuple[float, int, float, float, T]],
        radius_m: float,
        n: int,
    ) -> list[Hit[T]]:
        hits = [Hit(item, haversine_m(lat, lon, plat, plon)) for _, _, plat, plon, item in best]
        hits = [h for h in hits if h.distance_m <= radius_m]
        hits.sort(key=lambda h: h.distance_m)
        return hits[:n]

    def _scan(
        self,
        lat: float,
        lon: float,
        n: int,
        radius_m: float,
        keep: Callable[[T], bool] | None,
    ) -> list[Hit[T]]:
        found = (
            (haversine_m(lat, lon, plat, plon), i, item)
            for i, (plat, plon, item) in enumerate(self._all)
            if keep is None or keep(item)
        )
        best = heapq.nsmallest(n, (f for f in found if f[0] <= radius_m))
        return [Hit(item, d) for d, _, item in best]

    def _occupied(self, ci: int, cj: int, r: int) -> Iterator[tuple[int, int]]:
        """The occupied cells of the square ring ``r`` around (ci, cj), in a fixed order:
        both edge rows column by column (upper first), then both edge columns row by row.
        Sparse regions have rings of hundreds of empty cells; this skips them unseen."""
        if r == 0:
            if (ci, cj) in self._cells:
                yield ci, cj
            return
        upper = ((j, ci - r) for j in self._span(ci - r, cj - r, cj + r))
        lower = ((j, ci + r) for j in self._span(ci + r, cj - r, cj + r))
        for j, i in heapq.merge(upper, lower):
            yield i, j
        rows = self._rows
        for i in rows[bisect_right(rows, ci - r) : bisect_left(rows, ci + r)]:
            for key in ((i, cj - r), (i, cj + r)):
                if key in self._cells:
                    yield key

    def _span(self, i: int, low: int, high: int) -> list[int]:
        """The occupied columns of row ``i`` from ``low`` to ``high``."""
        columns = self._columns.get(i)
        if not columns:
            return []
        return columns[bisect_left(columns, low) : bisect_right(columns, high)]


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)


def _reach_m(lat: float, ci: int, cj: int, r: int) -> float:
    """A lower bound on the distance from the query to any cell outside ring ``r``."""
    south = (ci - r) * CELL_DEG
    north = (ci + r + 1) * CELL_DEG
    d_lat = min(lat - south, north - lat) * KM_PER_DEG_LAT * 1000
    # Longitude degrees are shortest at the highest latitude the square touches.
    widest = min(90.0, max(abs(south), abs(north)))
    width = CELL_DEG * r * KM_PER_DEG_LAT * 1000 * math.cos(math.radians(widest))
    return max(0.0, min(d_lat, width))
