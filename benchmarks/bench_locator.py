"""Locator speed on synthetic data: nearest-service queries and gazetteer lookups.

Synthetic services cluster around real Canadian towns, weighted by population (as real
services do), with a few kilometres of scatter; queries start near random towns.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bot.locator import GAZETTEER_FILE, Gazetteer, GridIndex, PlaceFinder
from bot.locator import normalize_place as normalize

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
QUERIES = 2000


def _per_call_ms(fn: Callable[[int], object], calls: int) -> float:
    started = time.perf_counter()
    for i in range(calls):
        fn(i)
    return (time.perf_counter() - started) / calls * 1000


def _index(gazetteer: Gazetteer, size: int, rng: random.Random) -> GridIndex[int]:
    towns = gazetteer.places
    weights = [p.population for p in towns]
    picks = rng.choices(towns, weights=weights, k=size)
    return GridIndex(
        (p.lat + rng.gauss(0, 0.04), p.lon + rng.gauss(0, 0.06), i) for i, p in enumerate(picks)
    )


def run() -> list[tuple[str, str, str]]:
    """Rows of (metric, value, target)."""
    rng = random.Random(2026)
    rows: list[tuple[str, str, str]] = []

    loads = []
    for _ in range(5):
        started = time.perf_counter()
        gazetteer = Gazetteer.load(RESOURCES / GAZETTEER_FILE)
        loads.append((time.perf_counter() - started) * 1000)
    rows.append(
        ("gazetteer load (ms, median of 5)", f"{statistics.median(loads):.1f}", "<= 100 ms")
    )

    finder = PlaceFinder(gazetteer, [])
    towns = [p.name for p in gazetteer.places]
    exact = [rng.choice(towns) for _ in range(QUERIES)]
    rows.append(
        (
            "gazetteer exact lookup (ms/query)",
            f"{_per_call_ms(lambda i: finder.find(exact[i]), QUERIES):.3f}",
            "<= 1 ms",
        )
    )
    typos = [_typo(normalize(rng.choice(towns)), rng) for _ in range(QUERIES // 4)]
    rows.append(
        (
            "gazetteer fuzzy lookup, typo (ms/query)",
            f"{_per_call_ms(lambda i: finder.find(typos[i]), len(typos)):.3f}",
            "<= 10 ms",
        )
    )
    rows.append(
        (
            "postal code lookup (ms/query)",
            f"{_per_call_ms(lambda i: finder.find('V6A 1N5'), QUERIES):.4f}",
            "<= 1 ms",
        )
    )

    rows.extend(_national(rng))

    for size, target in ((10_000, "<= 1 ms"), (100_000, "<= 10 ms")):
        index = _index(gazetteer, size, rng)
        starts = [rng.choice(gazetteer.places[:400]) for _ in range(QUERIES)]
        points = [(p.lat + rng.gauss(0, 0.03), p.lon + rng.gauss(0, 0.04)) for p in starts]
        ms = _time_nearest(index, points, 3, 25_000, QUERIES)
        rows.append((f"nearest 3 within 25 km, {size:,} services (ms/query)", f"{ms:.3f}", target))
        far = _time_nearest(index, points, 1, float("inf"), QUERIES // 10)
        rows.append(
            (f"nearest 1, no radius, {size:,} services (ms/query)", f"{far:.3f}", "(reported)")
        )
    return rows


def _national(rng: random.Random) -> list[tuple[str, str, str]]:
    """The bundled national directory: place lookups in messages and nearest 3 sites."""
    from bot.locator import Locator

    locator = Locator.load(RESOURCES)
    towns = [p.name for p in locator.gazetteer.places[:600]]
    templates = [
        "naloxone in {}",
        "{} safe injection site",
        "site de consommation à {}",
        "where can i get naloxone near {}",
        "drug checking {} please",
    ]
    messages = [rng.choice(templates).format(rng.choice(towns)) for _ in range(QUERIES)]
    times = []
    for message in messages:
        started = time.perf_counter()
        locator.extract_place(message)
        times.append((time.perf_counter() - started) * 1000)
    rows = [
        (
            "place in a message, national data (ms, median)",
            f"{statistics.median(times):.3f}",
            "<= 1 ms",
        ),
        (
            "place in a message, national data (ms, p99)",
            f"{sorted(times)[int(len(times) * 0.99)]:.3f}",
            "(reported)",
        ),
    ]
    starts = [rng.choice(locator.gazetteer.places[:400]) for _ in range(QUERIES)]
    nearest = []
    for town in starts:
        started = time.perf_counter()
        locator.nearest(town.lat, town.lon, "consumption_site", count=3)
        nearest.append((time.perf_counter() - started) * 1000)
    rows.append(
        (
            "nearest 3 sites, national data (ms, median)",
            f"{statistics.median(nearest):.3f}",
            "<= 1 ms",
        )
    )
    rows.append(
        (
            "nearest 3 sites, national data (ms, p99)",
            f"{sorted(nearest)[int(len(nearest) * 0.99)]:.3f}",
            "(reported)",
        )
    )
    return rows


def _time_nearest(
    index: GridIndex[int], points: list[tuple[float, float]], n: int, radius_m: float, calls: int
) -> float:
    return _per_call_ms(lambda i: index.nearest(*points[i], n, radius_m), calls)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


if __name__ == "__main__":
    for metric, value, target in run():
        print(f"{metric:<58}{value:>12}  {target}")
