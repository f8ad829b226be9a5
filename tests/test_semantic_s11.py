"""The sentence model's band for long messages (eleventh session): a message of
``long_words`` words or more is blended with the model below ``unsure_below_long``; a
short one only below ``unsure_below``, as before."""

from __future__ import annotations

from bot.matcher import DEFAULT_SEMANTIC, decide
from bot.session import Session
from tests.helpers.bundled import bundled

LONG = (
    "honestly i have been wondering for a while now what the deal is with the test strips at the"
    " clinic"
)
SHORT = "the kit"


def _lexical_confidence(text: str) -> float:
    resources = bundled()
    ranked = resources.matcher.rank(resources.analyzer.analyse(text), limit=4, lang="en")
    return decide(ranked, resources.matcher.tuning, "en").confidence


def test_both_messages_sit_in_the_band() -> None:
    """The matcher alone answers both between the two thresholds."""
    tuning = DEFAULT_SEMANTIC
    assert len(LONG.split()) >= tuning.long_words > len(SHORT.split())
    for text in (LONG, SHORT):
        assert tuning.unsure_below <= _lexical_confidence(text) < tuning.unsure_below_long


def test_a_long_message_in_the_band_is_blended_with_the_model() -> None:
    reply = bundled().dialogue.respond(LONG, Session())
    assert reply.guess and reply.why is not None
    assert reply.intent == "drug_checking"


def test_a_short_message_in_the_band_keeps_the_matcher_answer() -> None:
    reply = bundled().dialogue.respond(SHORT, Session())
    assert not reply.guess and reply.why is None
    assert reply.intent == "naloxone_get"
