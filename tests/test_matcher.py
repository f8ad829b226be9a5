"""The word matcher's scoring rules, on a small knowledge base of its own."""

from __future__ import annotations

import dataclasses

from bot.knowledge import Intent, PhrasesPerLanguage
from bot.matcher import DEFAULT_TUNING, Matcher, Ranked, decide
from bot.models import Bilingual
from tests.helpers.bundled import bundled


def _intent(intent_id: str, fr: str, *examples: str) -> Intent:
    text = Bilingual(en=intent_id, fr=intent_id)
    phrases = PhrasesPerLanguage(en=examples, fr=(fr,))
    return Intent(id=intent_id, title=text, examples=phrases, answer=text)


INTENTS = {
    i.id: i
    for i in (
        # A one-word example ("legal") fully "covered" by any message that uses the word.
        _intent(
            "storage",
            "conserver la trousse",
            "legal",
            "how do i store my kit",
            "keep it out of the heat",
        ),
        _intent(
            "samaritan",
            "accusé si j'appelle",
            "will i be charged if i call for help",
            "can calling for help get me into legal problems",
        ),
        _intent("weather", "il pleut demain", "will it rain tomorrow", "how cold is it outside"),
    )
}


def _top(matcher: Matcher, text: str) -> str:
    analysis = matcher.analyzer.analyse(text, lang="en")
    return matcher.rank(analysis, lexical=True)[0].intent


def test_a_light_example_does_not_outweigh_a_long_question() -> None:
    """One shared word of a one-word example is weak evidence in a sentence about more."""
    analyzer = bundled().analyzer
    lexical = dataclasses.replace(DEFAULT_TUNING, w_ngram=0.0)
    question = "is it legal for me to call"
    assert _top(Matcher(INTENTS, analyzer, lexical), question) == "samaritan"
    unweighted = dataclasses.replace(lexical, min_evidence=0.0)
    assert _top(Matcher(INTENTS, analyzer, unweighted), question) == "storage"


def test_a_short_message_still_matches_a_short_example() -> None:
    """ "legal?" is as light as the example it matches: no penalty between equals."""
    analyzer = bundled().analyzer
    matcher = Matcher(INTENTS, analyzer, dataclasses.replace(DEFAULT_TUNING, w_ngram=0.0))
    ranked = matcher.rank(analyzer.analyse("legal?", lang="en"), lexical=True)
    assert ranked[0].intent == "storage"
    assert ranked[0].score > DEFAULT_TUNING.threshold


def test_a_greeting_in_front_of_a_question_is_not_small_talk() -> None:
    """The n-gram classifier loves "hello hello": small talk is still capped by how much of
    the message it explains, so the question behind the greeting wins."""
    resources = bundled()
    analysis = resources.analyzer.analyse("hello hello, what kind of help do you offer", lang="en")
    ranked = resources.matcher.rank(analysis)
    assert ranked[0].intent == "help"
    hello = resources.matcher.rank(resources.analyzer.analyse("hello hello", lang="en"))
    assert hello[0].intent == "greeting"


def test_a_clear_french_winner_a_little_under_the_threshold_still_answers() -> None:
    """0.29 far ahead of the next topic is surer than a near tie: French answers it; English,
    a near tie, the emergency and crisis support (no alarm below the threshold) do not."""
    clear = [Ranked("treatment", 0.29), Ranked("help", 0.2)]
    assert decide(clear, DEFAULT_TUNING, "fr").intent == "treatment"
    assert decide(clear, DEFAULT_TUNING, "en").intent is None
    tied = [Ranked("treatment", 0.29), Ranked("help", 0.27)]
    assert decide(tied, DEFAULT_TUNING, "fr").intent is None
    for alarm in ("emergency", "crisis_support"):
        assert (
            decide([Ranked(alarm, 0.29), Ranked("help", 0.2)], DEFAULT_TUNING, "fr").intent is None
        )
    assert decide([Ranked("treatment", 0.25)], DEFAULT_TUNING, "fr").intent is None


def test_an_english_topic_a_little_under_the_threshold_answers_unless_tied() -> None:
    """From 0.38 an English topic answers (the freshest real sets gained from it), except a
    near tie, which the fallback offers as two topics, and the emergency or crisis support,
    which are no alarm below the threshold."""
    assert decide([Ranked("treatment", 0.39), Ranked("help", 0.3)], DEFAULT_TUNING, "en").intent
    tied = [Ranked("drug_checking", 0.39), Ranked("family_support", 0.388)]
    unsure = decide(tied, DEFAULT_TUNING, "en")
    assert unsure.intent is None
    assert [r.intent for r in unsure.candidates] == ["drug_checking", "family_support"]
    for alarm in ("emergency", "crisis_support"):
        assert (
            decide([Ranked(alarm, 0.41), Ranked("help", 0.2)], DEFAULT_TUNING, "en").intent is None
        )
    assert decide([Ranked("treatment", 0.37)], DEFAULT_TUNING, "en").intent is None


def test_in_french_help_must_explain_the_whole_message() -> None:
    """ "aide" alone is the help topic; a message about helping someone is not."""
    resources = bundled()

    def top(text: str) -> str:
        analysis = resources.analyzer.analyse(text, lang="fr")
        return resources.matcher.rank(analysis, lang="fr")[0].intent

    assert top("aide") == "help"
    assert top("mon frère consomme, dites-moi comment je peux l'aider") != "help"
