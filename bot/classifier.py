"""A linear classifier over character and word n-grams, trained at load time on the
knowledge base's own example phrases.

The word matcher needs a word the examples use; people write "vaporiser", "naloxone's",
"overdosé" or a verb the examples never used. Character n-grams (3 to 5 letters, inside
word boundaries) still see "vapori", "naloxon", "surdos". Each intent is the normalised
centroid of its examples' tf-idf vectors (a Rocchio classifier): training is one pass, so
it happens at every load and follows every staff edit. Scoring a message is one gather
and a sum over a small dense matrix.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np
import numpy.typing as npt

CHAR_SIZES = (3, 4, 5)


@lru_cache(maxsize=50_000)
def _char_ngrams(word: str) -> tuple[str, ...]:
    padded = f"<{word}>"
    return tuple("c" + padded[i : i + n] for n in CHAR_SIZES for i in range(len(padded) - n + 1))


def features(words: Sequence[str], stems: Sequence[str]) -> Counter[str]:
    """Character n-grams of every word, plus content stems and stem bigrams."""
    found: Counter[str] = Counter()
    for word in words:
        found.update(_char_ngrams(word))
    found.update("w" + stem for stem in stems)
    found.update(f"b{a}_{b}" for a, b in pairwise(stems))
    return found


class NgramClassifier:
    """Per intent, the cosine similarity between a message and its closest example."""

    def __init__(self, examples: Iterable[tuple[str, Counter[str]]]) -> None:
        rows = list(examples)
        self.intents: tuple[str, ...] = tuple(sorted({intent for intent, _ in rows}))
        column = {intent: i for i, intent in enumerate(self.intents)}
        df: Counter[str] = Counter()
        for _, found in rows:
            df.update(found.keys())
        n = len(rows)
        names = sorted(df)
        self._index = {f: i for i, f in enumerate(names)}
        self._idf = np.log((1 + n) / (1 + np.array([df[f] for f in names], dtype=np.float32)))
        self._idf += 1.0
        # Nearest neighbour: every example's normalised vector, as postings per feature (CSR).
        feat: list[int] = []
        owner: list[int] = []
        count: list[int] = []
        for j, (_, found) in enumerate(rows):
            feat.extend(self._index[f] for f in found)
            count.extend(found.values())
            owner.extend([j] * len(found))
        f_arr = np.array(feat, dtype=np.intp)
        o_arr = np.array(owner, dtype=np.intp)
        value = (1.0 + np.log(np.array(count, dtype=np.float32))) * self._idf[f_arr]
        norms = np.sqrt(np.bincount(o_arr, weights=value * value, minlength=n))
        value = (value / norms[o_arr]).astype(np.float32)
        order = np.argsort(f_arr, kind="stable")
        self._start = np.searchsorted(f_arr[order], np.arange(len(names) + 1))
        self._example = o_arr[order]
        self._value = value[order]
        self._labels = np.array([column[intent] for intent, _ in rows], dtype=np.intp)
        self._examples = n

    def _vector(self, found: Counter[str]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
        """Known features of a message and their normalised sublinear tf-idf weights."""
        known = [(self._index[f], c) for f, c in found.items() if f in self._index]
        if not known:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
        idx = np.fromiter((i for i, _ in known), dtype=np.intp, count=len(known))
        tf = np.fromiter((1.0 + math.log(c) for _, c in known), dtype=np.float32,
                         count=len(known))
        vec = tf * self._idf[idx]
        return idx, vec / np.linalg.norm(vec)

    def scores(self, found: Counter[str]) -> dict[str, float]:
        """Cosine in [0, 1] per intent (empty when no feature is known)."""
        idx, vec = self._vector(found)
        if not len(idx):
            return {}
        parts = [slice(self._start[i], self._start[i + 1]) for i in idx.tolist()]
        example = np.concatenate([self._example[p] for p in parts])
        value = np.concatenate([self._value[p] * w for p, w in zip(parts, vec.tolist(),
                                                                    strict=True)])
        sims = np.bincount(example, weights=value, minlength=self._examples)
        best = np.zeros(len(self.intents), dtype=np.float32)
        np.maximum.at(best, self._labels, sims)
        return {intent: float(s) for intent, s in zip(self.intents, best, strict=True) if s > 0}
