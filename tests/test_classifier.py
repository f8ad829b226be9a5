"""The n-gram classifier of the matcher ensemble, and the lexical path without it."""

from __future__ import annotations

import dataclasses
from collections import Counter

from bot.classifier import NgramClassifier, features
from bot.matcher import DEFAULT_TUNING, Matcher, decide
from tests.helpers.bundled import bundled


def test_character_ngrams_see_through_inflections_and_typos() -> None:
    """Words the examples never used still meet their neighbours by shared letters."""
    train = [
        ("use", ["how", "to", "inject", "naloxone"], ["inject", "naloxon"]),
        ("get", ["where", "to", "find", "naloxone"], ["find", "naloxon"]),
        *[
            ("other", [word], [word])
            for word in ("hello", "thanks", "weather", "bus", "music", "pizza", "rain", "snow")
        ],
    ]
    model = NgramClassifier(train)
    scores = model.scores(features(["injecting", "naloxon"], ["injecting", "naloxon"]))
    assert scores["use"] > scores["get"] > 0
    assert "other" not in scores
    assert model.scores(Counter({"c<zz>": 1})) == {}


def test_an_example_is_its_own_closest_neighbour() -> None:
    """Training counts each example's features as ``features`` does: an example phrase,
    repeated words and all, scores a cosine of 1 against its own intent."""
    words, stems = ["take", "take", "naloxone", "kit"], ["take", "take", "naloxon", "kit"]
    model = NgramClassifier(
        [
            ("kit", words, stems),
            ("kit", ["naloxone", "kit", "free"], ["naloxon", "kit", "free"]),
            *[("other", [word], [word]) for word in ("bus", "rain", "snow", "pizza", "music")],
        ]
    )
    scores = model.scores(features(words, stems))
    assert abs(scores["kit"] - 1.0) < 1e-6
    assert "other" not in scores


def test_lexical_path_works_without_the_classifier() -> None:
    """w_ngram=0 turns the ensemble off: the word matcher alone still answers."""
    resources = bundled()
    lexical = Matcher(
        resources.kb.intents, resources.analyzer, dataclasses.replace(DEFAULT_TUNING, w_ngram=0.0)
    )
    analysis = resources.analyzer.analyse("where can i get naloxone", lang="en")
    assert decide(lexical.rank(analysis)).intent == "naloxone_get"
    assert decide(resources.matcher.rank(analysis)).intent == "naloxone_get"
