"""What a replica shares with the others through Redis (``REDIS_URL``), wired into PTB.

* ``SharedUpdateProcessor``: PTB's update processor; skips an update another replica
  already took (the seen set), and around each update loads the chat's conversation state
  and staff draft from Redis and saves them back (``bot.shared.state``).
* ``Shared``: the Redis client, the send budget (used by the limiter and the alert pace)
  and the processor, made from the settings once per process.

Without ``REDIS_URL`` nothing here is used: one replica keeps everything in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.config import Settings
from bot.shared import open_redis
from bot.shared.budget import BudgetPace, RateBudget, RedisBudget
from bot.shared.seen import RedisLedger, UpdateLedger
from bot.shared.state import RedisChatStates, StateSync
from bot.tg.context import BotData

logger = logging.getLogger(__name__)

MAX_CONCURRENT_UPDATES = 256  # what concurrent_updates(True) allows


def chat_key(update: Update) -> int:
    """The key a chat's session is held under (the handlers use the same)."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user else 0


class SharedUpdateProcessor(BaseUpdateProcessor):
    """Handles each update once across replicas, with the chat's shared state around it."""

    def __init__(self, ledger: UpdateLedger, admin_chats: tuple[int, ...]) -> None:
        super().__init__(MAX_CONCURRENT_UPDATES)
        self.ledger = ledger
        self.admin_chats = frozenset(admin_chats)
        self.sync: StateSync | None = None  # bound to the Application's BotData after build

    async def initialize(self) -> None:
        """Nothing to start."""

    async def shutdown(self) -> None:
        """Nothing to stop."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run ``coroutine`` (PTB's handling of ``update``) unless another replica did."""
        if not isinstance(update, Update):
            await coroutine
            return
        if not await self.ledger.first_time(update.update_id):
            close = getattr(coroutine, "close", None)
            if close is not None:
                close()  # never awaited: handled elsewhere
            logger.debug("update handled by another replica already")
            return
        if self.sync is None:
            await coroutine
            return
        key = chat_key(update)
        drafts = key in self.admin_chats  # only staff chats have alert drafts
        await self.sync.hydrate(key, draft=drafts)
        try:
            await coroutine
        finally:
            await self.sync.persist(key, draft=drafts)


@dataclass
class Shared:
    """One process's handles on Redis."""

    redis: Redis
    budget: RateBudget
    processor: SharedUpdateProcessor

    @classmethod
    def open(cls, settings: Settings) -> Shared | None:
        """From ``REDIS_URL``; None when it is not set."""
        if settings.redis_url is None:
            return None
        redis = open_redis(settings.redis_url.get_secret_value())
        processor = SharedUpdateProcessor(RedisLedger(redis), settings.admin_chat_ids)
        return cls(redis, RedisBudget(redis, settings.alerts_per_second), processor)

    def bind(self, data: BotData) -> None:
        """Connect the processor to the Application's in-memory state."""
        states = RedisChatStates(self.redis, ttl=data.settings.session_ttl_minutes * 60)
        self.processor.sync = StateSync(states, data.sessions, data.alert_drafts)

    def pace(self) -> BudgetPace:
        """The alerts' pace, shared by every replica."""
        return BudgetPace(self.budget)

    async def close(self) -> None:
        """Close the client's connections."""
        await self.redis.aclose()
