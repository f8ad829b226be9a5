"""Abuse of the real ``hrbot run`` (webhook mode, loopback): floods, slow clients, bad bytes.

The bot runs with outgoing pacing ON (Telegram's ~30 messages a second) against the fake
Bot API answering every call after 30 ms, as the real one roughly does. Each test states
the bound it holds; the measured numbers are printed for the README.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.fake_bot_api import FakeBotAPI
from tests.helpers.bot_process import Bot, bot_env, finish, free_port, update

pytestmark = pytest.mark.slow

EMERGENCY = "my friend is not breathing"
FLOODER = 7_320_000_001
SLOW_DOWN = "faster than I can answer"
# Generous for a loaded 2-core machine; the target is 2 s, the bot's usual ~0.1 s.
EMERGENCY_BOUND_S = 2.0


async def _start(tmp_path: Path, open_files: int | None = None, **extra: str) -> Bot:
    api = FakeBotAPI(latency=0.03)
    await api.start()
    port = free_port()
    env = bot_env(
        api.root, port, DATABASE_PATH=str(tmp_path / "hrbot.sqlite3"), RATE_LIMIT="on", **extra
    )
    bot = Bot(api, port, tmp_path, env, open_files=open_files)
    api.on_call = bot.count
    await bot.start()
    return bot


@pytest.fixture
async def paced_bot(tmp_path: Path) -> AsyncIterator[Bot]:
    """``hrbot run`` with pacing on and a 30 ms Bot API."""
    bot = await _start(tmp_path)
    yield bot
    await finish(bot)


def _sockets(bot: Bot) -> int:
    """How many sockets the bot process holds open."""
    assert bot.process is not None
    fd_dir = Path(f"/proc/{bot.process.pid}/fd")
    count = 0
    for fd in fd_dir.iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd).startswith("socket:")
    return count


def _texts_to(bot: Bot, chat: int) -> list[str]:
    return [c.text for c in bot.api.sent("sendMessage") if c.params.get("chat_id") == chat]


async def test_an_emergency_is_answered_within_two_seconds_of_a_flood(
    paced_bot: Bot, record_property: Any
) -> None:
    """300 messages from one chat, then an emergency from another: answered within 2 s;
    the flooder is told once to slow down and the rest of its flood is dropped."""
    bot = paced_bot
    statuses = await asyncio.gather(
        *(bot.post(update(10_000 + i, FLOODER, "where can i get naloxone")) for i in range(300))
    )
    assert statuses == [200] * 300
    waited = await bot.ask(update(20_000, FLOODER + 1, EMERGENCY), timeout=30)
    assert waited is not None, "the emergency was never answered"
    print(f"flood: emergency answered {waited * 1000:.0f} ms after a 300-message flood")
    record_property("emergency_after_flood_ms", round(waited * 1000))
    assert waited < EMERGENCY_BOUND_S
    [answer, *_] = _texts_to(bot, FLOODER + 1)
    assert answer.startswith("<b>") and "911" in answer

    await asyncio.sleep(2.0)  # what was let through is answered
    to_flooder = _texts_to(bot, FLOODER)
    assert sum(SLOW_DOWN in t for t in to_flooder) == 1
    assert len(to_flooder) <= 3 * 20 + 1  # the first 20 answered, the other 280 dropped
    # Once it has slowed down (a minute later, in real time), the chat is answered again;
    # an emergency from the flooder is never dropped, even now.
    late = await bot.ask(update(20_001, FLOODER, EMERGENCY), timeout=30)
    assert late is not None and late < EMERGENCY_BOUND_S


async def test_an_emergency_jumps_a_burst_from_three_hundred_chats(
    paced_bot: Bot, record_property: Any
) -> None:
    """300 people at once fill ten seconds of Telegram's rate; an emergency goes first."""
    bot = paced_bot
    first = 7_330_000_000
    statuses = await asyncio.gather(
        *(bot.post(update(30_000 + i, first + i, "where can i get naloxone")) for i in range(300))
    )
    assert statuses == [200] * 300
    waited = await bot.ask(update(40_000, first + 300, EMERGENCY), timeout=30)
    assert waited is not None
    print(f"burst: emergency answered {waited * 1000:.0f} ms after 300 chats wrote at once")
    record_property("emergency_after_burst_ms", round(waited * 1000))
    assert waited < EMERGENCY_BOUND_S
    # Everyone else is still answered, at Telegram's pace.
    deadline = time.monotonic() + 60
    while sum(bot.replies[first + i] > 0 for i in range(300)) < 300:
        assert time.monotonic() < deadline, "not every chat of the burst was answered"
        await asyncio.sleep(0.2)


