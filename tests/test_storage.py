"""The SQLite helper: WAL mode and per-component migrations."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bot.storage import migrate, open_database

V1 = "CREATE TABLE t (id INTEGER PRIMARY KEY)"
V2 = "ALTER TABLE t ADD COLUMN name TEXT; CREATE INDEX t_name ON t(name)"


def test_file_database_uses_wal_and_migrates_once(tmp_path: Path) -> None:
    """A file database is in WAL mode; migrations apply once and survive reopening."""
    path = tmp_path / "sub" / "bot.sqlite3"
    conn = open_database(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert migrate(conn, "alerts", [V1]) == 1
    conn.close()
    conn = open_database(path)
    assert migrate(conn, "alerts", [V1, V2]) == 2
    conn.execute("INSERT INTO t (name) VALUES ('x')")
    assert migrate(conn, "staff", [V1.replace(" t ", " s ")]) == 1


def test_failed_migration_rolls_back(tmp_path: Path) -> None:
    """A broken migration leaves the schema and version as they were."""
    conn = open_database(tmp_path / "bot.sqlite3")
    migrate(conn, "alerts", [V1])
    with pytest.raises(Exception, match="syntax"):
        migrate(conn, "alerts", [V1, "ALTER TABLE t ADD COLUMN a TEXT; NOT SQL"])
    columns = [r["name"] for r in conn.execute("PRAGMA table_info(t)")]
    assert columns == ["id"]
    assert migrate(conn, "alerts", [V1]) == 1


def _open_six_at_once(path: Path) -> tuple[list[BaseException], list[str]]:
    """Six connections opened on ``path`` at the same instant: errors and journal modes."""
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []
    modes: list[str] = []

    def start() -> None:
        barrier.wait()
        try:
            conn = open_database(path)
            migrate(conn, "alerts", ["CREATE TABLE a (x INTEGER)"])
            modes.append(conn.execute("PRAGMA journal_mode").fetchone()[0])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors, modes


def test_replicas_opening_one_new_file_at_once_all_get_wal(tmp_path: Path) -> None:
    """The switch to WAL can answer "database is locked" without waiting: it is retried."""
    for attempt in range(60):
        errors, modes = _open_six_at_once(tmp_path / f"db{attempt}.sqlite3")
        assert errors == []
        assert modes == ["wal"] * 6
