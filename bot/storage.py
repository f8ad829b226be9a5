"""The bot's one SQLite database: opened in WAL mode, migrated per component.

Only what an issue explicitly needs is stored here (alert subscriptions, staff reports,
anonymous counts): never message text, names or locations. Each component (``alerts``,
``staff``) owns its tables and lists its migrations; ``migrate`` applies the new ones in
order, so a bot started on an old file upgrades it itself.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

MEMORY = ":memory:"
# Replicas opening one new file at once: how long one waits for another's switch to WAL.
WAL_SWITCH_WAIT_S = 5.0


def open_database(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path``; ``:memory:`` for tests."""
    if str(path) != MEMORY:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout=5000")
    if str(path) != MEMORY:
        _switch_to_wal(conn)
    conn.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows (a /forget) are overwritten with zeros, not just marked free.
    conn.execute("PRAGMA secure_delete=ON")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
    )
    return conn


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """``PRAGMA journal_mode=WAL``, retried while another connection holds the lock.

    Switching a new file to WAL needs an exclusive lock, and SQLite may answer "database
    is locked" at once instead of calling the busy handler: six replicas started together
    on an empty file lost one of them that way."""
    deadline = time.monotonic() + WAL_SWITCH_WAIT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``with``: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (a failed COMMIT too).

    IMMEDIATE takes the write lock up front, so two processes never both read, then both
    write on stale reads."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def migrate(conn: sqlite3.Connection, component: str, migrations: Sequence[str]) -> int:
    """Apply ``migrations[version:]`` for ``component`` in one transaction each; new version.

    The version is read inside each write transaction, so processes opening one file at
    once take turns instead of applying the same step twice.
    """
    while True:
        with transaction(conn):
            row = conn.execute(
                "SELECT version FROM schema_migrations WHERE component = ?", (component,)
            ).fetchone()
            version = int(row["version"]) if row else 0
            if version >= len(migrations):
                return version
            for statement in filter(str.strip, migrations[version].split(";")):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (component, version) VALUES (?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                (component, version + 1),
            )


def checkpoint(conn: sqlite3.Connection) -> None:
    """Copy the write-ahead log into the database file and empty it.

    After a delete, the old rows still sit in the ``-wal`` file until a checkpoint; this
    makes a /forget leave no copy behind (with ``secure_delete`` on in the main file).
    """
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
