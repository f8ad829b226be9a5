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
        ("use", features(["how", "to", "inject", "naloxone"], ["inject", "naloxon"])),
        ("get", features(["where", "to", "find", "naloxone"], ["find", "naloxon"])),
        *[
            ("other", features([word], [word]))
            for word in ("hello", "thanks", "weather", "bus", "music", "pizza", "rain", "snow")
        ],
    ]
    model = NgramClassifier(train)
    scores = model.scores(features(["injecting", "naloxon"], ["injecting", "naloxon"]))
    assert scores["use"] > scores["get"] > 0
    assert "other" not in scores
    assert model.scores(Counter({"c<zz>": 1})) == {}


def test_lexical_path_works_without_the_classifier() -> None:
    """w_ngram=0 turns the ensemble off: the word matcher alone still answers."""
    resources = bundled()
    lexical = Matcher(
        resources.kb.intents, resources.analyzer, dataclasses.replace(DEFAULT_TUNING, w_ngram=0.0)
    )
    analysis = resources.analyzer.analyse("where can i get naloxone", lang="en")
    assert decide(lexical.rank(analysis)).intent == "naloxone_get"
    assert decide(resources.matcher.rank(analysis)).intent == "naloxone_get"
