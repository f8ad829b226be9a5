"""What replicas share, the same cases in memory and on a real Redis: conversation state and
staff drafts (TTL, /forget), the seen-update set, the send budget, the polling lock, and
what happens when Redis is down."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest
from redis.asyncio import Redis

from bot.alerts import AlertDraft
from bot.session import Session, SessionStore
from bot.shared import open_redis
from bot.shared.budget import RedisPace, RedisRateBudget
from bot.shared.codec import decode, encode
from bot.shared.locks import PostgresPollingLock, RedisPollingLock
from bot.shared.seen import RedisLedger
from bot.shared.state import ChatStates, MemoryChatStates, RedisChatStates, StateSync
from bot.tg.budget import LocalRateBudget, RateBudget
from bot.tg.lanes import Lane
from bot.tg.ledger import MemoryLedger, UpdateLedger
from tests.servers import free_port


@dataclass
class Kind:
    """Makes the shared pieces on one backend; ``replica()`` is what another process gets."""

    name: str
    states: Callable[[float], ChatStates]
    ledger: Callable[[], UpdateLedger]
    budget: Callable[[], RateBudget]
    redis: Redis | None


@pytest.fixture(params=["memory", "redis"])
async def kind(request: pytest.FixtureRequest) -> AsyncIterator[Kind]:
    """In-memory twins (one object shared, as one process), or clients of one Redis."""
    if request.param == "memory":
        states: dict[float, MemoryChatStates] = {}
        ledger, budget = MemoryLedger(), LocalRateBudget()
        yield Kind(
            "memory",
            lambda ttl: states.setdefault(ttl, MemoryChatStates(ttl)),
            lambda: ledger,
            lambda: budget,
            None,
        )
        return
    url = request.getfixturevalue("redis_url")
    clients: list[Redis] = []

    def client() -> Redis:
        clients.append(open_redis(url))
        return clients[-1]

    yield Kind(
        "redis",
        lambda ttl: RedisChatStates(client(), ttl=ttl),
        lambda: RedisLedger(client()),
        lambda: RedisRateBudget(client()),
        client(),
    )
    for c in clients:
        await c.aclose()


def test_sessions_and_drafts_survive_the_trip_through_json() -> None:
    """Every field of a session (choices as tuples) and of a draft comes back equal."""
    session = Session(
        language="fr",
        language_locked=True,
        lat=49.28,
        lon=-123.1,
        place_name="Main and Hastings",
        category="naloxone",
        offset=3,
        place_source="location",
        province="BC",
        choices={"1": ("Hastings", 49.28, -123.1, None)},
        reports_sent=2,
        awaiting_place=True,
    )
    back = decode(Session, encode(session))
    assert back is not None
    back.touched = session.touched
    assert back == session
    draft = AlertDraft("fr", step="fr", region="vancouver", hours=72, en="Benzos.")
    assert decode(AlertDraft, encode(draft)) == draft
    assert decode(Session, b"{not json") is None
    assert decode(Session, b'{"language": "fr", "from_a_newer_version": 1}') == Session("fr")


async def test_a_location_shared_on_one_replica_is_used_on_the_other(kind: Kind) -> None:
    """Replica A's session (place, language) is what replica B loads for the next update."""
    a = StateSync(kind.states(1800), SessionStore(), {})
    b = StateSync(kind.states(1800), SessionStore(), {})
    await a.hydrate(42, draft=False)
    session = a.sessions.get(42)
    session.lat, session.lon, session.language = 49.2827, -123.1207, "fr"
    await a.persist(42, draft=False)
    await b.hydrate(42, draft=False)
    seen = b.sessions.get(42)
    assert (seen.lat, seen.lon, seen.language) == (49.2827, -123.1207, "fr")
    seen.offset = 3
    await b.persist(42, draft=False)
    await a.hydrate(42, draft=False)
    assert a.sessions.get(42).offset == 3  # B's newer state replaces A's stale copy
    await a.persist(42, draft=False)


