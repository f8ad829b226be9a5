"""The typed state every handler reaches through ``context.bot_data``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Protocol

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot import actions
from bot.alerts import AlertBoard, AlertDraft, AlertService
from bot.analyzer import Analyzer
from bot.config import Settings
from bot.knowledge import KnowledgeBase
from bot.locator import Locator
from bot.locator.geocoder import OnlineGeocoder
from bot.reply import Language, PlaceRef, Reply
from bot.session import Session, SessionStore
from bot.staff.reload import Reloader
from bot.staff.store import StaffRecords
from bot.tg.reportcap import ReportBudget


class Conversation(Protocol):
    """The dialogue as the handlers use it: ``bot.dialogue.Dialogue``, or a scripted one in
    adapter tests (structural, so neither subclasses the other)."""

    @property
    def kb(self) -> KnowledgeBase: ...  # interface texts, keyboard labels, commands
    @property
    def analyzer(self) -> Analyzer: ...  # its vocabulary scrubs unmatched questions
    @property
    def locator(self) -> Locator | None: ...
    @property
    def alerts(self) -> AlertBoard | None: ...

    def welcome(self, session: Session) -> Reply: ...
    def respond(self, text: str, session: Session, now: dt.datetime | None = None) -> Reply: ...
    def respond_location(
        self, lat: float, lon: float, session: Session, now: dt.datetime | None = None
    ) -> Reply: ...
    def respond_place(
        self, place: PlaceRef, session: Session, now: dt.datetime | None = None
    ) -> Reply: ...
    def respond_action(
        self, action: actions.Action | str, session: Session, now: dt.datetime | None = None
    ) -> Reply: ...
    def topic(self, intent_id: str, session: Session) -> Reply: ...
    def message(self, key: str, lang: Language, **values: str) -> Reply: ...
    def inline_answers(self, query: str, lang: Language, limit: int = 5) -> list[Reply]: ...


class Served(Protocol):
    """What a bot serves: ``bot.resources.Resources``, or a scripted dialogue in tests."""

    @property
    def root(self) -> Path | None: ...  # the directory /reload reads; None: nothing to reload
    @property
    def dialogue(self) -> Conversation: ...

    def with_alerts(self, alerts: AlertBoard | None) -> Served: ...


class BotData:
    """Long-lived services of one running bot: settings, the dialogue and the sessions.

    Sessions are in memory only and expire after ``SESSION_TTL_MINUTES`` idle.
    """

    def __init__(self, settings: Settings, resources: Served) -> None:
        self.settings = settings
        self.resources = resources  # swapped by a reload
        self.sessions = SessionStore(ttl=settings.session_ttl_minutes * 60)
        self.admin_notified: dict[str, float] = {}  # error kind -> when admins last heard
        # Opened in post_init (bot.tg.lifecycle.Services), closed in post_shutdown.
        self.geocoder: OnlineGeocoder | None = None  # when GEOCODER=nominatim
        self.staff: StaffRecords | None = None  # reports and counts
        self.reloader: Reloader | None = None  # created on first /reload or by the watcher
        self.alerts: AlertService | None = None  # subscriptions and delivery
        self.alert_drafts: dict[int, AlertDraft] = {}  # staff chat -> alert being written
        self.report_budget = ReportBudget()  # staff notices per chat; survives /forget

    @property
    def dialogue(self) -> Conversation:
        """The dialogue of the resource set being served now."""
        return self.resources.dialogue

    def swap(self, resources: Served) -> None:
        """Serve ``resources`` from the next update on; sessions are kept."""
        # The alert board outlives a reload.
        board = self.dialogue.alerts
        self.resources = resources.with_alerts(board) if board is not None else resources

    def use_alerts(self, board: AlertBoard) -> None:
        """Answer "any alerts?" from ``board`` from the next update on."""
        self.resources = self.resources.with_alerts(board)


Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]
# The Application type of this bot, for the modules that register handlers on it.
TgApplication = Application[Any, Context, dict[Any, Any], dict[Any, Any], BotData, Any]


def context_types(
    settings: Settings, resources: Served
) -> ContextTypes[Context, dict[Any, Any], dict[Any, Any], BotData]:
    """ContextTypes whose ``bot_data`` is a ``BotData`` bound to these services."""

    # PTB creates bot_data by calling the class with no arguments.
    class BoundBotData(BotData):
        def __init__(self) -> None:
            super().__init__(settings, resources)

    return ContextTypes(bot_data=BoundBotData)
