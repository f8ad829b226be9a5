"""The alert stores, the same cases on SQLite and on PostgreSQL: subscriptions, the delivery
log, leases shared by several processes, closing a broadcast once, migrations."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.alerts import UTC, Alert, AlertStore, PostgresAlertStore, Progress, SqliteAlertStore
from bot.postgres import Postgres
from bot.storage import open_database
from tests.helpers.together import at_once

NOW = dt.datetime(2026, 5, 2, 21, 0, tzinfo=UTC)


def alert(alert_id: str = "a1", *, region: str = "vancouver", hours: float = 24) -> Alert:
    """An alert issued at NOW."""
    return Alert(
        alert_id, region, "Benzos found in green down.", "", NOW, NOW + dt.timedelta(hours=hours)
    )


@dataclass
class Backend:
    """Opens stores on one database, as separate processes (replicas) would."""

    name: str
    open: Callable[[], AlertStore]
    count: Callable[[str], int]  # rows matching ``SELECT count(*) FROM <arg>``


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """SQLite on a file, or PostgreSQL on a fresh database."""
    if request.param == "sqlite":
        path = tmp_path / "hrbot.sqlite3"

        def count_sqlite(query: str) -> int:
            return int(open_database(path).execute(f"SELECT count(*) FROM {query}").fetchone()[0])

        yield Backend("sqlite", lambda: SqliteAlertStore(open_database(path)), count_sqlite)
        return
    url = request.getfixturevalue("pg_url")
    pools: list[Postgres] = []

    def open_pg() -> AlertStore:
        pools.append(Postgres(url, size=2))
        return PostgresAlertStore(pools[-1])

    def count_pg(query: str) -> int:
        with pools[0].cursor() as cur:
            cur.execute(f"SELECT count(*) AS n FROM {query}".encode())
            row = cur.fetchone()
            return int(row["n"]) if row else 0

    yield Backend("postgres", open_pg, count_pg)
    for pool in pools:
        pool.close()


@pytest.fixture
def store(backend: Backend) -> AlertStore:
    """One process's store."""
    return backend.open()


def test_publish_queues_one_delivery_per_subscriber_of_the_region(store: AlertStore) -> None:
    """Publishing queues the region's subscribers only, once each; the same id twice is refused."""
    store.subscribe(1, "vancouver", "en")
    store.subscribe(2, "vancouver", "fr")
    store.subscribe(2, "vancouver", "fr")
    store.subscribe(3, "toronto", "en")
    assert store.publish(alert()) == 2
    assert store.publish(alert()) is None
    claimed = store.claim("a1", NOW, limit=5)
    assert [(d.chat_id, d.language, d.attempts) for d in claimed] == [(1, "en", 1), (2, "fr", 1)]
    assert store.claim("a1", NOW) == []
    assert store.subscriber_count("vancouver") == 2
    assert store.subscriptions(2) == {"vancouver"}


def test_an_expired_lease_is_claimed_again_a_live_one_never(backend: Backend) -> None:
    """A dead process's rows come back when their lease ends; start-up recovery leaves
    another live process's rows alone (it once reset them: 24 duplicates in 3 restarts)."""
    first, second = backend.open(), backend.open()
    for chat in (1, 2, 3):
        first.subscribe(chat, "vancouver", "en")
    first.publish(alert())
    mine = first.claim("a1", NOW, limit=2, lease=30, owner="one")
    assert [d.chat_id for d in mine] == [1, 2]
    assert second.recover(NOW + dt.timedelta(seconds=10)) == 0  # a replica starting up
    assert [d.chat_id for d in second.claim("a1", NOW, limit=5, lease=60, owner="two")] == [3]
    assert second.claim("a1", NOW + dt.timedelta(seconds=29), limit=5, owner="two") == []
    assert second.next_due("a1") == NOW + dt.timedelta(seconds=30)
    later = NOW + dt.timedelta(seconds=31)
    again = second.claim("a1", later, limit=5, owner="two")
    assert [(d.chat_id, d.attempts) for d in again] == [(1, 2), (2, 2)]


