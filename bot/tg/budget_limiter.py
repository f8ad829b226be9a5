"""PTB's rate-limiter hook on the shared send budget (``bot.shared.budget``).

Used instead of ``AIORateLimiter`` when ``REDIS_URL`` is set, so N replicas together send
no faster than one. Calls that address a chat (``chat_id``) are counted; a 429 holds every
replica for the time Telegram asks. ``rate_limit_args=EMERGENCY`` puts a call in the
emergency lane (no per-chat wait, the headroom of the global limit).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.shared.budget import Lane, RateBudget
from bot.tg.retry import JSONResult, retry_after_seconds

EMERGENCY = "emergency"


class BudgetLimiter(BaseRateLimiter[Any]):
    """Waits for the budget before each call to a chat."""

    def __init__(self, budget: RateBudget) -> None:
        self.budget = budget

    async def initialize(self) -> None:
        """Nothing to start."""

    async def shutdown(self) -> None:
        """Nothing to stop."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> JSONResult:
        """Wait for room, then make the call."""
        chat = data.get("chat_id")
        if chat is not None:
            lane: Lane = "emergency" if rate_limit_args == EMERGENCY else "normal"
            chat_id = chat if isinstance(chat, int) else None  # '@channel' names: global only
            await self.budget.acquire(chat_id, lane)
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            await self.budget.hold(retry_after_seconds(exc))
            raise
