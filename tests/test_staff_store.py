"""Staff storage: scrubbing unmatched questions, reports, counts, caps and retention (the
store cases on SQLite and on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from bot.postgres import Postgres
from bot.staff import store as store_module
from bot.staff.pgstore import PostgresStaffStore
from bot.staff.scrub import MAX_CHARS, scrub
from bot.staff.store import StaffRecords, StaffStore
from bot.storage import open_database


class Clock:
    """A settable 'today' for the store."""

    def __init__(self) -> None:
        self.day = dt.date(2026, 11, 27)

    def __call__(self) -> dt.date:
        return self.day


@pytest.fixture
def clock() -> Clock:
    """A clock at 2026-11-27."""
    return Clock()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, clock: Clock) -> Iterator[StaffRecords]:
    """A store on an in-memory SQLite or a fresh PostgreSQL database, keeping unmatched
    questions 30 days."""
    if request.param == "sqlite":
        yield StaffStore(open_database(":memory:"), unmatched_days=30, today=clock)
        return
    db = Postgres(request.getfixturevalue("pg_url"), size=1)
    yield PostgresStaffStore(db, unmatched_days=30, today=clock)
    db.close()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Call me at (604) 555-0100 please", "call me at [phone] please"),
        ("text 1-604-555-0100 or 555 0199", "text [phone] or [phone]"),
        ("write to jo.b+x@example.org", "write to [email]"),
        ("I'm at V6A 1N5, near v6a", "im at [postal_code] near [postal_code]"),
        ("my card 4111 1111 1111 1111", "my card [number]"),
        ("Où est la NALOXONE?", "ou est la naloxone"),
    ],
)
def test_scrub_removes_contact_details_then_folds(raw: str, expected: str) -> None:
    """Phones, e-mails, postal codes and long numbers are replaced before folding."""
    assert scrub(raw) == expected


def test_scrub_cuts_long_messages() -> None:
    """A kept question is at most 200 characters."""
    assert len(scrub("word " * 200)) <= MAX_CHARS


def test_reports_are_numbered_listed_and_closed(store: StaffRecords) -> None:
    """Reports get increasing numbers; a closed one leaves the open list and cannot close twice."""
    first = store.add_report("insite", "hours")
    second = store.add_report("vandu", "closed")
    assert [(r.number, r.service_id, r.reason) for r in store.open_reports()] == [
        (first, "insite", "hours"),
        (second, "vandu", "closed"),
    ]
    assert store.close_report(first) is True
    assert store.close_report(first) is False
    assert [r.number for r in store.open_reports()] == [second]


def test_intent_counts_are_per_day(store: StaffRecords, clock: Clock) -> None:
    """Counts add up per intent and day, newest day first, biggest count first."""
    store.count_intent("naloxone_get")
    clock.day += dt.timedelta(days=1)
    store.count_intent("emergency")
    store.count_intent("naloxone_get")
    store.count_intent("naloxone_get")
    counts = store.intent_counts(7)
    assert list(counts) == [dt.date(2026, 11, 28), dt.date(2026, 11, 27)]
    assert counts[dt.date(2026, 11, 28)] == [("naloxone_get", 2), ("emergency", 1)]


def test_unmatched_questions_are_counted_scrubbed(store: StaffRecords) -> None:
    """The same question (any case or accents, any phone number) counts as one entry."""
    store.record_unmatched("Who won the game? 604-555-0100")
    store.record_unmatched("who WON the game? 778 555 0199")
    store.record_unmatched("")
    assert store.top_unmatched() == [("who won the game [phone]", 2)]


def test_unmatched_questions_expire(store: StaffRecords, clock: Clock) -> None:
    """Questions older than the retention period are purged on the next write."""
    store.record_unmatched("old question")
    clock.day += dt.timedelta(days=30)
    store.record_unmatched("new question")
    assert store.top_unmatched() == [("new question", 1)]


def test_unmatched_entries_are_capped_per_day(
    store: StaffRecords, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the daily cap, new questions are dropped while known ones still count."""
    monkeypatch.setattr(store_module, "MAX_UNMATCHED_PER_DAY", 2)
    for text in ("one", "two", "three", "one"):
        store.record_unmatched(text)
    assert sorted(store.top_unmatched()) == [("one", 2), ("two", 1)]


def test_store_keeps_no_user_columns(clock: Clock) -> None:
    """No staff table has a column for a user, chat or message id."""
    conn = StaffStore(open_database(":memory:"), today=clock)._conn
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'staff_%'"
        )
    ]
    columns = {c[1] for t in tables for c in conn.execute(f"PRAGMA table_info({t})")}
    assert columns == {
        "id",
        "service_id",
        "reason",
        "created",
        "closed",
        "day",
        "intent",
        "count",
        "text",
    }
