"""Text normalisation shared by the matcher and the emergency detector.

Messages arrive in a panic, on a phone: mixed case, accents or none, emoji, stretched
letters ("pleeease"), French elisions ("l'overdose"). Everything downstream sees the same
plain, accent-free, lowercase tokens.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from bot.memo import LoadMemo

# The languages the bot speaks. Defined here, at the bottom of the layers; bot.reply
# re-exports them for the front ends.
Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")

MAX_CHARS = 2_000  # longer messages are cut: nobody types 10,000 characters about one topic

# "OD'd", "OD'ing": unambiguous with the apostrophe, but "odd" and "oding" without it.
_OD = re.compile(r"\bod'(?:d|ed)\b")
_ODING = re.compile(r"\bod'(?:ing|in)\b")
_ELISION = re.compile(r"\b(l|d|j|qu|n|s|m|t|c|jusqu|lorsqu|puisqu)'(?=[a-z])")
_APOSTROPHES = re.compile(r"[’‘`´ʼ]")
_NON_WORD = re.compile(r"[^a-z0-9']+")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_FOLDED = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")  # what fold returns, but for ""


# While resources load, the builders fold the same example text several times over.
FOLDS: LoadMemo[str, str] = LoadMemo("folds")


def fold(text: str) -> str:
    """Lowercase and strip accents and control characters, keeping letters, digits, spaces."""
    if len(text) <= MAX_CHARS and _FOLDED.fullmatch(text):
        return text  # already folded: the builders fold words of folded text (~90% of a load's)
    return FOLDS.get(text, _fold)


def _fold(text: str) -> str:
    text = text[:MAX_CHARS].lower()
    if not text.isascii():  # ASCII has no accents to strip: skip the per-character pass
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    text = _APOSTROPHES.sub("'", text)
    apostrophe = "'" in text  # the three rules below need one; most text has none
    if apostrophe:
        text = _OD.sub("overdosed", text)
        text = _ODING.sub("overdosing", text)
        text = _ELISION.sub(r"\1 ", text)
    text = _NON_WORD.sub(" ", text)
    if apostrophe:
        # Remaining apostrophes join English contractions: "won't" -> "wont", "he's" -> "hes".
        text = text.replace("'", "")
    return " ".join(text.split())


def unstretch(word: str) -> tuple[str, ...]:
    """Candidates for a word typed with stretched letters: 'helppp' -> ('help', 'helpp')."""
    if not _STRETCHED.search(word):
        return (word,)
    return (_STRETCHED.sub(r"\1", word), _STRETCHED.sub(r"\1\1", word))


@lru_cache(maxsize=50_000)  # pure, and the same words come back in every message
def stem(word: str) -> str:
    """A light EN/FR suffix stripper: enough for overdose/overdosed/overdosing to agree."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in ("ings", "ing", "ees", "ies", "ed", "es", "ee", "s", "x", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # "stopp(ed)" -> "stop"
    return word


SAFETY_CHARS = 20_000  # the safety rules read a long testimony to its end (Telegram caps at 4,096)


def fold_whole(text: str) -> str:
    """``fold`` for the safety rules: the whole message, not its first ``MAX_CHARS``.

    A suicidal statement at the end of a long testimony must still count. Folding goes
    whitespace chunk by chunk, so no word is cut in two.
    """
    text = text[:SAFETY_CHARS]
    if len(text) <= MAX_CHARS:
        return fold(text)
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for word in text.split():
        if size + len(word) + 1 > MAX_CHARS and current:
            chunks.append(fold(" ".join(current)))
            current, size = [], 0
        current.append(word[:MAX_CHARS])
        size += len(word) + 1
    chunks.append(fold(" ".join(current)))
    return " ".join(chunk for chunk in chunks if chunk)
