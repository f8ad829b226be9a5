"""PostgreSQL for several replicas (``DATABASE_URL=postgresql://...``): a pool and migrations.

The stores keep the synchronous interfaces the SQLite ones have, so every call runs on the
event loop. That is fine while PostgreSQL answers in a millisecond; for the moments it does
not, the pool fails fast: a call made while no connection is ready raises
``DatabaseUnavailable`` at once instead of blocking the loop (the pool reconnects in its
own threads), and libpq's ``tcp_user_timeout`` bounds a call on a half-dead connection.

Migrations run inside one transaction holding an advisory lock, so two replicas starting
at once take turns: the second finds the schema current and does nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg
    from psycopg.rows import DictRow
    from psycopg_pool import ConnectionPool

# psycopg is imported where a pool is made or used, not here: every command imports this
# module (for DatabaseUnavailable), and psycopg costs ~50 ms of start-up that SQLite-only
# commands such as ``hrbot ask`` never need.

logger = logging.getLogger(__name__)

# Any constant shared by every replica: pg_advisory_xact_lock's key for "migrating".
MIGRATION_LOCK = 0x6872626F74  # "hrbot"
POOL_SIZE = 3
START_WAIT_S = 10.0  # a replica started with its database gives it this long to come up
CHECKOUT_WAIT_S = 1.0
PROBE_EVERY_S = 2.0


class DatabaseUnavailable(Exception):
    """PostgreSQL cannot be reached right now; the call did nothing."""


class Postgres:
    """A small connection pool with fail-fast checkout and per-component migrations."""

    def __init__(self, url: str, *, size: int = POOL_SIZE, wait: float = START_WAIT_S) -> None:
        self._url = url
        self._size = size
        self._pool = self._new_pool()
        self._pool.open(wait=True, timeout=wait)
        self._probing = False
        self._last_probe = 0.0

    def _new_pool(self) -> ConnectionPool[psycopg.Connection[DictRow]]:
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        return ConnectionPool(
            self._url,
            min_size=self._size,
            max_size=self._size,
            timeout=CHECKOUT_WAIT_S,
            open=False,
            check=ConnectionPool.check_connection,
            kwargs={
                "autocommit": True,
                "row_factory": dict_row,
                "connect_timeout": 3,
                "tcp_user_timeout": 3000,  # ms without an acknowledgement: the link is dead
                "keepalives_idle": 10,
                "options": "-c statement_timeout=5000",
                "application_name": "hrbot",
            },
            name="hrbot",
        )

    def close(self) -> None:
        """Close every connection."""
        self._pool.close()

    def _probe_soon(self) -> None:
        """While every connection is broken, try the server every few seconds in a thread;
        when it answers, a fresh pool replaces the broken one (the pool's own reconnects
        back off exponentially: a minute's outage could cost a minute more)."""
        now = time.monotonic()
        if self._probing or now - self._last_probe < PROBE_EVERY_S:
            return
        self._probing, self._last_probe = True, now
        threading.Thread(target=self._probe, name="hrbot-db-probe", daemon=True).start()

    def _probe(self) -> None:
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            with psycopg.connect(self._url, connect_timeout=2):
                pass
            fresh = self._new_pool()
            try:
                fresh.open(wait=True, timeout=5)
            except PoolTimeout:
                fresh.close(timeout=0)
                return
            broken, self._pool = self._pool, fresh
            broken.close(timeout=0)
            logger.info("database reachable again")
        except psycopg.Error:
            pass
        finally:
            self._probing = False

    @contextmanager
    def cursor(self, *, transaction: bool = False) -> Iterator[psycopg.Cursor[DictRow]]:
        """A cursor on a pooled connection; ``transaction`` wraps it in BEGIN ... COMMIT."""
        import psycopg
        from psycopg_pool import PoolTimeout

        # Every call is made from the event loop, one at a time: no connection available
        # means they are all broken and being remade, not busy.
        if self._pool.get_stats().get("pool_available", 0) == 0:
            self._probe_soon()
            raise DatabaseUnavailable("no database connection is ready")
        try:
            with self._pool.connection() as conn:
                if transaction:
                    with conn.transaction(), conn.cursor() as cur:
                        yield cur
                else:
                    with conn.cursor() as cur:
                        yield cur
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise DatabaseUnavailable(type(exc).__name__) from exc

    def execute(self, query: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one statement; the number of rows it touched."""
        with self.cursor() as cur:
            cur.execute(query, params)
            return cur.rowcount

    def migrate(self, component: str, migrations: Sequence[str]) -> int:
        """Apply ``migrations[version:]`` for ``component``; the new version."""
        with self.cursor(transaction=True) as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
            )
            cur.execute("SELECT version FROM schema_migrations WHERE component = %s", (component,))
            row = cur.fetchone()
            version = int(row["version"]) if row else 0
            for number, script in enumerate(migrations[version:], start=version + 1):
                cur.execute(script.encode())  # several statements, no parameters
                cur.execute(
                    "INSERT INTO schema_migrations (component, version) VALUES (%s, %s) "
                    "ON CONFLICT (component) DO UPDATE SET version = excluded.version",
                    (component, number),
                )
                version = number
                logger.info("database: %s schema at version %d", component, number)
            return version


_OPEN: dict[str, Postgres] = {}


def shared(url: str) -> Postgres:
    """The process's one pool for ``url`` (alerts and staff share it)."""
    if url not in _OPEN:
        _OPEN[url] = Postgres(url)
    return _OPEN[url]


def close_all() -> None:
    """Close the pools opened by ``shared``."""
    while _OPEN:
        _OPEN.popitem()[1].close()
