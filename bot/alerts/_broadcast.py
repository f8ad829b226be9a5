"""Send one alert to every subscriber of its region, paced, retried, resumable.

The transport is a ``Sender`` (the Telegram adapter implements it); it never raises for a
failed delivery but says what happened. Pacing is a ``Pace``: a token bucket at ``rate``
messages a second shared by a few workers (by every replica when it lives in Redis); a
flood-control answer (HTTP 429) pauses every worker for the time Telegram asks, and one
chat never gets two messages within a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import enum
import logging
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.alerts._models import UTC, Alert, AlertRegion, Delivery, Progress
from bot.alerts._store import LEASE_S, AlertStore
from bot.alerts._text import Texts, bundled_texts, format_alert
from bot.reply import Language

logger = logging.getLogger(__name__)

PER_CHAT_GAP_S = 1.0  # Telegram: about one message a second to the same chat


class Outcome(enum.Enum):
    """What became of one attempt to deliver."""

    SENT = "sent"
    BLOCKED = "blocked"  # the chat blocked the bot or no longer exists
    RETRY = "retry"  # flood control, a 5xx answer or the network: try again later
    FAILED = "failed"  # refused for good (a malformed request)


@dataclass(frozen=True, slots=True)
class SendResult:
    """One attempt's outcome; ``reason`` is a short error kind, never user content."""

    outcome: Outcome
    retry_after: float | None = None
    reason: str = ""


SENT = SendResult(Outcome.SENT)


class Sender(Protocol):
    """Delivers one alert text to one chat."""

    async def send(self, chat_id: int, text: str) -> SendResult:
        """Try once (the transport may retry inside); never raise for a failed delivery."""
        ...


Reporter = Callable[[Alert, Progress], Awaitable[None]]


