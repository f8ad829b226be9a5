"""Intent matching: which topic does a message ask about, and how sure are we?

Each message is compared with every example phrase by weighted word overlap (weights are
inverse intent frequency, so "naloxone" counts more than "get"), plus how much of the
message the intent's whole vocabulary explains, plus staff keywords. Typos and slang are
already fixed by the Analyzer, so this stays a few dictionary look-ups per word.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.analyzer import Analysis, Analyzer
from bot.classifier import NgramClassifier, features
from bot.knowledge import Intent


@dataclass(frozen=True, slots=True)
class Tuning:
    """The matcher's knobs, tuned on tests/eval/dev.yaml and real/dev.yaml (never on the
    held-out sets)."""

    w_example: float = 0.6  # best single example phrase
    w_bag: float = 0.25  # share of the message the intent's whole vocabulary explains
    w_keyword: float = 0.15  # a staff keyword present
    coverage_share: float = 0.75  # an example fully contained in a long message still counts
    unknown_weight: float = 1.0  # weight of a word the knowledge base never uses (x max idf)
    threshold: float = 0.42  # below: not sure enough to answer
    margin: float = 0.02  # top two closer than this (and top below confident): ask
    confident: float = 0.6  # (0.04 and 0.7 before the ensemble, which narrows the gaps)
    w_ngram: float = 0.4  # share of the n-gram classifier in the final score (ensemble)


DEFAULT_TUNING = Tuning()


@dataclass(frozen=True, slots=True)
class Ranked:
    """One candidate intent with its score in [0, 1]."""

    intent: str
    score: float


@dataclass(frozen=True, slots=True)
class _Example:
    intent: str
    stems: frozenset[str]
    weight: float


class Matcher:
    """Ranks intents for a message. Built once per resource set; read-only afterwards."""

    def __init__(
        self, intents: Mapping[str, Intent], analyzer: Analyzer, tuning: Tuning = DEFAULT_TUNING
    ) -> None:
        self._analyzer = analyzer
        self.tuning = tuning
        phrases: dict[str, list[frozenset[str]]] = defaultdict(list)
        keywords: dict[str, list[frozenset[str]]] = defaultdict(list)
        training: list[tuple[str, Counter[str]]] = []
        for intent in intents.values():
            for lang, phrase in intent.examples.all():
                analysis = analyzer.analyse(phrase, correct=False, lang=lang)
                stems = frozenset(analysis.stems)
                if stems:
                    phrases[intent.id].append(stems)
                    training.append((intent.id, self._features(analysis)))
            for lang, phrase in intent.keywords.all():
                stems = frozenset(analyzer.analyse(phrase, correct=False, lang=lang).stems)
                if stems:
                    keywords[intent.id].append(stems)
                    phrases[intent.id].append(stems)
        bags = {i: frozenset().union(*p) for i, p in phrases.items() if p}
        df: dict[str, int] = defaultdict(int)
        for bag in bags.values():
            for s in bag:
                df[s] += 1
        n = max(len(bags), 1)
        self._idf = {s: math.log(1 + n / d) for s, d in df.items()}
        self._unknown = max(self._idf.values(), default=1.0) * tuning.unknown_weight
        self._bags = bags
        self._examples: list[_Example] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for intent_id, stem_sets in phrases.items():
            for stems in stem_sets:
                index = len(self._examples)
                self._examples.append(_Example(intent_id, stems, self._weight(stems)))
                for s in stems:
                    self._postings[s].append(index)
        self._keywords = {i: [(k, self._weight(k)) for k in ks] for i, ks in keywords.items()}
        # The same postings as arrays, so a message's overlap with every example is one
        # bincount (no Python loop per example; same additions in the same order).
        self._intent_ids = list(dict.fromkeys(e.intent for e in self._examples))
        number = {intent_id: n for n, intent_id in enumerate(self._intent_ids)}
        self._example_intent = np.array([number[e.intent] for e in self._examples],
                                        dtype=np.intp)
        self._example_weight = np.array([e.weight for e in self._examples], dtype=np.float64)
        self._posting_arrays = {s: np.array(p, dtype=np.intp) for s, p in self._postings.items()}
        bag_postings: dict[str, list[int]] = defaultdict(list)
        for intent_id in self._intent_ids:
            for s in bags[intent_id]:
                bag_postings[s].append(number[intent_id])
        self._bag_postings = {s: np.array(p, dtype=np.intp) for s, p in bag_postings.items()}
        self._keyword_intents = [(number[i], i) for i in self._keywords if i in number]
        self._ngrams = NgramClassifier(training) if training and tuning.w_ngram else None
        self._ngram_order = np.array(
            [number[i] for i in self._ngrams.intents] if self._ngrams is not None else [],
            dtype=np.intp)

    @property
    def analyzer(self) -> Analyzer:
        """The analyzer this matcher was built with."""
        return self._analyzer

    @staticmethod
    def _features(analysis: Analysis) -> Counter[str]:
        return features(analysis.words, analysis.stems)

    def _weight(self, stems: frozenset[str]) -> float:
        return sum(self._idf.get(s, self._unknown) for s in stems)

    def rank(self, analysis: Analysis, limit: int = 3, lexical: bool = False) -> list[Ranked]:
        """The ``limit`` best intents for an analysed message, best first.

        ``lexical`` leaves the n-gram classifier out: an example phrase is always its own
        nearest neighbour, so conflict checks between examples use the word scores alone.
        """
        message = frozenset(analysis.stems)
        if not message:
            return []
        m_weight = self._weight(message)
        t = self.tuning
        found, ex_score = self._best_examples(message, m_weight)
        ngram = self._ngram_scores(analysis) if not lexical else None
        w_ngram = t.w_ngram if ngram is not None and (ngram > 0).any() else 0.0
        if ngram is None:
            ngram = np.zeros(len(self._intent_ids))
        bag_score = self._bag_overlap(message)[found] / m_weight
        kw_score = self._keyword_scores(message)[found]
        total = t.w_example * ex_score + t.w_bag * bag_score + t.w_keyword * kw_score
        total = np.minimum((1 - w_ngram) * total + w_ngram * ngram[found], 1.0)
        only_ngram = ngram > 0
        only_ngram[found] = False
        ids = np.concatenate([found, np.flatnonzero(only_ngram)])
        values = np.concatenate([total, w_ngram * ngram[only_ngram]])
        # Scores are rounded to 4 decimals; only values within 2e-4 of the limit-th best
        # can reach the top after rounding, so only those become Ranked (same result).
        if len(values) > limit:
            floor = np.partition(values, len(values) - limit)[len(values) - limit] - 2e-4
            keep = np.flatnonzero(values >= floor)
        else:
            keep = np.arange(len(values))
        results = [Ranked(self._intent_ids[ids[n]], round(float(values[n]), 4)) for n in keep]
        return heapq.nlargest(limit, results, key=lambda r: (r.score, r.intent))

    def _ngram_scores(self, analysis: Analysis) -> npt.NDArray[np.float64] | None:
        """The n-gram classifier's score per intent (matcher order); None without one."""
        if self._ngrams is None:
            return None
        best = self._ngrams.best(self._features(analysis))
        if best is None:
            return None
        scores = np.zeros(len(self._intent_ids))
        scores[self._ngram_order] = best
        return scores

    def _keyword_scores(self, message: frozenset[str]) -> npt.NDArray[np.float64]:
        """Per intent, how strongly a staff keyword of it is in the message."""
        scores = np.zeros(len(self._intent_ids))
        for number, intent_id in self._keyword_intents:
            scores[number] = self._keyword_score(intent_id, message)
        return scores

    def _keyword_score(self, intent_id: str, message: frozenset[str]) -> float:
        score = 0.0
        for stems, weight in self._keywords.get(intent_id, ()):
            if stems <= message:
                score = max(score, min(1.0, weight / 3.0))
        return score

    def _bag_overlap(self, message: frozenset[str]) -> npt.NDArray[np.float64]:
        """Per intent, the idf of the message's words its vocabulary has (message order)."""
        indices, weights = [], []
        for s in message:
            intents = self._bag_postings.get(s)
            if intents is not None:
                indices.append(intents)
                weights.append(np.full(len(intents), self._idf[s]))
        if not indices:
            return np.zeros(len(self._intent_ids))
        counted = np.bincount(np.concatenate(indices), weights=np.concatenate(weights),
                              minlength=len(self._intent_ids))
        return counted.astype(np.float64, copy=False)

    def _best_examples(
        self, message: frozenset[str], m_weight: float
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        """The intents sharing a word with the message, and the score of each one's best
        example."""
        indices, weights = [], []
        for s in message:
            w = self._idf.get(s)
            postings = self._posting_arrays.get(s) if w is not None else None
            if w is not None and postings is not None:
                indices.append(postings)
                weights.append(np.full(len(postings), w))
        if not indices:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        overlap = np.bincount(np.concatenate(indices), weights=np.concatenate(weights),
                              minlength=len(self._examples))
        hit = np.flatnonzero(overlap)
        shared = overlap[hit]
        t = self.tuning
        coverage = shared / self._example_weight[hit]
        precision = shared / m_weight
        score = t.coverage_share * coverage + (1 - t.coverage_share) * precision
        best = np.zeros(len(self._intent_ids))
        np.maximum.at(best, self._example_intent[hit], score)
        found = np.unique(self._example_intent[hit])
        return found, best[found]


@dataclass(frozen=True, slots=True)
class Decision:
    """What the matcher concluded: an intent, or unsure with the closest candidates."""

    intent: str | None  # None: not confident enough to answer
    confidence: float
    candidates: tuple[Ranked, ...]


def decide(ranked: list[Ranked], tuning: Tuning = DEFAULT_TUNING) -> Decision:
    """Apply the confidence threshold and the ambiguity margin."""
    if not ranked:
        return Decision(None, 0.0, ())
    top = ranked[0]
    if top.score < tuning.threshold:
        return Decision(None, top.score, tuple(ranked[:2]))
    if (
        len(ranked) > 1
        and top.score < tuning.confident
        and top.score - ranked[1].score < tuning.margin
    ):
        return Decision(None, top.score, tuple(ranked[:2]))
    return Decision(top.intent, top.score, tuple(ranked))
