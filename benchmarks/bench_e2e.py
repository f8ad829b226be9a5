"""End to end: updates per second through the real Application, and time to a first answer.

The network is swapped in-process (``FakeBotAPI.in_process()`` answers every Bot API call
with canned JSON, no sockets), so what is measured is PTB plus our handlers, dialogue and
rendering. Beside it (the two take the same texts in alternating blocks), the same PTB
with one handler that only echoes: the ratio is what our work costs on top of PTB's own.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults, MessageHandler, filters

from bot.config import Settings, load_settings
from bot.reply import Reply
from bot.resources import Resources, default_resources_dir, load_resources
from bot.session import Session
from bot.text import fold
from bot.tg.app import build_application
from bot.tg.context import TgApplication
from bot.tg.render import escape
from tests.fake_bot_api import TOKEN, FakeBotAPI

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO / "tests" / "eval"
UPDATES = 3000
# Telegram lets a bot send about 30 messages a second; one process should handle 30x that.
TARGET_PER_S = 900
COORDS = ((49.2820, -123.1003), (49.2634, -123.1386), (45.5017, -73.5673), (0.0, 0.0))


def eval_messages() -> list[str]:
    """The evaluation-set messages: realistic text, English and French."""
    rows: list[dict[str, Any]] = []
    for name in ("heldout", "dev"):
        rows += yaml.safe_load((EVAL / f"{name}.yaml").read_text(encoding="utf-8"))
    return [str(r["text"]) for r in rows]


def settings() -> Settings:
    """Settings for an in-process bot: rate limiting off, the network never used."""
    return load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "RATE_LIMIT": "off"})


def full_application(resources: Resources, api: FakeBotAPI) -> TgApplication:
    """The real Application: every handler, the real dialogue, the fake network."""
    return build_application(settings(), resources, polling=False, request=api.in_process())


def echo_application(api: FakeBotAPI) -> Any:
    """Plain PTB with one handler that echoes text back, on the same fake network."""
    request = api.in_process()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send the text back, escaped."""
        if update.effective_chat is not None and update.effective_message is not None:
            text = update.effective_message.text or "…"
            await context.bot.send_message(update.effective_chat.id, escape(text))

    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(request)
        .get_updates_request(request)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .updater(None)
        .build()
    )
    application.add_handler(MessageHandler(filters.ALL, echo))
    return application


class ReplayedDialogue:
    """The real dialogue, except that ``respond`` hands back the replies it gave before, in
    order: the Application around it then costs only its Telegram side (parsing, handlers,
    rendering, sending). Everything else is the real dialogue's."""

    def __init__(self, dialogue: Any, replies: list[Reply]) -> None:
        self._dialogue = dialogue
        self._replies = replies
        self._next = 0

    def respond(self, text: str, session: Session, now: object = None) -> Reply:
        """The next recorded reply (the texts come in the order they were recorded)."""
        reply = self._replies[self._next % len(self._replies)]
        self._next += 1
        return reply

    def __getattr__(self, name: str) -> Any:
        return getattr(self._dialogue, name)


@dataclass(frozen=True)
class ReplayedResources:
    """``Resources`` serving a ``ReplayedDialogue``."""

    dialogue: ReplayedDialogue
    root: Path | None = None

    def with_alerts(self, alerts: object) -> ReplayedResources:
        """No alert board in the benchmark."""
        return self


def recorded_replies(resources: Resources, payloads: list[dict[str, Any]]) -> list[Reply]:
    """The dialogue's replies to the text payloads, in order, each chat with its session."""
    sessions: dict[int, Session] = {}
    return [
        resources.dialogue.respond(
            p["message"]["text"], sessions.setdefault(p["message"]["chat"]["id"], Session())
        )
        for p in payloads
    ]


def dialogue_alone_ms(resources: Resources, payloads: list[dict[str, Any]]) -> float:
    """Mean CPU time of the dialogue's turn on the same texts, outside any Application."""
    started = time.process_time()
    recorded_replies(resources, payloads)
    return (time.process_time() - started) / len(payloads) * 1000


def user_payload(user_id: int, language: str = "en") -> dict[str, Any]:
    """A Telegram user object."""
    return {"id": user_id, "is_bot": False, "first_name": "User", "language_code": language}


def text_update(update_id: int, user_id: int, text: str, language: str = "en") -> dict[str, Any]:
    """A private-chat text message as Telegram posts it (commands get their entity)."""
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": "User"},
        "from": user_payload(user_id, language),
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


