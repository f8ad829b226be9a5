"""Which lane an outgoing Bot API call travels in: emergencies first, bulk alerts last.

The lane is a context variable, so every call made while handling an emergency (the
answer, its buttons, an error notice) inherits it without being passed around.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
from collections.abc import Iterator


class Lane(enum.IntEnum):
    """Lower goes first."""

    URGENT = 0  # answers to an overdose happening now
    CHAT = 1  # everything people are waiting for
    BULK = 2  # alert broadcasts


_LANE: contextvars.ContextVar[Lane] = contextvars.ContextVar("lane", default=Lane.CHAT)


def current_lane() -> Lane:
    """The lane of the code running now (CHAT unless someone chose otherwise)."""
    return _LANE.get()


@contextlib.contextmanager
def travel_in(lane: Lane) -> Iterator[None]:
    """Make the calls inside this block travel in ``lane``; URGENT is never downgraded."""
    token = _LANE.set(Lane.URGENT if _LANE.get() == Lane.URGENT else lane)
    try:
        yield
    finally:
        _LANE.reset(token)
