"""``StaffRecords`` on PostgreSQL: the same tables and rules as the SQLite ``StaffStore``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.postgres import Postgres
from bot.staff import store as sqlite_store
from bot.staff.scrub import Vocabulary, scrub
from bot.staff.store import COMPONENT, Report

MIGRATIONS = (
    """
    CREATE TABLE staff_reports (
        id BIGSERIAL PRIMARY KEY,
        service_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        created DATE NOT NULL,
        closed DATE
    );
    CREATE INDEX staff_reports_open ON staff_reports(closed);
    CREATE TABLE staff_intent_counts (
        day DATE NOT NULL,
        intent TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, intent)
    );
    CREATE TABLE staff_unmatched (
        day DATE NOT NULL,
        text TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, text)
    )
    """,
)
# pg_advisory_xact_lock key serialising unmatched inserts, so the daily cap holds.
_UNMATCHED_LOCK = 0x68726275  # "hrbu"


class PostgresStaffStore:
    """Reports, counts and unmatched questions in PostgreSQL."""

    def __init__(
        self,
        db: Postgres,
        *,
        unmatched_days: int = 30,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._db = db
        self._unmatched_days = unmatched_days
        self._today = today
        db.migrate(COMPONENT, MIGRATIONS)

    def add_report(self, service_id: str, reason: str) -> int:
        with self._db.cursor() as cur:
            cur.execute(
                "INSERT INTO staff_reports (service_id, reason, created) "
                "VALUES (%s, %s, %s) RETURNING id",
                (service_id, reason, self._today()),
            )
            row = cur.fetchone()
            return int(row["id"]) if row else 0

    def open_reports(self, limit: int = 50) -> list[Report]:
        with self._db.cursor() as cur:
            cur.execute(
                "SELECT id, service_id, reason, created FROM staff_reports "
                "WHERE closed IS NULL ORDER BY id LIMIT %s",
                (limit,),
            )
            return [
                Report(int(r["id"]), r["service_id"], r["reason"], r["created"])
                for r in cur.fetchall()
            ]

    def close_report(self, number: int) -> bool:
        return (
            self._db.execute(
                "UPDATE staff_reports SET closed = %s WHERE id = %s AND closed IS NULL",
                (self._today(), number),
            )
            == 1
        )

    def count_intent(self, intent: str) -> None:
        self._db.execute(
            "INSERT INTO staff_intent_counts (day, intent, count) VALUES (%s, %s, 1) "
            "ON CONFLICT (day, intent) DO UPDATE SET count = staff_intent_counts.count + 1",
            (self._today(), intent),
        )

    def intent_counts(self, days: int = 7) -> dict[dt.date, list[tuple[str, int]]]:
        since = self._today() - dt.timedelta(days=days - 1)
        with self._db.cursor() as cur:
            cur.execute(
                "SELECT day, intent, count FROM staff_intent_counts WHERE day >= %s "
                "ORDER BY day DESC, count DESC, intent",
                (since,),
            )
            rows = cur.fetchall()
        result: dict[dt.date, list[tuple[str, int]]] = {}
        for row in rows:
            result.setdefault(row["day"], []).append((row["intent"], int(row["count"])))
        return result

    def record_unmatched(self, text: str, vocabulary: Vocabulary | None = None) -> None:
        cleaned = scrub(text, vocabulary)
        if not cleaned:
            return
        today = self._today()
        cutoff = today - dt.timedelta(days=self._unmatched_days - 1)
        with self._db.cursor(transaction=True) as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_UNMATCHED_LOCK,))
            cur.execute("DELETE FROM staff_unmatched WHERE day < %s", (cutoff,))
            cur.execute(
                "UPDATE staff_unmatched SET count = count + 1 WHERE day = %s AND text = %s",
                (today, cleaned),
            )
            if cur.rowcount:
                return
            cur.execute("SELECT count(*) AS n FROM staff_unmatched WHERE day = %s", (today,))
            row = cur.fetchone()
            if row is not None and int(row["n"]) < sqlite_store.MAX_UNMATCHED_PER_DAY:
                cur.execute(
                    "INSERT INTO staff_unmatched (day, text, count) VALUES (%s, %s, 1)",
                    (today, cleaned),
                )

    def top_unmatched(self, limit: int = 20) -> list[tuple[str, int]]:
        cutoff = self._today() - dt.timedelta(days=self._unmatched_days - 1)
        with self._db.cursor() as cur:
            cur.execute(
                "SELECT text, SUM(count) AS total FROM staff_unmatched WHERE day >= %s "
                "GROUP BY text ORDER BY total DESC, text LIMIT %s",
                (cutoff, limit),
            )
            return [(row["text"], int(row["total"])) for row in cur.fetchall()]
