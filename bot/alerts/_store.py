"""Where subscriptions, alerts and the delivery log live: a small repository interface.

``AlertStore`` is the interface the service and the Telegram adapter use;
``SqliteAlertStore`` implements it on the bot's SQLite file (WAL, one writer process). A
PostgreSQL implementation for several replicas would claim rows with
``FOR UPDATE SKIP LOCKED`` and keep the same statuses.

Delivery rows move ``pending -> sending -> sent | failed | blocked | expired``; ``sending``
is written (committed) before the Bot API call and the outcome right after it. Rows still
``sending`` at start-up belong to a process that died mid-call: ``recover`` makes them
``pending`` again, so the message may go out twice, never zero times (a health alert is
safer duplicated than lost). Once a broadcast is complete its rows are deleted and only the
counts stay: the log holds chat ids only while delivery needs them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from typing import Literal, Protocol

from bot.alerts._models import UTC, Alert, Delivery, Progress
from bot.reply import Language
from bot.storage import checkpoint, migrate

Final = Literal["sent", "failed", "expired"]

MIGRATIONS = (
    """
    CREATE TABLE alert_subscribers (
        chat_id INTEGER PRIMARY KEY,
        language TEXT NOT NULL CHECK (language IN ('en', 'fr'))
    );
    CREATE TABLE alert_subscriptions (
        chat_id INTEGER NOT NULL REFERENCES alert_subscribers(chat_id) ON DELETE CASCADE,
        region TEXT NOT NULL,
        PRIMARY KEY (chat_id, region)
    ) WITHOUT ROWID;
    CREATE INDEX alert_subscriptions_region ON alert_subscriptions(region);
    CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        region TEXT NOT NULL,
        text_en TEXT NOT NULL,
        text_fr TEXT NOT NULL,
        issued_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        status TEXT NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'done')),
        report_chat INTEGER,
        report_message INTEGER,
        report_language TEXT NOT NULL DEFAULT 'en',
        total INTEGER NOT NULL DEFAULT 0,
        sent INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        blocked INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX alerts_region ON alerts(region, expires_at);
    CREATE TABLE alert_deliveries (
        alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        chat_id INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked', 'expired')),
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (alert_id, chat_id)
    ) WITHOUT ROWID;
    CREATE INDEX alert_deliveries_queue ON alert_deliveries(alert_id, status, not_before);
    CREATE INDEX alert_deliveries_chat ON alert_deliveries(chat_id)
    """,
)


class AlertBoard(Protocol):
    """Read access to the alerts in force: all the dialogue needs."""

    def current(self, region: str, now: dt.datetime) -> Sequence[Alert]:
        """Unexpired alerts for ``region``, newest first."""
        ...


class AlertStore(AlertBoard, Protocol):
    """Subscriptions, alerts and the delivery log."""

    def subscribe(self, chat_id: int, region: str, language: Language) -> None:
        """Add ``region`` to the chat's alerts (and remember its language)."""
        ...

    def unsubscribe(self, chat_id: int, region: str) -> None:
        """Stop ``region``'s alerts for the chat, including any not yet sent."""
        ...

    def forget(self, chat_id: int) -> None:
        """Delete every row that names the chat: subscriptions, language, delivery log."""
        ...

    def subscriptions(self, chat_id: int) -> frozenset[str]:
        """The regions the chat gets alerts for."""
        ...

    def subscriber_count(self, region: str) -> int:
        """How many chats get ``region``'s alerts."""
        ...

    def publish(self, alert: Alert) -> int | None:
        """Store ``alert`` and queue it for every current subscriber of its region.

        Returns the number queued, or None if an alert with that id exists already.
        """
        ...

    def known(self, alert_id: str) -> bool:
        """True if an alert with this id was ever published and not yet purged."""
        ...

    def set_report_message(self, alert_id: str, chat_id: int, message_id: int) -> None:
        """Remember the staff message that shows the alert's progress."""
        ...

    def unfinished(self) -> list[Alert]:
        """Alerts whose broadcast is not complete, oldest first."""
        ...

    def recover(self) -> int:
        """Make rows left ``sending`` by a dead process ``pending`` again; how many."""
        ...

    def claim(self, alert_id: str, now: dt.datetime) -> Delivery | None:
        """Mark one due pending delivery ``sending`` and return it, or None."""
        ...

    def next_due(self, alert_id: str) -> dt.datetime | None:
        """When the earliest pending delivery may be tried, or None if none is pending."""
        ...

    def finish(self, alert_id: str, chat_id: int, status: Final) -> None:
        """Record the final outcome of one delivery."""
        ...

    def block(self, alert_id: str, chat_id: int) -> None:
        """The chat blocked the bot: record it and unsubscribe the chat from everything."""
        ...

    def retry_later(self, alert_id: str, chat_id: int, not_before: dt.datetime) -> None:
        """Put a delivery back in the queue, to be tried after ``not_before``."""
        ...

    def expire_pending(self, alert_id: str) -> int:
        """Give up the deliveries not yet made of an expired alert; how many."""
        ...

    def progress(self, alert_id: str) -> Progress:
        """Counts so far."""
        ...

    def complete(self, alert_id: str) -> Progress:
        """Close the broadcast: keep the counts, delete its delivery rows."""
        ...

    def purge_expired(self, now: dt.datetime) -> int:
        """Delete finished alerts whose expiry has passed; how many."""
        ...


