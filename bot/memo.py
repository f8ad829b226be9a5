"""A memo that lives only while one resource set loads.

Loading builds several indexes from the same text: the builders fold the same example
phrases ~5 times over and the locator parses a region file three times. Inside
``with memo.active():`` each result is computed once; outside it nothing is kept. It is a
context variable, so a reload in one thread never fills it with what another thread is
answering (user messages), and it is dropped when the block ends."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LoadMemo(Generic[K, V]):
    """``get(key, compute)``: ``compute(key)``, remembered only inside ``active()``."""

    def __init__(self, name: str) -> None:
        self._memo: ContextVar[dict[K, V] | None] = ContextVar(name, default=None)

    @contextmanager
    def active(self) -> Iterator[None]:
        """Remember results within the block (nested blocks share the outer memo)."""
        if self._memo.get() is not None:
            yield
            return
        token = self._memo.set({})
        try:
            yield
        finally:
            self._memo.reset(token)

    def get(self, key: K, compute: Callable[[K], V]) -> V:
        """``compute(key)``, once per key while active; a raised error is not remembered."""
        memo = self._memo.get()
        if memo is None:
            return compute(key)
        found = memo.get(key)
        if found is None:
            found = memo[key] = compute(key)
        return found