def test_recover_makes_only_expired_leases_pending(store: AlertStore) -> None:
    """recover touches rows whose lease has ended, and only those."""
    for chat in (1, 2):
        store.subscribe(chat, "vancouver", "en")
    store.publish(alert())
    store.claim("a1", NOW, limit=1, lease=5, owner="x")
    store.claim("a1", NOW, limit=1, lease=60, owner="y")
    assert store.recover(NOW + dt.timedelta(seconds=10)) == 1
    again = store.claim("a1", NOW + dt.timedelta(seconds=10), limit=5)
    assert [(d.chat_id, d.attempts) for d in again] == [(1, 2)]


def test_two_processes_claiming_at_once_never_share_a_row(backend: Backend) -> None:
    """Four processes claiming in threads get disjoint batches that cover every row."""
    setup = backend.open()
    for chat in range(1, 401):
        setup.subscribe(chat, "vancouver", "en")
    setup.publish(alert())
    stores = [backend.open() for _ in range(4)]
    got: list[list[int]] = [[] for _ in stores]

    def drain(index: int) -> None:
        while batch := stores[index].claim("a1", NOW, limit=7, owner=str(index)):
            got[index].extend(d.chat_id for d in batch)

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    every = [chat for chats in got for chat in chats]
    assert sorted(every) == list(range(1, 401))
    if backend.name == "postgres":
        assert sum(1 for chats in got if chats) >= 2  # SKIP LOCKED: they worked side by side


def test_release_gives_back_only_the_owners_untried_rows(store: AlertStore) -> None:
    """A stopping process gives back its unsent rows, which others may claim at once."""
    for chat in (1, 2, 3):
        store.subscribe(chat, "vancouver", "en")
    store.publish(alert())
    store.claim("a1", NOW, limit=3, owner="me")
    assert store.release("a1", "someone-else", [1, 2]) == 0
    assert store.release("a1", "me", [2, 3]) == 2
    again = store.claim("a1", NOW, limit=5, owner="other")
    assert [(d.chat_id, d.attempts) for d in again] == [(2, 1), (3, 1)]


def test_complete_waits_for_rows_in_flight_and_closes_once(backend: Backend) -> None:
    """Not closed while a row is sending; then exactly one process closes it, with counts
    from the log; the other gets None and cannot overwrite them (it once saved '0 sent')."""
    first, second = backend.open(), backend.open()
    for chat in (1, 2, 3, 4):
        first.subscribe(chat, "vancouver", "en")
    first.publish(alert())
    for delivery in first.claim("a1", NOW, limit=4, owner="one"):
        if delivery.chat_id == 1:
            first.finish("a1", 1, "sent")
        elif delivery.chat_id == 2:
            first.block("a1", 2)
    first.unsubscribe(3, "vancouver")  # row 3 is sending: kept; row 4 too
    assert second.complete("a1") is None
    first.finish("a1", 3, "sent")
    first.finish("a1", 4, "failed")
    expected = Progress("a1", 4, sent=2, failed=1, blocked=1, skipped=0, done=True)
    assert second.complete("a1") == expected
    assert first.complete("a1") is None
    assert backend.count("alert_deliveries") == 0
    assert first.unfinished() == []
    assert backend.count("alerts WHERE sent = 2 AND failed = 1 AND blocked = 1") == 1


def test_complete_counts_unsubscribed_rows_as_skipped(store: AlertStore) -> None:
    """Closing keeps only counts; a chat that left before its turn counts as skipped."""
    for chat in (1, 2, 3):
        store.subscribe(chat, "vancouver", "en")
    store.publish(alert())
    store.finish("a1", 1, "sent")
    store.block("a1", 2)
    store.unsubscribe(3, "vancouver")
    assert store.complete("a1") == Progress("a1", 3, sent=1, blocked=1, skipped=1, done=True)
    assert store.subscriptions(2) == frozenset()


def test_forget_deletes_every_row_that_names_the_chat(backend: Backend) -> None:
    """/forget leaves no subscription, language or delivery row with the chat id."""
    store = backend.open()
    store.subscribe(7, "vancouver", "fr")
    store.subscribe(7, "toronto", "fr")
    store.publish(alert())
    store.forget(7)
    for table in ("alert_subscribers", "alert_subscriptions", "alert_deliveries"):
        assert backend.count(f"{table} WHERE chat_id = 7") == 0


