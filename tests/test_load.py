"""Load on the real entry point: 10,000 webhook updates from 1,000 users to ``hrbot run``.

The bot runs as a subprocess in webhook mode on loopback, talking to the fake Bot API in this
process. Each simulated user sends ten messages one after the other, waiting for each answer
as a person would; fifty users talk at once. Every update must be answered in its own chat;
latency (POST to reply recorded) is printed; memory and the logs are checked afterwards.
"""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

import pytest
import yaml
from telegram import Update

from bot.config import load_settings
from bot.resources import load_resources
from bot.tg.app import build_application
from tests.fake_bot_api import TOKEN, FakeBotAPI
from tests.helpers.bot_process import (
    FIRST_USER,
    NAME,
    REPO,
    SECRET,
    Bot,
    drive_users,
    percentile,
    rss_mb,
    update,
)

pytestmark = pytest.mark.slow


async def one_message_texts(limit: int = 40) -> list[str]:
    """Evaluation-set questions whose answer is exactly one sendMessage (so replies count 1:1)."""
    rows = yaml.safe_load((REPO / "tests" / "eval" / "dev.yaml").read_text(encoding="utf-8"))
    candidates = [str(r["text"]) for r in rows]
    api = FakeBotAPI()
    application = build_application(
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "RATE_LIMIT": "off"}),
        load_resources(),
        polling=False,
        request=api.in_process(),
    )

    kept = []
    async with application:
        for index, text in enumerate(candidates):
            api.calls.clear()
            payload = update(index + 1, FIRST_USER - 1 - index, text)
            await application.process_update(Update.de_json(payload, application.bot))
            if [c.method for c in api.outgoing()] == ["sendMessage"]:
                kept.append(text)
    return kept[:limit]


async def test_ten_thousand_updates_from_a_thousand_users_are_all_answered(
    running_bot: Bot, record_property: Any
) -> None:
    """10,000 updates at concurrency 50: every one answered, memory bounded, logs clean."""
    bot = running_bot
    texts = await one_message_texts()
    assert len(texts) >= 10
    assert bot.process is not None
    rss_before = rss_mb(bot.process.pid)
    result = await asyncio.wait_for(
        drive_users(bot, texts, users=1000, per_user=10, concurrency=50), 120
    )
    rss_after = rss_mb(bot.process.pid)
    p50, p99 = percentile(result.latencies, 0.5), percentile(result.latencies, 0.99)
    rate = len(result.latencies) / result.elapsed
    summary = (
        f"load: {len(result.latencies)} answered, {len(result.unanswered)} unanswered in "
        f"{result.elapsed:.1f} s ({rate:.0f} updates/s); latency p50 {p50 * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {max(result.latencies) * 1000:.0f} ms, mean "
        f"{statistics.mean(result.latencies) * 1000:.0f} ms; RSS {rss_before:.0f} -> "
        f"{rss_after:.0f} MB"
    )
    print(summary)
    for name, value in (
        ("p50_ms", p50 * 1000),
        ("p99_ms", p99 * 1000),
        ("updates_per_s", rate),
        ("rss_before_mb", rss_before),
        ("rss_after_mb", rss_after),
    ):
        record_property(name, round(value, 1))
    assert result.unanswered == []
    assert sorted(bot.replies[FIRST_USER + i] for i in range(1000)) == [10] * 1000
    assert rss_after < 400

    # A few locations and a failure, so the log check below covers them too.
    coords = (49.2712345, -123.0987654)
    assert await bot.ask(update(99_001, FIRST_USER, location=coords)) is not None
    bot.api.fail("sendMessage", 400)
    await bot.post(update(99_002, FIRST_USER + 1, "a question that fails to send"))
    await asyncio.sleep(0.5)
    assert await bot.stop() == 0
    logged = bot.stderr()
    assert "bot running" in logged
    leaks = [t for t in texts if t in logged]
    leaks += [str(FIRST_USER + i) for i in range(1000) if str(FIRST_USER + i) in logged]
    leaks += [
        s
        for s in (
            NAME,
            "49.27123",
            "123.09876",
            "a question that fails",
            TOKEN,
            TOKEN.split(":")[1],
            SECRET,
        )
        if s in logged
    ]
    assert leaks == [], f"leaked into the logs: {leaks[:5]}"