def location_update(update_id: int, user_id: int, lat: float, lon: float) -> dict[str, Any]:
    """A private-chat shared location."""
    update = text_update(update_id, user_id, "")
    del update["message"]["text"]
    update["message"]["location"] = {"latitude": lat, "longitude": lon}
    return update


def callback_update(update_id: int, user_id: int, data: str) -> dict[str, Any]:
    """A press of an inline button under one of the bot's messages."""
    chat = {"id": user_id, "type": "private", "first_name": "User"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cq{update_id}",
            "from": user_payload(user_id),
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": 1,
                "date": 1,
                "chat": chat,
                "text": "…",
                "from": {"id": 1, "is_bot": True, "first_name": "Bot"},
            },
        },
    }


def traffic(
    count: int, users: int, seed: int = 7, first_user: int = 10_000_000
) -> Iterator[dict[str, Any]]:
    """A realistic mix: mostly questions, some commands, locations and button presses."""
    rng = random.Random(seed)
    texts = eval_messages()
    buttons = ("intent:naloxone_get", "find:naloxone", "more", "lang:fr", "intent:emergency")
    ids = itertools.count(1)
    for index in range(count):
        update_id = next(ids)
        user_id = first_user + index % users
        roll = rng.random()
        if roll < 0.80:
            yield text_update(update_id, user_id, texts[index % len(texts)])
        elif roll < 0.88:
            yield text_update(update_id, user_id, rng.choice(("/start", "/help", "/naloxone")))
        elif roll < 0.94:
            yield location_update(update_id, user_id, *rng.choice(COORDS))
        else:
            yield callback_update(update_id, user_id, rng.choice(buttons))


async def drive(application: Any, payloads: list[dict[str, Any]], api: FakeBotAPI) -> float:
    """Process every payload in turn; return updates per second (parsing included)."""
    async with application:
        started = time.perf_counter()
        for payload in payloads:
            await application.process_update(Update.de_json(payload, application.bot))
            if len(api.calls) > 10_000:
                api.calls.clear()
        elapsed = time.perf_counter() - started
    return len(payloads) / elapsed


@dataclass(frozen=True, slots=True)
class SideBySide:
    """Updates per second of two applications fed alternately, by wall clock and by this
    process's CPU time (the in-process network never waits, so on an idle machine the
    two agree; on shared cores CPU time leaves out other processes' turns)."""

    first_wall: float
    second_wall: float
    first_cpu: float
    second_cpu: float


async def drive_side_by_side(
    first: tuple[Any, FakeBotAPI],
    second: tuple[Any, FakeBotAPI],
    payloads: list[dict[str, Any]],
    block: int = 100,
) -> SideBySide:
    """Both applications process the same payloads, alternating every ``block`` updates.
    Other processes' load (two shared cores) then falls on both alike, which back-to-back
    runs did not promise."""
    wall = [0.0, 0.0]
    cpu = [0.0, 0.0]
    apps = (first, second)
    async with first[0], second[0]:
        for start in range(0, len(payloads), block):
            for which, (application, api) in enumerate(apps):
                began, began_cpu = time.perf_counter(), time.process_time()
                for payload in payloads[start : start + block]:
                    await application.process_update(Update.de_json(payload, application.bot))
                wall[which] += time.perf_counter() - began
                cpu[which] += time.process_time() - began_cpu
                api.calls.clear()
    n = len(payloads)
    return SideBySide(n / wall[0], n / wall[1], n / cpu[0], n / cpu[1])


