"""The real ``hrbot run`` sending an alert file to 150 subscribers, stopped twice mid-broadcast
(SIGTERM, then SIGKILL) and started again: everyone gets it, duplicates only from the kill."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.alerts import SqliteAlertStore
from bot.storage import open_database
from tests.fake_bot_api import TOKEN, FakeBotAPI
from tests.helpers.bot_process import free_port as _free_port

REPO = Path(__file__).resolve().parent.parent
SUBSCRIBERS = range(5_550_001, 5_550_151)
WORKERS = 8  # the broadcaster's default: the most calls a kill can leave unrecorded

pytestmark = pytest.mark.slow


def _received(api: FakeBotAPI) -> Counter[int]:
    return Counter(
        int(c.params["chat_id"]) for c in api.sent("sendMessage") if "Drug alert" in c.text
    )


async def _start(env: dict[str, str], workdir: Path, log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            cwd=workdir,
            env=env,
            stdout=stderr,
            stderr=stderr,
        )


async def _until(
    api: FakeBotAPI, count: int, process: asyncio.subprocess.Process, log: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while sum(_received(api).values()) < count:
        if process.returncode is not None or time.monotonic() > deadline:
            pytest.fail(f"only {sum(_received(api).values())} alerts sent:\n{log.read_text()}")
        await asyncio.sleep(0.05)


async def test_hrbot_run_resumes_an_alert_after_sigterm_and_sigkill(tmp_path: Path) -> None:
    """Stopped at 40 and killed at 90 of 150, the bot ends with all 150 reached, none missing,
    at most one duplicate per call in flight at the kill, and no chat id in its log."""
    resources = tmp_path / "resources"
    shutil.copytree(REPO / "resources", resources)
    expires = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    (resources / "alerts" / "e2e.yaml").write_text(
        f"id: e2e-benzos\nregion: vancouver\nexpires: {expires}\n"
        "text:\n  en: Benzos found in green down.\n",
        encoding="utf-8",
    )
    database = tmp_path / "data" / "hrbot.sqlite3"
    store = SqliteAlertStore(open_database(database))
    for chat in SUBSCRIBERS:
        store.subscribe(chat, "vancouver", "en")
    api = FakeBotAPI()
    await api.start()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.root,
        "BOT_MODE": "polling",
        "HEALTH_PORT": str(_free_port()),
        "RESOURCES_DIR": str(resources),
        "DATABASE_PATH": str(database),
        "ALERTS_PER_SECOND": "30",
        "ALERT_LEASE_SECONDS": "3",
        "RATE_LIMIT": "off",
        "LOG_LEVEL": "DEBUG",
    }
    log = tmp_path / "stderr.log"
    bot = await _start(env, tmp_path, log)
    try:
        await _until(api, 40, bot, log)
        bot.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.wait(), 20) == 0
        after_term = _received(api)
        assert max(after_term.values()) == 1 and len(after_term) < len(SUBSCRIBERS)

        bot = await _start(env, tmp_path, log)
        await _until(api, 90, bot, log)
        bot.kill()
        await asyncio.wait_for(bot.wait(), 20)

        bot = await _start(env, tmp_path, log)
        await _until(api, len(SUBSCRIBERS), bot, log)
        await asyncio.sleep(1.0)  # room for any duplicate to show up
        bot.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.wait(), 20) == 0
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
        await api.stop()
    received = _received(api)
    assert set(received) == set(SUBSCRIBERS)
    assert sum(received.values()) - len(SUBSCRIBERS) <= WORKERS
    text = log.read_text()
    assert "alert file:e2e-benzos: " in text
    assert not any(str(chat) in text for chat in SUBSCRIBERS)
    assert "Traceback" not in text
