"""A clock for code that paces itself: its sleeps return at once and move the clock on.

Time is the real monotonic clock plus every second slept so far, so it never runs slower
than real time (real timeouts elsewhere stay safe) and a pacing wait costs nothing. The
wall-clock ``now`` moves with it, so leases, retries and expiry see the same time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time


class SkippingClock:
    """``monotonic``, ``now`` and ``sleep`` for one test; ``skipped`` is the time saved."""

    def __init__(self) -> None:
        self.skipped = 0.0
        self._wall = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=time.monotonic())

    def monotonic(self) -> float:
        """Seconds on this clock (real monotonic time plus what was slept)."""
        return time.monotonic() + self.skipped

    def now(self) -> dt.datetime:
        """The UTC date and time on this clock."""
        return self._wall + dt.timedelta(seconds=self.monotonic())

    async def sleep(self, seconds: float) -> None:
        """Move the clock on by ``seconds`` and let other tasks run once."""
        self.skipped += max(seconds, 0.0)
        await asyncio.sleep(0)
