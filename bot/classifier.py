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

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain, compress, pairwise

import numpy as np
import numpy.typing as npt

CHAR_SIZES = (3, 4, 5)
MAX_DF_SHARE = 0.3  # features in more of the examples than this are dropped
_KNOWN_WORDS = 50_000  # words whose known n-grams are kept (then the memo starts over)


@lru_cache(maxsize=50_000)
def _char_ngrams(word: str) -> tuple[str, ...]:
    padded = f"<{word}>"
    return tuple("c" + padded[i : i + n] for n in CHAR_SIZES for i in range(len(padded) - n + 1))


def _stem_features(stems: Sequence[str]) -> list[str]:
    """The content stems and stem bigrams (what follows the words' n-grams): the one place
    that spells them, for training, ``features`` and ``best_of`` alike."""
    return ["w" + stem for stem in stems] + [f"b{a}_{b}" for a, b in pairwise(stems)]


def features(words: Sequence[str], stems: Sequence[str]) -> Counter[str]:
    """Character n-grams of every word, plus content stems and stem bigrams."""
    # One Counter over one chain (same first-seen order): an update per word cost more
    # than the counting.
    return Counter(chain(chain.from_iterable(map(_char_ngrams, words)), _stem_features(stems)))


def _numbered_features(
    rows: Sequence[tuple[str, Sequence[str], Sequence[str]]],
) -> tuple[npt.NDArray[np.int64], list[int], dict[str, int]]:
    """Every example's ``features`` as numbers, example after example, in the same order;
    each example's count of them; the numbers of the feature strings (first seen first).
    A word's n-grams are numbered once per distinct word: examples repeat their words."""
    number: dict[str, int] = {}
    of_word: dict[str, list[int]] = {}
    tokens: list[int] = []
    sizes: list[int] = []
    for _, words, stems in rows:
        start = len(tokens)
        for word in words:
            found = of_word.get(word)
            if found is None:
                found = [number.setdefault(f, len(number)) for f in _char_ngrams(word)]
                of_word[word] = found
            tokens.extend(found)
        tokens.extend(number.setdefault(f, len(number)) for f in _stem_features(stems))
        sizes.append(len(tokens) - start)
    return np.array(tokens, dtype=np.int64), sizes, number


