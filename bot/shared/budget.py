"""One send budget for every replica: ``bot.tg.budget.RateBudget`` in Redis.

The same rules as ``LocalRateBudget`` (one process), counted in Redis so N replicas
together send no faster than one: a sliding one-second window of everything sent, which
each lane may fill only to its share (emergencies 30, chat answers 27, alerts 20 by
default), and 20 messages a minute per group (emergencies excepted). Checking and
counting is one Lua script, on Redis's clock. ``pause`` (a 429) holds every replica.

``RedisPace`` is the alert broadcaster's pace (``ALERTS_PER_SECOND``) shared the same way.

Every key expires with its window. When Redis cannot be reached, each replica falls back
to its own ``LocalRateBudget`` meanwhile (then each keeps to the limits alone).
"""

from __future__ import annotations

import asyncio
import math
import secrets
from collections.abc import Mapping

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.shared.client import PREFIX, Guard
from bot.tg.budget import GROUP_PER_MINUTE, PER_SECOND, SHARES, LocalRateBudget
from bot.tg.lanes import Lane

# KEYS: hold, window, group window (or ""); ARGV: lane limit, group limit (0: none), member.
# Returns 0 (counted) or the milliseconds to wait.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hold = redis.call('PTTL', KEYS[1])
if hold > 0 then return hold end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 1000)
local limit = tonumber(ARGV[1])
local sent = redis.call('ZCARD', KEYS[2])
if sent >= limit then
  local oldest = redis.call('ZRANGE', KEYS[2], sent - limit, sent - limit, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + 1000 - now)
end
local group_limit = tonumber(ARGV[2])
if group_limit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 60000)
  if redis.call('ZCARD', KEYS[3]) >= group_limit then
    local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
    return math.max(1, tonumber(first[2]) + 60000 - now)
  end
  redis.call('ZADD', KEYS[3], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[3], 60000)
end
redis.call('ZADD', KEYS[2], now, ARGV[3])
redis.call('PEXPIRE', KEYS[2], 1000)
return 0
"""

# KEYS: the pace key; ARGV: interval in ms. GCRA with no burst; 0 or the ms to wait.
_PACE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat > now then return math.ceil(tat - now) end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.3f', now + interval), 'PX',
           math.ceil(interval) + 1)
return 0
"""


class RedisRateBudget:
    """``RateBudget`` shared by every replica (see the module docstring)."""

    def __init__(
        self,
        redis: Redis,
        per_second: int = PER_SECOND,
        group_per_minute: int = GROUP_PER_MINUTE,
        shares: Mapping[Lane, float] = SHARES,
    ) -> None:
        self._redis = redis
        self._limits = {
            lane: max(1, math.floor(per_second * share + 1e-9)) for lane, share in shares.items()
        }
        self._group_limit = group_per_minute
        self._take = redis.register_script(_TAKE)
        self._local = LocalRateBudget(per_second, group_per_minute, shares)
        self._prefix = secrets.token_hex(4)  # members unique across replicas
        self._count = 0
        self.guard = Guard("the send budget")

    async def take(self, lane: Lane, chat_id: int | None) -> float:
        """Count one message and return 0.0 if ``lane`` may send to ``chat_id`` now;
        otherwise count nothing and return the seconds to wait."""
        if not self.guard.up:
            return await self._local.take(lane, chat_id)
        group = chat_id is not None and chat_id < 0 and lane != Lane.URGENT
        self._count += 1
        keys = [
            f"{PREFIX}hold",
            f"{PREFIX}rate:sent",
            f"{PREFIX}rate:group:{chat_id}" if group else f"{PREFIX}rate:none",
        ]
        args: list[int | str] = [
            self._limits[lane],
            self._group_limit if group else 0,
            f"{self._prefix}:{self._count}",
        ]
        try:
            wait_ms = await self._take(keys=keys, args=args)
        except (RedisError, OSError) as exc:
            self.guard.failed(exc)
            return await self._local.take(lane, chat_id)
        return float(wait_ms) / 1000

    async def pause(self, seconds: float) -> None:
        """Hold every lane of every replica for ``seconds``."""
        await self._local.pause(seconds)
        try:
            await self._redis.set(f"{PREFIX}hold", b"1", px=max(math.ceil(seconds * 1000), 1))
        except (RedisError, OSError) as exc:
            self.guard.failed(exc)


class RedisPace:
    """The alert broadcaster's ``Pace`` (``bot.alerts.Pace``) for all replicas at once:
    ``rate`` alerts a second between them; a 429 holds them all."""

    def __init__(self, redis: Redis, rate: float, budget: RedisRateBudget) -> None:
        self._redis = redis
        self._interval_ms = 1000.0 / rate
        self._pace = redis.register_script(_PACE)
        self._budget = budget
        self.guard = Guard("the alert pace")
        self._fallback_rate = rate

    async def turn(self) -> None:
        """Wait for the next alert slot (shared)."""
        while True:
            if not self.guard.up:
                await asyncio.sleep(1 / self._fallback_rate)
                return
            try:
                wait_ms = float(
                    await self._pace(keys=[f"{PREFIX}rate:alerts"], args=[self._interval_ms])
                )
            except (RedisError, OSError) as exc:
                self.guard.failed(exc)
                continue
            if wait_ms <= 0:
                return
            await asyncio.sleep(wait_ms / 1000)

    async def hold(self, seconds: float) -> None:
        """Flood control: every replica waits."""
        await self._budget.pause(seconds)
