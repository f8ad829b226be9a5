"""What sharing state through Redis costs per message: the real Application, once with
in-memory state and once with ``REDIS_URL`` (a throwaway local redis-server), each update
going through the update processor the way the webhook hands it over.

The network to Telegram is in-process (``FakeBotAPI.in_process()``); Redis is on loopback,
so the difference is our round trips (load and save the chat's state), not a real
network's. The webhook's seen-update check is one more round trip (a SET NX), not in here.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from telegram import Update

from benchmarks.bench_e2e import traffic
from bot.config import load_settings
from bot.resources import default_resources_dir, load_resources
from bot.tg.app import build_application
from bot.tg.context import TgApplication
from bot.tg.replicas import Shared
from tests.fake_bot_api import TOKEN, FakeBotAPI
from tests.servers import redis_server

UPDATES = 2000


async def _latencies(application: TgApplication, payloads: list[dict[str, Any]]) -> list[float]:
    times = []
    async with application:
        processor = application.update_processor
        for payload in payloads:
            update = Update.de_json(payload, application.bot)
            started = time.perf_counter()
            await processor.process_update(update, application.process_update(update))
            times.append(time.perf_counter() - started)
    return times


async def _measure(redis_url: str | None) -> list[float]:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "RATE_LIMIT": "off"}
    if redis_url:
        env["REDIS_URL"] = redis_url
    settings = load_settings(env)
    shared = Shared.open(settings)
    resources = load_resources(default_resources_dir())
    api = FakeBotAPI()
    application = build_application(
        settings, resources, polling=False, shared=shared, request=api.in_process()
    )
    try:
        return await _latencies(application, list(traffic(UPDATES, users=300, seed=11)))
    finally:
        if shared is not None:
            await shared.close()


def _ms(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if q < 100 else 0.0


def run() -> list[tuple[str, str, str]]:
    """Median and p99 per update, in memory and with Redis; the difference."""
    try:
        with redis_server() as server:
            local = asyncio.run(_measure(None))
            shared = asyncio.run(_measure(server.url()))
    except BaseException as exc:  # pytest.skip without redis-server
        return [("shared state through Redis", "not measured", f"({type(exc).__name__})")]
    local_med, shared_med = statistics.median(local) * 1000, statistics.median(shared) * 1000
    return [
        (
            "update, in-memory state: median / p99 (ms)",
            f"{local_med:.2f} / {_ms(local, 99):.2f}",
            "",
        ),
        ("update, Redis state: median / p99 (ms)", f"{shared_med:.2f} / {_ms(shared, 99):.2f}", ""),
        (
            "added by Redis (load and save the chat's state), median",
            f"{shared_med - local_med:.2f} ms",
            "<= 2 ms",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(*row, sep="  ")