class NgramClassifier:
    """Per intent, the cosine similarity between a message and its closest example."""

    def __init__(self, examples: Iterable[tuple[str, Sequence[str], Sequence[str]]]) -> None:
        """Train on ``(intent, words, stems)`` per example: the features of ``features``."""
        # Examples grouped by intent, so the best example per intent is one reduceat.
        rows = sorted(examples, key=lambda row: row[0])
        self.intents: tuple[str, ...] = tuple(sorted({intent for intent, _, _ in rows}))
        labels = [intent for intent, _, _ in rows]
        self._groups = np.array([labels.index(i) for i in self.intents], dtype=np.intp)
        n = len(rows)
        tokens, sizes, number = _numbered_features(rows)
        # Counted per example, each feature at its first position, as a Counter per example
        # would (one per example was a fifth of the load): the norms sum in the same order.
        width = max(len(number), 1)
        example = np.repeat(np.arange(n, dtype=np.int64), sizes)
        pairs, first, counts = np.unique(
            example * width + tokens, return_index=True, return_counts=True
        )
        order = np.argsort(first, kind="stable")
        o_arr, all_feat = np.divmod(pairs[order], width)
        df = np.bincount(all_feat, minlength=len(number))
        # Features in many examples ("<th", "ion") say little and cost the most postings.
        keep = df <= MAX_DF_SHARE * n
        renumber = np.cumsum(keep) - 1
        kept_count = int(renumber[-1]) + 1 if len(renumber) else 0
        # ``number`` lists the features in number order, so the kept ones are 0, 1, 2...
        self._index = dict(zip(compress(number, keep.tolist()), range(kept_count), strict=True))
        self._idf = np.log((1 + n) / (1 + df[keep].astype(np.float32)))
        self._idf += 1.0
        # Nearest neighbour: every example's normalised vector, as postings per feature (CSR).
        kept = keep[all_feat]
        f_arr = renumber[all_feat[kept]]
        o_arr = o_arr[kept]
        count = counts[order][kept].astype(np.float32)
        value = (1.0 + np.log(count)) * self._idf[f_arr]
        norms = np.sqrt(np.bincount(o_arr, weights=value * value, minlength=n))
        value = (value / norms[o_arr]).astype(np.float32)
        # Stable: a feature's examples stay in order. 16-bit keys sort by radix, ~5x faster.
        keys16 = f_arr.astype(np.uint16) if kept_count <= 0xFFFF else f_arr
        order = np.argsort(keys16, kind="stable")
        self._start = np.searchsorted(f_arr[order], np.arange(kept_count + 1))
        self._length = np.diff(self._start)  # each feature's number of postings
        # Example numbers in 16 bits while they fit: a message reads thousands of postings,
        # and after Telegram's own work they come from memory, not the cache (4x less than
        # intp; measured -25 us an update in the real Application).
        small = n <= np.iinfo(np.uint16).max
        self._example = o_arr[order].astype(np.uint16 if small else np.int32)
        self._value = value[order]
        self._examples = n
        self._known: dict[str, tuple[int, ...]] = {}

    def __getstate__(self) -> dict[str, object]:
        # The per-word memo holds users' words: never pickled (bot.rescache).
        return {**self.__dict__, "_known": {}}

    def _known_ngrams(self, word: str) -> tuple[int, ...]:
        """The feature numbers of ``word``'s known character n-grams, in n-gram order."""
        found = self._known.get(word)
        if found is None:
            index = self._index
            found = tuple(index[f] for f in _char_ngrams(word) if f in index)
            if len(self._known) >= _KNOWN_WORDS:
                self._known.clear()
            self._known[word] = found
        return found

    def _vector(self, found: Counter[str]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
        """Known features of a message and their normalised sublinear tf-idf weights."""
        index = self._index
        return self._weigh({index[f]: c for f, c in found.items() if f in index})

    def _weigh(
        self, counts: dict[int, int]
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
        """Feature numbers (first-seen order) and counts -> the normalised tf-idf vector."""
        if not counts:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        vec = tf * self._idf[idx]
        # What ``np.linalg.norm`` computes for a real vector, without its checks: a handful
        # of NumPy calls per message is much of this step's time.
        return idx, vec / np.sqrt(vec.dot(vec))

    def best_of(self, words: Sequence[str], stems: Sequence[str]) -> npt.NDArray[np.float64] | None:
        """``best(features(words, stems))`` without building the feature strings: each
        word's known n-grams are looked up once and kept (the same numbers, same order)."""
        index = self._index
        known = [index[f] for f in _stem_features(stems) if f in index]
        # Counter counts in C and keeps first-seen order, as ``features`` does.
        counts = Counter(chain(*map(self._known_ngrams, words), known))
        return self._best(*self._weigh(counts))

    def scores(self, found: Counter[str]) -> dict[str, float]:
        """Per intent, the cosine in [0, 1] of its closest example (empty: nothing known)."""
        best = self.best(found)
        if best is None:
            return {}
        return {intent: float(s) for intent, s in zip(self.intents, best, strict=True) if s > 0}

    def best(self, found: Counter[str]) -> npt.NDArray[np.float64] | None:
        """``scores`` as an array in ``intents`` order (0: no similarity); None if nothing
        is known. The matcher uses it to stay in arrays (a dict of 1,000 intents is slow)."""
        return self._best(*self._vector(found))

    def _best(
        self, idx: npt.NDArray[np.intp], vec: npt.NDArray[np.float32]
    ) -> npt.NDArray[np.float64] | None:
        if not len(idx):
            return None
        # Gather every posting of the message's features without a Python loop. (In place
        # and with ``take``: fewer temporaries of ~8,000 cells; the same products and sums.)
        starts, lengths = self._start[idx], self._length[idx]
        ends = np.cumsum(lengths)
        cells = np.repeat(starts - (ends - lengths), lengths)
        cells += np.arange(int(ends[-1]))
        weights = self._value.take(cells)
        weights *= np.repeat(vec, lengths)
        sims = np.bincount(self._example.take(cells), weights=weights, minlength=self._examples)
        best: npt.NDArray[np.float64] = np.maximum.reduceat(sims, self._groups)
        return best
