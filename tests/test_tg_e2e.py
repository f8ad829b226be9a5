"""The real ``hrbot run`` in webhook mode, as a subprocess, against the fake Bot API.

Updates are POSTed to the bot's webhook the way Telegram does (with the secret header); the
assertions are on what the bot sent to the fake API and on what it wrote to stderr.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from tests.fake_bot_api import TOKEN, Call, FakeBotAPI
from tests.tg_fixtures import GROUP_ID, callback, inline, message

REPO = Path(__file__).resolve().parent.parent
SECRET = "e2e_secret-token"
# Things users send that must never reach the logs.
PRIVATE_TEXT = "my friend is not breathing"
PRIVATE_COORDS = (49.2820, -123.1003)

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Bot:
    """The running bot process and how to reach it."""

    process: asyncio.subprocess.Process
    url: str
    api: FakeBotAPI
    stderr_path: Path

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        """POST ``update`` to the webhook; return the HTTP status."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{self.url}/telegram", json=update, headers=headers) as response,
        ):
            return response.status

    async def ask(self, update: dict[str, Any], method: str = "sendMessage") -> list[Call]:
        """Post ``update`` and wait for its first ``method`` call; return the calls since."""
        self.api.calls.clear()
        assert await self.post(update) == 200
        await self.api.wait_for(method)
        await asyncio.sleep(0.3)  # let the rest of the answer (venue, callback answer) arrive
        return list(self.api.calls)

    async def stop(self) -> int:
        """SIGTERM the bot and return its exit code."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), 20)
        assert self.process.returncode is not None
        return self.process.returncode

    def stderr(self) -> str:
        """What the bot logged so far."""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Bot]:
    """``python -m bot.cli run`` in webhook mode, talking to a fake Bot API."""
    api = FakeBotAPI()
    await api.start()
    port = _free_port()
    workdir = tmp_path_factory.mktemp("bot")  # no .env here
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.root,
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": "https://bot.example.org/telegram",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_PATH": "/telegram",
        "RESOURCES_DIR": str(REPO / "resources"),
        "ADMIN_CHAT_IDS": "-100777",
        "RATE_LIMIT": "off",
        "LOG_LEVEL": "DEBUG",  # even the most verbose level must not leak user content
    }
    stderr_path = workdir / "stderr.log"
    with stderr_path.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            cwd=workdir,
            env=env,
            stdout=stderr,
            stderr=stderr,
        )
    running = Bot(process, f"http://127.0.0.1:{port}", api, stderr_path)
    deadline = time.monotonic() + 30
    while True:
        if process.returncode is not None or time.monotonic() > deadline:
            await api.stop()
            pytest.fail(f"bot did not start:\n{running.stderr()}")
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"{running.url}/healthz") as response,
            ):
                if response.status == 200:
                    break
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    yield running
    await running.stop()
    await api.stop()


async def test_startup_sets_the_webhook_and_both_command_menus(bot: Bot) -> None:
    """At start the bot registers its webhook with the secret and the EN and FR command menus."""
    [webhook] = bot.api.sent("setWebhook")
    assert webhook.params["url"] == "https://bot.example.org/telegram"
    assert webhook.params["secret_token"] == SECRET
    languages = [c.params.get("language_code") for c in bot.api.sent("setMyCommands")]
    assert languages == [None, "fr"]


async def test_healthz_reports_ok(bot: Bot) -> None:
    """GET /healthz on the webhook server answers {"status": "ok"}."""
    async with aiohttp.ClientSession() as http, http.get(f"{bot.url}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"status": "ok"}


async def test_wrong_or_missing_secret_is_refused(bot: Bot) -> None:
    """A webhook POST without the right secret header gets 403 and no answer is sent."""
    bot.api.calls.clear()
    assert await bot.post(message("/start"), secret=None) == 403
    assert await bot.post(message("/start"), secret="guess") == 403
    await asyncio.sleep(0.3)
    assert bot.api.outgoing() == []


async def test_start_welcomes_with_the_keyboard(bot: Bot) -> None:
    """/start answers with the welcome, 911, and the big buttons including location sharing."""
    calls = await bot.ask(message("/start"))
    [welcome] = [c for c in calls if c.method == "sendMessage"]
    assert "911" in welcome.text
    keys = [b for row in welcome.markup["keyboard"] for b in row]
    assert any(b.get("request_location") for b in keys)


async def test_french_user_gets_french(bot: Bot) -> None:
    """A fr-CA user's /start is answered in French."""
    calls = await bot.ask(message("/start", language="fr-CA", chat_id=5550001))
    keys = [b["text"] for row in calls[0].markup["keyboard"] for b in row]
    assert "🚨 Surdose en cours" in keys


async def test_question_is_answered(bot: Bot) -> None:
    """A free-text question gets an HTML answer."""
    calls = await bot.ask(message("where can I get naloxone"))
    [answer, *_] = [c for c in calls if c.method == "sendMessage"]
    assert answer.params["parse_mode"] == "HTML"
    assert "aloxone" in answer.text


async def test_emergency_is_the_first_thing_sent(bot: Bot) -> None:
    """An overdose message is answered first, with a bold first line and 911."""
    calls = await bot.ask(message(PRIVATE_TEXT))
    assert calls[0].method == "sendMessage"
    assert calls[0].text.startswith("<b>")
    assert "911" in calls[0].text


