"""Ninth session (dv9): topic examples for how naloxone acts, for "dying to" as eagerness
and for no fun without the drug.
Our own sentences, not copied from any evaluation set."""

from __future__ import annotations

import pytest

from tests.test_emergency import route

# How naloxone works (brain receptors) and whether it always brings someone back: naloxone_about.
NALOXONE_ABOUT = [
    "how does naloxone act on the brain receptors",
    "does naloxone always bring a person back",
    "comment la naloxone agit sur les récepteurs du cerveau",
    "does narcan bring back everybody who overdoses",
    "how does narcan work in the brain",
]

# "Dying to" meaning eager: off-topic, not treatment or crisis.
OFF_TOPIC = [
    "i am dying to try that new taco place",
    "we are dying to see the fireworks",
]

# Nothing is fun any more without the drug: dependence, treatment (not using alone).
TREATMENT = [
    "i cant enjoy anything anymore unless im high",
    "i get no joy out of anything when i am sober",
    "je trouve plus rien le fun si je prends rien",
]

# Statements that must stay with crisis support after the new examples.
CRISIS = [
    "i want to die",
    "je veux mourir",
]


@pytest.mark.parametrize("text", NALOXONE_ABOUT)
def test_dv9_how_naloxone_works_is_naloxone_about(text: str) -> None:
    assert route(text) == "naloxone_about"


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_dv9_dying_to_as_eagerness_is_off_topic(text: str) -> None:
    assert route(text) == "out_of_scope"


@pytest.mark.parametrize("text", TREATMENT)
def test_dv9_no_fun_without_the_drug_is_treatment(text: str) -> None:
    assert route(text) == "treatment"


@pytest.mark.parametrize("text", CRISIS)
def test_dv9_crisis_stays_crisis(text: str) -> None:
    assert route(text) == "crisis_support"
