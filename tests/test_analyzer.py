"""The analyzer on French as people type it: chat contractions, SMS spellings, and
conjugated words the typo corrector must leave alone."""

from __future__ import annotations

from tests.helpers.bundled import bundled


def _words(text: str, lang: str = "fr") -> tuple[str, ...]:
    return bundled().analyzer.analyse(text, lang="fr" if lang == "fr" else "en").words


def test_a_dropped_apostrophe_after_j_is_put_back() -> None:
    """ "jveux", "jpeux": no French word starts with j and a consonant."""
    assert _words("jveux tester ma dope")[:2] == ("j", "veux")
    assert _words("jpeux tu avoir du narcan")[:2] == ("j", "peux")
    # Only when the rest is a known word: an unknown token is left as typed.
    assert _words("jxqzt")[0] == "jxqzt"


def test_sms_spellings_become_the_words_the_examples_use() -> None:
    assert _words("koi faire si qqn fait une od") == (
        "quoi",
        "faire",
        "si",
        "quelquun",
        "fait",
        "une",
        "overdose",
    )
    assert _words("pk le narcan marche pas")[0] == "pourquoi"
    assert _words("cmt donner le narcan")[0] == "comment"


def test_a_conjugated_french_word_is_no_typo_of_another_word() -> None:
    """ "fumais" is "fumer", not "fais"; "paniquée" is "paniquer", not "piquée"; "piquerait"
    is "piquer", not "piquerie" (a shooting gallery)."""
    assert "fumais" in _words("je la fumais")
    assert "paniquee" in _words("elle est paniquée")
    assert "piquerait" in _words("il a dit qu'il ne se piquerait jamais")
    assert "piqueurs" in _words("le bruit des marteaux piqueurs")  # a noun, not "piquer"
    # Another form of the same verb is fine: the crisis phrase says "regrettera".
    assert "regrettera" in _words("personne ne me regretterait")
    # Real typos are still corrected, in both languages.
    assert "naloxone" in _words("ou trouver de la naloxome")
    assert "fentanyl" in _words("y a du fentanile dedans")
    assert "naloxone" in _words("where can i get naloxome", lang="en")
