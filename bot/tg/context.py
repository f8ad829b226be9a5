"""The typed state every handler reaches through ``context.bot_data``."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.alerts import AlertBoard, AlertDraft, AlertService
from bot.config import Settings
from bot.dialogue import Dialogue
from bot.locator.geocoder import OnlineGeocoder
from bot.resources import Resources
from bot.session import SessionStore
from bot.staff.reload import Reloader
from bot.staff.store import StaffRecords
from bot.tg.reportcap import ReportBudget


class BotData:
    """Long-lived services of one running bot: settings, the dialogue and the sessions.

    Sessions are in memory only and expire after ``SESSION_TTL_MINUTES`` idle.
    """

    def __init__(self, settings: Settings, resources: Resources | Dialogue) -> None:
        self.settings = settings
        # A Resources set can be swapped by a reload; a bare Dialogue (adapter tests) is fixed.
        self.resources = resources if isinstance(resources, Resources) else None
        self._dialogue = resources if isinstance(resources, Dialogue) else resources.dialogue
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
    def dialogue(self) -> Dialogue:
        """The dialogue of the resource set being served now."""
        return self.resources.dialogue if self.resources is not None else self._dialogue

    def swap(self, resources: Resources) -> None:
        """Serve ``resources`` from the next update on; sessions are kept."""
        # The alert board outlives a reload.
        board = self.dialogue.alerts
        self.resources = resources.with_alerts(board) if board is not None else resources

    def use_alerts(self, board: AlertBoard) -> None:
        """Answer "any alerts?" from ``board`` from the next update on."""
        if self.resources is not None:
            self.resources = self.resources.with_alerts(board)
        else:
            self._dialogue = self._dialogue.with_alerts(board)


Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]
# The Application type of this bot, for the modules that register handlers on it.
TgApplication = Application[Any, Context, dict[Any, Any], dict[Any, Any], BotData, Any]


def context_types(
    settings: Settings, dialogue: Resources | Dialogue
) -> ContextTypes[Context, dict[Any, Any], dict[Any, Any], BotData]:
    """ContextTypes whose ``bot_data`` is a ``BotData`` bound to these services."""

    # PTB creates bot_data by calling the class with no arguments.
    class BoundBotData(BotData):
        def __init__(self) -> None:
            super().__init__(settings, dialogue)

    return ContextTypes(bot_data=BoundBotData)
