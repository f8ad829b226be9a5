"""Shared pieces for the Telegram tests: update payloads as Telegram sends them, a scripted
Dialogue, and fixtures that run the real Application against the fake Bot API."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from bot import actions
from bot.alerts import AlertBoard, AlertRegion
from bot.analyzer import Analyzer
from bot.config import Settings, load_settings
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.reply import Button, Language, PlaceRef, Reply, ServiceHit
from bot.resources import build_analyzer, default_resources_dir
from bot.session import Session
from bot.storage import MEMORY
from bot.tg.context import TgApplication
from tests.fake_bot_api import BOT_USER, TOKEN, FakeBotAPI

# The staff chat and the alert regions the alert tests share.
STAFF_CHAT = -100999
ALERT_REGIONS = {
    "vancouver": AlertRegion("vancouver", "Vancouver", "Vancouver", ZoneInfo("America/Vancouver")),
    "toronto": AlertRegion("toronto", "Toronto", "Toronto", ZoneInfo("America/Toronto")),
    "montreal": AlertRegion("montreal", "Montreal", "Montréal", ZoneInfo("America/Toronto")),
}

USER_ID = 424242
GROUP_ID = -1001234567
_update_ids = itertools.count(1)


def user(language: str = "en", user_id: int = USER_ID) -> dict[str, Any]:
    """A Telegram user object."""
    return {"id": user_id, "is_bot": False, "first_name": "Sam", "language_code": language}


def message(
    text: str | None = None,
    *,
    chat_id: int = USER_ID,
    language: str = "en",
    edited: bool = False,
    reply_to_bot: bool = False,
    location: tuple[float, float] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An update carrying one message (text, command or location) as Telegram posts it."""
    chat: dict[str, Any] = (
        {"id": chat_id, "type": "private", "first_name": "Sam"}
        if chat_id > 0
        else {"id": chat_id, "type": "supergroup", "title": "Outreach team"}
    )
    msg: dict[str, Any] = {
        "message_id": next(_update_ids) + 500,
        "date": int(dt.datetime.now().timestamp()),
        "chat": chat,
        "from": user(language),
        **extra,
    }
    if text is not None:
        msg["text"] = text
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        handle = f"@{BOT_USER['username']}"
        if handle in text and not text.startswith("/"):
            entities.append(
                {"type": "mention", "offset": text.index(handle), "length": len(handle)}
            )
        if entities:
            msg["entities"] = entities
    if location is not None:
        msg["location"] = {"latitude": location[0], "longitude": location[1]}
    if reply_to_bot:
        msg["reply_to_message"] = {
            "message_id": 1,
            "date": msg["date"],
            "chat": chat,
            "from": BOT_USER,
            "text": "…",
        }
    return {"update_id": next(_update_ids), "edited_message" if edited else "message": msg}


def callback(data: str, *, chat_id: int = USER_ID, language: str = "en") -> dict[str, Any]:
    """An update for a press of an inline button under one of the bot's messages."""
    chat = {"id": chat_id, "type": "private", "first_name": "Sam"}
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cq{next(_update_ids)}",
            "from": user(language),
            "chat_instance": "ci1",
            "data": data,
            "message": {"message_id": 7, "date": 1, "chat": chat, "from": BOT_USER, "text": "…"},
        },
    }


def inline(query: str, *, language: str = "en") -> dict[str, Any]:
    """An update for an inline query (@bot query typed in any chat)."""
    return {
        "update_id": next(_update_ids),
        "inline_query": {
            "id": f"iq{next(_update_ids)}",
            "from": user(language),
            "query": query,
            "offset": "",
        },
    }


SECRET_WORDS = "my friend Alex on Hastings"  # text that must never reach a log line


@functools.cache
def _bundled_texts() -> KnowledgeBase:
    kb, problems = load_knowledge(default_resources_dir())
    assert kb is not None, problems
    return kb


@functools.cache
def _bundled_analyzer() -> Analyzer:
    return build_analyzer(_bundled_texts(), None)


