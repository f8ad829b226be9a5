"""How many "report a problem" notices reach staff: per chat and in all, per hour.

The dialogue already stops forwarding after five reports in one conversation, but
``/forget`` starts a new conversation. This budget outlives ``/forget`` without keeping
who reported: chats are counted under a keyed hash whose key exists only in this
process's memory, and the counts vanish an hour after the last report.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable

PER_CHAT = 5
IN_ALL = 100
WINDOW_S = 3600.0
_MAX_CHATS = 50_000


class ReportBudget:
    """At most ``per_chat`` reports from one chat and ``in_all`` in total per window."""

    def __init__(
        self,
        per_chat: int = PER_CHAT,
        in_all: int = IN_ALL,
        window: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._per_chat = per_chat
        self._in_all = in_all
        self._window = window
        self._clock = clock
        self._key = secrets.token_bytes(32)
        self._chats: OrderedDict[bytes, deque[float]] = OrderedDict()
        self._all: deque[float] = deque()

    def take(self, chat: int) -> bool:
        """Count one report from ``chat``; False if it must not reach staff."""
        now = self._clock()
        while self._all and now - self._all[0] >= self._window:
            self._all.popleft()
        while self._chats:
            oldest, times = next(iter(self._chats.items()))
            if now - times[-1] < self._window and len(self._chats) < _MAX_CHATS:
                break
            del self._chats[oldest]
        key = hmac.new(self._key, str(chat).encode(), hashlib.sha256).digest()[:16]
        times = self._chats.pop(key, deque())
        while times and now - times[0] >= self._window:
            times.popleft()
        allowed = len(times) < self._per_chat and len(self._all) < self._in_all
        if allowed:
            times.append(now)
            self._all.append(now)
        if times:
            self._chats[key] = times
        return allowed
