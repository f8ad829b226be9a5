"""Nearest-service search: index correctness, radius, status and opening hours."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.locator import GridIndex, Locator, haversine_m
from tests.helpers.locator import GOOD_SERVICE, NOON_VANCOUVER, TODAY, make_resources

points = st.lists(
    st.tuples(st.floats(48.0, 50.5), st.floats(-124.5, -121.5)), min_size=0, max_size=60
)


@settings(max_examples=150, deadline=None)
@given(
    pts=points,
    lat=st.floats(47.0, 51.5),
    lon=st.floats(-126.0, -120.0),
    n=st.integers(1, 5),
    radius_km=st.sampled_from([0.5, 5.0, 25.0, 200.0, math.inf]),
)
def test_grid_index_matches_brute_force(
    pts: list[tuple[float, float]], lat: float, lon: float, n: int, radius_km: float
) -> None:
    """The grid returns exactly the n nearest points within the radius, nearest first."""
    index = GridIndex((a, b, i) for i, (a, b) in enumerate(pts))
    radius_m = radius_km * 1000
    got = index.nearest(lat, lon, n, radius_m)
    expected = sorted(d for d in (haversine_m(lat, lon, a, b) for a, b in pts) if d <= radius_m)[:n]
    assert [h.distance_m for h in got] == expected


@settings(max_examples=100, deadline=None)
@given(pts=points, lat=st.floats(47.0, 51.5), lon=st.floats(-126.0, -120.0))
def test_grid_rings_visit_occupied_cells_in_square_order(
    pts: list[tuple[float, float]], lat: float, lon: float
) -> None:
    """Skipping empty cells keeps the plain square walk's order (it decides exact ties)."""
    index = GridIndex((a, b, i) for i, (a, b) in enumerate(pts))
    ci, cj = math.floor(lat / 0.05), math.floor(lon / 0.05)
    for r in range(12):
        square = [(ci, cj)] if r == 0 else []
        if r:
            for j in range(cj - r, cj + r + 1):
                square += [(ci - r, j), (ci + r, j)]
            for i in range(ci - r + 1, ci + r):
                square += [(i, cj - r), (i, cj + r)]
        occupied = {(math.floor(a / 0.05), math.floor(b / 0.05)) for a, b in pts}
        assert list(index._occupied(ci, cj, r)) == [c for c in square if c in occupied]


def test_haversine_known_distance() -> None:
    """Vancouver to Montreal is about 3,680 km."""
    assert haversine_m(49.2497, -123.1193, 45.5088, -73.5878) / 1000 == pytest.approx(
        3685, rel=0.01
    )


def _locator(tmp_path: Path, services: str) -> Locator:
    return Locator.load(
        make_resources(tmp_path, services), today=TODAY, default_region="testregion"
    )


def _svc(ident: str, lat: float, lon: float, extra: str = "") -> str:
    return (
        GOOD_SERVICE.replace("site-a", ident)
        .replace("    postal_code: V6A 1A1\n", "")
        .replace("{lat: 49.2800, lon: -123.0990}", f"{{lat: {lat}, lon: {lon}}}")
        .replace("    source:", extra + "    source:")
    )


def test_nearest_orders_by_distance_and_pages(tmp_path: Path) -> None:
    """Results come nearest first; offset pages and has_more tell if more remain."""
    services = "".join(_svc(f"s{i}", 49.28 + i * 0.01, -123.10) for i in range(5))
    loc = _locator(tmp_path, services)
    first = loc.nearest(49.28, -123.10, "naloxone", now=NOON_VANCOUVER)
    assert [h.service.id for h in first.hits] == ["s0", "s1", "s2"]
    assert first.has_more
    second = loc.nearest(49.28, -123.10, "naloxone", offset=3, now=NOON_VANCOUVER)
    assert [h.service.id for h in second.hits] == ["s3", "s4"]
    assert not second.has_more


def test_nothing_within_radius_reports_the_nearest_beyond(tmp_path: Path) -> None:
    """With none inside the radius, the nearest one anywhere is returned separately."""
    loc = _locator(tmp_path, _svc("far", 49.28, -123.10))
    result = loc.nearest(49.80, -123.10, "naloxone", radius_m=25_000)
    assert result.hits == ()
    assert result.nearest_beyond is not None
    assert result.nearest_beyond.distance_m / 1000 == pytest.approx(57.8, abs=1)


def test_closed_services_are_never_found_and_temporary_closures_are(tmp_path: Path) -> None:
    """status closed hides a service; temporarily_closed keeps it (flagged by the answer)."""
    services = _svc("gone", 49.28, -123.10, "    status: closed\n") + _svc(
        "paused", 49.281, -123.10, "    status: temporarily_closed\n"
    )
    loc = _locator(tmp_path, services)
    ids = [h.service.id for h in loc.nearest(49.28, -123.10, "naloxone").hits]
    assert ids == ["paused"]


def test_opening_hours_use_the_region_timezone(tmp_path: Path) -> None:
    """09:00-17:00 is evaluated in Vancouver time, whatever the server's clock zone."""
    loc = _locator(tmp_path, _svc("day", 49.28, -123.10))
    service = loc.services["day"]
    noon = loc.hours(service, NOON_VANCOUVER)  # 20:00 UTC
    assert noon.open is True
    assert noon.next_change is not None
    assert noon.next_change.hour == 17
    evening = loc.hours(service, datetime(2026, 11, 28, 3, 0, tzinfo=UTC))  # 19:00 local
    assert evening.open is False
    assert evening.next_change is not None
    assert (evening.next_change.day, evening.next_change.hour) == (28, 9)


def test_unknown_hours_are_none(tmp_path: Path) -> None:
    """A service without hours is neither open nor closed."""
    loc = _locator(
        tmp_path, _svc("x", 49.28, -123.10).replace('    hours: "Mo-Su 09:00-17:00"\n', "")
    )
    assert loc.hours(loc.services["x"], NOON_VANCOUVER).open is None


def test_open_only_filters_closed_and_unknown(tmp_path: Path) -> None:
    """The open-now filter keeps only services known to be open at that moment."""
    services = _svc("day", 49.281, -123.10) + _svc("night", 49.28, -123.10, "").replace(
        '"Mo-Su 09:00-17:00"', '"Mo-Su 20:00-23:00"'
    )
    loc = _locator(tmp_path, services)
    ids = [
        h.service.id
        for h in loc.nearest(49.28, -123.10, "naloxone", open_only=True, now=NOON_VANCOUVER).hits
    ]
    assert ids == ["day"]


def test_unknown_category_and_bad_coordinates_find_nothing(tmp_path: Path) -> None:
    """Unknown categories and impossible coordinates give an empty result, not an error."""
    loc = _locator(tmp_path, _svc("x", 49.28, -123.10))
    assert loc.nearest(49.28, -123.10, "shelter").hits == ()
    assert loc.nearest(math.nan, -123.10, "naloxone").hits == ()
    assert loc.nearest(91.0, 0.0, "naloxone").hits == ()


def test_region_for_picks_the_covering_region(tmp_path: Path) -> None:
    """A point inside the region radius belongs to it; far away belongs to none."""
    loc = _locator(tmp_path, _svc("x", 49.28, -123.10))
    region = loc.region_for(49.28, -123.10)
    assert region is not None
    assert region.id == "testregion"
    assert region.timezone == "America/Vancouver"
    assert loc.region_for(45.5, -73.6) is None
    assert loc.default_region.id == "testregion"