class ScriptedDialogue:
    """A predictable dialogue for adapter tests: each method answers a fixed shape.

    It satisfies ``bot.tg.context.Served`` and ``Conversation`` (no subclassing): it is
    its own resource set, with no directory to reload."""

    root: Path | None = None
    locator = None  # no directory: no alert regions

    def __init__(self) -> None:
        self.actions: list[str] = []
        self.kb = _bundled_texts()  # keyboard labels, command menu: the real ui.yaml
        self.analyzer = _bundled_analyzer()  # scrubs unmatched questions like the real one
        self.alerts: AlertBoard | None = None

    @property
    def dialogue(self) -> ScriptedDialogue:
        """Itself: a scripted set is only its dialogue."""
        return self

    def with_alerts(self, alerts: AlertBoard | None) -> ScriptedDialogue:
        """A copy answering with ``alerts`` (the pressed actions are shared)."""
        other = copy.copy(self)
        other.alerts = alerts
        return other

    def welcome(self, session: Session) -> Reply:
        """A greeting that names the language it was given."""
        return Reply(
            f"Welcome ({session.language}). Not an emergency service: call 911.",
            session.language,
            "greeting",
        )

    def respond(self, text: str, session: Session, now: dt.datetime | None = None) -> Reply:
        """Emergency for 'not breathing', a long answer for 'long', an echo otherwise."""
        lang = session.language
        if "boom" in text:
            raise RuntimeError(f"failed on {text}")
        if "not breathing" in text:
            return Reply(
                "Call 911 now.\nGive naloxone <1 dose>.", lang, "emergency", emergency=True
            )
        if "long" in text:
            return Reply("\n".join(f"line {i} " + "x" * 90 for i in range(100)), lang, "long")
        if "near" in text:
            return Reply("Share your location.", lang, "find_services", request_location=True)
        return Reply(
            f"You said: {text} & more",
            lang,
            "echo",
            buttons=(
                Button("How to use it", "intent:naloxone_use"),
                Button("Broken", "x" * 80),
            ),
        )

    def respond_location(
        self, lat: float, lon: float, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """Two services near the point, the first one open."""
        hits = (
            ServiceHit(
                "s1",
                "Overdose Prevention Site",
                "consumption_site",
                120.0,
                True,
                lat + 0.001,
                lon,
                "62 E Hastings St",
                "+1 604-555-0100",
            ),
            ServiceHit("s2", "Pharmacy", "naloxone", 800.0, None, lat, lon + 0.01, ""),
        )
        session.lat, session.lon = lat, lon
        return Reply(
            "Nearest: Overdose Prevention Site, 120 m. Call +1 604-555-0100",
            session.language,
            "services",
            services=hits,
            place=PlaceRef("your location", lat, lon, "location"),
            buttons=(Button("More", "more"),),
        )

    def respond_place(
        self, place: PlaceRef, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """The place's name: a scripted set has no directory to search."""
        return Reply(f"Near {place.name}", session.language, "services", place=place)

    def respond_action(
        self, action: actions.Action | str, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """Switch language for lang:*, open the topic for intent:*, politely refuse others."""
        if not isinstance(action, str):
            action = actions.format(action)
        self.actions.append(action)
        if action.startswith("lang:"):
            session.language = "fr" if action.endswith("fr") else "en"
            session.language_locked = True
            return Reply(f"lang {session.language}", session.language, "lang")
        if action.startswith("intent:"):
            return self.topic(action.split(":", 1)[1], session)
        return self.message("stale_button", session.language)

    def topic(self, intent_id: str, session: Session) -> Reply:
        """The topic's name; find_services asks for the location."""
        return Reply(
            f"Topic {intent_id}",
            session.language,
            intent_id,
            emergency=intent_id == "emergency",
            request_location=intent_id == "find_services",
        )

    def message(self, key: str, lang: Language, **values: str) -> Reply:
        """The key and language, with the error text a real resource set would hold."""
        if key == "error":
            return Reply("Something went wrong. If someone is overdosing, call 911.", lang, key)
        return Reply(f"[{key}:{lang}]", lang, key)

    def inline_answers(self, query: str, lang: Language, limit: int = 5) -> list[Reply]:
        """One card for 'naloxone', none otherwise."""
        if "naloxone" not in query:
            return []
        return [Reply("Naloxone\nReverses an opioid overdose for a while.", lang, "naloxone_about")]


def settings_for(root: str, **overrides: str) -> Settings:
    """Settings pointing at the fake API with rate limiting off and in-memory databases."""
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": root,
        "RATE_LIMIT": "off",
        "DATABASE_PATH": MEMORY,
        **overrides,
    }
    return load_settings(env)


class Harness:
    """The real Application wired to the fake API; ``send`` processes one update."""

    def __init__(self, api: FakeBotAPI, application: TgApplication, sleeps: list[float]) -> None:
        self.api = api
        self.application = application
        self.sleeps = sleeps

    async def send(self, payload: dict[str, Any]) -> None:
        """Process one update as if Telegram had delivered it."""
        self.api.calls.clear()
        await self.application.process_update(Update.de_json(payload, self.application.bot))
