"""Polling stays single-consumer: a second polling ``hrbot run`` on the same Redis (or
PostgreSQL) refuses to start, with a message that points to webhook mode."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from tests.fake_bot_api import TOKEN, FakeBotAPI
from tests.servers import free_port, wait_healthy

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


async def _start(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", cwd=log.parent, env=env, stdout=out, stderr=out
        )


@pytest.mark.parametrize("lock", ["redis", "postgres"])
async def test_a_second_polling_replica_is_refused(
    lock: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The first poller runs; the second exits 2 saying why; the first is unharmed."""
    api = FakeBotAPI()
    await api.start()
    shared = (
        {"REDIS_URL": request.getfixturevalue("redis_url")}
        if lock == "redis"
        else {"DATABASE_URL": request.getfixturevalue("pg_url")}
    )
    base = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.root,
        "BOT_MODE": "polling",
        "RESOURCES_DIR": str(REPO / "resources"),
        "DATABASE_PATH": str(tmp_path / "hrbot.sqlite3"),
        "RATE_LIMIT": "off",
        **shared,
    }
    first_port = free_port()
    log = tmp_path / "first.log"
    first = await _start({**base, "HEALTH_PORT": str(first_port)}, log)
    try:
        await wait_healthy(f"http://127.0.0.1:{first_port}", first, log)
        second_log = tmp_path / "second.log"
        second = await _start({**base, "HEALTH_PORT": str(free_port())}, second_log)
        assert await asyncio.wait_for(second.wait(), 30) == 2
        assert "another replica is already polling" in second_log.read_text()
        assert first.returncode is None
    finally:
        if first.returncode is None:
            first.terminate()
            await asyncio.wait_for(first.wait(), 20)
        await api.stop()
    assert first.returncode == 0
