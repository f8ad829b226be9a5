"""Update ids already handled, so an update that reaches two replicas is answered once.

``RedisLedger`` is ``bot.tg.ledger.UpdateLedger`` (whose ``MemoryLedger`` serves one
process) shared through Redis.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.shared.client import PREFIX, Guard

SEEN_TTL_S = 60 * 60  # Telegram re-delivers an unanswered update within minutes


class RedisLedger:
    """``UpdateLedger`` shared by the replicas: ``SET hrbot:u:<id> NX EX``, an hour (a
    re-delivery follows within minutes; an hour of ids is small).

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
            return bool(
                await self._redis.set(f"{PREFIX}u:{update_id}", b"1", nx=True, ex=self._ttl)
            )
        except (RedisError, OSError) as exc:
            self.guard.failed(exc)
            return True
