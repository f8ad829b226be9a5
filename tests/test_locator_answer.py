"""Replies for nearest services (bot.finder over bot.locator.answer): text, buttons,
session memory, EN and FR."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from bot.finder import Finder
from bot.locator import Locator, NotFound, TooCoarse
from bot.locator.answer import map_url
from bot.reply import PlaceRef
from bot.session import Session
from tests.helpers.locator import (
    CATEGORIES,
    NOON_VANCOUVER,
    TODAY,
    fixture_root,
    make_resources,
)

MAIN_AND_HASTINGS = PlaceRef("Main and Hastings", 49.2811, -123.0997, "region")


@cache
def locator() -> Locator:
    return Locator.load(fixture_root(), today=TODAY)


def finder() -> Finder:
    return Finder(locator())


def _actions(reply: object) -> list[str]:
    return [b.action for b in reply.buttons]  # type: ignore[attr-defined]


def test_search_lists_nearest_with_details_and_buttons() -> None:
    """A search shows up to three services with distance, address, hours, map and date."""
    session = Session()
    reply = finder().search(session, MAIN_AND_HASTINGS, "consumption_site", "en", NOON_VANCOUVER)
    assert reply.intent == "services"
    assert len(reply.services) == 3
    assert reply.services == tuple(sorted(reply.services, key=lambda s: s.distance_m))
    assert "min walk" in reply.text
    assert "https://www.openstreetmap.org/?mlat=" in reply.text
    assert "Last checked: 2026-11-27" in reply.text
    assert "Hours unknown" in reply.text
    assert "call 911" in reply.text
    assert reply.place == MAIN_AND_HASTINGS
    assert {"more", "open_now", "cat:naloxone"} <= set(_actions(reply))
    assert "cat:consumption_site" not in _actions(reply)
    assert (session.lat, session.category, session.offset) == (49.2811, "consumption_site", 0)


def test_closed_services_never_appear() -> None:
    """The closed Thomus Donaghy site is in the data but never shown."""
    reply = finder().search(
        Session(),
        PlaceRef("Howe", 49.2785, -123.1262, "region"),
        "consumption_site",
        "en",
        NOON_VANCOUVER,
    )
    assert "Thomus Donaghy" not in reply.text
    assert all(s.id != "thomus-donaghy-ops" for s in reply.services)


def test_more_pages_on_and_then_says_that_is_all() -> None:
    """'more' continues numbering; past the end it says so politely."""
    session = Session()
    finder().search(session, MAIN_AND_HASTINGS, "consumption_site", "en", NOON_VANCOUVER)
    second = finder().press(session, "more", "en", NOON_VANCOUVER)
    assert second is not None
    assert second.text.splitlines()[2].startswith("4. ")
    third = finder().press(session, "more", "en", NOON_VANCOUVER)
    assert third is not None
    assert "That's all I know" in third.text


def test_open_now_filters_by_hours() -> None:
    """'open_now' keeps only services known to be open (the 24/7 crisis centre)."""
    session = Session()
    finder().search(session, MAIN_AND_HASTINGS, "crisis", "en", NOON_VANCOUVER)
    reply = finder().press(session, "open_now", "en", NOON_VANCOUVER)
    assert reply is not None
    assert "open now" in reply.text
    assert [s.open_now for s in reply.services] == [True]
    assert "Open 24/7" in reply.text
    assert "open_now" not in _actions(reply)


def test_category_button_searches_the_same_place() -> None:
    """'cat:<id>' repeats the search for another category at the remembered place."""
    session = Session()
    finder().search(session, MAIN_AND_HASTINGS, "naloxone", "en", NOON_VANCOUVER)
    reply = finder().press(session, "cat:drug_checking", "fr", NOON_VANCOUVER)
    assert reply is not None
    assert reply.text.startswith("Analyse de substances près de Main and Hastings")
    assert session.category == "drug_checking"


def test_buttons_expire_politely_without_a_session() -> None:
    """Without a remembered place, buttons ask for a location instead of failing."""
    for action in ("more", "open_now", "cat:naloxone", "place:zzz"):
        reply = finder().press(Session(), action, "en")
        assert reply is not None
        assert "expired" in reply.text
        assert reply.request_location


def test_foreign_actions_are_not_handled() -> None:
    """Actions of other features return None."""
    assert finder().press(Session(), "intent:naloxone", "en") is None
    assert finder().press(Session(), "lang:fr", "en") is None


def test_ambiguous_place_asks_and_the_button_searches() -> None:
    """An ambiguous town asks with place buttons; pressing one runs the search there."""
    session = Session()
    reply = finder().place(session, locator().find_place("Stratford"), "naloxone", "en")
    assert reply.text == "There is more than one Stratford. Which one?"
    assert _actions(reply)[0].startswith("place:")
    assert len(session.choices) == len(reply.buttons)
    chosen = finder().press(session, _actions(reply)[0], "en", NOON_VANCOUVER)
    assert chosen is not None
    assert "Stratford, ON" in chosen.text
    assert session.choices == {}


def test_place_key_still_works_after_the_session_forgot_it() -> None:
    """Gazetteer keys are stable, so an old button still finds its town."""
    outcome = locator().find_place("Stratford")
    key = outcome.candidates[0].key  # type: ignore[union-attr]
    reply = finder().press(Session(), f"place:{key}", "en", NOON_VANCOUVER)
    assert reply is not None
    assert "Stratford, ON" in reply.text


@pytest.mark.parametrize(
    ("outcome", "fragment"),
    [(TooCoarse("V0J"), "large rural area"), (NotFound("Xyzzy"), "don't know the place")],
)
def test_unusable_places_ask_kindly_for_a_location(outcome: object, fragment: str) -> None:
    """Too coarse or unknown places explain and offer the location button."""
    reply = finder().place(Session(), outcome, "naloxone", "en")  # type: ignore[arg-type]
    assert fragment in reply.text
    assert reply.request_location


def test_far_away_place_never_points_thousands_of_km_away() -> None:
    """With nothing within 150 km, no far site is named: the province's lines instead."""
    reply = finder().place(
        Session(), locator().find_place("Montreal"), "naloxone", "fr", NOON_VANCOUVER
    )
    assert "à moins de 25 km de Montréal, QC" in reply.text
    assert "Vancouver" not in reply.text and not reply.services
    assert "à moins de 150 km" in reply.text
    assert "https://www.inspq.qc.ca/sites/default/files/cartes/naloxone/index.html" in reply.text
    assert "Pharmacies : trousses gratuites." in reply.text


