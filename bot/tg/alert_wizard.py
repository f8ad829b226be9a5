"""The staff alert wizard: /alert, a region, an expiry, the text per language, a preview, send.

Staff (people in ADMIN_USER_IDS, in a chat in ADMIN_CHAT_IDS) move it with ``alertadm:*``
buttons and typed texts. ``WIZARD`` declares the steps the way PTB's ConversationHandler
declares ``states``: in each step, which input moves the draft on; each move returns the
next step (None: the draft is done). /cancel and the cancel button work in any step.

Why not ConversationHandler itself: it keeps each chat's state in this process's memory,
and PTB persistence reads conversations only at start-up, so with several replicas
(REDIS_URL) a staff member's next press may reach a replica that never saw the last one.
The state is the draft's ``step`` instead: ``bot.tg.replicas`` loads the staff chat's draft
from Redis before each of its updates and saves it after, so every replica sees one draft.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import actions
from bot.alerts import UTC, Alert, AlertDraft, AlertService, DraftStep, format_alert
from bot.config import Settings
from bot.reply import Language
from bot.tg import render
from bot.tg.alert_menu import chat_language, is_ours, text
from bot.tg.context import BotData, Context, TgApplication
from bot.tg.handlers import answer_quietly

logger = logging.getLogger(__name__)

EXPIRY_HOURS = (24, 72, 168, 336)
MAX_ALERT_TEXT = 1500


@dataclass(frozen=True, slots=True)
class Typed:
    """A text the staff member sent: a reply, a plain message or ``/text ...``."""

    words: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """/skip: leave the language being asked for empty."""


@dataclass(slots=True)
class Turn:
    """One staff update moving one draft."""

    context: Context
    chat_id: int
    draft: AlertDraft
    service: AlertService

    async def say(
        self,
        key: str,
        markup: InlineKeyboardMarkup | ForceReply | None = None,
        **values: Any,
    ) -> Message:
        """Send the wizard text ``key`` in the draft's language."""
        return await _say(
            self.context,
            self.chat_id,
            text(self.context, key, self.draft.language, **values),
            markup,
        )

    async def ask_text(self, key: str) -> None:
        """Ask for an alert text. With group privacy mode on, Telegram delivers a group
        message to the bot only if it replies to the bot or is a command: ForceReply opens
        that reply by itself."""
        prompt = ForceReply(
            input_field_placeholder=text(self.context, "alert_placeholder", self.draft.language)
        )
        await self.say(key, prompt)


# The moves; each takes the input its WIZARD entry names and returns the next step. ------


async def choose_region(turn: Turn, pick: actions.DraftRegion) -> DraftStep | None:
    """Keep the region; ask until when the alert holds."""
    region = turn.service.regions.get(pick.region)
    if region is None:  # a forged or outdated button
        await turn.say("alert_expired_draft")
        return "region"
    lang = turn.draft.language
    turn.draft.region = region.id
    row = [
        InlineKeyboardButton(
            _hours_label(turn.context, h, lang),
            callback_data=actions.format(actions.DraftExpiry(h)),
        )
        for h in EXPIRY_HOURS
    ]
    await turn.say("alert_pick_expiry", InlineKeyboardMarkup([row]), region=region.name(lang))
    return "expiry"


async def choose_expiry(turn: Turn, pick: actions.DraftExpiry) -> DraftStep | None:
    """Keep the expiry (at most the longest offered); ask for the English text."""
    turn.draft.hours = min(pick.hours, max(EXPIRY_HOURS))
    await turn.ask_text("alert_type_en")
    return "en"


def _words(given: Typed | Skipped) -> str:
    return given.words if isinstance(given, Typed) else ""


async def take_english(turn: Turn, given: Typed | Skipped) -> DraftStep | None:
    """Keep the English text (or none); ask for the French one."""
    turn.draft.en = _words(given)
    await turn.ask_text("alert_type_fr")
    return "fr"


async def take_french(turn: Turn, given: Typed | Skipped) -> DraftStep | None:
    """Keep the French text; show the preview, or start over when both are empty."""
    draft = turn.draft
    draft.fr = _words(given)
    if not (draft.en or draft.fr):
        await turn.say("alert_need_text")
        await turn.ask_text("alert_type_en")
        return "en"
    await _preview(turn)
    return "confirm"


async def send(turn: Turn, _: actions.DraftSend) -> DraftStep | None:
    """Queue the alert for the region's subscribers; the draft is done."""
    await _publish(turn)
    return None


