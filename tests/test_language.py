"""Every French message answered in French, however short; the conversation follows the message."""

from __future__ import annotations

from functools import cache

import pytest

from bot.reply import Language
from bot.resources import Resources
from bot.session import Session
from tests.helpers.bundled import bundled


@cache
def resources() -> Resources:
    return bundled()


@pytest.mark.parametrize(
    "text",
    [
        "narcan svp",
        "où en trouver",
        "aide",
        "je veux mourir",
        "mon chum respire pu",
        "comment on donne la naloxone",
        "Trousse gratuite?",
        "loi bon samaritain surdose",
        "bonsoir",
        "c'est quoi le fentanyl",
    ],
)
def test_short_french_messages_are_answered_in_french(text: str) -> None:
    """A conversation that started in English switches to French with the message."""
    reply = resources().dialogue.respond(text, Session(language="en"))
    assert reply.language == "fr"


@pytest.mark.parametrize("text", ["where can i get it", "overdose symptoms", "help", "thx"])
def test_english_messages_switch_a_french_conversation_back(text: str) -> None:
    """The language follows each message, in both directions."""
    assert resources().dialogue.respond(text, Session(language="fr")).language == "en"


@pytest.mark.parametrize("start", ["en", "fr"])
def test_words_no_language_claims_keep_the_conversation_language(start: Language) -> None:
    """'naloxone' or keyboard mashing says nothing about the language."""
    for text in ("naloxone", "qwertyuiop", "fentanyl?"):
        assert resources().dialogue.respond(text, Session(language=start)).language == start


def test_lang_lock_wins_over_the_message() -> None:
    """After /lang the bot keeps that language whatever the message looks like."""
    session = Session(language="en", language_locked=True)
    assert resources().dialogue.respond("où trouver de la naloxone", session).language == "en"


def test_switch_mid_conversation() -> None:
    """One session, three messages, two switches."""
    session = Session(language="en")
    dialogue = resources().dialogue
    assert dialogue.respond("where can i get naloxone", session).language == "en"
    assert dialogue.respond("pis comment on la donne?", session).language == "fr"
    assert dialogue.respond("thanks a lot", session).language == "en"
