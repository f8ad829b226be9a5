"""The first-word index the crisis and emergency phrase lists share.

A message only tries the phrases whose first word (or first-word prefix, for a ``*``
phrase) it contains: with hundreds of phrases, a few dictionary look-ups per word are far
cheaper than every phrase against every message. Callers try the candidates in list
order, so a verdict names the same phrase a plain scan would.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set

_KEPT_WORDS = 20_000  # words whose prefix candidates are kept (then the memo starts over)


class FirstWordIndex:
    """Phrase numbers by first word: exact words, and prefixes per prefix length."""

    def __init__(self, firsts: Iterable[tuple[str, bool]]) -> None:
        """``firsts``: each phrase's first word, and whether it is a prefix (``*``)."""
        self._exact: dict[str, list[int]] = {}
        self._prefixes: dict[int, dict[str, list[int]]] = {}
        for index, (first, prefix) in enumerate(firsts):
            if prefix:
                table = self._prefixes.setdefault(len(first), {})
                table.setdefault(first, []).append(index)
            else:
                self._exact.setdefault(first, []).append(index)
        # Per word, the prefix phrases it starts: the same words come back all day.
        self._starts: dict[str, tuple[int, ...]] = {}

    def candidates(self, distinct: Set[str]) -> Sequence[int]:
        """The phrases some word of ``distinct`` starts, in list order."""
        # The set intersection runs in C: most words start no phrase at all, and most lists
        # have no prefix phrase, so most calls end at the first line or two.
        exact = self._exact
        hits = exact.keys() & distinct
        if not self._prefixes:
            if not hits:
                return ()
            if len(hits) == 1:
                return exact[next(iter(hits))]  # already in list order
        found = {i for word in hits for i in exact[word]}
        if self._prefixes:
            starts = self._starts
            for word in distinct:
                started = starts.get(word)
                if started is None:
                    started = self._prefixes_started_by(word)
                if started:
                    found.update(started)
        return sorted(found)

    def _prefixes_started_by(self, word: str) -> tuple[int, ...]:
        started = tuple(
            i
            for size, table in self._prefixes.items()
            if len(word) >= size
            for i in table.get(word[:size], ())
        )
        if len(self._starts) >= _KEPT_WORDS:
            self._starts.clear()
        self._starts[word] = started
        return started

    def __getstate__(self) -> dict[str, object]:
        # The per-word memo holds users' words: never pickled (bot.rescache).
        return {**self.__dict__, "_starts": {}}