Move = Callable[[Turn, Any], Awaitable[DraftStep | None]]  # the input's type is its key
WIZARD: Mapping[DraftStep, Mapping[type, Move]] = {
    "region": {actions.DraftRegion: choose_region},
    "expiry": {actions.DraftExpiry: choose_expiry},
    "en": {Typed: take_english, Skipped: take_english},
    "fr": {Typed: take_french, Skipped: take_french},
    "confirm": {actions.DraftSend: send},
}
# The steps that wait for a typed text (the text capture listens only then).
TEXT_STEPS = frozenset(step for step, moves in WIZARD.items() if Typed in moves)


async def advance(update: Update, context: Context, given: object) -> None:
    """Move this staff chat's draft with ``given``, as its step declares."""
    chat_id = _chat_id(update)
    data = context.bot_data
    service = data.alerts
    if chat_id is None or service is None or not _is_admin(update, data.settings):
        return
    draft = data.alert_drafts.get(chat_id)
    if draft is None:
        await _say(
            context, chat_id, text(context, "alert_expired_draft", chat_language(update, context))
        )
        return
    turn = Turn(context, chat_id, draft, service)
    move = WIZARD[draft.step].get(type(given))
    if move is None:  # a button from an earlier step, or one that was never ours
        await turn.say("alert_expired_draft")
        return
    step = await move(turn, given)
    if step is None:
        data.alert_drafts.pop(chat_id, None)
    else:
        draft.step = step


# Callbacks ------------------------------------------------------------------------------


async def start_draft(update: Update, context: Context) -> None:
    """Begin a new alert: ask for the region."""
    chat_id = _chat_id(update)
    if chat_id is None:
        return
    data = context.bot_data
    lang = chat_language(update, context)
    service = data.alerts
    if service is None or not service.regions:
        await _say(
            context,
            chat_id,
            text(context, "alerts_unavailable" if service is None else "alerts_no_regions", lang),
        )
        return
    data.alert_drafts[chat_id] = AlertDraft(language=lang)
    rows = [
        [
            InlineKeyboardButton(
                f"{region.name(lang)} ({service.store.subscriber_count(region.id)})",
                callback_data=actions.format(actions.DraftRegion(region.id)),
            )
        ]
        for region in service.regions.values()
    ]
    rows.append([_button(context, "alert_cancel", lang, actions.DraftCancel())])
    await _say(
        context, chat_id, text(context, "alert_pick_region", lang), InlineKeyboardMarkup(rows)
    )


async def press_wizard(update: Update, context: Context) -> None:
    """Move the draft on from a staff button: region, expiry, send or cancel."""
    query = update.callback_query
    if query is None:
        return
    # CallbackQueries need to be answered, even if no notification to the user is needed.
    await answer_quietly(query)
    if not is_ours(query.data, actions.ALERT_DRAFT):
        return  # PTB routes a press with no data to every pattern handler
    action = actions.parse(query.data)
    if isinstance(action, actions.DraftCancel):
        if _is_admin(update, context.bot_data.settings):
            await cancel_draft(update, context)
        return
    await advance(update, context, action)


async def receive_text(update: Update, context: Context) -> None:
    """Take the staff member's alert text (a reply, a message, or /text ...)."""
    message = update.message
    chat_id = _chat_id(update)
    draft = context.bot_data.alert_drafts.get(chat_id) if chat_id is not None else None
    if message is None or chat_id is None or draft is None:
        return
    words = (message.text or "").strip()
    if words.startswith("/"):  # /text <alert> or /text@bot <alert>
        words = words.partition(" ")[2].strip()
    lang = draft.language
    if not words:
        await _ask_again(context, chat_id, draft)
    elif len(words) > MAX_ALERT_TEXT:
        await _say(
            context,
            chat_id,
            text(context, "alert_too_long", lang, length=len(words), limit=MAX_ALERT_TEXT),
        )
    else:
        await advance(update, context, Typed(words))


async def skip_text(update: Update, context: Context) -> None:
    """Leave the language being asked for empty."""
    await advance(update, context, Skipped())


async def cancel_draft(update: Update, context: Context) -> None:
    """Drop the alert being written."""
    chat_id = _chat_id(update)
    if chat_id is None:
        return
    draft = context.bot_data.alert_drafts.pop(chat_id, None)
    lang = draft.language if draft is not None else chat_language(update, context)
    await _say(context, chat_id, text(context, "alert_cancelled", lang))


# Helpers --------------------------------------------------------------------------------


def _chat_id(update: Update) -> int | None:
    return update.effective_chat.id if update.effective_chat is not None else None


def _is_admin(update: Update, settings: Settings) -> bool:
    """Staff: a person listed in ADMIN_USER_IDS, writing in a chat in ADMIN_CHAT_IDS."""
    chat = update.effective_chat
    person = update.effective_user
    return (
        chat is not None
        and chat.id in settings.admin_chat_ids
        and person is not None
        and person.id in settings.admin_user_ids
    )


