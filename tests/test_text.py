"""Normalisation and language detection."""

from __future__ import annotations

from bot.text import fold, stem, unstretch


def test_fold_strips_case_accents_emoji_and_punctuation() -> None:
    """Panicked, accented, emoji-laden text folds to plain words."""
    assert fold("HELP!!! he's NOT breathing 😱😱") == "help hes not breathing"
    assert fold("Il ne respire plus, l’overdose à Montréal") == (
        "il ne respire plus l overdose a montreal"
    )


def test_fold_handles_control_and_mixed_scripts() -> None:
    """Control characters and other scripts never break folding."""
    assert fold("\x00\x07naloxone\u202e") == "naloxone"
    assert fold("") == ""


def test_unstretch_offers_single_and_double_letters() -> None:
    """Stretched words yield candidates with one and two letters."""
    assert unstretch("helppp") == ("help", "helpp")
    assert unstretch("naloxone") == ("naloxone",)


def test_stem_makes_inflections_agree() -> None:
    """Inflected forms of a word share one stem."""
    assert len({stem(w) for w in ("overdose", "overdoses", "overdosed", "overdosing")}) == 1
