"""Matcher speed: per-message latency over the evaluation set, next to plain extractOne."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.resources import default_resources_dir, load_resources
from bot.session import Session

EVAL = Path(__file__).parent.parent / "tests" / "eval"


def _messages() -> list[tuple[str, str]]:
    rows = []
    for name in ("heldout", "dev"):
        rows += yaml.safe_load((EVAL / f"{name}.yaml").read_text(encoding="utf-8"))
    return [(r["text"], r.get("lang", "en")) for r in rows]


def _timed(fn: object, items: list[object], repeat: int = 3) -> list[float]:
    times: list[float] = []
    for _ in range(repeat):
        for item in items:
            t = time.perf_counter()
            fn(item)  # type: ignore[operator]
            times.append((time.perf_counter() - t) * 1000)
    return times


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run() -> list[tuple[str, str, str]]:
    """Rows of (metric, value, target)."""
    t = time.perf_counter()
    resources = load_resources(default_resources_dir())
    load_s = time.perf_counter() - t
    messages = _messages()
    texts = [m for m, _ in messages]
    analyzer, matcher = resources.analyzer, resources.matcher
    # Cold: a fresh analyzer cache, as for messages never seen before.
    cold = _timed(lambda m: matcher.rank(analyzer.analyse(m)), texts, repeat=1)  # type: ignore[arg-type]
    warm = _timed(lambda m: matcher.rank(analyzer.analyse(m)), texts)  # type: ignore[arg-type]
    full = _timed(lambda m: resources.dialogue.respond(m, Session()), texts)  # type: ignore[arg-type]
    choices = [p for i in resources.kb.intents.values() for _, p in i.examples.all()]
    plain = _timed(lambda m: process.extractOne(m, choices, scorer=fuzz.WRatio), texts)  # type: ignore[arg-type]
    med = statistics.median(warm)
    return [
        (
            "resources load (knowledge base + directory + gazetteer)",
            f"{load_s * 1000:.0f} ms",
            "<= 500 ms",
        ),
        (
            f"match, first sight, median ({len(texts)} msgs)",
            f"{statistics.median(cold):.3f} ms",
            "<= 0.3 ms",
        ),
        ("match, first sight, p99", f"{_pct(cold, 0.99):.3f} ms", ""),
        ("match, median", f"{med:.3f} ms", "<= 0.3 ms"),
        ("match, p99", f"{_pct(warm, 0.99):.3f} ms", ""),
        ("full dialogue turn, median", f"{statistics.median(full):.3f} ms", "<= 0.5 ms"),
        ("full dialogue turn, p99", f"{_pct(full, 0.99):.3f} ms", ""),
        ("plain rapidfuzz extractOne (WRatio), median", f"{statistics.median(plain):.3f} ms", ""),
        ("matcher / extractOne time ratio", f"{med / statistics.median(plain):.2f}x", ""),
    ]
