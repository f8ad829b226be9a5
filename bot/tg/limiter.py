"""Pace outgoing messages through a ``RateBudget``: by lane first, then chat by chat.

Plugged into PTB as the rate limiter wrapped by ``RetryingLimiter``. Messages waiting
for room are granted in lane order (URGENT, CHAT, BULK); within a lane, chats take
turns, so a chat with 300 answers queued waits behind every other chat's next one.
Calls that send nothing to a chat (getMe, answerCallbackQuery, setWebhook...) are not
paced, as Telegram does not count them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.tg.budget import RateBudget
from bot.tg.lanes import Lane, current_lane
from bot.tg.retry import retry_after_seconds

logger = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
_PACED_PREFIXES = ("send", "copy", "forward", "edit")


def is_paced(endpoint: str) -> bool:
    """True for the methods that put a message in a chat (what Telegram rate-limits)."""
    return endpoint.startswith(_PACED_PREFIXES)


class PriorityLimiter(BaseRateLimiter[int]):
    """Grant each message its turn: the most urgent lane, the chat that waited longest."""

    def __init__(self, budget: RateBudget) -> None:
        self._budget = budget
        self._queues: dict[Lane, OrderedDict[int | None, deque[asyncio.Future[None]]]] = {
            lane: OrderedDict() for lane in Lane
        }
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None

    async def initialize(self) -> None:
        """Start granting turns."""
        if self._dispatcher is None:
            self._dispatcher = asyncio.create_task(self._dispatch(), name="rate-dispatcher")

    async def shutdown(self) -> None:
        """Stop granting turns; waiting callers are cancelled."""
        task, self._dispatcher = self._dispatcher, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for queue in self._queues.values():
            for waiters in queue.values():
                for waiter in waiters:
                    waiter.cancel()
            queue.clear()

    def waiting(self) -> int:
        """How many messages wait for a turn now."""
        return sum(len(w) for q in self._queues.values() for w in q.values())

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Wait for this message's turn, then make the call."""
        if is_paced(endpoint):
            await self._turn(current_lane(), _chat_id(data))
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            # Telegram's flood control covers the whole bot: hold everyone, not just this call.
            await self._budget.pause(retry_after_seconds(exc))
            raise

    async def _turn(self, lane: Lane, chat_id: int | None) -> None:
        if self._dispatcher is None:
            await self.initialize()
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queues[lane].setdefault(chat_id, deque()).append(waiter)
        self._wake.set()
        await waiter

    async def _dispatch(self) -> None:
        while True:
            wait = await self._grant_one()
            if wait == 0.0:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def _grant_one(self) -> float | None:
        """Grant the next turn: 0.0; else the seconds to wait (None: nobody is waiting)."""
        soonest: float | None = None
        for lane in Lane:
            queue = self._queues[lane]
            for chat_id in list(queue):
                waiters = queue[chat_id]
                while waiters and waiters[0].done():  # the caller gave up
                    waiters.popleft()
                if not waiters:
                    del queue[chat_id]
                    continue
                wait = await self._budget.take(lane, chat_id)
                if wait <= 0:
                    waiters.popleft().set_result(None)
                    # This chat goes to the back of its lane: the others take their turn.
                    queue.move_to_end(chat_id)
                    if not waiters:
                        del queue[chat_id]
                    return 0.0
                soonest = wait if soonest is None else min(soonest, wait)
                if chat_id is None or chat_id >= 0:
                    # Not a group's own per-minute limit, so the bot's: no lane at or
                    # below this one has room (lower lanes have smaller shares).
                    return soonest
        return soonest


def _chat_id(data: dict[str, Any]) -> int | None:
    value = data.get("chat_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None  # a channel @username
