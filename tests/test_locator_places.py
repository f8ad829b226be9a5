"""Typed places resolve offline: postal codes, towns, local names, typos, ambiguity."""

from __future__ import annotations

from functools import cache

import pytest

from bot.locator import Ambiguous, Found, Locator, NotFound, TooCoarse
from tests.helpers.locator import TODAY, fixture_root


@cache
def locator() -> Locator:
    return Locator.load(fixture_root(), today=TODAY)


def _found_name(text: str) -> str:
    outcome = locator().find_place(text)
    assert isinstance(outcome, Found), outcome
    return outcome.place.name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("V6A 1A1", "V6A"),
        ("v6a1a1", "V6A"),
        ("v6a", "V6A"),
        ("Smithers, B.C.", "Smithers, BC"),
        ("London Ontario", "London, ON"),
        ("Montreal", "Montréal, QC"),
        ("Montréal", "Montréal, QC"),
        ("montréal québec", "Montréal, QC"),
        ("Monkton", "Moncton, NB"),
        ("Vancuver", "Vancouver, BC"),
        ("St. John's", "St. John's, NL"),
        ("Main and Hastings", "Main and Hastings"),
        ("DTES", "Downtown Eastside"),
    ],
)
def test_find_place_resolves_common_spellings(text: str, name: str) -> None:
    """Postal codes, towns with or without province, accents and typos all resolve."""
    assert _found_name(text) == name


def test_postal_code_resolves_to_its_area_centre() -> None:
    """A full postal code is searched from its FSA centroid, tagged as a postal code."""
    outcome = locator().find_place("V6A 1N5")
    assert isinstance(outcome, Found)
    assert outcome.place.source == "postal_code"
    assert outcome.place.lat == pytest.approx(49.2779, abs=0.01)


def test_region_place_is_tagged_region() -> None:
    """Local names from the region file carry the region source."""
    outcome = locator().find_place("main & hastings")
    assert isinstance(outcome, Found)
    assert outcome.place.source == "region"


def test_rural_fsa_is_too_coarse() -> None:
    """A rural FSA (second character 0) asks for the town instead."""
    assert locator().find_place("V0J") == TooCoarse("V0J", "BC")
    assert locator().find_place("v0j 2n0") == TooCoarse("V0J", "BC")


@pytest.mark.parametrize("name", ["Stratford", "Bridlewood", "Evergreen"])
def test_names_in_several_provinces_are_ambiguous(name: str) -> None:
    """A name found in several provinces offers each, largest first, with short keys."""
    outcome = locator().find_place(name)
    assert isinstance(outcome, Ambiguous)
    labels = [c.label for c in outcome.candidates]
    assert len({label.split(", ")[1] for label in labels}) == len(labels) >= 2
    assert all(len(f"place:{c.key}".encode()) <= 64 for c in outcome.candidates)


def test_province_settles_an_ambiguous_name() -> None:
    """Adding the province picks one place."""
    assert _found_name("Richmond BC") == "Richmond, BC"
    assert _found_name("Victoria, Colombie-Britannique") == "Victoria, BC"


def test_ambiguous_keys_resolve_back_to_the_place() -> None:
    """A candidate key can be turned back into the same place later."""
    outcome = locator().find_place("Stratford")
    assert isinstance(outcome, Ambiguous)
    first = outcome.candidates[0]
    assert locator().candidate(first.key) == first
    assert locator().candidate("g999999") is None
    assert locator().candidate("nonsense") is None


@pytest.mark.parametrize("text", ["Xyzzyville", "", "   ", "Z9Z", "W1A 1AA"])
def test_unknown_places_are_not_found(text: str) -> None:
    """Unknown names and invalid postal codes are NotFound."""
    assert isinstance(locator().find_place(text), NotFound)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("naloxone near V6A", "V6A"),
        ("safe site in Surrey", "Surrey, BC"),
        ("where can I get narcan in london ontario", "London, ON"),
        ("naloxone près de Montréal", "Montréal, QC"),
        ("main and hastings", "Main and Hastings"),
        ("any drug checking around the DTES?", "Downtown Eastside"),
        ("drug checking in vancouver please", "Vancouver, BC"),
        ("Toronto", "Toronto, ON"),
    ],
)
def test_extract_place_finds_a_mention(text: str, name: str) -> None:
    """A place inside a longer message is found in one step."""
    outcome = locator().extract_place(text)
    assert isinstance(outcome, Found), outcome
    assert outcome.place.name == name


@pytest.mark.parametrize(
    "text",
    [
        "I need naloxone",
        "what is fentanyl",
        "I am in pain",
        "is it safe to use near me",
        "help me please",
        "I'm at home",
        "in case of overdose what do I do",
        "",
    ],
)
def test_extract_place_is_conservative(text: str) -> None:
    """Messages without a place mention give None, even with 'in' or 'near'."""
    assert locator().extract_place(text) is None


def test_extract_place_can_return_ambiguity() -> None:
    """An ambiguous town in a message still asks which one."""
    assert isinstance(locator().extract_place("naloxone in Stratford"), Ambiguous)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Victoria", "Victoria, BC"),
        ("Richmond", "Richmond, BC"),
        ("Windsor", "Windsor, ON"),
        ("Kingston", "Kingston, ON"),
    ],
)
def test_a_much_bigger_town_wins_without_asking(name: str, label: str) -> None:
    """When one town of the name is far bigger than the others, it is taken directly."""
    assert _found_name(name) == label
