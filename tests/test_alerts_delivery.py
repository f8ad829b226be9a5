"""Alert broadcasts through the real PTB bot against the fake Bot API: volume, restarts,
flood control, server errors, blocked chats, expiry and unsubscribes mid-broadcast.

The broadcaster runs on a ``SkippingClock``: its pacing and per-chat waits cost no real
time, and the fake API stamps each call with the same clock, so spacing is still checked."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram.request import BaseRequest

from bot.alerts import UTC, Alert, AlertService, SqliteAlertStore
from bot.storage import MEMORY, open_database
from bot.tg.alert_delivery import ProgressReporter, TelegramSender
from bot.tg.app import build_application
from bot.tg.retry import RetryingLimiter
from tests.fake_bot_api import Call, FakeBotAPI
from tests.helpers.clock import SkippingClock
from tests.tg_fixtures import ALERT_REGIONS as REGIONS
from tests.tg_fixtures import STAFF_CHAT as STAFF
from tests.tg_fixtures import ScriptedDialogue, settings_for


class Bot:
    """The Application's bot, the retry waits its RetryingLimiter asked for, and the clock
    the broadcasts are paced on (the fake API stamps each call with it)."""

    def __init__(self, application: Any, sleeps: list[float], clock: SkippingClock) -> None:
        self.application = application
        self.sleeps = sleeps
        self.clock = clock


@contextlib.asynccontextmanager
async def _bot(api: FakeBotAPI, request: BaseRequest | None) -> AsyncIterator[Bot]:
    clock = SkippingClock()
    api.clock = clock.monotonic
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    application = build_application(
        settings_for(api.root, ADMIN_CHAT_IDS=str(STAFF)),
        ScriptedDialogue(),
        retrying=RetryingLimiter(sleep=record),
        request=request,
    )
    async with application:
        yield Bot(application, sleeps, clock)


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    """An initialized Application talking to the fake API over loopback HTTP; retry waits
    are recorded, not slept, and pacing waits move a shared clock on instead of taking time."""
    async with _bot(api, None) as made:
        yield made


@pytest.fixture
async def volume_bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    """The same bot with the fake API answering in-process (no sockets), for the broadcasts
    of thousands: loopback HTTP would make them the slowest tests of the fast suite."""
    async with _bot(api, api.in_process()) as made:
        yield made


def service_for(bot: Bot, store: SqliteAlertStore, rate: float = 2000, **kw: Any) -> AlertService:
    """An alert service on ``store`` sending through the test bot, with short test delays."""
    tg = bot.application.bot
    return AlertService(
        store,
        REGIONS,
        TelegramSender(tg),
        rate=rate,
        reporter=ProgressReporter(tg, REGIONS),
        report_every=0.05,
        base_delay=0.05,
        idle_poll=0.05,
        clock=bot.clock.now,
        monotonic=bot.clock.monotonic,
        sleep=bot.clock.sleep,
        **kw,
    )


def new_alert(
    alert_id: str,
    region: str = "vancouver",
    *,
    seconds: float = 86400,
    report: int | None = None,
    now: dt.datetime | None = None,
) -> Alert:
    """An alert issued ``now``, in both languages, reporting to the staff chat if ``report``."""
    now = now or dt.datetime.now(UTC)
    return Alert(
        alert_id,
        region,
        f"Benzos in green down ({alert_id}).",
        f"Benzos dans la down verte ({alert_id}).",
        now,
        now + dt.timedelta(seconds=seconds),
        report_chat=STAFF if report else None,
        report_message=report,
    )


def alerts_sent(api: FakeBotAPI, alert_id: str = "") -> Counter[int]:
    """How many times each chat received an alert (with ``alert_id`` in its text)."""
    return Counter(
        int(c.params["chat_id"])
        for c in api.sent("sendMessage")
        if c.text.startswith(("<b>⚠️ Drug alert", "<b>⚠️ Alerte drogues")) and alert_id in c.text
    )


async def run_until_idle(service: AlertService, timeout: float = 60) -> None:
    """Start the service (if needed) and wait until nothing is left to send."""
    await asyncio.wait_for(service.idle.wait(), timeout)


async def test_2000_subscribers_across_regions_each_get_their_alert_once(
    api: FakeBotAPI, volume_bot: Bot
) -> None:
    """Every subscriber of a region gets its alert exactly once, in their language; nobody else."""
    store = SqliteAlertStore(open_database(MEMORY))
    expected: dict[str, set[int]] = {r: set() for r in REGIONS}
    for chat in range(1, 2001):
        region = list(REGIONS)[chat % 3]
        store.subscribe(chat, region, "fr" if chat % 4 == 0 else "en")
        expected[region].add(chat)
        if chat % 10 == 0:  # some follow two regions
            store.subscribe(chat, "vancouver", "fr" if chat % 4 == 0 else "en")
            expected["vancouver"].add(chat)
    service = service_for(volume_bot, store)
    service.publish(new_alert("van", "vancouver", report=42))
    service.publish(new_alert("tor", "toronto"))
    service.publish(new_alert("mtl", "montreal"))
    await service.start()
    await run_until_idle(service)
    await service.stop()
    for alert_id, region in (("van", "vancouver"), ("tor", "toronto"), ("mtl", "montreal")):
        got = alerts_sent(api, f"({alert_id})")
        assert set(got) == expected[region]
        assert set(got.values()) == {1}
    french = [c for c in api.sent("sendMessage") if int(c.params["chat_id"]) == 4]
    assert french[0].text.startswith("<b>⚠️ Alerte drogues")
    edits = [c for c in api.sent("editMessageText") if c.params["message_id"] == 42]
    assert edits[-1].text.startswith(
        f"Alert for Vancouver sent: {len(expected['vancouver']):,} delivered, 0 failed"
    )
    assert store.unfinished() == []


async def test_a_restart_mid_broadcast_resumes_without_duplicates_or_gaps(
    api: FakeBotAPI, volume_bot: Bot, tmp_path: Path
) -> None:
    """Stopping after 700 of 2,000 and starting again delivers the other 1,300, none twice."""
    path = tmp_path / "hrbot.sqlite3"
    store = SqliteAlertStore(open_database(path))
    for chat in range(1, 2001):
        store.subscribe(chat, "vancouver", "en")
    first = service_for(volume_bot, store)
    reached = asyncio.Event()
    api.on_call = lambda call: reached.set() if len(alerts_sent(api)) >= 700 else None
    first.publish(new_alert("a1"))
    await first.start()
    await asyncio.wait_for(reached.wait(), 30)
    await first.stop()
    api.on_call = None
    before = sum(alerts_sent(api).values())
    assert 700 <= before < 2000

    second = service_for(volume_bot, SqliteAlertStore(open_database(path)))  # a new process's view
    await second.start()
    await run_until_idle(second)
    await second.stop()
    got = alerts_sent(api)
    assert set(got) == set(range(1, 2001))
    assert max(got.values()) == 1


async def test_a_crash_mid_call_sends_again_rather_than_lose(
    api: FakeBotAPI, volume_bot: Bot, tmp_path: Path
) -> None:
    """Killed with calls in flight, the bot resends those few (at least once), loses none."""
    path = tmp_path / "hrbot.sqlite3"
    store = SqliteAlertStore(open_database(path))
    for chat in range(1, 301):
        store.subscribe(chat, "vancouver", "en")
    first = service_for(volume_bot, store, workers=8, lease=2.0)
    first.publish(new_alert("a1"))
    api.on_call = lambda call: (
        api.slow("sendMessage", 0.3, times=8) if (len(alerts_sent(api)) == 100) else None
    )
    await first.start()
    while len(alerts_sent(api)) < 100:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)  # calls are in flight, answered after 0.3 s
    await first.stop(grace=0)  # no time to record them: a crash
    api.on_call = None
    second = service_for(volume_bot, SqliteAlertStore(open_database(path)), lease=2.0)
    await second.start()
    await run_until_idle(second)
    await second.stop()
    got = alerts_sent(api)
    assert set(got) == set(range(1, 301))
    assert sum(got.values()) - 300 <= 8  # duplicates only for the calls in flight


async def test_flood_control_pauses_every_worker_for_retry_after(api: FakeBotAPI, bot: Bot) -> None:
    """A 429 that outlasts the per-call retries pauses the whole broadcast for retry_after."""
    store = SqliteAlertStore(open_database(MEMORY))
    for chat in range(1, 201):
        store.subscribe(chat, "vancouver", "en")
    api.fail("sendMessage", 429, times=4, retry_after=1)
    service = service_for(bot, store, workers=1)  # one call meets all four 429s
    service.publish(new_alert("a1"))
    await service.start()
    await run_until_idle(service)
    await service.stop()
    got = alerts_sent(api)
    assert set(got) == set(range(1, 201)) and max(got.values()) == 1
    assert bot.sleeps.count(1.0) == 3  # the per-call retries waited what Telegram asked
    last_429 = max(c.at for c in api.attempts("sendMessage") if c.status == 429)
    during = [c for c in api.sent("sendMessage") if last_429 + 0.1 < c.at < last_429 + 0.9]
    assert during == []


async def test_server_errors_are_retried_and_a_lasting_failure_is_counted(
    api: FakeBotAPI, bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    """5xx answers back off and succeed; one that never clears ends as 'failed', logged at INFO
    without the chat id."""
    store = SqliteAlertStore(open_database(MEMORY))
    for chat in range(1, 51):
        store.subscribe(chat, "vancouver", "en")
    api.fail("sendMessage", 500, times=6)
    service = service_for(bot, store)
    service.publish(new_alert("a1"))
    await service.start()
    await run_until_idle(service)
    assert set(alerts_sent(api)) == set(range(1, 51))

    store.subscribe(777001, "toronto", "en")
    api.fail("sendMessage", 502, times=1000)
    caplog.set_level(logging.INFO, logger="bot.alerts")
    service.publish(new_alert("a2", "toronto", report=43))
    await run_until_idle(service)
    await service.stop()
    assert len(api.attempts("sendMessage")) - 56 == 3 * 4  # 3 rounds of 4 tries, then stop
    final = [c for c in api.sent("editMessageText") if c.params["message_id"] == 43][-1]
    assert "0 delivered, 1 failed" in final.text
    assert "one delivery failed after 3 attempts (NetworkError)" in caplog.text
    assert "777001" not in caplog.text
    api.reset()


async def test_a_chat_that_blocked_the_bot_is_unsubscribed_and_counted(
    api: FakeBotAPI, bot: Bot
) -> None:
    """A 403 (or 'chat not found') counts as blocked and removes that chat's subscriptions."""
    store = SqliteAlertStore(open_database(MEMORY))
    for chat in range(1, 41):
        store.subscribe(chat, "vancouver", "en")
        store.subscribe(chat, "toronto", "en")
    api.fail("sendMessage", 403)
    api.fail("sendMessage", 400, description="Bad Request: chat not found")
    service = service_for(bot, store)
    service.publish(new_alert("a1", report=44))
    await service.start()
    await run_until_idle(service)
    await service.stop()
    refused = {int(c.params["chat_id"]) for c in api.attempts("sendMessage") if c.status != 200}
    assert len(refused) == 2
    for chat in refused:
        assert store.subscriptions(chat) == frozenset()
    final = [c for c in api.sent("editMessageText") if c.params["message_id"] == 44][-1]
    assert "38 delivered, 0 failed, 2 blocked" in final.text