class Pace(Protocol):
    """When the next alert message may go: shared by every replica when Redis is used."""

    async def turn(self) -> None:
        """Wait for the next send slot."""
        ...

    async def hold(self, seconds: float) -> None:
        """Flood control (HTTP 429): nobody sends alerts for ``seconds``."""
        ...


Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class LocalPace:
    """``Pace`` for one process: a token bucket at ``rate`` a second.

    ``monotonic`` and ``sleep`` are injected so tests can run the pacing on their own clock.
    """

    def __init__(
        self, rate: float, *, monotonic: Monotonic = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.rate = rate
        self.monotonic = monotonic
        self.sleep = sleep
        self._next_slot = 0.0
        self._paused_until = 0.0

    async def turn(self) -> None:
        """Wait for this caller's slot: ``rate`` a second in all, none during a pause."""
        while True:
            now = self.monotonic()
            slot = max(now, self._next_slot, self._paused_until)
            if slot <= now:
                self._next_slot = max(self._next_slot, now) + 1 / self.rate
                # Behind schedule there is nothing to wait for, but a stop or a progress
                # report must still get its turn (a transport that never waits, such as
                # the tests' in-process API, would otherwise send the whole alert first).
                await self.sleep(0)
                return
            await self.sleep(slot - now)

    async def hold(self, seconds: float) -> None:
        """Pause every caller for ``seconds``."""
        self._paused_until = max(self._paused_until, self.monotonic() + seconds)


class Broadcaster:
    """Works through the delivery log of one alert at a time, in leased batches.

    Several broadcasters (one per replica) may work on the same alert: each claims a batch
    of rows with a lease under its own ``owner`` token, sends them paced, and gives back
    what it did not try when it stops. A row is sent only while enough of its lease is left
    that no other replica can have claimed it again.

    ``clock`` dates leases, retries and expiry; ``monotonic`` and ``sleep`` time the pacing
    and the per-chat gap. All three are injected so tests need not wait in real time.
    """

    def __init__(
        self,
        store: AlertStore,
        sender: Sender,
        regions: Mapping[str, AlertRegion],
        *,
        rate: float,
        pace: Pace | None = None,
        workers: int = 8,
        lease: float = LEASE_S,
        max_attempts: int = 3,
        base_delay: float = 2.0,
        report_every: float = 5.0,  # a staff group may get 20 messages a minute
        idle_poll: float = 1.0,  # how often a worker with nothing to claim looks again
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(UTC),
        catalog: Callable[[], Texts] = bundled_texts,  # the words (ui.yaml) served now
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.store = store
        self.sender = sender
        self.regions = regions
        self.rate = rate
        self.pace = pace or LocalPace(rate, monotonic=monotonic, sleep=sleep)
        self.workers = workers
        self.batch_size = workers * 2
        self.lease = lease
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.report_every = report_every
        self.idle_poll = idle_poll
        self.clock = clock
        self.catalog = catalog
        self.monotonic = monotonic
        self.sleep = sleep
        self.owner = secrets.token_hex(8)  # this process's leases; says nothing about it
        self._last_sent: dict[int, float] = {}
        self._claiming = asyncio.Lock()

    async def run(
        self, alert: Alert, stop: asyncio.Event, reporter: Reporter | None = None
    ) -> Progress | None:
        """Deliver ``alert`` to everyone queued; the final counts if this process closed
        the broadcast, None if ``stop`` came first or another replica closed it."""
        texts: dict[Language, str] = {}
        catalog = self.catalog()

        def text(lang: Language) -> str:
            if lang not in texts:
                texts[lang] = format_alert(alert, lang, self.regions.get(alert.region), catalog)
            return texts[lang]

        now = self.monotonic()
        self._last_sent = {c: t for c, t in self._last_sent.items() if now - t < PER_CHAT_GAP_S}
        batch: deque[Delivery] = deque()
        workers = [
            asyncio.create_task(self._work(alert, text, stop, batch)) for _ in range(self.workers)
        ]
        reporting = asyncio.create_task(self._report(alert, reporter, stop))
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()
            reporting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reporting
            # Claimed but never tried: another replica may take them at once.
            self._give_back(alert, batch)
        if stop.is_set() and (self.store.next_due(alert.id) is not None):
            return None
        final = self.store.complete(alert.id)
        if final is None:
            return None  # another replica closed it and showed staff the counts
        logger.info(
            "alert %s: %d sent, %d failed, %d blocked, %d skipped",
            alert.id,
            final.sent,
            final.failed,
            final.blocked,
            final.skipped,
        )
        await _report_safely(reporter, alert, final)
        return final

    def _give_back(self, alert: Alert, batch: deque[Delivery]) -> None:
        if batch:
            self.store.release(alert.id, self.owner, [d.chat_id for d in batch])
            batch.clear()

    async def _take(
        self, alert: Alert, batch: deque[Delivery], stop: asyncio.Event
    ) -> Delivery | None:
        """The next delivery of this process's batch, claiming a batch when it is empty;
        None when nothing is left to claim (rows in flight are their senders' job)."""
        while not stop.is_set():
            if batch:
                return batch.popleft()
            async with self._claiming:
                if batch:
                    continue  # another worker just claimed a batch
                now = self.clock()
                if alert.expired(now):
                    self.store.recover(now)  # dead replicas' rows, so they expire too
                    if self.store.expire_pending(alert.id):
                        logger.info("alert %s expired before every delivery was made", alert.id)
                    return None
                claimed = self.store.claim(
                    alert.id, now, limit=self.batch_size, lease=self.lease, owner=self.owner
                )
                if claimed:
                    batch.extend(claimed)
                    continue
                due = self.store.next_due(alert.id)
            if due is None:
                return None
            await _wait(stop, min(max((due - now).total_seconds(), 0.01), self.idle_poll))
        return None

    async def _work(
        self,
        alert: Alert,
        text: Callable[[Language], str],
        stop: asyncio.Event,
        batch: deque[Delivery],
    ) -> None:
        while not stop.is_set():
            delivery = await self._take(alert, batch, stop)
            if delivery is None:
                return
            await self.pace.turn()
            now = self.clock()
            if stop.is_set() or alert.expired(now):
                batch.appendleft(delivery)  # given back (or expired) by run()
                if alert.expired(now):
                    self._give_back(alert, batch)
                continue
            if (
                delivery.lease_until is not None
                and (delivery.lease_until - now).total_seconds() < self.lease / 3
            ):
                # Held too long (a long flood-control pause): another replica may soon
                # claim it, so sending now could send it twice. Give it back.
                self.store.release(alert.id, self.owner, [delivery.chat_id])
                continue
            try:
                await self._chat_gap(delivery.chat_id)
                result = await self.sender.send(delivery.chat_id, text(delivery.language))
            except asyncio.CancelledError:
                raise  # the row stays 'sending' until its lease ends, then is sent again
            except Exception as exc:  # a bug in a sender must not lose the delivery
                result = SendResult(Outcome.RETRY, reason=type(exc).__name__)
            self._last_sent[delivery.chat_id] = self.monotonic()
            await self._record(delivery, result)

    async def _record(self, delivery: Delivery, result: SendResult) -> None:
        alert_id, chat_id = delivery.alert_id, delivery.chat_id
        if result.outcome is Outcome.SENT:
            self.store.finish(alert_id, chat_id, "sent")
        elif result.outcome is Outcome.BLOCKED:
            self.store.block(alert_id, chat_id)
        elif result.outcome is Outcome.RETRY and delivery.attempts < self.max_attempts:
            if result.retry_after:
                # Flood control applies to the whole bot: everyone waits.
                await self.pace.hold(result.retry_after)
            delay = result.retry_after or self.base_delay * 2 ** (delivery.attempts - 1)
            self.store.retry_later(alert_id, chat_id, self.clock() + dt.timedelta(seconds=delay))
        else:
            self.store.finish(alert_id, chat_id, "failed")
            # Counted and logged, never silent; the chat id stays out of the log.
            logger.info(
                "alert %s: one delivery failed after %d attempts (%s)",
                alert_id,
                delivery.attempts,
                result.reason or result.outcome.value,
            )

    async def _chat_gap(self, chat_id: int) -> None:
        """Keep a second between two messages to one chat (two alerts in a row)."""
        last = self._last_sent.get(chat_id)
        if last is not None:
            await self.sleep(max(last + PER_CHAT_GAP_S - self.monotonic(), 0))

    async def _report(self, alert: Alert, reporter: Reporter | None, stop: asyncio.Event) -> None:
        if reporter is None:
            return
        while not stop.is_set():
            # One replica a turn: two editing one message would exceed a group's budget.
            if self.store.report_turn(alert.id, self.clock(), self.report_every * 0.9):
                await _report_safely(reporter, alert, self.store.progress(alert.id))
            await _wait(stop, self.report_every)


async def _report_safely(reporter: Reporter | None, alert: Alert, progress: Progress) -> None:
    # Progress is for staff; failing to show it must never stop the broadcast.
    if reporter is None:
        return
    try:
        await reporter(alert, progress)
    except Exception as exc:
        logger.warning("alert %s: could not report progress (%s)", alert.id, type(exc).__name__)


async def _wait(event: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds`` or until ``event`` is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)