async def test_a_staff_draft_follows_the_staff_chat_between_replicas(kind: Kind) -> None:
    """A draft started on A is there on B; sending it (dropping it) on B removes it for A."""
    a = StateSync(kind.states(1800), SessionStore(), {})
    b = StateSync(kind.states(1800), SessionStore(), {})
    await a.hydrate(-100, draft=True)
    a.drafts[-100] = AlertDraft("en", step="expiry", region="vancouver")
    await a.persist(-100, draft=True)
    await b.hydrate(-100, draft=True)
    assert b.drafts[-100] == AlertDraft("en", step="expiry", region="vancouver")
    del b.drafts[-100]
    await b.persist(-100, draft=True)
    await a.hydrate(-100, draft=True)
    assert -100 not in a.drafts
    await a.persist(-100, draft=True)


async def test_forget_deletes_the_chats_keys(kind: Kind) -> None:
    """After /forget (the local session dropped) nothing about the chat is stored."""
    sync = StateSync(kind.states(1800), SessionStore(), {})
    await sync.hydrate(7, draft=True)
    sync.sessions.get(7).lat = 45.5
    sync.drafts[7] = AlertDraft("en")
    await sync.persist(7, draft=True)
    await sync.hydrate(7, draft=True)
    sync.sessions.forget(7)
    sync.drafts.pop(7)
    await sync.persist(7, draft=True)
    assert await sync.states.load(7, draft=True) == (None, None)
    if kind.redis is not None:
        assert await kind.redis.keys("*7*") == []


@pytest.mark.slow  # waits in real time for the TTL to pass: a timed check
async def test_nothing_outlives_its_ttl(kind: Kind) -> None:
    """A session saved with a one-second TTL is gone two seconds later; Redis holds an
    expiry on every key it was given."""
    states = kind.states(1)
    await states.save(5, Session(lat=1.0), AlertDraft("en"), with_draft=True)
    assert (await states.load(5, draft=True))[0] is not None
    if kind.redis is not None:
        for key in await kind.redis.keys("*"):
            assert await kind.redis.ttl(key) > 0
    await asyncio.sleep(1.3)
    assert (await states.load(5, draft=False))[0] is None


async def test_two_updates_of_one_chat_at_once_keep_both_changes(kind: Kind) -> None:
    """The second concurrent update neither reloads over nor saves before the first."""
    sync = StateSync(kind.states(1800), SessionStore(), {})
    await sync.hydrate(9, draft=False)
    await sync.hydrate(9, draft=False)
    sync.sessions.get(9).lat = 1.0
    await sync.persist(9, draft=False)
    sync.sessions.get(9).lon = 2.0
    await sync.persist(9, draft=False)
    session, _ = await sync.states.load(9, draft=False)
    assert session is not None and (session.lat, session.lon) == (1.0, 2.0)


async def test_an_update_is_handled_once_whichever_replica_sees_it(kind: Kind) -> None:
    """The first replica to offer an update id gets it; the other is told it is taken."""
    first, second = kind.ledger(), kind.ledger()
    assert await first.first_time(1001)
    assert not await second.first_time(1001)
    assert not await first.first_time(1001)
    assert await second.first_time(1002)


async def _send(budget: RateBudget, lane: Lane, chat: int | None) -> float:
    """Wait for room as the limiter does; when the message went."""
    while (wait := await budget.take(lane, chat)) > 0:
        await asyncio.sleep(wait)
    return time.monotonic()


@pytest.mark.slow  # waits in real time for the shared pace: a timed check
async def test_two_replicas_together_send_no_faster_than_one(kind: Kind) -> None:
    """Two budgets (replicas) answering 80 chats at once keep chat answers to 27 in any
    one-second window between them (30 at most as timed here), so 80 messages take about
    three seconds."""
    budgets = [kind.budget(), kind.budget()]
    start = time.monotonic()
    sent = await asyncio.gather(*(_send(budgets[i % 2], Lane.CHAT, 100 + i) for i in range(80)))
    # The shared budget is what this checks: at 27 a second 80 answers need more than two
    # seconds, where two budgets of their own would finish in about one.
    assert time.monotonic() - start >= 2.0
    busiest = max(sum(1 for t in sent if s <= t < s + 1) for s in sent)
    # 27 by the budget's clock; seen from a busy event loop, grants of two neighbouring
    # seconds can arrive bunched, never more than both seconds' worth.
    assert busiest <= 2 * 27


