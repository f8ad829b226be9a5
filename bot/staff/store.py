"""What the staff features keep in the bot's database (component ``staff``).

``StaffRecords`` is the interface; ``StaffStore`` keeps it in SQLite, ``PostgresStaffStore``
(``bot.staff.pgstore``) in PostgreSQL for several replicas.

* ``reports``: a service id, a reason code and dates. Never who sent it.
* ``intent_counts``: how many questions each intent answered per day. Counts only.
* ``unmatched``: scrubbed, folded questions the bot did not understand, counted per day,
  only when UNMATCHED_LOG is on; only words the bot knows or everyday words, never names
  or addresses; capped per day and purged after UNMATCHED_DAYS.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.staff.scrub import Vocabulary, scrub
from bot.storage import migrate, transaction

COMPONENT = "staff"
MIGRATIONS = (
    """
    CREATE TABLE staff_reports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        service_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        created TEXT NOT NULL,
        closed TEXT
    );
    CREATE INDEX staff_reports_open ON staff_reports(closed);
    CREATE TABLE staff_intent_counts (
        day TEXT NOT NULL,
        intent TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, intent)
    );
    CREATE TABLE staff_unmatched (
        day TEXT NOT NULL,
        text TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, text)
    )
    """,
)
MAX_UNMATCHED_PER_DAY = 1_000


@dataclass(frozen=True, slots=True)
class Report:
    """One open "report a problem" from a user: which service, what is wrong, when."""

    number: int
    service_id: str
    reason: str
    created: dt.date


class StaffRecords(Protocol):
    """Reports, counts per intent and unmatched questions."""

    def add_report(self, service_id: str, reason: str) -> int:
        """Store an open report; return its number."""
        ...

    def open_reports(self, limit: int = 50) -> list[Report]:
        """The oldest open reports first."""
        ...

    def close_report(self, number: int) -> bool:
        """Close an open report; False if there is no open report with that number."""
        ...

    def count_intent(self, intent: str) -> None:
        """Add one answered question to today's count for ``intent``."""
        ...

    def intent_counts(self, days: int = 7) -> dict[dt.date, list[tuple[str, int]]]:
        """Counts per intent for the last ``days`` days, newest day first, biggest first."""
        ...

    def record_unmatched(self, text: str, vocabulary: Vocabulary | None = None) -> None:
        """Count a scrubbed, folded question for today; purge days past the retention.

        With the bot's ``vocabulary``, only known and everyday words are kept."""
        ...

    def top_unmatched(self, limit: int = 20) -> list[tuple[str, int]]:
        """The most frequent unmatched questions within the retention period."""
        ...


class StaffStore:
    """``StaffRecords`` over one SQLite connection."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        unmatched_days: int = 30,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._conn = conn
        self._unmatched_days = unmatched_days
        self._today = today
        migrate(conn, COMPONENT, MIGRATIONS)

    # Reports ---------------------------------------------------------------------

    def add_report(self, service_id: str, reason: str) -> int:
        """Store an open report; return its number."""
        cursor = self._conn.execute(
            "INSERT INTO staff_reports (service_id, reason, created) VALUES (?, ?, ?)",
            (service_id, reason, self._today().isoformat()),
        )
        return int(cursor.lastrowid or 0)

    def open_reports(self, limit: int = 50) -> list[Report]:
        """The oldest open reports first."""
        rows = self._conn.execute(
            "SELECT id, service_id, reason, created FROM staff_reports WHERE closed IS NULL "
            "ORDER BY id LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            Report(r["id"], r["service_id"], r["reason"], dt.date.fromisoformat(r["created"]))
            for r in rows
        ]

    def close_report(self, number: int) -> bool:
        """Close an open report; False if there is no open report with that number."""
        cursor = self._conn.execute(
            "UPDATE staff_reports SET closed = ? WHERE id = ? AND closed IS NULL",
            (self._today().isoformat(), number),
        )
        return cursor.rowcount == 1

    # Counts per intent -------------------------------------------------------------

    def count_intent(self, intent: str) -> None:
        """Add one answered question to today's count for ``intent``."""
        self._conn.execute(
            "INSERT INTO staff_intent_counts (day, intent, count) VALUES (?, ?, 1) "
            "ON CONFLICT(day, intent) DO UPDATE SET count = count + 1",
            (self._today().isoformat(), intent),
        )

    def intent_counts(self, days: int = 7) -> dict[dt.date, list[tuple[str, int]]]:
        """Counts per intent for the last ``days`` days, newest day first, biggest first."""
        since = self._today() - dt.timedelta(days=days - 1)
        rows = self._conn.execute(
            "SELECT day, intent, count FROM staff_intent_counts WHERE day >= ? "
            "ORDER BY day DESC, count DESC, intent",
            (since.isoformat(),),
        ).fetchall()
        result: dict[dt.date, list[tuple[str, int]]] = {}
        for row in rows:
            result.setdefault(dt.date.fromisoformat(row["day"]), []).append(
                (row["intent"], row["count"])
            )
        return result

    # Unmatched questions -----------------------------------------------------------

    def record_unmatched(self, text: str, vocabulary: Vocabulary | None = None) -> None:
        """Count a scrubbed, folded question for today; purge days past the retention.

        With the bot's ``vocabulary``, only known and everyday words are kept."""
        cleaned = scrub(text, vocabulary)
        if not cleaned:
            return
        today = self._today()
        cutoff = today - dt.timedelta(days=self._unmatched_days - 1)
        with transaction(self._conn):
            self._conn.execute("DELETE FROM staff_unmatched WHERE day < ?", (cutoff.isoformat(),))
            updated = self._conn.execute(
                "UPDATE staff_unmatched SET count = count + 1 WHERE day = ? AND text = ?",
                (today.isoformat(), cleaned),
            ).rowcount
            if not updated:
                (distinct,) = self._conn.execute(
                    "SELECT COUNT(*) FROM staff_unmatched WHERE day = ?", (today.isoformat(),)
                ).fetchone()
                if distinct < MAX_UNMATCHED_PER_DAY:
                    self._conn.execute(
                        "INSERT INTO staff_unmatched (day, text, count) VALUES (?, ?, 1)",
                        (today.isoformat(), cleaned),
                    )

    def top_unmatched(self, limit: int = 20) -> list[tuple[str, int]]:
        """The most frequent unmatched questions within the retention period."""
        cutoff = self._today() - dt.timedelta(days=self._unmatched_days - 1)
        rows = self._conn.execute(
            "SELECT text, SUM(count) AS total FROM staff_unmatched WHERE day >= ? "
            "GROUP BY text ORDER BY total DESC, text LIMIT ?",
            (cutoff.isoformat(), limit),
        ).fetchall()
        return [(row["text"], int(row["total"])) for row in rows]