def _median_s(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def startup_subprocess_s(cache: str, repeat: int = 3) -> float:
    """Wall clock of ``hrbot ask`` answering one line, from process start to exit, with
    HRBOT_CACHE_DIR=``cache`` (``off``: every run loads the resources; a directory: one
    unmeasured run fills it, the measured runs read it)."""

    def ask() -> None:
        subprocess.run(
            [sys.executable, "-m", "bot", "ask"],
            input="where can I get naloxone\n",
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            timeout=60,
            env={**os.environ, "HRBOT_CACHE_DIR": cache},
        )

    if cache != "off":
        ask()
    return _median_s(ask, repeat)


def startup_in_process_s(repeat: int = 3) -> float:
    """load_resources plus the first respond, imports already done."""

    def first_answer() -> None:
        load_resources(default_resources_dir()).dialogue.respond("naloxone", Session())

    return _median_s(first_answer, repeat)


def detector_ms(resources: Resources, texts: list[str], repeat: int = 3) -> float:
    """Mean time of the emergency detector on one text message, called as the dialogue
    calls it: on the corrected words, and again on the words as typed when they differ."""
    judge = resources.emergency.judge
    prepared = [(tuple(fold(t).split()), resources.analyzer.analyse(t).words) for t in texts]
    started = time.perf_counter()
    for _ in range(repeat):
        for typed, corrected in prepared:
            if not judge(corrected).emergency and typed != corrected:
                judge(typed)
    return (time.perf_counter() - started) / (repeat * len(prepared)) * 1000


@dataclass(frozen=True, slots=True)
class Throughput:
    """The end-to-end figures of one run."""

    mixed: float  # updates/s, mixed traffic
    texts: SideBySide  # the full bot beside the echo bot
    replayed: SideBySide  # the full bot with replayed replies beside the echo bot
    dialogue_ms: float  # the dialogue alone, per text


async def _throughput(resources: Resources) -> Throughput:
    payloads = list(traffic(UPDATES, users=500))
    texts_only = [
        p
        for p in payloads
        if "text" in p.get("message", {}) and not p["message"]["text"].startswith("/")
    ]
    full_api = FakeBotAPI()
    full = await drive(full_application(resources, full_api), payloads, full_api)
    # Same text messages only, so the ratio compares like with like; side by side.
    text_api, echo_api = FakeBotAPI(), FakeBotAPI()
    texts = await drive_side_by_side(
        (full_application(resources, text_api), text_api),
        (echo_application(echo_api), echo_api),
        texts_only,
    )
    # Where the time goes: the Telegram side alone, and the dialogue alone.
    dialogue_ms = dialogue_alone_ms(resources, texts_only)
    replayed_resources = ReplayedResources(
        ReplayedDialogue(resources.dialogue, recorded_replies(resources, texts_only))
    )
    replay_api, echo_api = FakeBotAPI(), FakeBotAPI()
    replayed = await drive_side_by_side(
        (full_application(replayed_resources, replay_api), replay_api),  # type: ignore[arg-type]
        (echo_application(echo_api), echo_api),
        texts_only,
    )
    return Throughput(full, texts, replayed, dialogue_ms)


def run() -> list[tuple[str, str, str]]:
    """Rows of (metric, value, target)."""
    resources = load_resources(default_resources_dir())
    measured = asyncio.run(_throughput(resources))
    full, texts, replayed = measured.mixed, measured.texts, measured.replayed
    full_text, echo = texts.first_wall, texts.second_wall
    detector = detector_ms(resources, eval_messages())
    with tempfile.TemporaryDirectory() as cache_dir:
        warm_start = startup_subprocess_s(cache_dir)
    return [
        (
            f"updates/s, real Application, mixed traffic ({UPDATES} updates)",
            f"{full:.0f}",
            f">= {TARGET_PER_S} (30x Telegram's 30 msg/s)",
        ),
        (
            "updates/s, real Application, text messages only",
            f"{full_text:.0f}",
            f">= {TARGET_PER_S}",
        ),
        ("updates/s, PTB with one echo handler, same texts", f"{echo:.0f}", ""),
        ("echo / real time per update (our cost on top of PTB)", f"{echo / full_text:.1f}x", ""),
        ("real / echo throughput, text messages", f"{full_text / echo:.0%}", ">= 35%"),
        (
            "real / echo throughput, text messages, by CPU time (same run)",
            f"{texts.first_cpu / texts.second_cpu:.0%}",
            "",
        ),
        (
            "  where it goes (CPU ms per text): whole bot / echo bot",
            f"{1000 / texts.first_cpu:.3f} / {1000 / texts.second_cpu:.3f}",
            "",
        ),
        (
            "  Telegram side alone (replies replayed) / dialogue alone",
            f"{1000 / replayed.first_cpu:.3f} / {measured.dialogue_ms:.3f}",
            "(together they cost more: each evicts the other's caches)",
        ),
        (
            "emergency detector, share of a text update",
            f"{detector / (1000 / full_text):.1%}",
            "<= 10%",
        ),
        (
            "start-up to first answer: hrbot ask, one line (wall), warm cache",
            f"{warm_start * 1000:.0f} ms",
            "<= 400 ms",
        ),
        (
            "start-up to first answer: hrbot ask, one line (wall), no cache",
            f"{startup_subprocess_s('off') * 1000:.0f} ms",
            "",
        ),
        (
            "start-up in-process: load_resources + first respond",
            f"{startup_in_process_s() * 1000:.0f} ms",
            "",
        ),
    ]
