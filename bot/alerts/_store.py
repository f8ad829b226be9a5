"""Where subscriptions, alerts and the delivery log live: a small repository interface.

``AlertStore`` is the interface the service and the Telegram adapter use;
``SqliteAlertStore`` implements it on the bot's SQLite file (one host);
``PostgresAlertStore`` (``_pgstore``) on PostgreSQL for several replicas.

Delivery rows move ``pending -> sending -> sent | failed | blocked | expired``. A replica
claims a batch of due rows by marking them ``sending`` with a lease (``lease_until``) and
its own ``owner`` token, committed before the Bot API calls, and records each outcome right
after its call. A row whose lease ran out belongs to a replica that died (or stalled): any
replica may claim it again, so the message may go out twice, never zero times (a health
alert is safer duplicated than lost), and only for calls that were in flight. Start-up
recovery touches expired leases only, never another live replica's rows. A broadcast is
complete when no row is pending or sending; the one replica that closes it computes the
counts from the log, keeps them on the alert and deletes its rows: the log holds chat ids
only while delivery needs them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from typing import Literal, Protocol

from bot.alerts._models import UTC, Alert, Delivery, Progress
from bot.reply import Language
from bot.storage import checkpoint, migrate, transaction

Final = Literal["sent", "failed", "expired"]
LEASE_S = 30.0  # a claimed batch is this replica's for this long (ALERT_LEASE_SECONDS)
# A process never takes back its own expired lease at once: the call may still be in flight
# (a slow answer); only after this many more leases is the row taken as lost.
OWN_GRACE = 2

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
    # Leases, so several processes share a broadcast; a staff progress turn per interval.
    """
    ALTER TABLE alert_deliveries ADD COLUMN lease_until REAL NOT NULL DEFAULT 0;
    ALTER TABLE alert_deliveries ADD COLUMN owner TEXT;
    ALTER TABLE alerts ADD COLUMN reported_at REAL NOT NULL DEFAULT 0
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

    def unfinished(self) -> list[Alert]:
        """Alerts whose broadcast is not complete, oldest first."""
        ...

    def recover(self, now: dt.datetime | None = None) -> int:
        """Make rows whose lease has expired ``pending`` again; how many."""
        ...

    def claim(
        self,
        alert_id: str,
        now: dt.datetime,
        *,
        limit: int = 1,
        lease: float = LEASE_S,
        owner: str = "",
    ) -> list[Delivery]:
        """Lease up to ``limit`` due deliveries: pending ones, and those whose lease expired
        (another owner's at once, the caller's own only ``OWN_GRACE`` leases later)."""
        ...

    def release(self, alert_id: str, owner: str, chat_ids: Sequence[int]) -> int:
        """Give back leased deliveries that were not tried (a stopping replica); how many."""
        ...

    def next_due(self, alert_id: str) -> dt.datetime | None:
        """When a delivery may next be claimed (a retry time or a lease's end); None if
        nothing is pending or sending."""
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

    def complete(self, alert_id: str) -> Progress | None:
        """Close the broadcast if nothing is pending or sending: keep the counts from the log,
        delete its rows. None when work remains or another process closed it already."""
        ...

    def report_turn(self, alert_id: str, now: dt.datetime, every: float) -> bool:
        """True for one caller per ``every`` seconds: whose turn it is to show progress."""
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

    # -- subscriptions ------------------------------------------------------------------

    def subscribe(self, chat_id: int, region: str, language: Language) -> None:
        with transaction(self._conn):
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
        with transaction(self._conn):
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
        with transaction(self._conn):
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
        with transaction(self._conn):
            inserted = self._conn.execute(
                "INSERT OR IGNORE INTO alerts (id, region, text_en, text_fr, issued_at, "
                "expires_at, report_chat, report_message, report_language) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    alert.id,
                    alert.region,
                    alert.en,
                    alert.fr,
                    _ts(alert.issued_at),
                    _ts(alert.expires_at),
                    alert.report_chat,
                    alert.report_message,
                    alert.report_language,
                ),
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
        return (
            self._conn.execute("SELECT 1 FROM alerts WHERE id = ?", (alert_id,)).fetchone()
            is not None
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
            id=row["id"],
            region=row["region"],
            en=row["text_en"],
            fr=row["text_fr"],
            issued_at=_dt(row["issued_at"]),
            expires_at=_dt(row["expires_at"]),
            report_chat=row["report_chat"],
            report_message=row["report_message"],
            report_language=_lang(row["report_language"]),
        )

    # -- the delivery log ---------------------------------------------------------------

    def recover(self, now: dt.datetime | None = None) -> int:
        moment = _ts(now or dt.datetime.now(UTC))
        return self._conn.execute(
            "UPDATE alert_deliveries SET status = 'pending', owner = NULL "
            "WHERE status = 'sending' AND lease_until <= ?",
            (moment,),
        ).rowcount

    def claim(
        self,
        alert_id: str,
        now: dt.datetime,
        *,
        limit: int = 1,
        lease: float = LEASE_S,
        owner: str = "",
    ) -> list[Delivery]:
        until = now + dt.timedelta(seconds=lease)
        with transaction(self._conn):
            rows = self._conn.execute(
                "UPDATE alert_deliveries SET status = 'sending', attempts = attempts + 1, "
                "lease_until = ?, owner = ? WHERE alert_id = ? AND chat_id IN ("
                "  SELECT chat_id FROM alert_deliveries WHERE alert_id = ? AND ("
                "    (status = 'pending' AND not_before <= ?)"
                "    OR (status = 'sending' AND lease_until <= ?"
                "        AND (owner IS NOT ? OR lease_until <= ?)))"
                "  ORDER BY not_before, chat_id LIMIT ?) "
                "RETURNING chat_id, attempts",
                (
                    _ts(until),
                    owner,
                    alert_id,
                    alert_id,
                    _ts(now),
                    _ts(now),
                    owner,
                    _ts(now) - OWN_GRACE * lease,
                    limit,
                ),
            ).fetchall()
            chats = [int(row["chat_id"]) for row in rows]
            languages = (
                {
                    int(found["chat_id"]): _lang(found["language"])
                    for found in self._conn.execute(
                        "SELECT chat_id, language FROM alert_subscribers WHERE chat_id IN "
                        f"({','.join('?' * len(chats))})",
                        chats,
                    )
                }
                if chats
                else {}
            )
        return sorted(
            (
                Delivery(
                    alert_id,
                    int(row["chat_id"]),
                    languages.get(int(row["chat_id"]), "en"),
                    int(row["attempts"]),
                    until,
                )
                for row in rows
            ),
            key=lambda d: d.chat_id,
        )

    def release(self, alert_id: str, owner: str, chat_ids: Sequence[int]) -> int:
        released = 0
        with transaction(self._conn):
            for chat_id in chat_ids:
                released += self._conn.execute(
                    "UPDATE alert_deliveries SET status = 'pending', attempts = attempts - 1, "
                    "lease_until = 0, owner = NULL WHERE alert_id = ? AND chat_id = ? "
                    "AND status = 'sending' AND owner = ?",
                    (alert_id, chat_id, owner),
                ).rowcount
        return released

    def next_due(self, alert_id: str) -> dt.datetime | None:
        row = self._conn.execute(
            "SELECT min(CASE status WHEN 'pending' THEN not_before ELSE lease_until END) AS due "
            "FROM alert_deliveries WHERE alert_id = ? AND status IN ('pending', 'sending')",
            (alert_id,),
        ).fetchone()
        return None if row["due"] is None else _dt(row["due"])

    def finish(self, alert_id: str, chat_id: int, status: Final) -> None:
        self._conn.execute(
            "UPDATE alert_deliveries SET status = ? WHERE alert_id = ? AND chat_id = ?",
            (status, alert_id, chat_id),
        )

    def block(self, alert_id: str, chat_id: int) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE alert_deliveries SET status = 'blocked' WHERE alert_id = ? AND chat_id = ?",
                (alert_id, chat_id),
            )
            self._conn.execute(
                "DELETE FROM alert_deliveries WHERE chat_id = ? AND status = 'pending'",
                (chat_id,),
            )
            self._conn.execute("DELETE FROM alert_subscribers WHERE chat_id = ?", (chat_id,))

    def retry_later(self, alert_id: str, chat_id: int, not_before: dt.datetime) -> None:
        self._conn.execute(
            "UPDATE alert_deliveries SET status = 'pending', not_before = ?, owner = NULL "
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
            alert_id,
            total,
            sent=counts.get("sent", 0),
            failed=counts.get("failed", 0),
            blocked=counts.get("blocked", 0),
            skipped=counts.get("expired", 0) + max(total - present, 0),
            done=done,
        )

    def complete(self, alert_id: str) -> Progress | None:
        with transaction(self._conn):
            open_rows = self._conn.execute(
                "SELECT EXISTS (SELECT 1 FROM alert_deliveries WHERE alert_id = ? "
                "AND status IN ('pending', 'sending')) AS busy, "
                "EXISTS (SELECT 1 FROM alerts WHERE id = ? AND status = 'sending') AS open",
                (alert_id, alert_id),
            ).fetchone()
            if open_rows["busy"] or not open_rows["open"]:
                return None
            final = self._progress(alert_id, done=True)
            self._conn.execute(
                "UPDATE alerts SET status = 'done', sent = ?, failed = ?, blocked = ?, "
                "skipped = ? WHERE id = ?",
                (final.sent, final.failed, final.blocked, final.skipped, alert_id),
            )
            self._conn.execute("DELETE FROM alert_deliveries WHERE alert_id = ?", (alert_id,))
        return final

    def report_turn(self, alert_id: str, now: dt.datetime, every: float) -> bool:
        return (
            self._conn.execute(
                "UPDATE alerts SET reported_at = ? WHERE id = ? AND reported_at <= ?",
                (_ts(now), alert_id, _ts(now) - every),
            ).rowcount
            == 1
        )

    def purge_expired(self, now: dt.datetime) -> int:
        return self._conn.execute(
            "DELETE FROM alerts WHERE status = 'done' AND expires_at <= ?", (_ts(now),)
        ).rowcount
