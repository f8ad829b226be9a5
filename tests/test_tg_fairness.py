"""The scheduling parts on their own: the rate budget's lanes, the flood gate, the ledger."""

from __future__ import annotations

import asyncio

from bot.tg.budget import LocalRateBudget
from bot.tg.fairness import FairTurns, FloodGate
from bot.tg.lanes import Lane
from bot.tg.ledger import MemoryLedger
from bot.tg.limiter import PriorityLimiter


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _fill(budget: LocalRateBudget, lane: Lane, chat: int | None = 1) -> int:
    sent = 0
    while await budget.take(lane, chat) == 0.0:
        sent += 1
    return sent


async def test_each_lane_fills_only_its_share_of_the_second() -> None:
    """Alerts get 20 of Telegram's 30 a second, chat 27, and an emergency always finds room."""
    clock = Clock()
    budget = LocalRateBudget(clock=clock)
    assert await _fill(budget, Lane.BULK) == 20
    assert await _fill(budget, Lane.CHAT) == 7
    assert await _fill(budget, Lane.URGENT) == 3
    clock.now = 1.0
    assert await budget.take(Lane.CHAT, 1) == 0.0  # the window moved on


async def test_a_group_gets_twenty_a_minute_except_for_an_emergency() -> None:
    """Telegram's per-group limit holds for answers and alerts, never for an emergency."""
    clock = Clock()
    budget = LocalRateBudget(clock=clock)
    for second in range(20):
        clock.now = float(second)
        assert await budget.take(Lane.CHAT, -100) == 0.0
    clock.now = 20.0
    assert 39 < await budget.take(Lane.CHAT, -100) <= 40
    assert await budget.take(Lane.URGENT, -100) == 0.0
    assert await budget.take(Lane.CHAT, -200) == 0.0  # another group is not held up


async def test_the_limiter_serves_urgent_first_then_chats_in_turn() -> None:
    """An emergency goes ahead of a waiting flood; then the chats take turns, one each."""
    clock = Clock()
    limiter = PriorityLimiter(LocalRateBudget(per_second=1, clock=clock))
    await limiter.initialize()
    order: list[str] = []

    async def send(name: str, lane: Lane, chat: int) -> None:
        await limiter._turn(lane, chat)
        order.append(name)

    tasks = [asyncio.create_task(send(f"flood{i}", Lane.CHAT, 1)) for i in range(5)]
    await asyncio.sleep(0.01)
    tasks.append(asyncio.create_task(send("other", Lane.CHAT, 2)))
    tasks.append(asyncio.create_task(send("urgent", Lane.URGENT, 3)))
    await asyncio.sleep(0.01)
    for second in range(1, 8):
        clock.now = float(second)
        limiter._wake.set()
        await asyncio.sleep(0.01)
    await asyncio.wait_for(asyncio.gather(*tasks), 2)
    await limiter.shutdown()
    assert order[:4] == ["flood0", "urgent", "flood1", "other"]


def test_the_flood_gate_warns_once_then_drops_until_the_chat_slows_down() -> None:
    """Past 3 messages in 10 s: one warning, then drops; after a quiet window, ok again."""
    clock = Clock()
    gate = FloodGate(3, 10.0, clock=clock)
    assert [gate.check(1) for _ in range(6)] == ["ok", "ok", "ok", "warn", "drop", "drop"]
    assert gate.check(2) == "ok"  # other chats are not affected
    clock.now = 11.0
    assert gate.check(1) == "ok"


async def test_turns_go_round_the_chats_one_update_each() -> None:
    """With one slot, three chats waiting behind a flood are served before its next update."""
    turns = FairTurns(slots=1)
    await turns.acquire(1)
    order: list[int] = []

    async def take(chat: int) -> None:
        await turns.acquire(chat)
        order.append(chat)
        turns.release(chat)

    tasks = [asyncio.create_task(take(c)) for c in (1, 1, 2, 3)]
    await asyncio.sleep(0.01)
    turns.release(1)
    await asyncio.wait_for(asyncio.gather(*tasks), 2)
    assert order == [1, 2, 3, 1]


async def test_the_ledger_remembers_update_ids_for_a_day_in_bounded_memory() -> None:
    """A repeated id is refused within the TTL; the oldest ids go past the size bound."""
    clock = Clock()
    ledger = MemoryLedger(ttl=100.0, max_entries=3, clock=clock)
    assert [await ledger.first_time(i) for i in (1, 2, 1)] == [True, True, False]
    clock.now = 101.0
    assert await ledger.first_time(1)
    for i in range(10, 20):
        await ledger.first_time(i)
    assert len(ledger) <= 3
