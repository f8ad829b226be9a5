"""The typed state every handler reaches through ``context.bot_data``."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.locator.geocoder import OnlineGeocoder
from bot.session import SessionStore


class BotData:
    """Long-lived services of one running bot: settings, the dialogue and the sessions.

    Sessions are in memory only and expire after ``SESSION_TTL_MINUTES`` idle.
    """

    def __init__(self, settings: Settings, dialogue: Dialogue) -> None:
        self.settings = settings
        self.dialogue = dialogue
        self.sessions = SessionStore(ttl=settings.session_ttl_minutes * 60)
        self.admin_notified: dict[str, float] = {}  # error kind -> when admins last heard
        self.geocoder: OnlineGeocoder | None = None  # opened in post_init when configured


Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]


def context_types(
    settings: Settings, dialogue: Dialogue
) -> ContextTypes[Context, dict[Any, Any], dict[Any, Any], BotData]:
    """ContextTypes whose ``bot_data`` is a ``BotData`` bound to these services."""

    # PTB creates bot_data by calling the class with no arguments.
    class BoundBotData(BotData):
        def __init__(self) -> None:
            super().__init__(settings, dialogue)

    return ContextTypes(bot_data=BoundBotData)
