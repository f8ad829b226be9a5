"""``AlertStore`` on PostgreSQL, for several replicas sharing subscriptions and broadcasts.

Same statuses and leases as the SQLite store (see ``_store``). Claims take a batch with
``FOR UPDATE SKIP LOCKED``, so replicas claiming at the same moment get different rows and
never wait for each other; ``complete`` locks the alert row, so exactly one replica closes
a broadcast and computes its counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bot.alerts._models import UTC, Alert, Delivery, Progress
from bot.alerts._store import LEASE_S, OWN_GRACE, Final
from bot.postgres import Postgres
from bot.reply import Language

EPOCH = "'1970-01-01 00:00:00+00'"

MIGRATIONS = (
    f"""
    CREATE TABLE alert_subscribers (
        chat_id BIGINT PRIMARY KEY,
        language TEXT NOT NULL CHECK (language IN ('en', 'fr'))
    );
    CREATE TABLE alert_subscriptions (
        chat_id BIGINT NOT NULL REFERENCES alert_subscribers(chat_id) ON DELETE CASCADE,
        region TEXT NOT NULL,
        PRIMARY KEY (chat_id, region)
    );
    CREATE INDEX alert_subscriptions_region ON alert_subscriptions(region);
    CREATE TABLE alerts (
        seq BIGSERIAL UNIQUE,
        id TEXT PRIMARY KEY,
        region TEXT NOT NULL,
        text_en TEXT NOT NULL,
        text_fr TEXT NOT NULL,
        issued_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        status TEXT NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'done')),
        report_chat BIGINT,
        report_message BIGINT,
        report_language TEXT NOT NULL DEFAULT 'en',
        reported_at TIMESTAMPTZ NOT NULL DEFAULT {EPOCH},
        total INTEGER NOT NULL DEFAULT 0,
        sent INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        blocked INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX alerts_region ON alerts(region, expires_at);
    CREATE TABLE alert_deliveries (
        alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        chat_id BIGINT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked', 'expired')),
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TIMESTAMPTZ NOT NULL DEFAULT {EPOCH},
        lease_until TIMESTAMPTZ NOT NULL DEFAULT {EPOCH},
        owner TEXT,
        PRIMARY KEY (alert_id, chat_id)
    );
    CREATE INDEX alert_deliveries_queue ON alert_deliveries(alert_id, status, not_before);
    CREATE INDEX alert_deliveries_chat ON alert_deliveries(chat_id)
    """,
)


def _lang(value: Any) -> Language:
    return "fr" if value == "fr" else "en"


class PostgresAlertStore:
    """``AlertStore`` over a ``bot.postgres.Postgres`` pool; migrates its tables on open."""

    def __init__(self, db: Postgres) -> None:
        self._db = db
        db.migrate("alerts", MIGRATIONS)

    # -- subscriptions ------------------------------------------------------------------

    def subscribe(self, chat_id: int, region: str, language: Language) -> None:
        with self._db.cursor(transaction=True) as cur:
            cur.execute(
                "INSERT INTO alert_subscribers (chat_id, language) VALUES (%s, %s) "
                "ON CONFLICT (chat_id) DO UPDATE SET language = excluded.language",
                (chat_id, language),
            )
            cur.execute(
                "INSERT INTO alert_subscriptions (chat_id, region) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                (chat_id, region),
            )

    def unsubscribe(self, chat_id: int, region: str) -> None:
        with self._db.cursor(transaction=True) as cur:
            cur.execute(
                "DELETE FROM alert_subscriptions WHERE chat_id = %s AND region = %s",
                (chat_id, region),
            )
            cur.execute(
                "DELETE FROM alert_deliveries WHERE chat_id = %s AND status = 'pending' "
                "AND alert_id IN (SELECT id FROM alerts WHERE region = %s)",
                (chat_id, region),
            )
            cur.execute(
                "DELETE FROM alert_subscribers WHERE chat_id = %s AND NOT EXISTS "
                "(SELECT 1 FROM alert_subscriptions WHERE chat_id = %s)",
                (chat_id, chat_id),
            )

    def forget(self, chat_id: int) -> None:
        with self._db.cursor(transaction=True) as cur:
            cur.execute("DELETE FROM alert_deliveries WHERE chat_id = %s", (chat_id,))
            cur.execute("DELETE FROM alert_subscribers WHERE chat_id = %s", (chat_id,))

    def subscriptions(self, chat_id: int) -> frozenset[str]:
        with self._db.cursor() as cur:
            cur.execute("SELECT region FROM alert_subscriptions WHERE chat_id = %s", (chat_id,))
            return frozenset(str(row["region"]) for row in cur)

    def subscriber_count(self, region: str) -> int:
        with self._db.cursor() as cur:
            cur.execute(
                "SELECT count(*) AS n FROM alert_subscriptions WHERE region = %s", (region,)
            )
            row = cur.fetchone()
            return int(row["n"]) if row else 0

    # -- alerts -------------------------------------------------------------------------

    def publish(self, alert: Alert) -> int | None:
        with self._db.cursor(transaction=True) as cur:
            # A second replica publishing the same file waits on the key, then inserts nothing.
            cur.execute(
                "INSERT INTO alerts (id, region, text_en, text_fr, issued_at, expires_at, "
                "report_chat, report_message, report_language) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (
                    alert.id,
                    alert.region,
                    alert.en,
                    alert.fr,
                    alert.issued_at,
                    alert.expires_at,
                    alert.report_chat,
                    alert.report_message,
                    alert.report_language,
                ),
            )
            if cur.rowcount != 1:
                return None
            cur.execute(
                "INSERT INTO alert_deliveries (alert_id, chat_id) "
                "SELECT %s, chat_id FROM alert_subscriptions WHERE region = %s",
                (alert.id, alert.region),
            )
            queued = cur.rowcount
            cur.execute("UPDATE alerts SET total = %s WHERE id = %s", (queued, alert.id))
            return queued

    def known(self, alert_id: str) -> bool:
        with self._db.cursor() as cur:
            cur.execute("SELECT 1 FROM alerts WHERE id = %s", (alert_id,))
            return cur.fetchone() is not None

    def current(self, region: str, now: dt.datetime) -> list[Alert]:
        with self._db.cursor() as cur:
            cur.execute(
                "SELECT * FROM alerts WHERE region = %s AND expires_at > %s "
                "ORDER BY issued_at DESC, seq DESC",
                (region, now),
            )
            return [_alert(row) for row in cur]

    def unfinished(self) -> list[Alert]:
        with self._db.cursor() as cur:
            cur.execute("SELECT * FROM alerts WHERE status = 'sending' ORDER BY seq")
            return [_alert(row) for row in cur]

    # -- the delivery log ---------------------------------------------------------------

    def recover(self, now: dt.datetime | None = None) -> int:
        return self._db.execute(
            "UPDATE alert_deliveries SET status = 'pending', owner = NULL "
            "WHERE status = 'sending' AND lease_until <= %s",
            (now or dt.datetime.now(UTC),),
        )

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
        with self._db.cursor() as cur:
            cur.execute(
                "WITH due AS ("
                "  SELECT alert_id, chat_id FROM alert_deliveries WHERE alert_id = %(alert)s"
                "  AND ((status = 'pending' AND not_before <= %(now)s)"
                "       OR (status = 'sending' AND lease_until <= %(now)s"
                "           AND (owner IS DISTINCT FROM %(owner)s OR lease_until <= %(lost)s)))"
                "  ORDER BY not_before, chat_id LIMIT %(limit)s FOR UPDATE SKIP LOCKED) "
                "UPDATE alert_deliveries d SET status = 'sending', attempts = d.attempts + 1, "
                "lease_until = %(until)s, owner = %(owner)s FROM due "
                "WHERE d.alert_id = due.alert_id AND d.chat_id = due.chat_id "
                "RETURNING d.chat_id, d.attempts, (SELECT s.language FROM alert_subscribers s "
                "WHERE s.chat_id = d.chat_id) AS language",
                {
                    "alert": alert_id,
                    "now": now,
                    "limit": limit,
                    "until": until,
                    "owner": owner,
                    "lost": now - dt.timedelta(seconds=OWN_GRACE * lease),
                },
            )
            rows = cur.fetchall()
        return sorted(
            (
                Delivery(
                    alert_id, int(r["chat_id"]), _lang(r["language"]), int(r["attempts"]), until
                )
                for r in rows
            ),
            key=lambda d: d.chat_id,
        )

    def release(self, alert_id: str, owner: str, chat_ids: Sequence[int]) -> int:
        if not chat_ids:
            return 0
        return self._db.execute(
            "UPDATE alert_deliveries SET status = 'pending', attempts = attempts - 1, "
            f"lease_until = {EPOCH}, owner = NULL WHERE alert_id = %s AND chat_id = ANY(%s) "
            "AND status = 'sending' AND owner = %s",
            (alert_id, list(chat_ids), owner),
        )

    def next_due(self, alert_id: str) -> dt.datetime | None:
        with self._db.cursor() as cur:
            cur.execute(
                "SELECT min(CASE status WHEN 'pending' THEN not_before ELSE lease_until END) "
                "AS due FROM alert_deliveries WHERE alert_id = %s "
                "AND status IN ('pending', 'sending')",
                (alert_id,),
            )
            row = cur.fetchone()
        due = row["due"] if row else None
        return due if isinstance(due, dt.datetime) else None

    def finish(self, alert_id: str, chat_id: int, status: Final) -> None:
        self._db.execute(
            "UPDATE alert_deliveries SET status = %s WHERE alert_id = %s AND chat_id = %s",
            (status, alert_id, chat_id),
        )

    def block(self, alert_id: str, chat_id: int) -> None:
        with self._db.cursor(transaction=True) as cur:
            cur.execute(
                "UPDATE alert_deliveries SET status = 'blocked' "
                "WHERE alert_id = %s AND chat_id = %s",
                (alert_id, chat_id),
            )
            cur.execute(
                "DELETE FROM alert_deliveries WHERE chat_id = %s AND status = 'pending'", (chat_id,)
            )
            cur.execute("DELETE FROM alert_subscribers WHERE chat_id = %s", (chat_id,))

    def retry_later(self, alert_id: str, chat_id: int, not_before: dt.datetime) -> None:
        self._db.execute(
            "UPDATE alert_deliveries SET status = 'pending', not_before = %s, owner = NULL "
            "WHERE alert_id = %s AND chat_id = %s",
            (not_before, alert_id, chat_id),
        )

    def expire_pending(self, alert_id: str) -> int:
        return self._db.execute(
            "UPDATE alert_deliveries SET status = 'expired' "
            "WHERE alert_id = %s AND status = 'pending'",
            (alert_id,),
        )

    def progress(self, alert_id: str) -> Progress:
        with self._db.cursor() as cur:
            return _progress(cur, alert_id, done=False)

    def complete(self, alert_id: str) -> Progress | None:
        with self._db.cursor(transaction=True) as cur:
            # The row lock makes the replicas that finish together take turns.
            cur.execute("SELECT status FROM alerts WHERE id = %s FOR UPDATE", (alert_id,))
            row = cur.fetchone()
            if row is None or row["status"] != "sending":
                return None
            cur.execute(
                "SELECT 1 FROM alert_deliveries WHERE alert_id = %s "
                "AND status IN ('pending', 'sending') LIMIT 1",
                (alert_id,),
            )
            if cur.fetchone() is not None:
                return None
            final = _progress(cur, alert_id, done=True)
            cur.execute(
                "UPDATE alerts SET status = 'done', sent = %s, failed = %s, blocked = %s, "
                "skipped = %s WHERE id = %s",
                (final.sent, final.failed, final.blocked, final.skipped, alert_id),
            )
            cur.execute("DELETE FROM alert_deliveries WHERE alert_id = %s", (alert_id,))
            return final

    def report_turn(self, alert_id: str, now: dt.datetime, every: float) -> bool:
        return (
            self._db.execute(
                "UPDATE alerts SET reported_at = %s WHERE id = %s AND reported_at <= %s",
                (now, alert_id, now - dt.timedelta(seconds=every)),
            )
            == 1
        )

    def purge_expired(self, now: dt.datetime) -> int:
        return self._db.execute(
            "DELETE FROM alerts WHERE status = 'done' AND expires_at <= %s", (now,)
        )


def _alert(row: dict[str, Any]) -> Alert:
    return Alert(
        id=row["id"],
        region=row["region"],
        en=row["text_en"],
        fr=row["text_fr"],
        issued_at=row["issued_at"].astimezone(UTC),
        expires_at=row["expires_at"].astimezone(UTC),
        report_chat=row["report_chat"],
        report_message=row["report_message"],
        report_language=_lang(row["report_language"]),
    )


def _progress(cur: Any, alert_id: str, *, done: bool) -> Progress:
    cur.execute(
        "SELECT status, count(*) AS n FROM alert_deliveries WHERE alert_id = %s GROUP BY status",
        (alert_id,),
    )
    counts = {str(row["status"]): int(row["n"]) for row in cur.fetchall()}
    cur.execute("SELECT total FROM alerts WHERE id = %s", (alert_id,))
    row = cur.fetchone()
    total = int(row["total"]) if row else 0
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