async def test_a_fragment_after_the_emergency_keeps_its_thread(bot: Bot) -> None:
    """Through the real Application and session store: "still nothing" after the emergency
    answer gets the steps that matter now, urgently, not "I'm not sure I understood"."""
    chat = 5550077
    await bot.ask(message(PRIVATE_TEXT, chat_id=chat))
    calls = await bot.ask(message("still nothing", chat_id=chat))
    [answer, *_] = [c for c in calls if c.method == "sendMessage"]
    assert answer.text.startswith("<b>Call 911")
    assert "another dose" in answer.text
    assert "not sure I understood" not in answer.text


async def test_location_gets_nearest_services_and_a_venue(bot: Bot) -> None:
    """A shared location is answered with nearby services and a venue pin for the nearest."""
    calls = await bot.ask(message(location=PRIVATE_COORDS), method="sendVenue")
    methods = [c.method for c in calls]
    assert methods.index("sendMessage") < methods.index("sendVenue")
    venue = bot.api.sent("sendVenue")[0].params
    assert venue["title"]
    assert abs(venue["latitude"] - PRIVATE_COORDS[0]) < 0.5


async def test_inline_button_press_is_answered(bot: Bot) -> None:
    """Pressing a button the bot sent runs its action and answers the callback query."""
    calls = await bot.ask(message("where can I get naloxone"))
    actions = [
        b["callback_data"]
        for c in calls
        for row in c.markup.get("inline_keyboard", [])
        for b in row
        if "callback_data" in b
    ]
    assert actions, "the answer offered no buttons"
    calls = await bot.ask(callback(actions[0]), method="answerCallbackQuery")
    assert [c.method for c in calls].count("answerCallbackQuery") == 1
    assert any(c.method == "sendMessage" for c in calls)


async def test_forged_button_is_answered_politely(bot: Bot) -> None:
    """Callback data the bot never sent gets a callback answer and no crash."""
    calls = await bot.ask(callback("admin:drop"), method="answerCallbackQuery")
    assert calls[0].params.get("text")
    assert not any("911" in c.text and c.method == "sendMessage" for c in calls)


async def test_inline_query_offers_cards(bot: Bot) -> None:
    """@bot naloxone offers at least one article card."""
    calls = await bot.ask(inline("naloxone"), method="answerInlineQuery")
    results = calls[0].params["results"]
    assert results
    assert results[0]["type"] == "article"


async def test_group_chatter_is_ignored_but_mentions_answered(bot: Bot) -> None:
    """In a group the bot ignores chatter and answers a message that mentions it."""
    bot.api.calls.clear()
    assert await bot.post(message("where can I get naloxone", chat_id=GROUP_ID)) == 200
    await asyncio.sleep(0.5)
    assert bot.api.outgoing() == []
    calls = await bot.ask(message("@hr_test_bot where can I get naloxone", chat_id=GROUP_ID))
    assert calls[0].params["chat_id"] == GROUP_ID


async def test_forget_confirms(bot: Bot) -> None:
    """/forget answers with a confirmation."""
    calls = await bot.ask(message("/forget"))
    assert calls[0].text


async def test_flood_control_is_survived(bot: Bot) -> None:
    """When Telegram answers 429 the bot waits retry_after and delivers."""
    bot.api.fail("sendMessage", 429, retry_after=1)
    calls = await bot.ask(message("/privacy"))
    assert [c.status for c in calls if c.method == "sendMessage"][:2] == [429, 200]


async def test_server_errors_are_survived(bot: Bot) -> None:
    """When Telegram answers 500 twice the bot retries and delivers."""
    bot.api.fail("sendMessage", 500, times=2)
    calls = await bot.ask(message("/privacy"))
    assert [c.status for c in calls if c.method == "sendMessage"][:3] == [500, 500, 200]


async def test_polling_mode_answers_and_serves_healthz(tmp_path: Path) -> None:
    """In polling mode the bot answers updates from getUpdates and serves /healthz."""
    api = FakeBotAPI()
    await api.start()
    health_port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.root,
        "HEALTH_PORT": str(health_port),
        "WEBHOOK_LISTEN": "127.0.0.1",
        "RESOURCES_DIR": str(REPO / "resources"),
        "RATE_LIMIT": "off",
    }
    with (tmp_path / "stderr.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=log,
        )
    try:
        await api.wait_for("getUpdates", timeout=30)
        api.push_update(message("/start"))
        [welcome] = await api.wait_for("sendMessage")
        assert "911" in welcome.text
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{health_port}/healthz") as response,
        ):
            assert await response.json() == {"status": "ok"}
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 20)
        await api.stop()
    assert code == 0, (tmp_path / "stderr.log").read_text()


async def test_sigterm_stops_cleanly_and_logs_hold_no_user_content(bot: Bot) -> None:
    """SIGTERM exits 0, and stderr never contains message text, user ids, places or the token."""
    assert await bot.stop() == 0
    logged = bot.stderr()
    assert "bot running" in logged
    for secret in (
        PRIVATE_TEXT,
        "where can I get naloxone",
        "424242",
        "Sam",
        f"{PRIVATE_COORDS[0]}",
        TOKEN,
        TOKEN.split(":")[1],
        SECRET,
    ):
        assert secret not in logged, f"{secret!r} leaked into the logs"
