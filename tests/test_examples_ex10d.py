"""Tenth session (ex10d): topic examples for the help menu (a bot or a person?), the ways of
using a supervised site, and an opened or damaged naloxone kit.
Our own sentences, not copied from any evaluation set."""

from __future__ import annotations

import pytest

from tests.test_emergency import route

# Asking whether a human answers, or what questions the bot takes: the help menu.
HELP = [
    "is this an actual person or a bot answering",
    "what type of questions do you answer",
    "t es un humain ou une machine toi",
    "quelles affaires je peux te demander au juste",
]

# Which way of using a site allows (smoke, snort, inject only): supervised sites.
SITES = [
    "can you smoke at the sites or only inject",
    "les sites laissent tu fumer ou juste piquer",
]

# A kit opened or damaged: storage, still good?
STORAGE = [
    "the kit box got ripped open in my bag, is the spray still ok",
    "j'ai ouvert l'emballage du narcan, il reste bon combien de temps",
]

# Afraid to freeze on the 911 call, rehearsing the words ahead: calling 911.
CALL = [
    "je fige quand j'appelle, je dis quoi au 911 pour une od",
    "what do i even say to 911, i freeze up",
]

CRISIS = ["i want to die", "je veux mourir"]


@pytest.mark.parametrize("text", HELP)
def test_ex10d_bot_or_person_is_help(text: str) -> None:
    assert route(text) == "help"


@pytest.mark.parametrize("text", SITES)
def test_ex10d_ways_of_using_a_site(text: str) -> None:
    assert route(text) == "consumption_sites"


@pytest.mark.parametrize("text", STORAGE)
def test_ex10d_opened_or_damaged_kit_is_storage(text: str) -> None:
    assert route(text) == "naloxone_storage"


@pytest.mark.parametrize("text", CRISIS)
def test_ex10d_crisis_stays_crisis(text: str) -> None:
    assert route(text) == "crisis_support"


@pytest.mark.parametrize("text", CALL)
def test_ex10d_rehearsing_the_911_call(text: str) -> None:
    assert route(text) == "calling_911"
