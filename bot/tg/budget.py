"""The outgoing rate budget: how many messages may go to Telegram now, per lane.

Telegram allows a bot about 30 messages a second in all and 20 a minute in one group.
The limiter (``bot.tg.limiter``) asks ``take`` before each message; the budget answers
"go" (and counts it) or "wait this long". Each lane may fill only its share of the
second, so URGENT always finds room, even when CHAT and BULK traffic would fill it:
with the default shares, alerts use at most 20 of the 30, chat answers 27, emergencies
all 30. ``LocalRateBudget`` counts for one process; a shared implementation (Redis, say)
gives several replicas one budget through the same Protocol.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from typing import Protocol

from bot.tg.lanes import Lane

PER_SECOND = 30
GROUP_PER_MINUTE = 20
SHARES: Mapping[Lane, float] = {Lane.URGENT: 1.0, Lane.CHAT: 0.9, Lane.BULK: 2 / 3}
_MAX_GROUPS = 10_000


class RateBudget(Protocol):
    """Messages per second shared by everything that sends as this bot."""

    async def take(self, lane: Lane, chat_id: int | None) -> float:
        """Count one message and return 0.0 if ``lane`` may send to ``chat_id`` now;
        otherwise count nothing and return the seconds to wait before asking again."""
        ...

    async def pause(self, seconds: float) -> None:
        """Telegram answered 429: send nothing for ``seconds``."""
        ...


class LocalRateBudget:
    """``RateBudget`` for one process: a sliding one-second window, shares per lane."""

    def __init__(
        self,
        per_second: int = PER_SECOND,
        group_per_minute: int = GROUP_PER_MINUTE,
        shares: Mapping[Lane, float] = SHARES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = {
            lane: max(1, math.floor(per_second * share + 1e-9)) for lane, share in shares.items()
        }
        self._group_limit = group_per_minute
        self._clock = clock
        self._sent: deque[float] = deque()  # when each message of the last second went
        self._groups: OrderedDict[int, deque[float]] = OrderedDict()
        self._paused_until = 0.0

    async def take(self, lane: Lane, chat_id: int | None) -> float:
        """Count one message if ``lane`` has room in the last second (and the group in
        the last minute); else the seconds until it will."""
        now = self._clock()
        if now < self._paused_until:
            return self._paused_until - now
        while self._sent and now - self._sent[0] >= 1.0:
            self._sent.popleft()
        limit = self._limits[lane]
        if len(self._sent) >= limit:
            # Room comes back when enough of the window's oldest sends have aged out.
            return self._sent[len(self._sent) - limit] + 1.0 - now
        group = self._group(chat_id, now) if lane != Lane.URGENT else None
        if group is not None and len(group) >= self._group_limit:
            return group[0] + 60.0 - now
        self._sent.append(now)
        if group is not None:
            group.append(now)
        return 0.0

    async def pause(self, seconds: float) -> None:
        """Hold every lane for ``seconds``."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def _group(self, chat_id: int | None, now: float) -> deque[float] | None:
        # Negative chat ids are groups and channels: Telegram's per-minute limit.
        if chat_id is None or chat_id >= 0:
            return None
        sent = self._groups.pop(chat_id, None) or deque()
        while sent and now - sent[0] >= 60.0:
            sent.popleft()
        self._groups[chat_id] = sent
        while len(self._groups) > _MAX_GROUPS:
            self._groups.popitem(last=False)
        return sent