async def test_a_repeated_delivery_is_answered_once(paced_bot: Bot) -> None:
    """Telegram re-delivers an update after a timeout: the same update_id gets one answer."""
    bot = paced_bot
    payload = update(50_000, 7_340_000_000, "where can i get naloxone")
    assert await bot.ask(payload) is not None
    for _ in range(3):
        assert await bot.post(payload) == 200
    await asyncio.sleep(1.0)
    assert bot.replies[7_340_000_000] == 1


async def test_bad_bytes_get_a_quiet_4xx_and_one_log_line(paced_bot: Bot) -> None:
    """1,000 requests with a non-UTF-8 secret header: all 403, and the log gets one line."""
    bot = paced_bot
    before = bot.stderr()
    port = bot.port
    request = (
        b"POST /telegram HTTP/1.1\r\nHost: x\r\n"
        b"X-Telegram-Bot-Api-Secret-Token: \xff\xfe\r\nContent-Length: 2\r\n\r\n{}"
    )

    async def one() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request)
        status = await reader.readline()
        writer.close()
        return status

    gate = asyncio.Semaphore(50)

    async def gated() -> bytes:
        async with gate:
            return await one()

    statuses = await asyncio.gather(*(gated() for _ in range(1000)))
    assert {s.split()[1] for s in statuses} == {b"403"}
    logged = bot.stderr()[len(before) :]
    assert "Traceback" not in logged and "ERROR" not in logged
    assert logged.count("without the right secret") <= 2


async def test_an_emergency_is_answered_after_1100_slow_connections(
    tmp_path: Path, record_property: Any
) -> None:
    """With 1,024 open files, 1,100 slowloris connections neither stop an emergency answer
    nor fill the log; each slow connection is closed within the header timeout."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2500:
        pytest.skip("this test needs 2,500 open files for its own client side")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2500), hard))
    bot = await _start(tmp_path, open_files=1024, HTTP_HEADER_TIMEOUT="4")
    attackers: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    try:
        gate = asyncio.Semaphore(200)

        async def connect() -> None:
            async with gate:
                with contextlib.suppress(OSError):
                    reader, writer = await asyncio.open_connection("127.0.0.1", bot.port)
                    writer.write(b"POST /telegram HTTP/1.1\r\nHost: x\r\n")
                    attackers.append((reader, writer))

        baseline = _sockets(bot)
        opened = time.monotonic()
        await asyncio.gather(*(connect() for _ in range(1100)))
        for _, writer in attackers:  # one more header line each: a slowloris keeps talking
            with contextlib.suppress(OSError):
                writer.write(b"X-Slow: 1\r\n")
        # The bot closed idle keep-alive connections to make room, the client's pooled one
        # too; like Telegram, the client opens a fresh one.
        assert bot.http is not None
        await bot.http.close()
        bot.http = aiohttp.ClientSession()
        waited = await bot.ask(update(60_000, 7_350_000_000, EMERGENCY), timeout=30)
        assert waited is not None, "the emergency was not answered"
        print(
            f"slowloris: {len(attackers)} slow connections, emergency answered in "
            f"{waited * 1000:.0f} ms"
        )
        record_property("emergency_after_slow_connections_ms", round(waited * 1000))
        assert waited < 5.0
        assert bot.process is not None
        fds = len(os.listdir(f"/proc/{bot.process.pid}/fd"))
        assert fds < 1024
        assert len(attackers) == 1100

        # The bot closes what it accepted once the header timeout passes (connections
        # the kernel never handed over cost it nothing).
        deadline = time.monotonic() + 4 + 6
        while (after := _sockets(bot)) > baseline + 10 and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        print(
            f"slowloris: the bot had {fds} files open at the peak, {after} sockets "
            f"(baseline {baseline}) {time.monotonic() - opened:.1f} s after the attack began"
        )
        assert after <= baseline + 10
        logged = bot.stderr()
        assert "Too many open files" not in logged and "Traceback" not in logged
        assert len(logged) < 100_000
    finally:
        for _, writer in attackers:
            writer.close()
        await finish(bot)