async def test_an_alert_that_expires_mid_broadcast_stops_going_out(
    api: FakeBotAPI, bot: Bot
) -> None:
    """Nothing is sent after the expiry; the rest is counted as skipped, not failed."""
    store = SqliteAlertStore(open_database(MEMORY))
    for chat in range(1, 31):
        store.subscribe(chat, "vancouver", "en")
    service = service_for(bot, store, rate=20)
    started = bot.clock.monotonic()
    service.publish(new_alert("a1", seconds=0.5, report=45, now=bot.clock.now()))
    await service.start()
    await run_until_idle(service)
    await service.stop()
    sent = [c for c in api.sent("sendMessage") if "Drug alert" in c.text]
    assert 3 <= len(sent) < 30
    assert all(c.at < started + 0.7 for c in sent)
    final = [c for c in api.sent("editMessageText") if c.params["message_id"] == 45][-1]
    assert (
        f"{len(sent)} delivered, 0 failed, 0 blocked the bot (unsubscribed), "
        f"{30 - len(sent)} unsubscribed or expired" in final.text
    )
    assert store.current("vancouver", bot.clock.now()) == []


async def test_unsubscribing_during_a_broadcast_stops_the_alert_for_that_chat(
    api: FakeBotAPI, volume_bot: Bot
) -> None:
    """Chats that unsubscribe (or /forget) while an alert goes out do not get it."""
    store = SqliteAlertStore(open_database(MEMORY))
    for chat in range(1, 201):
        store.subscribe(chat, "vancouver", "en")

    def leave(call: Call) -> None:
        if len(alerts_sent(api)) == 50:
            for chat in range(150, 200):
                store.unsubscribe(chat, "vancouver")
            store.forget(200)

    api.on_call = leave
    service = service_for(volume_bot, store, rate=200)
    service.publish(new_alert("a1"))
    await service.start()
    await run_until_idle(service)
    await service.stop()
    api.on_call = None
    assert set(alerts_sent(api)) == set(range(1, 150))


async def test_one_chat_never_gets_two_alerts_within_a_second(api: FakeBotAPI, bot: Bot) -> None:
    """Two alerts in a row to the same few chats are spaced by Telegram's per-chat second."""
    store = SqliteAlertStore(open_database(MEMORY))
    for chat in (1, 2, 3):
        store.subscribe(chat, "vancouver", "en")
    service = service_for(bot, store)
    service.publish(new_alert("a1"))
    service.publish(new_alert("a2"))
    await service.start()
    await run_until_idle(service)
    await service.stop()
    for chat in (1, 2, 3):
        times = [c.at for c in api.sent("sendMessage") if int(c.params["chat_id"]) == chat]
        assert len(times) == 2 and times[1] - times[0] >= 0.95
