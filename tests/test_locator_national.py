"""The national finder through the real dialogue: places in any phrasing, every province's
lines, remembered places, "near me", and no far-away answers."""

from __future__ import annotations

import json
from functools import cache
from io import StringIO

import pytest

from bot.cli import build_parser, cmd_ask
from bot.reply import Reply
from bot.resources import Resources, load_resources
from bot.session import Session
from tests.helpers.locator import ROOT, TODAY


@cache
def resources() -> Resources:
    return load_resources(ROOT, today=TODAY)


def ask(text: str, session: Session | None = None) -> tuple[str, Session, Reply]:
    session = session or Session()
    reply = resources().dialogue.respond(text, session)
    return reply.text, session, reply


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("where is a supervised consumption site in Toronto", "Toronto, ON"),
        ("toronto safe injection site", "Toronto, ON"),
        ("naloxone in Moncton", "Moncton, NB"),
        ("site de consommation supervisée à Montréal", "Montréal, QC"),
        ("naloxone près de Sherbrooke", "Sherbrooke, QC"),
        ("winipeg safe consumption site", "Winnipeg, MB"),
        ("safe injection site near M5B", "M5B"),
    ],
)
def test_topic_questions_naming_a_place_search_there(text: str, place: str) -> None:
    """Any phrasing, typos and postal codes: the reply is a search centred on the place."""
    _, _, reply = ask(text)
    assert reply.place is not None and reply.place.name == place


def test_toronto_gets_toronto_sites_not_vancouver() -> None:
    """The bug of the issue: Toronto no longer answers 'the nearest is in Vancouver'."""
    text, _, reply = ask("safe injection site near toronto")
    assert "Vancouver" not in text
    assert reply.services
    assert all(s.distance_m < 25_000 for s in reply.services)
    assert "call before you go" in text or "location approximate" in text
    assert "1-888-688-6677" in text and "1-866-531-2600" in text  # NORS, ConnexOntario


def test_province_alone_gets_its_program_and_locator() -> None:
    text, _, reply = ask("naloxone in Ontario")
    assert "https://www.ontario.ca/page/get-naloxone-kits-free" in text
    assert reply.province == "ON" and not reply.services


def test_nothing_near_names_no_far_site_and_gives_the_lines() -> None:
    """Iqaluit: no site within 150 km, so none is named; Nunavut's caveat instead of 911."""
    text, _, reply = ask("naloxone in Iqaluit")
    assert not reply.services
    assert "RCMP" in text and "call 911" not in text
    assert "health centre" in text


def test_shared_location_is_remembered_for_follow_ups() -> None:
    session = Session()
    resources().dialogue.respond_location(45.5088, -73.5878, session)
    text, _, reply = ask("where is the nearest supervised consumption site", session)
    assert reply.place is not None and reply.place.source == "location"
    assert "CACTUS" in text or "Spectre" in text
    _, _, reply = ask("where is the nearest supervised consumption site", Session())
    assert reply.place is None


def test_near_me_without_a_place_asks_for_the_location() -> None:
    _, session, reply = ask("naloxone near me")
    assert reply.request_location and session.awaiting_place
    assert not reply.services


def test_emergency_in_nunavut_says_whom_to_call() -> None:
    session = Session()
    resources().dialogue.respond_location(63.75, -68.52, session)
    text, _, reply = ask("my friend is overdosing and not breathing", session)
    assert reply.emergency
    assert "RCMP" in text.split("\n")[1]


def test_ask_json_line_with_location_and_text_searches_there() -> None:
    """`hrbot ask`: location + text acts like sharing the location, then the text."""
    line = json.dumps(
        {"text": "where can i get naloxone", "location": {"lat": 49.8844, "lon": -97.147}}
    )
    out = StringIO()
    args = build_parser().parse_args(["ask", "--resources", str(ROOT)])
    cmd_ask(args, StringIO(line + "\n"), out)
    result = json.loads(out.getvalue())
    assert result["place"]["source"] == "location" and result["province"] == "MB"
    assert [s["id"] for s in result["services"]] == ["street-connections"]
    assert result["services"][0]["precision"] == "city"


def test_approximate_sites_say_so_and_search_the_address() -> None:
    text, _, _ = ask("supervised consumption site in Saskatoon")
    assert "location approximate" in text
    assert "openstreetmap.org/search?query=1516+20th+Street+West" in text


def test_closed_sites_are_never_shown() -> None:
    for place in ("Hamilton", "Red Deer", "Kitchener", "Guelph"):
        _, _, reply = ask(f"supervised consumption site in {place}")
        shown = {s.id for s in reply.services}
        locator = resources().locator
        assert locator is not None
        assert all(locator.services[i].status != "closed" for i in shown)


@pytest.mark.parametrize("town", ["Ottawa", "ottawa on", "Regina", "Gatineau"])
def test_a_town_alone_is_a_search_there(town: str) -> None:
    """A message that is only a town is a search, even one the matcher files off-topic
    ("Ottawa": a team, a government); mid-emergency too (the reply still says 911)."""
    _, _, reply = ask(town)
    assert reply.place is not None and reply.place.name.split(",")[0] in town.title()
    session = Session(language="en")
    ask("my friend is not breathing", session)
    text, _, reply = ask(town, session)
    assert reply.place is not None
    assert "911" in text


@pytest.mark.parametrize("text", ["weather in ottawa", "ottawa senators score"])
def test_an_off_topic_message_naming_a_town_stays_off_topic(text: str) -> None:
    _, _, reply = ask(text)
    assert reply.place is None and reply.intent == "out_of_scope"


@pytest.mark.parametrize("town", ["Ottawa", "Toronto", "Halifax"])
def test_a_town_alone_keeps_the_conversation_language(town: str) -> None:
    """A town's name says nothing of the language ("Ottawa" reads as English)."""
    session = Session(language="en")
    ask("où trouver de la naloxone", session)
    _, _, reply = ask(town, session)
    assert reply.language == "fr" and reply.place is not None
