"""The dialogue core on the bundled resources: emergency first, topics, places, buttons."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.resources import Resources, load_resources
from bot.session import Session

NOON_VANCOUVER = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@cache
def resources() -> Resources:
    return load_resources()


def ask(text: str, lang: str = "en", session: Session | None = None):  # type: ignore[no-untyped-def]
    return resources().dialogue.respond(
        text,
        session or Session(language=lang),  # type: ignore[arg-type]
        NOON_VANCOUVER,
    )


def test_emergency_leads_with_911_in_both_languages() -> None:
    """An overdose now gets the emergency answer, starting with the call to 911."""
    en = ask("my friend is turning blue and wont wake up")
    fr = ask("il ne respire plus, aidez-moi", "en")
    assert en.emergency and en.intent == "emergency"
    assert en.text.startswith("Call 911")
    assert fr.emergency and fr.language == "fr"
    assert fr.text.startswith("Appelez le 911")
    assert en.request_location


def test_hypothetical_overdose_gets_response_steps_not_alarm() -> None:
    """'What do I do if someone overdoses' is a question: the steps, without the alarm."""
    reply = ask("what do i do if someone overdoses")
    assert not reply.emergency
    assert reply.intent == "overdose_response"
    assert "911" in reply.text


def test_suicidal_crisis_is_not_an_overdose_emergency() -> None:
    """Suicidal thoughts go to crisis support with 9-8-8, not to the overdose steps."""
    reply = ask("i want to kill myself")
    assert not reply.emergency
    assert reply.intent == "crisis_support"
    assert "9-8-8" in reply.text


def test_slang_and_typos_are_understood() -> None:
    """Slang and misspellings reach the right topic."""
    assert ask("where can i get a narcn kit").intent == "naloxone_get"
    assert ask("wat r fent test strips").intent == "drug_checking"
    assert ask("using alone tonight is there a line i can call").intent == "using_alone"


def test_using_alone_gives_nors() -> None:
    """The using-alone answer gives the National Overdose Response Service number."""
    assert "1-888-688-6677" in ask("i always use by myself").text


def test_out_of_scope_gets_kind_fallback_with_topics() -> None:
    """Weather and gibberish get the fallback, which mentions 911 and offers topics."""
    for text in ("what's the weather like tomorrow", "qwpoeiruty zxmcnvb"):
        reply = ask(text)
        assert reply.intent == "out_of_scope"
        assert "911" in reply.text
        assert reply.buttons


def test_the_fallback_names_its_topics_and_offers_the_two_closest() -> None:
    """Issue 11: the topics are listed in the text (not only as buttons), an unsure
    question gets its two closest topics, an off-topic one the life-saving topics, and
    every fallback says to call 911, in both languages."""
    for text, lang in (
        ("who won the hockey game", "en"),
        ("je cherche un bon restaurant", "fr"),
        ("the strips with my cousin", "en"),
    ):
        reply = ask(text, lang)
        assert reply.intent == "out_of_scope"
        assert reply.language == lang
        assert "911" in reply.text
        assert reply.buttons
        for button in reply.buttons:
            assert f"• {button.label}" in reply.text
    off_topic = [b.action for b in ask("who won the hockey game").buttons]
    assert off_topic[:2] == ["intent:overdose_response", "intent:naloxone_get"]
    # Below the threshold, near two topics: the one each half of the message names.
    unsure = ask("the strips with my cousin")
    assert sorted(b.action for b in unsure.buttons) == [
        "intent:drug_checking",
        "intent:family_support",
    ]


def test_language_follows_the_message_and_falls_back_to_the_user() -> None:
    """A French message is answered in French; a bare keyword keeps the user's language."""
    assert ask("c'est quoi la naloxone").language == "fr"
    assert ask("naloxone", "fr").language == "fr"
    assert ask("naloxone", "en").language == "en"


def test_place_in_message_answers_in_one_step() -> None:
    """'naloxone near V6A' or 'safe site near main and hastings' lists services at once."""
    reply = ask("safe consumption site near main and hastings")
    assert reply.intent == "consumption_sites"
    assert reply.services
    assert reply.place is not None


def test_topic_buttons_and_find_nearest_work() -> None:
    """Related-topic buttons answer their topic; 'find nearest' asks for a location."""
    session = Session()
    reply = resources().dialogue.respond("where do i get naloxone", session, NOON_VANCOUVER)
    actions = [b.action for b in reply.buttons]
    assert "find:naloxone" in actions
    follow = resources().dialogue.respond_action("find:naloxone", session, NOON_VANCOUVER)
    assert follow.request_location
    topic = next(a for a in actions if a.startswith("intent:"))
    assert resources().dialogue.respond_action(topic, session).intent == topic.split(":")[1]


