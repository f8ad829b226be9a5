"""Update ids already handled, so an update that reaches two replicas is answered once."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.shared.client import PREFIX, Guard

SEEN_TTL_S = 60 * 60  # Telegram re-delivers an unanswered update within minutes


class UpdateLedger(Protocol):
    """Remembers update ids for ``SEEN_TTL_S``."""

    async def first_time(self, update_id: int) -> bool:
        """True the first time ``update_id`` is offered, False after."""
        ...


class MemoryLedger:
    """``UpdateLedger`` for one process: the last ``size`` ids within the TTL."""

    def __init__(self, ttl: float = SEEN_TTL_S, size: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._size = size
        self._clock = clock
        self._seen: OrderedDict[int, float] = OrderedDict()

    async def first_time(self, update_id: int) -> bool:
        """See ``UpdateLedger``."""
        now = self._clock()
        while self._seen and (next(iter(self._seen.values())) <= now - self._ttl
                              or len(self._seen) > self._size):
            self._seen.popitem(last=False)
        if update_id in self._seen:
            return False
        self._seen[update_id] = now
        return True


class RedisLedger:
    """``UpdateLedger`` shared by the replicas: ``SET hrbot:u:<id> NX EX``.

    When Redis cannot be reached the update is handled (twice at worst: better than never).
    """

    def __init__(self, redis: Redis, ttl: float = SEEN_TTL_S) -> None:
        self._redis = redis
        self._ttl = int(ttl)
        self.guard = Guard("the seen-update set")

    async def first_time(self, update_id: int) -> bool:
        """See ``UpdateLedger``."""
        if not self.guard.up:
            return True
        try:
            return bool(await self._redis.set(f"{PREFIX}u:{update_id}", b"1", nx=True,
                                              ex=self._ttl))
        except (RedisError, OSError) as exc:
            self.guard.failed(exc)
            return True
