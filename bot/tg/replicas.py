"""What a replica shares with the others through Redis (``REDIS_URL``), wired into PTB.

* ``SharedStateProcessor``: the fair update processor (``bot.tg.fairness``) that, around
  the handling of each update, loads the chat's conversation state and staff draft from
  Redis and saves them back (``bot.shared.state``), inside the chat's turn.
* ``Shared``: the Redis client, the shared send budget (``RedisRateBudget``, for the
  limiter), the seen-update set (``RedisLedger``, for the webhook) and the alert pace,
  made from the settings once per process.

Without ``REDIS_URL`` nothing here is used: one replica keeps everything in memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Generator
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from telegram import Update

from bot.config import Settings
from bot.session import SessionStore
from bot.shared import open_redis
from bot.shared.budget import RedisPace, RedisRateBudget
from bot.shared.seen import RedisLedger
from bot.shared.state import RedisChatStates, StateSync
from bot.tg.context import BotData
from bot.tg.fairness import FairUpdateProcessor, FloodGate


def chat_key(update: object) -> int | None:
    """The key a chat's session is held under (the handlers use the same)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user else None


class _WithState:
    """An update's handling with the chat's shared state loaded before and saved after.

    ``close`` closes the handling itself, as the fair processor does to an update it drops.
    """

    def __init__(self, inner: Awaitable[Any], sync: StateSync, key: int, draft: bool) -> None:
        self._inner = inner
        self._sync = sync
        self._key = key
        self._draft = draft

    def __await__(self) -> Generator[Any, None, None]:
        return self._run().__await__()

    async def _run(self) -> None:
        await self._sync.hydrate(self._key, draft=self._draft)
        try:
            await self._inner
        finally:
            await self._sync.persist(self._key, draft=self._draft)

    def close(self) -> None:
        """Drop the handling unrun."""
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


class SharedStateProcessor(FairUpdateProcessor):
    """``FairUpdateProcessor`` whose updates see the chat's state as every replica left it."""

    def __init__(
        self, sync: StateSync, admin_chats: tuple[int, ...], flood: FloodGate | None = None
    ) -> None:
        super().__init__(flood=flood)
        self.sync = sync
        self.admin_chats = frozenset(admin_chats)

    def bind(self, data: BotData) -> None:
        """Share the Application's own sessions and drafts (they exist once it is built)."""
        self.sync.sessions, self.sync.drafts = data.sessions, data.alert_drafts

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Schedule the update like the fair processor, its state around its handling."""
        key = chat_key(update)
        if key is not None:
            # Only staff chats have alert drafts: nobody else pays for loading one.
            coroutine = _WithState(coroutine, self.sync, key, key in self.admin_chats)
        await super().do_process_update(update, coroutine)


@dataclass
class Shared:
    """One process's handles on Redis."""

    redis: Redis
    budget: RedisRateBudget
    ledger: RedisLedger
    alert_rate: float
    session_ttl_s: float
    admin_chats: tuple[int, ...]

    @classmethod
    def open(cls, settings: Settings) -> Shared | None:
        """From ``REDIS_URL``; None when it is not set."""
        if settings.redis_url is None:
            return None
        redis = open_redis(settings.redis_url.get_secret_value())
        return cls(
            redis,
            RedisRateBudget(redis),
            RedisLedger(redis),
            settings.alerts_per_second,
            settings.session_ttl_minutes * 60,
            settings.admin_chat_ids,
        )

    def processor(self, flood: FloodGate | None) -> SharedStateProcessor:
        """The update processor; ``bind`` it to the Application's data once built."""
        states = RedisChatStates(self.redis, ttl=self.session_ttl_s)
        sync = StateSync(states, SessionStore(), {})
        return SharedStateProcessor(sync, self.admin_chats, flood)

    def pace(self) -> RedisPace:
        """The alerts' pace, shared by every replica."""
        return RedisPace(self.redis, self.alert_rate, self.budget)

    async def close(self) -> None:
        """Close the client's connections."""
        await self.redis.aclose()
