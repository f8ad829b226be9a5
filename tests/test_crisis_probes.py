"""Suicidal statements said in many ways (goodbyes, a date chosen, pills saved, "what's the
point"), and near-misses (figures of speech, a date for detox, school projects about
9-8-8). Written on 2026-12-02 by a reviewer who never read the evaluation sets; the
messages are in tests/data/crisis_probes.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.eval.run import CRISIS_ROUTES
from tests.test_emergency import route

PROBES: dict[str, list[str]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "crisis_probes.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("text", PROBES["suicidal"])
def test_a_suicidal_statement_reaches_crisis_support_or_911(text: str) -> None:
    assert route(text) in CRISIS_ROUTES


@pytest.mark.parametrize("text", PROBES["near"])
def test_a_near_miss_is_not_sent_to_crisis_support(text: str) -> None:
    assert route(text) not in CRISIS_ROUTES


# Our own neighbours of the tenth session's new phrases ("j'en finis", "is my last", "ce
# sera pas un accident", a goodbye "pour de bon", "what's the point of getting up").
NEIGHBOURS = [
    "j'en finis pas de rire avec ce show",
    "j'en finis jamais avec mes devoirs",
    "today is my last day at work before the holidays",
    "tonight is my last shift at the bar",
    "this weekend is my last weekend in montreal before i move",
    "my last exam is tomorrow",
    "j'ai dit bye à mes amis, je déménage à calgary pour de bon",
    "ce sera pas un accident si je réussis mon examen, j'ai étudié fort",
    "it wont be an accident if we win, we trained hard",
    "what's the point of getting up so early on a sunday",
    "i'll finally be free of everything once my exams are done",
    "mon cell va mourir y reste 3%",
]


@pytest.mark.parametrize("text", NEIGHBOURS)
def test_neighbours_of_the_new_phrases_are_not_crisis(text: str) -> None:
    assert route(text) not in CRISIS_ROUTES
