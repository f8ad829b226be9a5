"""Start the real ``hrbot run`` as a subprocess in webhook mode on loopback, talking to
the fake Bot API in the test process; drive simulated users at it. Shared by the load,
fault and abuse tests."""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import socket
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.fake_bot_api import TOKEN, Call, FakeBotAPI

REPO = Path(__file__).resolve().parent.parent.parent
SECRET = "load_secret-token"
FIRST_USER = 7_310_000_000  # ten digits: easy to spot in a log, never a timestamp
NAME = "Quillon"  # a first name that must never be logged


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_mb(pid: int) -> float:
    """VmRSS of process ``pid`` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def update(
    update_id: int,
    user_id: int,
    text: str | None = None,
    location: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """A private-chat message update as Telegram posts it."""
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": NAME},
        "from": {"id": user_id, "is_bot": False, "first_name": NAME, "language_code": "en"},
    }
    if text is not None:
        message["text"] = text
    if location is not None:
        message["location"] = {"latitude": location[0], "longitude": location[1]}
    return {"update_id": update_id, "message": message}


@dataclass
class Bot:
    """A running ``hrbot run`` subprocess in webhook mode and the fake API it talks to."""

    api: FakeBotAPI
    port: int
    workdir: Path
    env: dict[str, str]
    process: asyncio.subprocess.Process | None = None
    http: aiohttp.ClientSession | None = None
    replies: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    open_files: int | None = None  # RLIMIT_NOFILE (soft and hard) for the bot process
    _events: dict[int, asyncio.Event] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The webhook address."""
        return f"http://127.0.0.1:{self.port}/telegram"

    @property
    def stderr_path(self) -> Path:
        """Where the bot's log goes."""
        return self.workdir / "stderr.log"

    def stderr(self) -> str:
        """What the bot logged so far, over all its runs."""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def count(self, call: Call) -> None:
        """Count a delivered sendMessage for its chat and wake whoever waits for it."""
        if call.method == "sendMessage" and call.status == 200:
            chat = int(call.params.get("chat_id") or 0)
            self.replies[chat] += 1
            event = self._events.get(chat)
            if event is not None:
                event.set()

    async def start(self) -> None:
        """Start the process and wait until /healthz answers (30 s at most)."""
        limit = self.open_files

        def limit_files() -> None:
            if limit is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

        with self.stderr_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                "run",
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=log,
                preexec_fn=limit_files,
            )
        if self.http is None:
            self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
        deadline = time.monotonic() + 30
        while True:
            if self.process.returncode is not None or time.monotonic() > deadline:
                pytest.fail(f"bot did not start:\n{self.stderr()[-3000:]}")
            try:
                async with self.http.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)

    async def stop(self, sig: int = signal.SIGTERM) -> int:
        """Send ``sig`` and wait (20 s at most) for the exit code."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await asyncio.wait_for(self.process.wait(), 20)

    async def post(self, payload: dict[str, Any], secret: str | None = SECRET) -> int:
        """POST one update to the webhook; return the HTTP status (0: no connection)."""
        assert self.http is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        try:
            async with self.http.post(self.url, json=payload, headers=headers) as response:
                return response.status
        except aiohttp.ClientError:
            return 0

    async def ask(self, payload: dict[str, Any], timeout: float = 30.0) -> float | None:
        """POST ``payload`` and wait for the next reply in its chat; seconds to it, or None."""
        chat = int(payload["message"]["chat"]["id"])
        event = self._events.setdefault(chat, asyncio.Event())
        event.clear()
        before = self.replies[chat]
        started = time.monotonic()
        if await self.post(payload) != 200:
            return None
        try:
            while self.replies[chat] <= before:
                await asyncio.wait_for(event.wait(), timeout - (time.monotonic() - started))
                event.clear()
        except TimeoutError:
            return None
        return time.monotonic() - started


def bot_env(api_root: str, port: int, **extra: str) -> dict[str, str]:
    """The environment of a webhook-mode bot on loopback, rate limiting off."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api_root,
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": "https://bot.example.org/telegram",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "RESOURCES_DIR": str(REPO / "resources"),
        "RATE_LIMIT": "off",
        "LOG_LEVEL": "DEBUG",
        # Without a cache the sentence model would spend seconds of CPU loading in each bot
        # (tests/test_semantic.py runs one with it).
        "HRBOT_SEMANTIC": "off",
        **extra,
    }


async def finish(bot: Bot) -> None:
    """Stop the bot (SIGKILL if SIGTERM is not enough), its HTTP client and its fake API."""
    assert bot.process is not None
    if bot.process.returncode is None:
        try:
            await bot.stop()
        except TimeoutError:
            await bot.stop(signal.SIGKILL)
    if bot.http is not None:
        await bot.http.close()
    await bot.api.stop()


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class LoadResult:
    """What a load run saw: latency per answered update, and the updates left unanswered."""

    latencies: list[float] = field(default_factory=list)
    unanswered: list[int] = field(default_factory=list)
    elapsed: float = 0.0


async def drive_users(
    bot: Bot,
    texts: Sequence[str],
    users: int,
    per_user: int,
    concurrency: int,
    first_user: int = FIRST_USER,
    first_update: int = 1,
    timeout: float = 30.0,
) -> LoadResult:
    """``users`` people, ``concurrency`` at a time, each sending ``per_user`` messages in turn."""
    result = LoadResult()
    gate = asyncio.Semaphore(concurrency)

    async def person(index: int) -> None:
        async with gate:
            user_id = first_user + index
            for k in range(per_user):
                update_id = first_update + index * per_user + k
                text = texts[(index + k) % len(texts)]
                latency = await bot.ask(update(update_id, user_id, text), timeout)
                if latency is None:
                    result.unanswered.append(update_id)
                else:
                    result.latencies.append(latency)

    started = time.monotonic()
    await asyncio.gather(*(person(i) for i in range(users)))
    result.elapsed = time.monotonic() - started
    return result
