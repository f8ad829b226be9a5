"""The everyday-word lists, ``words/common-<language>.txt``: one word a line, most
frequent first, ``#`` for comments.

The analyzer, the language guesser and the place finder all read them; while resources
load (``WORD_LISTS.active()``) each file is read once."""

from __future__ import annotations

from pathlib import Path

from bot.layout import WORDS_DIR
from bot.memo import LoadMemo

WORD_LISTS: LoadMemo[Path, tuple[str, ...]] = LoadMemo("word lists")


def word_list_files(root: Path) -> list[Path]:
    """The lists under ``root``, by file name."""
    return sorted((root / WORDS_DIR).glob("common-*.txt"))


def read_word_list(path: Path) -> tuple[str, ...]:
    """The words of one list; raises OSError or UnicodeDecodeError if unreadable."""
    return WORD_LISTS.get(path, _read)


def _read(path: Path) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(w for w in lines if w and not w.startswith("#"))