async def _say(
    context: Context,
    chat_id: int,
    words: str,
    markup: InlineKeyboardMarkup | ForceReply | None = None,
) -> Message:
    return await context.bot.send_message(chat_id, render.escape(words), reply_markup=markup)


def _button(
    context: Context, key: str, lang: Language, action: actions.Action
) -> InlineKeyboardButton:
    return InlineKeyboardButton(text(context, key, lang), callback_data=actions.format(action))


def _hours_label(context: Context, hours: int, lang: Language) -> str:
    if hours < 48:
        return text(context, "alert_hours", lang, hours=hours)
    return text(context, "alert_days", lang, days=hours // 24)


async def _ask_again(context: Context, chat_id: int, draft: AlertDraft) -> None:
    service = context.bot_data.alerts
    if service is not None:
        await Turn(context, chat_id, draft, service).ask_text(f"alert_type_{draft.step}")


async def _preview(turn: Turn) -> None:
    draft, lang = turn.draft, turn.draft.language
    if draft.region is None:
        return
    alert = _alert_from(draft, turn.chat_id, None)
    region = turn.service.regions.get(draft.region)
    for reader in ("en", "fr"):
        if getattr(draft, reader):
            await _say(
                turn.context,
                turn.chat_id,
                format_alert(alert, reader, region, turn.context.bot_data.dialogue.kb),
            )
    count = turn.service.store.subscriber_count(draft.region)
    row = [
        _button(turn.context, "alert_send", lang, actions.DraftSend()),
        _button(turn.context, "alert_cancel", lang, actions.DraftCancel()),
    ]
    region_name = region.name(lang) if region else ""
    await turn.say("alert_preview", InlineKeyboardMarkup([row]), count=count, region=region_name)


def _alert_from(draft: AlertDraft, chat_id: int, message_id: int | None) -> Alert:
    now = dt.datetime.now(UTC)
    stamp = now.strftime("%Y%m%d%H%M%S")
    return Alert(
        id=f"tg-{stamp}-{secrets.token_hex(3)}",
        region=draft.region or "",
        en=draft.en,
        fr=draft.fr,
        issued_at=now,
        expires_at=now + dt.timedelta(hours=draft.hours or 24),
        report_chat=chat_id,
        report_message=message_id,
        report_language=draft.language,
    )


async def _publish(turn: Turn) -> None:
    draft, service = turn.draft, turn.service
    assert draft.region is not None  # the confirm step comes after the region step
    count = service.store.subscriber_count(draft.region)
    # The progress message exists before the alert is queued, so the first report edits it.
    message = await turn.say("alert_queued", count=f"{count:,}")
    alert = _alert_from(draft, turn.chat_id, message.message_id)
    if service.publish(alert) is None:
        await turn.say("alert_duplicate")
        return
    logger.info("alert %s published by staff for region %s", alert.id, alert.region)


class _InTextStep(filters.MessageFilter):
    """Messages from a chat whose alert draft waits for a typed text."""

    def __init__(self, drafts: Mapping[int, AlertDraft]) -> None:
        super().__init__(name="AwaitingAlertText")
        self._drafts = drafts

    def filter(self, message: Message) -> bool:
        draft = self._drafts.get(message.chat.id)
        return draft is not None and draft.step in TEXT_STEPS


def _staff_filters(data: BotData) -> tuple[filters.BaseFilter, filters.MessageFilter]:
    """Staff (listed people, ADMIN_USER_IDS, in the staff chats, ADMIN_CHAT_IDS) and "this
    chat's draft waits for a typed text"."""
    staff = (
        filters.UpdateType.MESSAGE
        & filters.Chat(chat_id=data.settings.admin_chat_ids)
        & filters.User(user_id=data.settings.admin_user_ids)
    )
    return staff, _InTextStep(data.alert_drafts)


def add_text_capture(application: TgApplication) -> None:
    """Register the staff text step (a typed alert text); call before the free-text
    handler (order matters: the staff text capture comes first)."""
    staff, awaiting = _staff_filters(application.bot_data)
    application.add_handler(
        MessageHandler(staff & awaiting & filters.TEXT & ~filters.COMMAND, receive_text)
    )


def add_wizard_handlers(application: TgApplication) -> None:
    """Register /alert, its buttons, /text, /skip and /cancel (the typed text step is
    ``add_text_capture``)."""
    staff, awaiting = _staff_filters(application.bot_data)
    application.add_handler(CommandHandler("alert", start_draft, filters=staff))
    application.add_handler(CommandHandler("skip", skip_text, filters=staff & awaiting))
    application.add_handler(CommandHandler("text", receive_text, filters=staff & awaiting))
    application.add_handler(CommandHandler("cancel", cancel_draft, filters=staff))
    application.add_handler(CallbackQueryHandler(press_wizard, pattern=rf"^{actions.ALERT_DRAFT}:"))
