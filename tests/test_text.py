"""Normalisation and language detection."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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


@given(st.text(max_size=60))
def test_fold_of_folded_text_is_itself(text: str) -> None:
    """Folding twice changes nothing (the builders fold words of folded text again), and
    text already in folded form comes back as it is."""
    once = fold(text)
    assert fold(once) == once
    assert fold(" ".join(once.split())) == once


def test_folded_looking_text_still_folds_when_too_long() -> None:
    """The already-folded shortcut keeps the length cap."""
    long = "ab " * 1000
    assert fold(long.strip()) == fold("Ab " * 1000)
    assert len(fold(long.strip())) <= 2000