def test_unsubscribing_the_last_region_forgets_the_language(backend: Backend) -> None:
    """Without any region left, the chat's language is deleted too."""
    store = backend.open()
    store.subscribe(7, "vancouver", "fr")
    store.unsubscribe(7, "vancouver")
    assert backend.count("alert_subscribers") == 0


def test_retries_wait_their_turn_and_expiry_gives_up(store: AlertStore) -> None:
    """A retried row is due at its time; expire_pending gives up what is left."""
    store.subscribe(1, "vancouver", "en")
    store.publish(alert())
    (delivery,) = store.claim("a1", NOW)
    store.retry_later("a1", delivery.chat_id, NOW + dt.timedelta(seconds=8))
    assert store.claim("a1", NOW) == []
    assert store.next_due("a1") == NOW + dt.timedelta(seconds=8)
    assert store.expire_pending("a1") == 1
    assert store.next_due("a1") is None
    assert store.progress("a1") == Progress("a1", 1, skipped=1)


def test_one_progress_report_per_interval_whoever_asks(backend: Backend) -> None:
    """Two processes asking for the staff progress turn: one gets it per interval."""
    first, second = backend.open(), backend.open()
    first.publish(alert())
    assert first.report_turn("a1", NOW, 5)
    assert not second.report_turn("a1", NOW + dt.timedelta(seconds=1), 5)
    assert second.report_turn("a1", NOW + dt.timedelta(seconds=6), 5)


def test_current_lists_unexpired_alerts_newest_first(store: AlertStore) -> None:
    """Only alerts still in force for the region are current; expired finished ones are purged."""
    store.publish(alert("old", hours=1))
    store.publish(
        Alert(
            "new",
            "vancouver",
            "Fentanyl in pressed pills.",
            "",
            NOW + dt.timedelta(minutes=5),
            NOW + dt.timedelta(days=2),
        )
    )
    store.publish(alert("elsewhere", region="toronto"))
    assert [a.id for a in store.current("vancouver", NOW + dt.timedelta(minutes=10))] == [
        "new",
        "old",
    ]
    later = NOW + dt.timedelta(hours=2)
    assert [a.id for a in store.current("vancouver", later)] == ["new"]
    assert [a.id for a in store.unfinished()] == ["old", "new", "elsewhere"]
    for alert_id in ("old", "new", "elsewhere"):
        store.complete(alert_id)
    assert store.purge_expired(later) == 1
    assert not store.known("old")
    assert store.known("new")


def test_the_same_alert_published_by_two_processes_at_once_is_queued_once(
    backend: Backend,
) -> None:
    """Two replicas seeing the same alert file publish it once between them."""
    setup = backend.open()
    for chat in range(1, 51):
        setup.subscribe(chat, "vancouver", "en")
    stores = [backend.open() for _ in range(4)]
    results: list[int | None] = []
    barrier = threading.Barrier(len(stores))

    def publish(store: AlertStore) -> None:
        barrier.wait()
        results.append(store.publish(alert("file:x")))

    threads = [threading.Thread(target=publish, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results, key=lambda r: r or 0) == [None, None, None, 50]
    assert backend.count("alert_deliveries") == 50


def test_migrations_run_once_when_replicas_start_together(backend: Backend) -> None:
    """Six stores opened at once on an empty database all work; the schema is made once."""
    stores, errors = at_once(6, backend.open)
    assert errors == [] and len(stores) == 6
    stores[0].subscribe(1, "vancouver", "en")
    assert stores[5].subscriptions(1) == {"vancouver"}
    assert backend.count("schema_migrations WHERE component = 'alerts'") == 1


def test_a_process_does_not_take_back_its_own_lease_while_the_call_may_be_in_flight(
    store: AlertStore,
) -> None:
    """Its own expired lease is not reclaimed by the same owner until it is clearly lost
    (another owner may take it at once)."""
    store.subscribe(1, "vancouver", "en")
    store.publish(alert())
    store.claim("a1", NOW, limit=1, lease=10, owner="me")
    after = NOW + dt.timedelta(seconds=11)
    assert store.claim("a1", after, limit=1, lease=10, owner="me") == []
    lost = NOW + dt.timedelta(seconds=31)
    assert [d.chat_id for d in store.claim("a1", lost, limit=1, lease=10, owner="me")] == [1]
