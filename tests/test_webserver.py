"""The webhook and health servers against hostile clients, in-process on loopback.

Through the real Application (``harness``): bad bytes and odd updates get quiet 4xx (or a
200 that ignores them), repeats are queued once, slow or idle connections are closed, and
the connection cap never keeps a real request out.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.tg import webserver
from bot.tg.ledger import MemoryLedger
from bot.tg.quietlog import RepeatFilter
from bot.tg.webserver import ServerLimits, webhook_app
from tests.tg_fixtures import Harness, message

SECRET = "s3cret"
LIMITS = ServerLimits(header_timeout=1.0, body_timeout=1.0, max_connections=16)


@pytest.fixture
async def server(harness: Harness) -> AsyncIterator[webserver.Served]:
    """The webhook app served on a free loopback port with short timeouts."""
    app = webhook_app(
        harness.application, "/telegram", SECRET, ledger=MemoryLedger(), limits=LIMITS
    )
    served = await webserver.serve(app, "127.0.0.1", 0, LIMITS)
    yield served
    await served.cleanup()


async def _raw(port: int, request: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes; return the status line the server answered (b"" if it closed)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    try:
        return await asyncio.wait_for(reader.readline(), timeout)
    finally:
        writer.close()


def _post(
    body: bytes, *, secret: bytes = SECRET.encode(), content_type: bytes = b"application/json"
) -> bytes:
    return (
        b"POST /telegram HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"X-Telegram-Bot-Api-Secret-Token: " + secret + b"\r\n"
        b"Content-Type: " + content_type + b"\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


def _status(line: bytes) -> int:
    return int(line.split()[1])


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [], [r.getMessage() for r in bad]


async def test_bad_bytes_and_odd_updates_get_quiet_answers(
    server: webserver.Served, harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Non-UTF-8 secret, bogus charset, absurd date, deep nesting: 4xx or 200, no traceback."""
    queue = harness.application.update_queue
    update = json.dumps(message("hello")).encode()
    port = server.port
    assert _status(await _raw(port, _post(update, secret=b"\xff\xfe"))) == 403
    # A charset nobody knows: Telegram always sends UTF-8, so it is read as UTF-8.
    bogus = _post(update, content_type=b"application/json; charset=x-bogus")
    assert _status(await _raw(port, bogus)) == 200
    assert queue.qsize() == 1
    absurd = message("hello")
    absurd["message"]["date"] = 1e20
    assert _status(await _raw(port, _post(json.dumps(absurd).encode()))) == 200
    assert queue.qsize() == 1  # acknowledged (or Telegram resends it forever), not queued
    nested = b'{"update_id": 9, "message": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert _status(await _raw(port, _post(nested))) == 400
    assert _status(await _raw(port, _post(b"\xff\xfe{}"))) == 400
    assert _status(await _raw(port, _post(b'{"update_id": true}'))) == 400
    huge_header = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n"
    assert _status(await _raw(port, huge_header)) == 400
    _no_tracebacks(caplog)


async def test_a_repeated_update_id_is_queued_once(
    server: webserver.Served, harness: Harness
) -> None:
    """Telegram re-delivers after a timeout; the second delivery is acknowledged, not queued."""
    body = json.dumps(message("hello")).encode()
    for _ in range(3):
        assert _status(await _raw(server.port, _post(body))) == 200
    assert harness.application.update_queue.qsize() == 1


@pytest.mark.slow  # waits for the server's real read timeouts: a timed check
async def test_slow_headers_idle_connections_and_slow_bodies_are_cut_off(
    server: webserver.Served,
) -> None:
    """A client that sends nothing, or its headers or body too slowly, is disconnected."""
    port = server.port
    started = time.monotonic()
    silent = await asyncio.open_connection("127.0.0.1", port)
    trickle = await asyncio.open_connection("127.0.0.1", port)
    trickle[1].write(b"POST /telegram HTTP/1.1\r\nHost: x\r\n")
    for _ in range(3):
        await asyncio.sleep(0.4)
        trickle[1].write(b"X-Slow: 1\r\n")
    for reader, _ in (silent, trickle):
        assert await asyncio.wait_for(reader.read(), 5) == b""  # closed by the server
    assert time.monotonic() - started < 4
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = _post(b"{}").rsplit(b"\r\n\r\n", 1)[0].replace(b"Length: 2", b"Length: 500")
    writer.write(head + b"\r\n\r\n{")
    assert _status(await asyncio.wait_for(reader.readline(), 5)) == 408
    writer.close()


async def test_the_connection_cap_closes_idle_connections_to_admit_real_requests(
    server: webserver.Served,
) -> None:
    """Past the cap, the oldest idle connections are closed; a real request still gets in."""
    idle = [await asyncio.open_connection("127.0.0.1", server.port) for _ in range(40)]
    await asyncio.sleep(0.1)
    assert server.guard.server is not None
    assert len(server.guard.server.connections) <= server.guard.limit + 1
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{server.port}/healthz") as response,
    ):
        assert response.status in (200, 503)
    assert server.guard.evicted >= 40 - server.guard.limit
    for _, writer in idle:
        writer.close()


def test_repeated_warnings_are_logged_once_per_interval() -> None:
    """1,000 identical refusals in a minute give one line; the next minute's says how many."""
    now = [0.0]
    quiet = RepeatFilter(interval=60, clock=lambda: now[0])
    record: dict[str, Any] = {
        "name": "bot.tg.webserver",
        "levelno": logging.WARNING,
        "pathname": __file__,
        "lineno": 1,
        "args": (),
        "exc_info": None,
        "msg": "refused a webhook request without the right secret",
    }
    passed = [quiet.filter(logging.makeLogRecord(record)) for _ in range(1000)]
    assert passed.count(True) == 1
    now[0] = 61.0
    later = logging.makeLogRecord(record)
    assert quiet.filter(later)
    assert "999 more" in later.getMessage()
