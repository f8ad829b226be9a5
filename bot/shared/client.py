"""The Redis client, with short timeouts, and the guard that steps around an outage."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

logger = logging.getLogger(__name__)

PREFIX = "hrbot:"
TIMEOUT_S = 0.5  # a reply must never wait long for shared state
DOWN_FOR_S = 2.0  # after a failure, use local state this long before trying again


def open_redis(url: str) -> Redis:
    """A client for ``url`` that fails within half a second instead of hanging."""
    client: Redis = Redis.from_url(
        url,
        socket_timeout=TIMEOUT_S,
        socket_connect_timeout=TIMEOUT_S,
        retry=Retry(NoBackoff(), 1),
        health_check_interval=15,
    )
    return client


class Guard:
    """Remembers that Redis just failed, so callers skip it for ``DOWN_FOR_S`` seconds.

    ``failed`` logs at most once a minute, with the error kind only.
    """

    def __init__(self, what: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._what = what
        self._clock = clock
        self._down_until = 0.0
        self._last_log = -1e9

    @property
    def up(self) -> bool:
        """False while a recent failure says not to try."""
        return self._clock() >= self._down_until

    def failed(self, exc: BaseException) -> None:
        """Record a failure."""
        now = self._clock()
        self._down_until = now + DOWN_FOR_S
        if now - self._last_log >= 60:
            self._last_log = now
            logger.warning(
                "redis unavailable for %s (%s): using local state meanwhile",
                self._what,
                type(exc).__name__,
            )
