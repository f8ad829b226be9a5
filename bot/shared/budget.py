"""One send budget for the whole bot, however many replicas: a GCRA per limit.

Every limit is "``rate`` messages per second, with a burst of ``burst``"; a message goes
when every limit that applies to it has room, and then counts against all of them
(checking and counting is one atomic step: a Lua script in Redis, plain code in memory).

* ``all``: every message, at most ``TOTAL_PER_S`` a second in any second (Telegram: ~30).
* ``normal``: everything except the emergency lane, ``NORMAL_PER_S``: the headroom keeps
  room for someone asking for help during a broadcast or a flood.
* ``chat:<id>``: one a second per chat, with a short burst (an answer can be two messages).
* ``group:<id>``: 20 a minute per group (Telegram's limit), on top of its chat limit.
* ``alerts``: the broadcast pace (``ALERTS_PER_SECOND``); each alert then also passes
  the limits above as it is sent.

``hold(seconds)`` is flood control: after a 429 nobody sends until it ends.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.shared.client import PREFIX, Guard

Lane = Literal["normal", "emergency", "alert"]
TOTAL_PER_S = 29.0  # with a burst of 1, never more than 30 in any second
NORMAL_PER_S = 26.0
CHAT_PER_S, CHAT_BURST = 1.0, 3
GROUP_PER_S, GROUP_BURST = 20 / 60, 20


@dataclass(frozen=True, slots=True)
class Limit:
    """``rate`` a second, ``burst`` at once, counted under ``key``."""

    key: str
    rate: float
    burst: int = 1

    @property
    def interval_ms(self) -> float:
        """Milliseconds one message uses up."""
        return 1000.0 / self.rate


def limits_for(chat_id: int | None, lane: Lane, alert_rate: float) -> list[Limit]:
    """The limits a message to ``chat_id`` in ``lane`` must fit in."""
    if lane == "alert":
        # The broadcast's own pace; each alert message then passes the others on its way
        # out (the Telegram adapter's limiter), so it is not counted twice.
        return [Limit("alerts", alert_rate)]
    limits = [Limit("all", TOTAL_PER_S)]
    if lane != "emergency":
        limits.append(Limit("normal", NORMAL_PER_S))
    if chat_id is not None:
        if lane != "emergency":
            limits.append(Limit(f"chat:{chat_id}", CHAT_PER_S, CHAT_BURST))
        if chat_id < 0:
            limits.append(Limit(f"group:{chat_id}", GROUP_PER_S, GROUP_BURST))
    return limits


class RateBudget(Protocol):
    """The whole bot's send budget."""

    async def acquire(self, chat_id: int | None, lane: Lane = "normal") -> None:
        """Wait until a message to ``chat_id`` fits, and count it."""
        ...

    async def hold(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` (Telegram answered 429)."""
        ...

    async def forget(self, chat_id: int) -> None:
        """Drop the chat's own counters (/forget)."""
        ...


class MemoryBudget:
    """``RateBudget`` for one process."""

    def __init__(self, alert_rate: float = 20.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.alert_rate = alert_rate
        self._clock = clock
        self._tat: dict[str, float] = {}  # key -> theoretical arrival time, ms
        self._hold_until = 0.0

    def try_take(self, limits: Sequence[Limit]) -> float:
        """0 and counted if the message fits now, else the milliseconds to wait."""
        now = self._clock() * 1000
        if self._hold_until > now:
            return self._hold_until - now
        wait, new = 0.0, {}
        for limit in limits:
            tat = max(self._tat.get(limit.key, now), now)
            allowed_at = tat - limit.interval_ms * (limit.burst - 1)
            wait = max(wait, allowed_at - now)
            new[limit.key] = tat + limit.interval_ms
        if wait > 0:
            return wait
        self._tat.update(new)
        if len(self._tat) > 10_000:  # drop counters that no longer hold anything back
            self._tat = {k: v for k, v in self._tat.items() if v > now}
        return 0.0

    async def acquire(self, chat_id: int | None, lane: Lane = "normal") -> None:
        """See ``RateBudget``."""
        limits = limits_for(chat_id, lane, self.alert_rate)
        while (wait := self.try_take(limits)) > 0:
            await asyncio.sleep(wait / 1000)

    async def hold(self, seconds: float) -> None:
        """See ``RateBudget``."""
        self._hold_until = max(self._hold_until, (self._clock() + seconds) * 1000)

    async def forget(self, chat_id: int) -> None:
        """See ``RateBudget``."""
        self._tat.pop(f"chat:{chat_id}", None)


# KEYS[1] the hold key, KEYS[2..] the limits; ARGV interval_ms, burst per limit.
# Redis's own clock, so every replica counts in the same time.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local hold = redis.call('PTTL', KEYS[1])
if hold > 0 then return hold end
local wait = 0
local tats = {}
for i = 2, #KEYS do
  local interval = tonumber(ARGV[2 * i - 3])
  local burst = tonumber(ARGV[2 * i - 2])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  local allowed_at = tat - interval * (burst - 1)
  if allowed_at - now > wait then wait = allowed_at - now end
  tats[i] = tat + interval
end
if wait > 0 then return math.ceil(wait) end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], string.format('%.3f', tats[i]), 'PX', math.ceil(tats[i] - now) + 1)
end
return 0
"""


class RedisBudget:
    """``RateBudget`` shared by every replica through Redis.

    If Redis cannot be reached, this process falls back to its own ``MemoryBudget``
    meanwhile (each replica then keeps to the limits alone).
    """

    def __init__(self, redis: Redis, alert_rate: float = 20.0) -> None:
        self._redis = redis
        self.alert_rate = alert_rate
        self._take = redis.register_script(_TAKE)
        self._local = MemoryBudget(alert_rate)
        self.guard = Guard("the send budget")

    async def _try(self, limits: Sequence[Limit]) -> float:
        keys = [f"{PREFIX}hold"] + [f"{PREFIX}rate:{limit.key}" for limit in limits]
        args: list[float] = []
        for limit in limits:
            args += [limit.interval_ms, limit.burst]
        return float(await self._take(keys=keys, args=args))

    async def acquire(self, chat_id: int | None, lane: Lane = "normal") -> None:
        """See ``RateBudget``."""
        limits = limits_for(chat_id, lane, self.alert_rate)
        while True:
            if not self.guard.up:
                await self._local.acquire(chat_id, lane)
                return
            try:
                wait = await self._try(limits)
            except (RedisError, OSError) as exc:
                self.guard.failed(exc)
                continue
            if wait <= 0:
                return
            await asyncio.sleep(wait / 1000)

    async def hold(self, seconds: float) -> None:
        """See ``RateBudget``."""
        await self._local.hold(seconds)
        try:
            await self._redis.set(f"{PREFIX}hold", b"1", px=max(math.ceil(seconds * 1000), 1))
        except (RedisError, OSError) as exc:
            self.guard.failed(exc)

    async def forget(self, chat_id: int) -> None:
        """See ``RateBudget``."""
        await self._local.forget(chat_id)
        try:
            await self._redis.delete(f"{PREFIX}rate:chat:{chat_id}")
        except (RedisError, OSError) as exc:
            self.guard.failed(exc)


class BudgetPace:
    """The alert broadcaster's ``Pace`` on a budget: the ``alert`` lane."""

    def __init__(self, budget: RateBudget) -> None:
        self._budget = budget

    async def turn(self) -> None:
        """Wait for the next alert slot."""
        await self._budget.acquire(None, "alert")

    async def hold(self, seconds: float) -> None:
        """Flood control for everyone."""
        await self._budget.hold(seconds)
