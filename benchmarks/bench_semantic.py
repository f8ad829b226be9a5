"""The sentence model (bot/semantic.py): how often a message consults it, what a dialogue
turn costs with and without it, its own time per message, its load time and memory."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import yaml

from bot.resources import Resources, default_resources_dir, load_resources
from bot.semantic import IntentScores, Semantic, SemanticSettings, installed
from bot.session import Session

EVAL = Path(__file__).parent.parent / "tests" / "eval"


def _messages() -> list[str]:
    """The paraphrase sets bench_matcher times, and the readable real-world sets."""
    rows = []
    for name in ("heldout.yaml", "dev.yaml", "real/dev.yaml", "real/dev2.yaml"):
        rows += yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))
    return [str(r["text"]) for r in rows]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _turns(resources: Resources, texts: list[str], repeat: int = 3) -> list[float]:
    times = []
    for _ in range(repeat):
        for text in texts:
            t = time.perf_counter()
            resources.dialogue.respond(text, Session())
            times.append((time.perf_counter() - t) * 1000)
    return times


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _ready_in(cache: Path, examples: list[tuple[str, str]]) -> float:
    t = time.perf_counter()
    assert Semantic(examples, SemanticSettings(cache)).wait()
    return time.perf_counter() - t


def run() -> list[tuple[str, str, str]]:
    """Rows of (metric, value, target)."""
    if not installed():
        return [("sentence model", "not installed", "")]
    plain = load_resources(default_resources_dir())
    texts = _messages()
    rss_before = _rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "semantic"
        served = plain.with_semantic(SemanticSettings(cache))
        model = served.dialogue.semantic
        assert model is not None
        t = time.perf_counter()
        assert model.wait()  # a cold cache: unpacks the weights, embeds every example
        cold_s = time.perf_counter() - t
        examples = list(model._examples)
        # A new process would read the cache; here the encoder is already loaded, so this
        # is the examples' part only (the weights' part is timed by `hrbot ask` below).
        warm_s = _ready_in(cache, examples)
    consulted = 0
    calls: list[float] = []
    scores = model.scores

    def counted(text: str) -> IntentScores | None:
        nonlocal consulted
        consulted += 1
        t = time.perf_counter()
        found = scores(text)
        calls.append((time.perf_counter() - t) * 1000)
        return found

    model.scores = counted  # type: ignore[method-assign]
    for text in texts:
        served.dialogue.respond(text, Session())
    share = consulted / len(texts)
    rss_after = _rss_mb()
    without = _turns(plain, texts)
    with_model = _turns(served, texts)
    return [
        ("sentence model: messages consulting it", f"{share:.1%} of {len(texts)}", ""),
        ("sentence model: one consultation, median", f"{statistics.median(calls):.2f} ms", ""),
        ("sentence model: one consultation, p95", f"{_pct(calls, 0.95):.2f} ms", ""),
        ("dialogue turn without it, median / p95", _pair(without), "<= 0.5 ms median"),
        ("dialogue turn with it, median / p95", _pair(with_model), "<= 0.5 ms median"),
        ("sentence model ready, cold cache (weights + examples)", f"{cold_s:.2f} s", ""),
        ("sentence model ready, examples from the cache", f"{warm_s * 1000:.0f} ms", ""),
        ("sentence model: RSS added", f"{rss_after - rss_before:.0f} MB", ""),
    ]


def _pair(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} / {_pct(values, 0.95):.2f} ms"