def _ts(moment: dt.datetime) -> float:
    return moment.timestamp()


def _dt(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(value, UTC)


def _lang(value: str) -> Language:
    return "fr" if value == "fr" else "en"


class SqliteAlertStore:
    """``AlertStore`` on a connection from ``bot.storage.open_database``.

    Every method is one short statement or transaction, fast enough to call from the event
    loop (microseconds on a local file).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        migrate(conn, "alerts", MIGRATIONS)

    def _tx(self) -> _Transaction:
        return _Transaction(self._conn)

    # -- subscriptions ------------------------------------------------------------------

    def subscribe(self, chat_id: int, region: str, language: Language) -> None:
        with self._tx():
            self._conn.execute(
                "INSERT INTO alert_subscribers (chat_id, language) VALUES (?, ?) "
                "ON CONFLICT(chat_id) DO UPDATE SET language = excluded.language",
                (chat_id, language),
            )
            self._conn.execute(
                "INSERT OR IGNORE INTO alert_subscriptions (chat_id, region) VALUES (?, ?)",
                (chat_id, region),
            )

    def unsubscribe(self, chat_id: int, region: str) -> None:
        with self._tx():
            self._conn.execute(
                "DELETE FROM alert_subscriptions WHERE chat_id = ? AND region = ?",
                (chat_id, region),
            )
            self._conn.execute(
                "DELETE FROM alert_deliveries WHERE chat_id = ? AND status = 'pending' "
                "AND alert_id IN (SELECT id FROM alerts WHERE region = ?)",
                (chat_id, region),
            )
            self._conn.execute(
                "DELETE FROM alert_subscribers WHERE chat_id = ? AND NOT EXISTS "
                "(SELECT 1 FROM alert_subscriptions WHERE chat_id = ?)",
                (chat_id, chat_id),
            )

    def forget(self, chat_id: int) -> None:
        with self._tx():
            self._conn.execute("DELETE FROM alert_deliveries WHERE chat_id = ?", (chat_id,))
            self._conn.execute("DELETE FROM alert_subscribers WHERE chat_id = ?", (chat_id,))
        checkpoint(self._conn)  # no copy of the chat id left in the -wal file

    def subscriptions(self, chat_id: int) -> frozenset[str]:
        rows = self._conn.execute(
            "SELECT region FROM alert_subscriptions WHERE chat_id = ?", (chat_id,)
        )
        return frozenset(str(row["region"]) for row in rows)

    def subscriber_count(self, region: str) -> int:
        row = self._conn.execute(
            "SELECT count(*) AS n FROM alert_subscriptions WHERE region = ?", (region,)
        ).fetchone()
        return int(row["n"])

    # -- alerts -------------------------------------------------------------------------

    def publish(self, alert: Alert) -> int | None:
        with self._tx():
            inserted = self._conn.execute(
                "INSERT OR IGNORE INTO alerts (id, region, text_en, text_fr, issued_at, "
                "expires_at, report_chat, report_message, report_language) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (alert.id, alert.region, alert.en, alert.fr, _ts(alert.issued_at),
                 _ts(alert.expires_at), alert.report_chat, alert.report_message,
                 alert.report_language),
            ).rowcount
            if not inserted:
                return None
            queued = self._conn.execute(
                "INSERT INTO alert_deliveries (alert_id, chat_id) "
                "SELECT ?, chat_id FROM alert_subscriptions WHERE region = ?",
                (alert.id, alert.region),
            ).rowcount
            self._conn.execute("UPDATE alerts SET total = ? WHERE id = ?", (queued, alert.id))
            return queued

    def known(self, alert_id: str) -> bool:
        return self._conn.execute(
            "SELECT 1 FROM alerts WHERE id = ?", (alert_id,)
        ).fetchone() is not None

    def set_report_message(self, alert_id: str, chat_id: int, message_id: int) -> None:
        self._conn.execute(
            "UPDATE alerts SET report_chat = ?, report_message = ? WHERE id = ?",
            (chat_id, message_id, alert_id),
        )

    def current(self, region: str, now: dt.datetime) -> list[Alert]:
        rows = self._conn.execute(
            "SELECT * FROM alerts WHERE region = ? AND expires_at > ? "
            "ORDER BY issued_at DESC, rowid DESC",
            (region, _ts(now)),
        )
        return [self._alert(row) for row in rows]

    def unfinished(self) -> list[Alert]:
        rows = self._conn.execute("SELECT * FROM alerts WHERE status = 'sending' ORDER BY rowid")
        return [self._alert(row) for row in rows]

    @staticmethod
    def _alert(row: sqlite3.Row) -> Alert:
        return Alert(
            id=row["id"], region=row["region"], en=row["text_en"], fr=row["text_fr"],
            issued_at=_dt(row["issued_at"]), expires_at=_dt(row["expires_at"]),
            report_chat=row["report_chat"], report_message=row["report_message"],
            report_language=_lang(row["report_language"]),
        )

    # -- the delivery log ---------------------------------------------------------------

    def recover(self) -> int:
        return self._conn.execute(
            "UPDATE alert_deliveries SET status = 'pending' WHERE status = 'sending'"
        ).rowcount

    def claim(self, alert_id: str, now: dt.datetime) -> Delivery | None:
        row = self._conn.execute(
            "UPDATE alert_deliveries SET status = 'sending', attempts = attempts + 1 "
            "WHERE alert_id = ? AND chat_id = ("
            "  SELECT chat_id FROM alert_deliveries WHERE alert_id = ? AND status = 'pending'"
            "  AND not_before <= ? ORDER BY not_before, chat_id LIMIT 1) "
            "RETURNING chat_id, attempts",
            (alert_id, alert_id, _ts(now)),
        ).fetchone()
        if row is None:
            return None
        chat_id = int(row["chat_id"])
        found = self._conn.execute(
            "SELECT language FROM alert_subscribers WHERE chat_id = ?", (chat_id,)
        ).fetchone()
        language = _lang(found["language"]) if found else "en"
        return Delivery(alert_id, chat_id, language, int(row["attempts"]))

    def next_due(self, alert_id: str) -> dt.datetime | None:
        row = self._conn.execute(
            "SELECT min(not_before) AS due FROM alert_deliveries "
            "WHERE alert_id = ? AND status = 'pending'",
            (alert_id,),
        ).fetchone()
        return None if row["due"] is None else _dt(row["due"])

    def finish(self, alert_id: str, chat_id: int, status: Final) -> None:
        self._conn.execute(
            "UPDATE alert_deliveries SET status = ? WHERE alert_id = ? AND chat_id = ?",
            (status, alert_id, chat_id),
        )

    def block(self, alert_id: str, chat_id: int) -> None:
        with self._tx():
            self._conn.execute(
                "UPDATE alert_deliveries SET status = 'blocked' "
                "WHERE alert_id = ? AND chat_id = ?",
                (alert_id, chat_id),
            )
            self._conn.execute(
                "DELETE FROM alert_deliveries WHERE chat_id = ? AND status = 'pending'",
                (chat_id,),
            )
            self._conn.execute("DELETE FROM alert_subscribers WHERE chat_id = ?", (chat_id,))

    def retry_later(self, alert_id: str, chat_id: int, not_before: dt.datetime) -> None:
        self._conn.execute(
            "UPDATE alert_deliveries SET status = 'pending', not_before = ? "
            "WHERE alert_id = ? AND chat_id = ?",
            (_ts(not_before), alert_id, chat_id),
        )

    def expire_pending(self, alert_id: str) -> int:
        return self._conn.execute(
            "UPDATE alert_deliveries SET status = 'expired' "
            "WHERE alert_id = ? AND status = 'pending'",
            (alert_id,),
        ).rowcount

    def progress(self, alert_id: str) -> Progress:
        return self._progress(alert_id, done=False)

    def _progress(self, alert_id: str, done: bool) -> Progress:
        counts = {
            str(row["status"]): int(row["n"])
            for row in self._conn.execute(
                "SELECT status, count(*) AS n FROM alert_deliveries WHERE alert_id = ? "
                "GROUP BY status",
                (alert_id,),
            )
        }
        row = self._conn.execute("SELECT total FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        total = int(row["total"]) if row else 0
        # Rows deleted by an unsubscribe or /forget during the broadcast count as skipped.
        present = sum(counts.values())
        return Progress(
            alert_id, total, sent=counts.get("sent", 0), failed=counts.get("failed", 0),
            blocked=counts.get("blocked", 0),
            skipped=counts.get("expired", 0) + max(total - present, 0), done=done,
        )

    def complete(self, alert_id: str) -> Progress:
        with self._tx():
            final = self._progress(alert_id, done=True)
            self._conn.execute(
                "UPDATE alerts SET status = 'done', sent = ?, failed = ?, blocked = ?, "
                "skipped = ? WHERE id = ?",
                (final.sent, final.failed, final.blocked, final.skipped, alert_id),
            )
            self._conn.execute("DELETE FROM alert_deliveries WHERE alert_id = ?", (alert_id,))
        return final

    def purge_expired(self, now: dt.datetime) -> int:
        return self._conn.execute(
            "DELETE FROM alerts WHERE status = 'done' AND expires_at <= ?", (_ts(now),)
        ).rowcount


class _Transaction:
    """``with``: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> None:
        self._conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        self._conn.execute("COMMIT" if kind is None else "ROLLBACK")
