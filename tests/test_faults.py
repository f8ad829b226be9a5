"""Faults on the real entry point: a misbehaving Bot API, restarts, forged webhook calls.

``hrbot run`` runs as a subprocess in webhook mode on loopback (see tests/test_load.py).
"""

from __future__ import annotations

import asyncio
import inspect
import re
import signal

import pytest

from bot.tg import webserver
from tests.helpers.bot_process import FIRST_USER, SECRET, Bot, drive_users, update

pytestmark = pytest.mark.slow
TEXTS = ("where can I get naloxone", "what are the signs of an overdose", "/privacy", "/help")


async def test_a_mix_of_api_faults_never_crashes_and_every_reply_is_accounted_for(
    running_bot: Bot,
) -> None:
    """With 429s, 5xx, slow answers and dropped connections, each reply arrives or is logged."""
    bot = running_bot
    bot.api.chaos("sendMessage", 0.25, seed=11)
    users = 150
    first = FIRST_USER + 50_000
    posted = await asyncio.gather(
        *(bot.post(update(500 + i, first + i, TEXTS[i % len(TEXTS)])) for i in range(users))
    )
    assert posted == [200] * users
    # The retry budget: 4 attempts, backing off 0.5, 1 and 2 s (429: retry_after 1 s).
    given_up: list[int] = []
    for _ in range(100):
        await asyncio.sleep(0.2)
        logged = bot.stderr()
        given_up = [
            i
            for i in range(users)
            if bot.replies[first + i] == 0
            and re.search(rf"while handling update {500 + i}\b", logged)
        ]
        if all(bot.replies[first + i] or i in given_up for i in range(users)):
            break
    lost = [i for i in range(users) if bot.replies[first + i] == 0 and i not in given_up]
    faults = [c for c in bot.api.attempts("sendMessage") if c.status != 200]
    print(
        f"faults: {len(faults)} faulty answers; {users - len(given_up) - len(lost)} delivered,"
        f" {len(given_up)} given up and logged, {len(lost)} lost"
    )
    assert faults, "the chaos produced no faults"
    assert lost == []
    assert len(given_up) <= users // 20
    assert bot.process is not None and bot.process.returncode is None

    # Down for two seconds, then back: everything sent meanwhile is delivered.
    bot.api.chaos("sendMessage", 0.0)
    bot.api.outage(2.0)
    second = first + 1000
    posted = await asyncio.gather(
        *(bot.post(update(900 + i, second + i, "/privacy")) for i in range(20))
    )
    assert posted == [200] * 20
    for _ in range(60):
        if all(bot.replies[second + i] for i in range(20)):
            break
        await asyncio.sleep(0.2)
    assert [bot.replies[second + i] for i in range(20)] == [1] * 20
    assert await bot.stop() == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
async def test_restart_in_the_middle_of_a_load_run_comes_back_and_serves(
    running_bot: Bot, sig: int
) -> None:
    """Killed mid-load (SIGTERM, or SIGKILL), the bot starts again on its port and answers."""
    bot = running_bot
    load = asyncio.create_task(
        drive_users(
            bot, TEXTS, users=200, per_user=5, concurrency=20, first_update=10_000, timeout=5
        )
    )
    while sum(bot.replies.values()) < 150:
        await asyncio.sleep(0.05)
    code = await bot.stop(sig)
    assert code == (0 if sig == signal.SIGTERM else -signal.SIGKILL)
    result = await asyncio.wait_for(load, 60)
    print(
        f"restart ({signal.Signals(sig).name}): {len(result.latencies)} answered before the "
        f"stop, {len(result.unanswered)} not accepted or not answered"
    )
    await bot.start()
    again = await drive_users(
        bot,
        TEXTS,
        users=10,
        per_user=2,
        concurrency=10,
        first_user=FIRST_USER + 90_000,
        first_update=20_000,
    )
    assert again.unanswered == []
    assert await bot.stop() == 0


async def test_sigterm_answers_every_update_it_accepted(running_bot: Bot) -> None:
    """On SIGTERM, every update the webhook acknowledged with 200 is still answered."""
    bot = running_bot
    bot.api.slow("sendMessage", 0.5, times=40)  # keep work in flight when the signal lands
    first = FIRST_USER + 70_000
    posts = [
        asyncio.create_task(bot.post(update(30_000 + i, first + i, "/privacy"))) for i in range(40)
    ]
    await asyncio.sleep(0.3)
    assert bot.process is not None
    bot.process.send_signal(signal.SIGTERM)
    statuses = await asyncio.gather(*posts)
    assert await asyncio.wait_for(bot.process.wait(), 30) == 0
    accepted = [i for i, status in enumerate(statuses) if status == 200]
    print(f"sigterm: {len(accepted)} of 40 accepted before the stop, all of them answered")
    assert accepted, "nothing was accepted before the signal"
    assert [i for i in accepted if bot.replies[first + i] == 0] == []


def test_webhook_secret_is_compared_in_constant_time() -> None:
    """The webhook compares the secret header with hmac.compare_digest, never with ==."""
    source = inspect.getsource(webserver.webhook_app)
    assert "hmac.compare_digest(" in source
    assert not re.search(r"(given|SECRET_HEADER.*)\s*[!=]=", source)


async def test_requests_without_the_right_secret_get_403(running_bot: Bot) -> None:
    """Missing, wrong, prefix-only or longer secrets get 403 and no answer is sent."""
    bot = running_bot
    for secret in (None, "", "wrong", SECRET[:-1], SECRET + "x", SECRET.upper()):
        assert await bot.post(update(40_000, FIRST_USER, "/start"), secret=secret) == 403
    await asyncio.sleep(0.3)
    assert bot.replies[FIRST_USER] == 0
    assert await bot.post(update(40_001, FIRST_USER, "/start")) == 200