def test_shared_location_then_other_category() -> None:
    """A shared location lists services; the category buttons search from the same place."""
    session = Session()
    dialogue = resources().dialogue
    reply = dialogue.respond_location(49.2811, -123.0997, session, NOON_VANCOUVER)
    assert reply.services or "km" in reply.text
    cat = next(b.action for b in reply.buttons if b.action.startswith("cat:"))
    again = dialogue.respond_action(cat, session, NOON_VANCOUVER)
    assert again.place is not None and again.place.lat == pytest.approx(49.2811)


@pytest.mark.parametrize(
    "action",
    [
        "",
        "intent:nope",
        "x" * 200,
        "more",
        "place:zzz",
        "lang:de",
        "intent:../../etc",
        "cat:",
        "open_now",
    ],
)
def test_forged_or_stale_buttons_get_a_polite_reply(action: str) -> None:
    """Unknown, malformed or stale button data never raises and gets a readable reply."""
    reply = resources().dialogue.respond_action(action, Session())
    assert reply.text


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_gets_a_reply(text: str) -> None:
    """Any text at all (empty, emoji, control characters, any script) gets a non-empty reply."""
    reply = ask(text)
    assert reply.text.strip()
    assert reply.language in ("en", "fr")


def test_huge_message_is_answered() -> None:
    """A 10,000-character message is answered without trouble."""
    reply = ask("naloxone " * 1200)
    assert reply.text


@settings(max_examples=60, deadline=None)
@given(st.floats(allow_nan=True), st.floats(allow_nan=True))
def test_any_location_gets_a_reply(lat: float, lon: float) -> None:
    """Any coordinates (NaN, infinite, out of range, poles) get a reply, never an exception."""
    reply = resources().dialogue.respond_location(lat, lon, Session(), NOON_VANCOUVER)
    assert reply.text


def test_overdose_steps_follow_the_region_protocol(tmp_path: Path) -> None:
    """The response steps are the region's protocol: SAVE ME in BC, CAMH's 5 steps if set."""
    assert "S - Stimulate" in ask("what do i do if someone overdoses").text
    root = tmp_path / "resources"
    shutil.copytree(RESOURCES, root)
    region = root / "regions" / "vancouver.yaml"
    region.write_text(
        region.read_text(encoding="utf-8").replace("protocol: save_me", "protocol: five_steps"),
        encoding="utf-8",
    )
    other = load_resources(root)
    text = other.dialogue.respond("what do i do if someone overdoses", Session()).text
    assert text.startswith("If someone overdoses, call 911 first.")
    assert "Shake them at the shoulders" in text and "{protocol}" not in text


def test_anonymous_reports_are_capped_per_session() -> None:
    """Report buttons forward at most five reports per session to staff, then only thank."""
    dialogue = resources().dialogue
    session = Session()
    service = next(iter(resources().locator.services))  # type: ignore[union-attr]
    forwarded = [
        dialogue.respond_action(f"reason:{service}.closed", session).report is not None
        for _ in range(8)
    ]
    assert forwarded == [True] * 5 + [False] * 3
    assert Session().reports_sent == 0


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Salut, c'est quoi le fentanyl", "fentanyl_about"),
        ("hi, where can i get narcan", "naloxone_get"),
        ("hi", "greeting"),
        ("bonjour", "greeting"),
        ("merci beaucoup", "thanks"),
    ],
)
def test_a_greeting_before_a_question_answers_the_question(text: str, intent: str) -> None:
    """Small talk must explain the whole message; a question after "hi" is the question."""
    assert ask(text).intent == intent


def test_a_question_about_signs_never_gets_the_emergency_topic() -> None:
    """Held back by a question, the emergency examples it resembles do not answer either."""
    reply = ask("what are the signs someone is not breathing enough")
    assert not reply.emergency and reply.intent != "emergency"


def test_a_question_naming_a_sign_that_no_topic_claims_gets_the_response_steps() -> None:
    """Held back ("what if..."), with no confident topic: the steps, not the fallback."""
    reply = ask("what if I can't tell why she is unresponsive")
    assert not reply.emergency and reply.intent == "overdose_response"
