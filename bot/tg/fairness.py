"""Which update is handled next: emergencies at once, then chats in turn, floods cut short.

PTB hands every update to an update processor. ``FairUpdateProcessor``:

* runs an emergency at once, whatever else is waiting, with its calls in the URGENT lane;
* handles one update per chat at a time, in order, and lets the chats take turns for the
  ``slots`` that run at once, so one chat's 300 messages wait behind everyone else's next;
* past the flood limit (N messages in M seconds from one chat), tells the chat once to
  slow down and drops its further messages until it does. Emergencies are never dropped.

Whether an update is an emergency is only asked when it matters (the update would wait
or be dropped); answers to emergencies travel in the URGENT lane anyway (``send_reply``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram.ext import BaseUpdateProcessor

from bot.tg.lanes import Lane, travel_in

logger = logging.getLogger(__name__)

MAX_PENDING = 10_000  # updates PTB may hand over before it waits (the rest queue in PTB)
DEFAULT_SLOTS = 64
_MAX_TRACKED_CHATS = 100_000


@dataclass(frozen=True, slots=True)
class Ticket:
    """What the processor needs to know about one update."""

    chat: int | None  # whose turn it takes; None: no chat (handled at once)
    counted: bool = False  # something the bot answers: counts towards the flood limit
    urgent: Callable[[], bool] = lambda: False  # asked only when the answer matters


class FloodGate:
    """Per chat: at most ``limit`` counted messages in ``window`` seconds."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._recent: OrderedDict[int, deque[float]] = OrderedDict()  # chat -> last times
        self._warned: set[int] = set()

    def check(self, chat: int) -> str:
        """``"ok"``, ``"warn"`` (first message over the limit) or ``"drop"``."""
        now = self._clock()
        self._expire(now)
        times = self._recent.pop(chat, None) or deque(maxlen=self._limit)
        over = len(times) == self._limit and now - times[0] < self._window
        times.append(now)  # dropped messages count too: a flood must stop to be let in
        self._recent[chat] = times
        if not over:
            self._warned.discard(chat)
            return "ok"
        if chat in self._warned:
            return "drop"
        self._warned.add(chat)
        return "warn"

    def _expire(self, now: float) -> None:
        while self._recent:
            chat, times = next(iter(self._recent.items()))
            if now - times[-1] < self._window and len(self._recent) < _MAX_TRACKED_CHATS:
                break
            del self._recent[chat]
            self._warned.discard(chat)


class FairTurns:
    """At most ``slots`` updates at once, one per chat, chats served in turn."""

    def __init__(self, slots: int) -> None:
        self._slots = slots
        self._active = 0
        self._busy: set[int] = set()
        self._waiting: OrderedDict[int, deque[asyncio.Future[None]]] = OrderedDict()

    def free(self, chat: int) -> bool:
        """True if ``chat`` would get its turn at once."""
        return self._active < self._slots and chat not in self._busy and chat not in self._waiting

    async def acquire(self, chat: int) -> None:
        """Wait until this chat may handle its next update."""
        if self.free(chat):
            self._take(chat)
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(chat, deque()).append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release(chat)  # granted just as it was cancelled
            else:
                with contextlib.suppress(KeyError, ValueError):
                    self._waiting[chat].remove(waiter)
            raise

    def release(self, chat: int) -> None:
        """The chat's update is done: give its slot to the next chat in turn."""
        self._active -= 1
        self._busy.discard(chat)
        self._grant()

    def _take(self, chat: int) -> None:
        self._active += 1
        self._busy.add(chat)

    def _grant(self) -> None:
        for chat in list(self._waiting):
            if self._active >= self._slots:
                return
            if chat in self._busy:
                continue
            waiters = self._waiting.pop(chat)
            while waiters and waiters[0].done():
                waiters.popleft()
            if not waiters:
                continue
            waiters.popleft().set_result(None)
            self._take(chat)
            if waiters:
                self._waiting[chat] = waiters  # back of the line


class FairUpdateProcessor(BaseUpdateProcessor):
    """PTB's update processor with emergency priority, per-chat turns and a flood limit.

    ``triage`` is set after the Application exists (it reads the live dialogue);
    ``slow_down`` sends the one "slow down" notice to a flooding chat.
    """

    def __init__(
        self,
        *,
        slots: int = DEFAULT_SLOTS,
        flood: FloodGate | None = None,
    ) -> None:
        super().__init__(MAX_PENDING)
        self.triage: Callable[[object], Ticket] = lambda update: Ticket(None)
        self.slow_down: Callable[[object], Awaitable[None]] | None = None
        self._turns = FairTurns(slots)
        self._flood = flood
        self.dropped = 0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run, queue or drop one update's handling."""
        ticket = _safe_triage(self.triage, update)
        if ticket.chat is None:
            await coroutine
            return
        if self._flood is not None and ticket.counted:
            verdict = self._flood.check(ticket.chat)
            if verdict != "ok" and not _asks(ticket):
                _close(coroutine)
                self.dropped += 1
                if verdict == "warn":
                    logger.info("flood limit: a chat was asked to slow down")
                    if self.slow_down is not None:
                        await self.slow_down(update)
                return
        if self._turns.free(ticket.chat) or not _asks(ticket):
            await self._in_turn(ticket.chat, coroutine)
            return
        with travel_in(Lane.URGENT):
            await coroutine

    async def _in_turn(self, chat: int, coroutine: Awaitable[Any]) -> None:
        try:
            await self._turns.acquire(chat)
        except BaseException:
            _close(coroutine)
            raise
        try:
            await coroutine
        finally:
            self._turns.release(chat)


def _asks(ticket: Ticket) -> bool:
    """True if the update is an emergency; a failing check is not (its handler reports it)."""
    try:
        return ticket.urgent()
    except Exception as exc:  # the dialogue's own failure surfaces when it is handled
        logger.warning("emergency triage failed (%s)", type(exc).__name__)
        return False


def _safe_triage(triage: Callable[[object], Ticket], update: object) -> Ticket:
    try:
        return triage(update)
    except Exception as exc:  # never lose an update to the scheduler
        logger.warning("update triage failed (%s)", type(exc).__name__)
        return Ticket(None)


def _close(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
