"""Log repeated warnings and errors once per interval, not once per occurrence.

A hostile client can make the same refusal happen thousands of times a second (a bad
header, a connection flood); one line a minute with a count says as much and keeps the
log readable and the disk safe.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from aiohttp.http_exceptions import HttpProcessingError

logger = logging.getLogger(__name__)

REPEAT_INTERVAL_S = 60.0
MAX_KINDS = 1_000  # distinct kinds remembered; beyond this the oldest are forgotten


class RepeatFilter(logging.Filter):
    """Pass the first record of each kind per interval; count and drop the rest.

    A kind is the logger, the level, the message template (not its arguments) and the
    exception type. The next record of a kind that passes says how many were dropped.
    Records below WARNING always pass.
    """

    def __init__(
        self, interval: float = REPEAT_INTERVAL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self._interval = interval
        self._clock = clock
        self._seen: dict[tuple[str, int, str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """True to emit ``record`` (with a count of the dropped repeats), False to drop it."""
        if record.levelno < logging.WARNING:
            return True
        exc_type = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        kind = (record.name, record.levelno, str(record.msg), exc_type)
        now = self._clock()
        last = self._seen.get(kind)
        if last is not None and now - last[0] < self._interval:
            self._seen[kind] = (last[0], last[1] + 1)
            return False
        dropped = last[1] if last is not None else 0
        self._seen.pop(kind, None)
        self._seen[kind] = (now, 0)
        if len(self._seen) > MAX_KINDS:
            del self._seen[next(iter(self._seen))]
        if dropped:
            record.msg = f"{record.msg} [and {dropped} more like this in the last interval]"
        return True


class _MalformedHttp(logging.Filter):
    """aiohttp logs a traceback for every unparsable request; one quiet line is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "refused a malformed HTTP request (%s)", (type(exc).__name__,)
            record.exc_info = record.exc_text = None
        return True


def quiet_http_errors() -> None:
    """Turn aiohttp's tracebacks for malformed requests into one WARNING line each."""
    server_log = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, _MalformedHttp) for f in server_log.filters):
        server_log.addFilter(_MalformedHttp())


def quiet_accept_errors(loop: asyncio.AbstractEventLoop) -> None:
    """Log a failed accept (out of open files) as one WARNING line, not a traceback each.

    asyncio retries the accept a second later by itself; the connection cap keeps this
    from happening at all unless something else holds the files.
    """
    default = loop.get_exception_handler()

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if str(context.get("message", "")).startswith("socket.accept() out of system"):
            error = context.get("exception")
            logger.warning("could not accept a connection (%s)", type(error).__name__)
            return
        if default is not None:
            default(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handle)
