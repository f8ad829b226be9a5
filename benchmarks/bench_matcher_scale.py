"""Matcher growth: rank latency with 1,000 synthetic intents (about ten times today's).

The intents are generated, not real: each has eight English and four French examples of
four to seven words drawn from a 3,000-word made-up vocabulary with a Zipf-like skew (a
few words are everywhere, most are rare), like a grown knowledge base. Messages are
examples with one word dropped and one noise word added, so most share words with many
examples, the matcher's worst case.
"""

from __future__ import annotations

import random
import statistics
import time

from bot.analyzer import Analyzer
from bot.knowledge import Intent
from bot.matcher import Matcher

INTENTS = 1_000
VOCABULARY = 3_000
MESSAGES = 400
SEED = 14


def _word(index: int) -> str:
    letters = "bcdfghjklmnprstvz"
    vowels = "aeiou"
    out = ""
    while True:
        out += letters[index % len(letters)] + vowels[(index // len(letters)) % len(vowels)]
        index //= len(letters) * len(vowels)
        if index == 0:
            return out + "x"  # never a real English or French word


def _phrase(rng: random.Random, words: list[str], weights: list[float]) -> str:
    return " ".join(rng.choices(words, weights, k=rng.randint(4, 7)))


def synthetic_intents(rng: random.Random) -> dict[str, Intent]:
    """``INTENTS`` generated intents with examples in both languages."""
    words = [_word(i) for i in range(VOCABULARY)]
    weights = [1.0 / (rank + 1) for rank in range(VOCABULARY)]
    intents = {}
    for n in range(INTENTS):
        ident = f"topic_{n:04d}"
        intents[ident] = Intent.model_validate(
            {
                "id": ident,
                "title": {"en": ident, "fr": ident},
                "examples": {
                    "en": [_phrase(rng, words, weights) for _ in range(8)],
                    "fr": [_phrase(rng, words, weights) for _ in range(4)],
                },
                "answer": {"en": "answer", "fr": "réponse"},
            }
        )
    return intents


def _messages(rng: random.Random, intents: dict[str, Intent]) -> list[str]:
    pool = [p for i in intents.values() for _, p in i.examples.all()]
    noise = [_word(i) for i in range(VOCABULARY, VOCABULARY + 200)]
    out = []
    for phrase in rng.sample(pool, MESSAGES):
        words = phrase.split()
        words.pop(rng.randrange(len(words)))
        words.insert(rng.randrange(len(words) + 1), rng.choice(noise))
        out.append(" ".join(words))
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run() -> list[tuple[str, str, str]]:
    """Rows of (metric, value, target)."""
    rng = random.Random(SEED)
    intents = synthetic_intents(rng)
    analyzer = Analyzer({}, {"en": (), "fr": ()})
    started = time.perf_counter()
    matcher = Matcher(intents, analyzer)
    build_s = time.perf_counter() - started
    analyses = [analyzer.analyse(m, correct=False) for m in _messages(rng, intents)]
    times, cpu = [], []
    for _ in range(3):
        for analysis in analyses:
            t, c = time.perf_counter(), time.process_time()
            matcher.rank(analysis, limit=4)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    return [
        (f"matcher build, {INTENTS} synthetic intents", f"{build_s:.2f} s", ""),
        (f"match at {INTENTS} intents, median", f"{statistics.median(times):.3f} ms", ""),
        (f"match at {INTENTS} intents, p99", f"{_pct(times, 0.99):.3f} ms", "<= 1 ms"),
        # On a shared machine the wall-clock tail is other processes holding the CPU.
        (f"match at {INTENTS} intents, p99 of CPU time", f"{_pct(cpu, 0.99):.3f} ms", ""),
    ]
