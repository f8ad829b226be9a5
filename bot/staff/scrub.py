"""Make an unmatched question safe to keep: no contact details, names, addresses or ids.

Contact details and numbers are replaced first, on the text as typed (folding would
break the patterns: it drops ``@``, ``+`` and brackets). Then, given the bot's
vocabulary, only words the bot knows or everyday words survive; everything else becomes
``…``. Everyday-word lists contain first names (jane, kevin, alex), so an everyday word
is also dropped when it is capitalised, follows "my name is" / "je m'appelle" and the
like, or follows a number and is not a quantity (a street: "1234 main").
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from bot.text import fold

MAX_CHARS = 200
DROPPED = "…"

_PATTERNS = (
    ("email", r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"),
    ("postal_code", r"\b[A-Za-z]\d[A-Za-z](?:[ \-]?\d[A-Za-z]\d)?\b"),
    (
        "phone",
        r"(?:\+?1[\s.\-]?)?(?:\(\d{3}\)|\d{3})[\s.\-]?\d{3}[\s.\-]?\d{4}\b"
        r"|\b\d{3}[\s.\-]\d{4}\b",
    ),
    # Card, health or case numbers, birth dates, street numbers: any digits at all.
    ("number", r"\d(?:[\s.\-/]?\d)*"),
)
_SCRUB = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _PATTERNS))
# Folded words after which a name usually follows.
_NAME_CUES = (
    ("my", "name", "is"),
    ("name", "is"),
    ("im",),
    ("i", "m"),
    ("i", "am"),
    ("call", "me"),
    ("this", "is"),
    ("named",),
    ("called",),
    ("je", "m", "appelle"),
    ("je", "suis"),
    ("mon", "nom", "est"),
    ("il", "s", "appelle"),
    ("elle", "s", "appelle"),
    ("c", "est"),
)
_AFTER_CUE = 2  # words dropped after a name cue (first and last name)
_AFTER_NUMBER = 2  # words dropped after a number (the street and its type)
# What a number in a question about drugs usually counts; anything else after a number
# may be a street ("1234 main", "56 rue ...").
_QUANTITIES = frozenset(
    (
        "pill",
        "pills",
        "tab",
        "tabs",
        "mg",
        "mcg",
        "ug",
        "g",
        "gram",
        "grams",
        "dose",
        "doses",
        "point",
        "points",
        "hit",
        "hits",
        "day",
        "days",
        "hour",
        "hours",
        "minute",
        "minutes",
        "min",
        "mins",
        "time",
        "times",
        "year",
        "years",
        "yo",
        "people",
        "person",
        "friends",
        "ml",
        "comprime",
        "comprimes",
        "pilule",
        "pilules",
        "jour",
        "jours",
        "heure",
        "heures",
        "fois",
        "an",
        "ans",
        "personnes",
        "h",
        "am",
        "pm",
    )
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words an unmatched question may keep: the bot's own and everyday ones."""

    topic: Container[str]  # the knowledge base's words (naloxone, fentanyl...): always kept
    common: Container[str]  # everyday words: kept unless they look like a name
    function: Container[str] = frozenset()  # stop words (the, où...): kept even capitalised


def scrub(text: str, vocabulary: Vocabulary | None = None) -> str:
    """``text`` with contact details replaced by ``[email]``, ``[phone]``..., folded, and
    (with a ``vocabulary``) every word that is not a known or everyday word dropped."""
    tokens: list[str] = []
    end = 0
    for match in _SCRUB.finditer(text):
        tokens.extend(_words(text[end : match.start()], vocabulary))
        tokens.append(f"[{match.lastgroup}]")
        end = match.end()
    tokens.extend(_words(text[end:], vocabulary))
    if vocabulary is not None:
        tokens = _drop_after_cues(tokens, vocabulary)
    cleaned = " ".join(_collapse(tokens))
    if len(cleaned) > MAX_CHARS:
        cleaned = cleaned[:MAX_CHARS].rsplit(" ", 1)[0]
    return cleaned


def _words(piece: str, vocabulary: Vocabulary | None) -> list[str]:
    """Folded words of ``piece``; unknown or name-like ones replaced by ``…``."""
    out: list[str] = []
    for raw in piece.split():
        # Capitalised, even first in a sentence: possibly a name ("Kevin told me").
        name_like = raw[:1].isupper()
        out.extend(
            word if _keeps(word, vocabulary, name_like) else DROPPED for word in fold(raw).split()
        )
    return out


def _keeps(word: str, vocabulary: Vocabulary | None, name_like: bool) -> bool:
    if vocabulary is None or word in vocabulary.topic or word in vocabulary.function:
        return True
    return word in vocabulary.common and not name_like


def _drop_after_cues(tokens: list[str], vocabulary: Vocabulary) -> list[str]:
    out = list(tokens)
    for index in range(len(out)):
        drop = 0
        if out[index] == "[number]":
            drop = _AFTER_NUMBER
        else:
            for cue in _NAME_CUES:
                start = index - len(cue) + 1
                if start >= 0 and tuple(tokens[start : index + 1]) == cue:
                    drop = _AFTER_CUE
                    break
        for later in range(index + 1, min(index + 1 + drop, len(out))):
            word = out[later]
            if word.startswith("[") or (
                word in _QUANTITIES if drop == _AFTER_NUMBER else word in vocabulary.topic
            ):
                break
            out[later] = DROPPED
    return out


def _collapse(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if token == DROPPED and out and out[-1] == DROPPED:
            continue
        out.append(token)
    return out
