"""The running alert service: one background task that sends what is queued.

It resumes unfinished broadcasts at start, publishes new files from ``resources/alerts``
(once, however many replicas see the file: the alert id is the key), forgets expired
alerts, and sends one alert at a time (in publication order) so the bot stays within
Telegram's overall rate. Replicas work on the same broadcast together (see Broadcaster).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from bot.alerts._broadcast import Broadcaster, Monotonic, Pace, Reporter, Sender, Sleep
from bot.alerts._files import read_alert_files
from bot.alerts._models import UTC, Alert, AlertRegion
from bot.alerts._store import LEASE_S, AlertStore
from bot.alerts._text import Texts, bundled_texts
from bot.postgres import DatabaseUnavailable

logger = logging.getLogger(__name__)

RETRY_AFTER_FAILURE_S = 5.0


class AlertService:
    """Owns the broadcaster and its task; ``start`` and ``stop`` bracket the bot's life."""

    def __init__(
        self,
        store: AlertStore,
        regions: Mapping[str, AlertRegion],
        sender: Sender,
        *,
        rate: float,
        resources_dir: Path | None = None,
        reporter: Reporter | None = None,
        scan_every: float = 60.0,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(UTC),
        workers: int = 8,
        pace: Pace | None = None,
        lease: float = LEASE_S,
        max_attempts: int = 3,
        base_delay: float = 2.0,
        report_every: float = 5.0,  # a staff group may get 20 messages a minute
        catalog: Callable[[], Texts] = bundled_texts,  # the words (ui.yaml) served now
        idle_poll: float = 1.0,
        monotonic: Monotonic = time.monotonic,  # the broadcaster's pacing (tests inject both)
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.store = store
        self.regions = regions
        self.resources_dir = resources_dir
        self.reporter = reporter
        self.scan_every = scan_every
        self.clock = clock
        self.broadcaster = Broadcaster(
            store,
            sender,
            regions,
            rate=rate,
            pace=pace,
            lease=lease,
            clock=clock,
            workers=workers,
            max_attempts=max_attempts,
            base_delay=base_delay,
            report_every=report_every,
            catalog=catalog,
            idle_poll=idle_poll,
            monotonic=monotonic,
            sleep=sleep,
        )
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.idle = asyncio.Event()  # set whenever nothing is left to send (tests wait on it)

    async def start(self) -> None:
        """Recover deliveries a dead process left half-done, then start sending.

        Only rows whose lease has ended: another replica's live batch is left alone."""
        recovered = self.store.recover(self.clock())
        if recovered:
            logger.info("resuming %d alert deliveries interrupted by a stop", recovered)
        self._stop.clear()
        self._task = asyncio.create_task(self._loop(), name="alerts")

    async def stop(self, grace: float = 3.0) -> None:
        """Stop sending: in-flight messages get ``grace`` seconds, the rest stays queued."""
        self._stop.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    def publish(self, alert: Alert) -> int | None:
        """Queue ``alert`` for its region's subscribers; None if its id is taken."""
        queued = self.store.publish(alert)
        self.idle.clear()
        self._wake.set()
        return queued

    def wake(self) -> None:
        """Look for work now (a new file, a message id to report to)."""
        self.idle.clear()
        self._wake.set()

    def scan_files(self) -> int:
        """Publish alert files not published yet; how many."""
        if self.resources_dir is None:
            return 0
        alerts, problems = read_alert_files(self.resources_dir, self.regions, self.clock())
        for problem in problems:
            logger.warning("alert file skipped: %s", problem)
        published = 0
        for alert in alerts:
            if not self.store.known(alert.id) and self.store.publish(alert) is not None:
                logger.info("alert %s published from its file", alert.id)
                published += 1
        return published

    async def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            wait = self.scan_every
            try:
                self.scan_files()
                self.store.purge_expired(self.clock())
                for alert in self.store.unfinished():
                    if self._stop.is_set():
                        return
                    await self.broadcaster.run(alert, self._stop, self.reporter)
            except asyncio.CancelledError:
                raise
            except DatabaseUnavailable:
                logger.warning("alerts paused: the database cannot be reached; retrying")
                wait = min(wait, RETRY_AFTER_FAILURE_S)
            except Exception:
                # The loop must outlive any one failure; the next turn tries again.
                logger.exception("alert service turn failed")
                wait = min(wait, RETRY_AFTER_FAILURE_S)  # e.g. the database was down
            if not self._stop.is_set() and not self._wake.is_set():
                self.idle.set()
            await _wait_any(self._stop, self._wake, wait)


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds`` or until either event is set."""
    waiters = {asyncio.create_task(stop.wait()), asyncio.create_task(wake.wait())}
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
