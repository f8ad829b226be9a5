"""The seen-update ledger: each Telegram update is handled once.

Telegram re-delivers an update when the webhook answered late or with a non-2xx status,
so the same ``update_id`` can arrive twice, at this replica or at another. The webhook
asks ``first_time`` before queueing an update. ``MemoryLedger`` serves one process; a
shared implementation (a Redis set with a TTL, say) serves several replicas through the
same Protocol.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

# Telegram keeps an undelivered update for at most 24 hours.
LEDGER_TTL_S = 24 * 3600.0
LEDGER_MAX = 200_000  # ids remembered at most (a few MB); the oldest go first


class UpdateLedger(Protocol):
    """Remembers which update ids were already taken for processing."""

    async def first_time(self, update_id: int) -> bool:
        """Record ``update_id``; True if it was not seen before (then process it)."""
        ...


class MemoryLedger:
    """``UpdateLedger`` for one process: ids expire after ``ttl`` seconds, bounded in size."""

    def __init__(
        self,
        ttl: float = LEDGER_TTL_S,
        max_entries: int = LEDGER_MAX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._seen: OrderedDict[int, float] = OrderedDict()  # id -> when first seen

    async def first_time(self, update_id: int) -> bool:
        """Record ``update_id``; True if it was not seen within the TTL."""
        now = self._clock()
        while self._seen:
            oldest, seen_at = next(iter(self._seen.items()))
            if now - seen_at <= self._ttl and len(self._seen) < self._max:
                break
            del self._seen[oldest]
        if update_id in self._seen:
            return False
        self._seen[update_id] = now
        return True

    def __len__(self) -> int:
        return len(self._seen)
