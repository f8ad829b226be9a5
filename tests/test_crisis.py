"""Suicidal thinking reaches crisis support (or the emergency answer when pills are taken)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.crisis import load_crisis
from bot.resources import Resources
from bot.session import Session
from tests.helpers.bundled import bundled


@cache
def resources() -> Resources:
    return bundled()


def route(text: str) -> str:
    reply = resources().dialogue.respond(text, Session(language="en"))
    return "emergency" if reply.emergency else reply.intent


# Written for this test, in the indirect ways people say it, without the word "suicide".
INDIRECT = [
    "i dont want to wake up tomorrow",
    "honestly i just want to stop existing",
    "everyone would be better off without me",
    "im thinking of taking my own life",
    "my son died of an overdose and i don't want to live without him",
    "what's even the point of living like this",
    "j'ai pu envie de vivre",
    "des fois j'ai envie de disparaître pour de bon",
    "ils seraient mieux sans moi",
    "je suis tannée de vivre",
    "je pense à mettre fin à mes jours",
    "j'veux juste mourir",
    "j'ai des idées noires depuis des semaines",
    "je ne voulais plus vivre",
    "I wanted to die",
    "je me sens comme un fardeau pour ma famille",
    "chu pu capable, j'veux juste que ça finisse",
]


@pytest.mark.parametrize("text", INDIRECT)
def test_indirect_suicidal_statements_reach_crisis_support(text: str) -> None:
    """First person, indirect, English or French: crisis support."""
    assert route(text) == "crisis_support"


@pytest.mark.parametrize(
    "text",
    [
        "i took all my pills because i want to die",
        "j'ai avalé toutes mes pilules pour en finir",
        "I took all my pills",
        "j'ai avalé tous mes médicaments",
    ],
)
def test_suicidal_statement_with_an_overdose_gets_the_emergency_answer(text: str) -> None:
    """Pills already taken: 911 first."""
    assert route(text) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "i'm dying to know if narcan expires",
        "can you die from fentanyl",
        "i want to stop using",
    ],
)
def test_figures_of_speech_and_questions_are_not_crisis(text: str) -> None:
    """Common words ("die", "killing", "stop") alone do not trigger the layer."""
    assert route(text) != "crisis_support"


def test_verdict_names_the_phrase_and_the_veto() -> None:
    """Staff can see which phrase decided."""
    crisis, problems = load_crisis(resources().root)
    assert crisis is not None and not problems
    verdict = crisis.judge(["je", "veux", "en", "finir", "avec", "la", "drogue"])
    assert not verdict.crisis and verdict.reason == "en finir avec la drogue"
    assert crisis.judge(["tired", "of", "living", "like", "this", "i", "want", "to", "die"]).crisis
    assert crisis.judge(["i", "want", "to", "really", "die"]).signal == "want to die"


def test_missing_file_is_a_warning(tmp_path: Path) -> None:
    """Without crisis.yaml the layer is off and validate says so."""
    crisis, problems = load_crisis(tmp_path)
    assert crisis is None and problems[0].severity == "warning"
