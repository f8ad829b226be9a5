"""Alert broadcast throughput: the paced rate against ALERTS_PER_SECOND, and the headroom.

Sends through PTB's real Bot object to the fake Bot API in-process (no sockets), so the
numbers are the broadcaster's own: pacing, SQLite delivery log, retries.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from zoneinfo import ZoneInfo

from telegram import Bot

from bot.alerts import UTC, Alert, AlertRegion, AlertService, SqliteAlertStore
from bot.config import DEFAULT_ALERTS_PER_SECOND
from bot.storage import MEMORY, open_database
from bot.tg.alert_delivery import TelegramSender
from tests.fake_bot_api import TOKEN, FakeBotAPI

REGIONS = {
    "vancouver": AlertRegion("vancouver", "Vancouver", "Vancouver", ZoneInfo("America/Vancouver"))
}
DEFAULT_RATE = DEFAULT_ALERTS_PER_SECOND


async def _broadcast(subscribers: int, rate: float, chaos: float = 0.0) -> tuple[float, int]:
    """Seconds to send one alert to ``subscribers``, and how many were delivered."""
    api = FakeBotAPI()
    if chaos:
        api.chaos("sendMessage", chaos, seed=6)
    bot = Bot(TOKEN, request=api.in_process(), get_updates_request=api.in_process())
    await bot.initialize()
    store = SqliteAlertStore(open_database(MEMORY))
    for chat in range(1, subscribers + 1):
        store.subscribe(chat, "vancouver", "en")
    service = AlertService(store, REGIONS, TelegramSender(bot), rate=rate, base_delay=0.2)
    now = dt.datetime.now(UTC)
    service.publish(
        Alert(
            "bench", "vancouver", "Benzos found in green down.", "", now, now + dt.timedelta(days=1)
        )
    )
    started = time.perf_counter()
    await service.start()
    await service.idle.wait()
    elapsed = time.perf_counter() - started
    await service.stop()
    await bot.shutdown()
    delivered = len({c.params["chat_id"] for c in api.sent("sendMessage")})
    return elapsed, delivered


def _publish_ms(subscribers: int) -> float:
    store = SqliteAlertStore(open_database(MEMORY))
    for chat in range(1, subscribers + 1):
        store.subscribe(chat, "vancouver", "en")
    now = dt.datetime.now(UTC)
    started = time.perf_counter()
    store.publish(Alert("b", "vancouver", "x", "", now, now + dt.timedelta(days=1)))
    return (time.perf_counter() - started) * 1000


def run() -> list[tuple[str, str, str]]:
    """Rows of (metric, value, target)."""
    rows: list[tuple[str, str, str]] = []
    paced = 10 * DEFAULT_RATE
    seconds, delivered = asyncio.run(_broadcast(paced, DEFAULT_RATE))
    rows.append(
        (
            f"paced broadcast, {paced} chats (msg/s)",
            f"{delivered / seconds:.1f}",
            f"<= {DEFAULT_RATE} (ALERTS_PER_SECOND)",
        )
    )
    seconds, delivered = asyncio.run(_broadcast(5000, 100_000))
    rows.append(
        (
            "unpaced capacity, 5,000 chats (msg/s)",
            f"{delivered / seconds:.0f}",
            ">= 300 (10x Telegram's 30/s)",
        )
    )
    seconds, delivered = asyncio.run(_broadcast(1000, 500, chaos=0.02))
    rows.append(
        ("2% random faults, 1,000 chats: delivered", f"{delivered}", "1000 (retried, none lost)")
    )
    rows.append(
        ("queue one alert for 50,000 subscribers (ms)", f"{_publish_ms(50_000):.0f}", "<= 1000 ms")
    )
    return rows


if __name__ == "__main__":
    for row in run():
        print(*row, sep="  |  ")
