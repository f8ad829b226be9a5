"""Tenth session (ex10c): topic examples for naloxone, overdose response, accidental
ingestion and treatment. Our own sentences, not copied from any evaluation set."""

from __future__ import annotations

import pytest

from tests.test_emergency import route

# No kit on hand: what to do for an overdose anyway is the response, not naloxone facts.
NO_KIT = [
    "i dont carry narcan, what should i do if my friend overdoses",
    "pas de naloxone sur moi, comment j'aide si quelqu'un fait une surdose",
]

# A kit lost or used up, wanting another: getting naloxone.
REPLACE = [
    "misplaced my naloxone kit, need a replacement",
    "j'ai perdu ma trousse, ou j'en ravoir une vite",
]

# A kit that got wet or damaged, is it still good: storage.
DAMAGED = [
    "my narcan got wet in my backpack, does it still work",
    "ma trousse a pris l'eau, est tu encore bonne",
]

# Fear that the person wakes up aggressive: about naloxone.
AGGRESSIVE = [
    "la naloxone rend tu les gens agressifs quand y se réveillent",
]

# An adult swallowing the wrong pills by mistake: accidental ingestion.
MISTAKE = [
    "j'ai avalé les pilules de mon père par erreur",
]

# Prescribed safer supply: treatment.
SAFER_SUPPLY = [
    "how can i get prescribed safer supply",
    "comment avoir du safe supply prescrit",
]

CRISIS = ["i want to die", "je veux mourir"]


@pytest.mark.parametrize("text", NO_KIT)
def test_ex10c_no_kit_is_overdose_response(text: str) -> None:
    assert route(text) == "overdose_response"


@pytest.mark.parametrize("text", REPLACE)
def test_ex10c_lost_kit_is_naloxone_get(text: str) -> None:
    assert route(text) == "naloxone_get"


@pytest.mark.parametrize("text", DAMAGED)
def test_ex10c_damaged_kit_is_storage(text: str) -> None:
    assert route(text) == "naloxone_storage"


@pytest.mark.parametrize("text", AGGRESSIVE)
def test_ex10c_waking_up_aggressive_is_naloxone_about(text: str) -> None:
    assert route(text) == "naloxone_about"


@pytest.mark.parametrize("text", MISTAKE)
def test_ex10c_wrong_pills_is_accidental_ingestion(text: str) -> None:
    assert route(text) == "accidental_ingestion"


@pytest.mark.parametrize("text", SAFER_SUPPLY)
def test_ex10c_safer_supply_is_treatment(text: str) -> None:
    assert route(text) == "treatment"


@pytest.mark.parametrize("text", CRISIS)
def test_ex10c_crisis_stays_crisis(text: str) -> None:
    assert route(text) == "crisis_support"
