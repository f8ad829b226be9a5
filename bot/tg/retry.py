"""Retry Bot API calls that failed for reasons that pass: flood control, 5xx, the network.

Plugged into PTB as its rate limiter (the one hook every API call goes through), wrapping
``AIORateLimiter`` when outgoing rate limiting is on.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

logger = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class RetryingLimiter(BaseRateLimiter[int]):
    """Retry a failed call up to ``attempts`` times in all.

    ``RetryAfter`` (HTTP 429) waits what Telegram asks, up to ``max_retry_after`` seconds;
    5xx answers and network errors (``NetworkError``, ``TimedOut``) back off exponentially
    with jitter. ``BadRequest`` and ``Forbidden`` are final and raised at once.
    """

    def __init__(
        self,
        inner: BaseRateLimiter[Any] | None = None,
        *,
        attempts: int = 4,
        base_delay: float = 0.5,
        max_retry_after: float = 60.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._inner = inner
        self._attempts = attempts
        self._base_delay = base_delay
        self._max_retry_after = max_retry_after
        self._sleep = sleep

    async def initialize(self) -> None:
        """Start the wrapped limiter."""
        if self._inner is not None:
            await self._inner.initialize()

    async def shutdown(self) -> None:
        """Stop the wrapped limiter."""
        if self._inner is not None:
            await self._inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Make the call, retrying transient failures."""
        attempt = 1
        while True:
            try:
                if self._inner is None:
                    return await callback(*args, **kwargs)
                return await self._inner.process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except RetryAfter as exc:
                delay = retry_after_seconds(exc)
                if attempt >= self._attempts or delay > self._max_retry_after:
                    raise
                logger.warning("%s: flood control, retrying in %.1fs", endpoint, delay)
            except BadRequest:
                raise
            except NetworkError as exc:
                if attempt >= self._attempts:
                    raise
                delay = self._base_delay * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)
                logger.warning(
                    "%s: %s, retry %d in %.1fs", endpoint, type(exc).__name__, attempt, delay
                )
            await self._sleep(delay)
            attempt += 1


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds."""
    with warnings.catch_warnings():
        # PTB 22 warns that this int becomes a timedelta; both are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
