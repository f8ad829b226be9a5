"""The SQLite helper: WAL mode and per-component migrations."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import migrate, open_database
from tests.helpers.together import at_once

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


def _open_six_at_once(path: Path) -> tuple[list[str], list[BaseException]]:
    """Six connections opened on ``path`` at the same instant: journal modes and errors."""

    def start() -> str:
        conn = open_database(path)
        migrate(conn, "alerts", ["CREATE TABLE a (x INTEGER)"])
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])

    return at_once(6, start, wait_s=30)


def test_replicas_opening_one_new_file_at_once_all_get_wal(tmp_path: Path) -> None:
    """The switch to WAL can answer "database is locked" without waiting: it is retried."""
    for attempt in range(60):
        modes, errors = _open_six_at_once(tmp_path / f"db{attempt}.sqlite3")
        assert errors == []
        assert modes == ["wal"] * 6