@pytest.mark.parametrize(
    ("lat", "lon"), [(math.nan, 0.0), (91.0, 0.0), (0.0, 181.0), (math.inf, 1.0)]
)
def test_bad_shared_location_is_a_kind_message(lat: float, lon: float) -> None:
    """Impossible coordinates never raise: they get a message and the location button."""
    reply = finder().location(Session(), lat, lon, "en")
    assert "couldn't read that location" in reply.text
    assert reply.request_location


def test_shared_location_defaults_to_naloxone_and_offers_categories() -> None:
    """A location with no category yet searches naloxone and offers the other categories."""
    session = Session()
    reply = finder().location(session, 49.2811, -123.0997, "en", now=NOON_VANCOUVER)
    assert reply.text.startswith("Naloxone kits near your location")
    assert "Pharmacies: free kits." in reply.text  # BC's program, from regions/bc.yaml
    assert "cat:treatment" in _actions(reply)
    assert not reply.request_location
    assert reply.place is not None and reply.place.source == "location"


def test_french_reply_uses_french_labels_and_decimal_comma() -> None:
    """French answers are in French, with a decimal comma in distances."""
    reply = finder().search(Session(), MAIN_AND_HASTINGS, "treatment", "fr", NOON_VANCOUVER)
    assert reply.text.startswith("Traitement près de Main and Hastings")
    assert ",0 km" in reply.text  # e.g. "3,0 km"
    assert "Vérifié le" in reply.text
    assert "appelez le 911" in reply.text


def test_closing_time_is_shown_in_region_time(tmp_path: Path) -> None:
    """Open services say when they close, and closed ones when they open, in local time."""
    noon, late = _noon_en_and_evening_fr(make_resources(tmp_path))
    assert "Open now, closes at 17:00" in noon
    assert "Fermé, ouvre sam. 9 h" in late


def _noon_en_and_evening_fr(root: Path) -> tuple[str, str]:
    """A nearby search at noon in English and on Friday 19:00 (Vancouver) in French."""
    loc = Locator.load(root, today=TODAY, default_region="testregion")
    place = PlaceRef("here", 49.28, -123.099, "location")
    noon = Finder(loc).search(Session(), place, "naloxone", "en", NOON_VANCOUVER)
    late = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    evening = Finder(loc).search(Session(), place, "naloxone", "fr", late)
    return noon.text, evening.text


def test_weekday_and_today_words_are_staff_editable(tmp_path: Path) -> None:
    """The words around a closing time come from categories.yaml texts, like open_until."""
    texts = """\
texts:
  today_at: {en: "at exactly {time}", fr: "pile à {time}"}
  weekday_sat: {en: "Saturday", fr: "samedi"}
"""
    noon, late = _noon_en_and_evening_fr(make_resources(tmp_path, categories=CATEGORIES + texts))
    assert "Open now, closes at exactly 17:00" in noon
    assert "Fermé, ouvre samedi 9 h" in late


def test_unknown_category_asks_which_category() -> None:
    """An unknown category asks what the person is looking for."""
    reply = finder().search(Session(), MAIN_AND_HASTINGS, "spaceships", "en")
    assert reply.text == "What are you looking for?"
    assert all(a.startswith("cat:") for a in _actions(reply))


def test_map_link_format() -> None:
    """Map links point at OpenStreetMap, zoomed on the service."""
    assert map_url(49.28111, -123.10111) == (
        "https://www.openstreetmap.org/?mlat=49.28111&mlon=-123.10111#map=17/49.28111/-123.10111"
    )


def test_button_data_fits_telegram_limit() -> None:
    """Every button action fits in Telegram's 64-byte callback data."""
    session = Session()
    reply = finder().search(session, MAIN_AND_HASTINGS, "naloxone", "fr", NOON_VANCOUVER)
    assert all(len(a.encode()) <= 64 for a in _actions(reply))
