"""Ties inside a topic family are settled by cues, a default or one short question."""

from __future__ import annotations

from functools import cache

import pytest

from bot.families import Families, Family
from bot.knowledge import PhrasesPerLanguage
from bot.matcher import Ranked
from bot.models import Bilingual
from bot.resources import Resources
from bot.session import Session
from tests.helpers.bundled import bundled


@cache
def resources() -> Resources:
    return bundled()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("narcan?", "naloxone_about"),
        ("where narcan", "naloxone_get"),
        ("how narcan", "naloxone_use"),
        ("comment narcan", "naloxone_use"),
        ("narcan gratuit", "naloxone_get"),
    ],
)
def test_naloxone_family_follows_cues(text: str, intent: str) -> None:
    """'where/trouver' -> get, 'how/comment' -> use, nothing -> what it is."""
    reply = resources().dialogue.respond(text, Session())
    assert reply.intent == intent
    assert {b.action for b in reply.buttons} & {
        "intent:naloxone_about",
        "intent:naloxone_use",
        "intent:naloxone_get",
    }


def _family(default: str | None) -> Families:
    family = Family(
        members=("a_one", "a_two"),
        default=default,
        question=Bilingual(en="Which one?", fr="Lequel?"),
        cues={"a_two": PhrasesPerLanguage(en=("where",), fr=("trouver",))},
    )
    return Families({"a": family}, {"a_one", "a_two", "other"})


def test_cue_default_and_question() -> None:
    """The three outcomes of the rule, on a family built here."""
    tie = [Ranked("a_one", 0.5), Ranked("a_two", 0.48), Ranked("other", 0.2)]
    settled = _family(None).resolve(tie, ["where", "is", "it"])
    assert settled is not None and settled.intent == "a_two" and settled.cue == "where"
    settled = _family("a_one").resolve(tie, ["it"])
    assert settled is not None and settled.intent == "a_one" and settled.tied == ("a_two",)
    settled = _family(None).resolve(tie, ["it"])
    assert settled is not None and settled.intent is None and settled.tied == ("a_one", "a_two")
    # Not a tie, or not one family: nothing to settle.
    assert _family(None).resolve([Ranked("a_one", 0.9), Ranked("a_two", 0.5)], ["where"]) is None
    assert _family(None).resolve([Ranked("a_one", 0.5), Ranked("other", 0.49)], ["x"]) is None
    # A decided pick stands without a cue.
    assert _family("a_one").resolve(tie, ["it"], decided="a_one") is None


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_fallback_names_its_topics_and_says_911(lang: str) -> None:
    """The fallback lists, in its text, the topics it offers as buttons, and says 911."""
    session = Session(language="fr" if lang == "fr" else "en", language_locked=True)
    for text in ("qwertyuiop zxcv", "what is the weather like today"):
        reply = resources().dialogue.respond(text, session)
        assert reply.intent == "out_of_scope"
        assert "911" in reply.text
        assert 1 <= len(reply.buttons) <= 4
        for button in reply.buttons:
            assert f"• {button.label}" in reply.text
