"""Conversations keep their thread: after the emergency answer or crisis support, the next
fragments are read in it (bot/thread.py), on the bundled resources and the real dialogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.reply import Reply
from bot.resources import load_resources
from bot.session import Session
from bot.shared.codec import decode, encode
from bot.thread import THREAD_TURNS
from tests.helpers.bundled import bundled


def converse(*texts: str, session: Session | None = None) -> list[Reply]:
    """Each message in turn, in one session that starts in English like a new user."""
    session = session or Session(language="en")
    return [bundled().dialogue.respond(t, session) for t in texts]


def followup(intent: str, lang: str) -> str:
    found = bundled().kb.intents[intent].followup
    assert found is not None
    return found.get(lang).strip()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [
        ("my friend isnt breathing", "we gave him one dose and nothing", "en"),
        ("my friend isnt breathing", "not yet", "en"),
        ("my friend isnt breathing", "no one here", "en"),
        ("il respire plus, il est bleu", "pas encore", "fr"),
        ("il respire plus, il est bleu", "jfais quoi la", "fr"),
    ],
)
def test_a_fragment_after_the_emergency_gets_the_steps_that_matter_now(
    first: str, then: str, lang: str
) -> None:
    """Alone, "not yet" names no topic; after the emergency answer it is still one."""
    alone = converse(then)[0]
    assert not alone.emergency
    opened, reply = converse(first, then)
    assert opened.emergency
    assert reply.emergency and reply.intent == "emergency" and reply.language == lang
    assert reply.text == followup("emergency", lang)
    assert reply.text.startswith(("Call 911", "Appelez le 911"))
    assert reply.request_location  # the urgent reply keeps offering "share my location"


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [
        ("i want to die", "idk", "en"),
        ("i want to die", "ok", "en"),
        ("i want to die", "tired", "en"),
        ("je veux mourir", "je sais pas", "fr"),
        ("je veux mourir", "jpeux appeler personne", "fr"),
    ],
)
def test_a_fragment_after_crisis_support_stays_with_crisis_support(
    first: str, then: str, lang: str
) -> None:
    """ "je sais pas" after "je veux mourir" is no question about overdose signs."""
    opened, reply = converse(first, then)
    assert opened.intent == "crisis_support"
    assert reply.intent == "crisis_support" and not reply.emergency
    assert reply.language == lang
    assert reply.text == followup("crisis_support", lang)
    assert "9-8-8" in reply.text and "911" in reply.text


@pytest.mark.parametrize(
    ("taken", "lang"),
    [
        ("i took them", "en"),
        ("took some", "en"),
        ("j'en ai pris", "fr"),
        ("je les ai prises", "fr"),
    ],
)
def test_a_dose_taken_in_a_crisis_conversation_is_the_emergency(taken: str, lang: str) -> None:
    """What was taken is what the conversation was about: 911 first."""
    _, reply = converse("i want to die" if lang == "en" else "je veux mourir", taken)
    assert reply.emergency and reply.intent == "emergency"


@pytest.mark.parametrize(
    "other",
    ["i took a shower", "I took the day off", "j'ai pris ma décision", "j'ai pris une marche"],
)
def test_taking_something_else_in_a_crisis_conversation_is_no_emergency(other: str) -> None:
    _, reply = converse("i want to die", other)
    assert not reply.emergency


@pytest.mark.parametrize(
    ("then", "intent"),
    [
        ("where can i get naloxone", "naloxone_get"),
        ("how do i give the nasal spray", "naloxone_use"),
        ("thank you", "thanks"),
    ],
)
def test_a_clear_question_in_a_thread_is_answered_as_asked(then: str, intent: str) -> None:
    """The thread answers only what would otherwise go unanswered."""
    _, reply = converse("my friend isnt breathing", then)
    assert reply.intent == intent


def test_a_message_surely_off_topic_is_not_answered_with_the_steps() -> None:
    """ "What time is it" after the emergency: the person moved on; the fallback stands."""
    _, reply = converse("my friend isnt breathing", "what is the capital of france")
    assert not reply.emergency and reply.intent == "out_of_scope"


def test_the_thread_ends_by_itself_and_a_new_one_starts_over() -> None:
    session = Session(language="en")
    converse("my friend isnt breathing", session=session)
    replies = converse(*["not yet"] * (THREAD_TURNS + 1), session=session)
    assert all(r.emergency for r in replies[:THREAD_TURNS])
    assert not replies[THREAD_TURNS].emergency and session.thread is None
    crisis = converse("i want to die", "idk", session=session)
    assert [r.intent for r in crisis] == ["crisis_support", "crisis_support"]


def test_an_emergency_in_a_crisis_conversation_moves_the_thread_to_it() -> None:
    session = Session(language="en")
    replies = converse("i want to die", "he is blue and not breathing", "not yet", session=session)
    assert [r.emergency for r in replies] == [False, True, True]
    assert session.thread == "emergency"


def test_the_thread_is_a_topic_id_and_survives_the_trip_to_redis() -> None:
    """Replicas share it; it holds a topic id and a count, never the person's words."""
    session = Session(language="en")
    converse("my friend isnt breathing", "not yet", session=session)
    copy = decode(Session, encode(session))
    assert copy is not None and (copy.thread, copy.thread_turns) == ("emergency", 1)
    assert "breathing" not in encode(session).decode()
    _, reply = converse("still nothing", "", session=copy)
    assert reply.emergency


def test_a_followup_on_another_topic_is_flagged_for_staff(tmp_path: Path) -> None:
    """Only the emergency and crisis support have threads: elsewhere the text is never said."""
    root = tmp_path / "resources"
    shutil.copytree(Path(__file__).resolve().parent.parent / "resources", root)
    path = root / "intents" / "naloxone.yaml"
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("    related:")
    path.write_text(
        head + "    followup:\n      en: more\n      fr: encore\n" + sep + rest, encoding="utf-8"
    )
    resources = load_resources(root)
    assert any("'followup' is only said" in str(w) for w in resources.warnings)