@pytest.mark.slow  # waits in real time for the shared pace: a timed check
async def test_lanes_leave_room_for_emergencies_and_groups_get_20_a_minute(kind: Kind) -> None:
    """Alerts stop at 20 in a second and chat answers at 27, while an emergency still
    goes; a group gets 20 messages a minute, emergencies to it excepted."""
    one, other = kind.budget(), kind.budget()
    for i in range(20):
        assert await one.take(Lane.BULK, 200 + i) == 0
    assert await other.take(Lane.BULK, 300) > 0
    for i in range(7):
        assert await other.take(Lane.CHAT, 400 + i) == 0
    assert await one.take(Lane.CHAT, 500) > 0
    assert await other.take(Lane.URGENT, 600) == 0
    await asyncio.sleep(1.05)
    for _ in range(20):
        assert await _send(one, Lane.CHAT, -1000) > 0
    assert await other.take(Lane.CHAT, -1000) > 30  # the group's minute, not the bot's second
    assert await other.take(Lane.URGENT, -1000) == 0


async def test_flood_control_holds_every_replica(kind: Kind) -> None:
    """After a 429 on one replica, the other waits out the time too."""
    one, other = kind.budget(), kind.budget()
    await one.pause(0.8)
    start = time.monotonic()
    await _send(other, Lane.CHAT, 77)
    assert time.monotonic() - start >= 0.6


@pytest.mark.slow  # waits in real time for the shared pace: a timed check
async def test_the_alert_pace_is_shared(redis_url: str) -> None:
    """Two replicas' alert paces at 20 a second give 20 a second between them."""
    clients = [open_redis(redis_url), open_redis(redis_url)]
    paces = [RedisPace(c, 20, RedisRateBudget(c)) for c in clients]
    start = time.monotonic()

    async def turns(pace: RedisPace) -> None:
        for _ in range(15):
            await pace.turn()

    await asyncio.gather(*(turns(p) for p in paces))
    assert time.monotonic() - start >= (30 - 1) / 20 - 0.1
    for client in clients:
        await client.aclose()


async def test_without_redis_the_bot_keeps_going_on_local_state() -> None:
    """Redis unreachable: updates are handled (never dropped), state stays local, the
    budget still paces, and every call returns within about a second."""
    dead = open_redis(f"redis://127.0.0.1:{free_port()}/0")
    ledger = RedisLedger(dead)
    start = time.monotonic()
    assert await ledger.first_time(1)
    assert await ledger.first_time(1)  # better twice than never
    sync = StateSync(RedisChatStates(dead), SessionStore(), {})
    await sync.hydrate(3, draft=True)
    sync.sessions.get(3).lat = 2.0
    await sync.persist(3, draft=True)
    await sync.hydrate(3, draft=True)
    assert sync.sessions.get(3).lat == 2.0
    await sync.persist(3, draft=True)
    budget = RedisRateBudget(dead)
    for chat in range(20):
        await _send(budget, Lane.CHAT, chat)
    assert time.monotonic() - start < 3.0
    await dead.aclose()


async def test_only_one_replica_may_poll(redis_url: str, pg_url: str) -> None:
    """A second polling lock is refused while the first is held, in Redis and PostgreSQL."""
    client = open_redis(redis_url)
    first, second = RedisPollingLock(client), RedisPollingLock(client)
    assert await first.acquire()
    assert not await second.acquire()
    await first.release()
    assert await second.acquire()
    await second.release()
    await client.aclose()
    pg_first, pg_second = PostgresPollingLock(pg_url), PostgresPollingLock(pg_url)
    assert await pg_first.acquire()
    assert not await pg_second.acquire()
    await pg_first.release()
    assert await pg_second.acquire()
    await pg_second.release()
