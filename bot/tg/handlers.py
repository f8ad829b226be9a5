"""Telegram callbacks: read the update, ask the dialogue, send what it answered.

Nothing here logs message text, locations, names or user ids.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import actions
from bot.dialogue import OUT_OF_SCOPE
from bot.reply import Language, Reply
from bot.session import Session
from bot.staff.scrub import Vocabulary
from bot.tg import render, staff_commands, texts
from bot.tg.context import BotData, Context
from bot.tg.lanes import Lane, travel_in

logger = logging.getLogger(__name__)

Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]
# Admins hear about each kind of failure at most this often.
ADMIN_NOTICE_INTERVAL_S = 300.0


def user_language(user: User | None, default: Language) -> Language:
    """The user's Telegram language if it is French or English, else ``default``."""
    code = (user.language_code or "").lower() if user else ""
    if code.startswith("fr"):
        return "fr"
    if code.startswith("en"):
        return "en"
    return default


def _chat_key(update: Update) -> int:
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user else 0


def _session(update: Update, context: Context) -> Session:
    data = context.bot_data
    language = user_language(update.effective_user, data.settings.default_language)
    return data.sessions.get(_chat_key(update), default_language=language)


def _is_private(chat: Chat) -> bool:
    return chat.type == ChatType.PRIVATE


async def send_reply(
    update: Update,
    context: Context,
    reply: Reply,
    keyboard: ReplyKeyboardMarkup | None = None,
) -> None:
    """Send ``reply`` to the update's chat: text chunks, buttons, then the top service's pin.

    ``keyboard`` replaces the reply's own markup (the /start keyboard).
    """
    chat = update.effective_chat
    if chat is None:
        return
    if reply.emergency:
        # An overdose answer goes ahead of everything else waiting to be sent.
        with travel_in(Lane.URGENT):
            await _send(update, context, reply, chat, keyboard)
    else:
        await _send(update, context, reply, chat, keyboard)


async def _send(
    update: Update,
    context: Context,
    reply: Reply,
    chat: Chat,
    keyboard: ReplyKeyboardMarkup | None,
) -> None:
    private = _is_private(chat)
    catalog = context.bot_data.dialogue.kb
    # In a group, thread the answer under the message that asked.
    quote = None
    if not private and update.message is not None:
        quote = ReplyParameters(update.message.message_id, allow_sending_without_reply=True)
    for index, out in enumerate(
        render.outgoing(reply, catalog, private, context.bot.username, keyboard)
    ):
        if isinstance(out, render.Venue):
            await context.bot.send_venue(
                chat.id,
                latitude=out.lat,
                longitude=out.lon,
                title=out.title,
                address=out.address,
                reply_markup=out.markup,
            )
        else:
            await context.bot.send_message(
                chat.id,
                out.text,
                reply_markup=out.markup,
                reply_parameters=quote if index == 0 else None,
            )


def message_text(message: Message) -> str | None:
    """The words of a message: its text, or the caption of a photo, video or file."""
    return message.text if message.text is not None else message.caption


def addressed_text(message: Message, bot_id: int, bot_username: str) -> str | None:
    """The text (or caption) of a group message meant for the bot, mention removed; None if
    not for us."""
    text = message_text(message) or ""
    reply_to = message.reply_to_message
    to_us = bool(reply_to and reply_to.from_user and reply_to.from_user.id == bot_id)
    handle = f"@{bot_username}".lower()
    kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    entities = (
        message.parse_entities(kinds)
        if message.text is not None
        else message.parse_caption_entities(kinds)
    )
    for entity, value in entities.items():
        mentioned_us = (
            value.lower() == handle
            if entity.type == MessageEntity.MENTION
            else bool(entity.user and entity.user.id == bot_id)
        )
        if mentioned_us:
            to_us = True
            text = text.replace(value, " ")
    return " ".join(text.split()) if to_us else None


async def start(update: Update, context: Context) -> None:
    """Greet in the user's language and show the big buttons (private chats only)."""
    chat = update.effective_chat
    if chat is None:
        return
    session = _session(update, context)
    if not session.language_locked:
        session.language = user_language(
            update.effective_user, context.bot_data.settings.default_language
        )
    dialogue = context.bot_data.dialogue
    # The "message me privately" link from a group opens /start near.
    if context.args and context.args[0] == "near":
        await send_reply(update, context, dialogue.topic(texts.LOCATION_INTENT, session))
        return
    catalog = context.bot_data.dialogue.kb
    keyboard = render.main_keyboard(catalog, session.language) if _is_private(chat) else None
    await send_reply(update, context, dialogue.welcome(session), keyboard=keyboard)


def show_topic(intent: str) -> Callback:
    """A command callback that sends the answer for ``intent``."""

    async def callback(update: Update, context: Context) -> None:
        """Send the answer for one topic."""
        session = _session(update, context)
        await send_reply(update, context, context.bot_data.dialogue.topic(intent, session))

    callback.__name__ = f"show_{intent}"
    return callback


async def open_keyboard_topic(update: Update, context: Context) -> None:
    """Answer a press of one of the big /start buttons."""
    message = update.message
    catalog = context.bot_data.dialogue.kb
    intent = texts.intent_for_label(catalog, message.text or "") if message else None
    if intent is None:
        return
    session = _session(update, context)
    await send_reply(update, context, context.bot_data.dialogue.topic(intent, session))


async def choose_language(update: Update, context: Context) -> None:
    """Switch language with /lang fr or /lang en; offer both without an argument."""
    session = _session(update, context)
    dialogue = context.bot_data.dialogue
    wanted = (context.args or [""])[0].lower()[:2]
    if wanted in ("en", "fr"):
        choice = actions.Lang("fr" if wanted == "fr" else "en")
        await send_reply(update, context, dialogue.respond_action(choice, session))
        _keep_alert_language(update, context, session.language)
        return
    prompt = Reply(
        text=dialogue.kb.message("choose_language", session.language),
        language=session.language,
        intent="lang",
        buttons=(
            actions.button("English", actions.Lang("en")),
            actions.button("Français", actions.Lang("fr")),
        ),
    )
    await send_reply(update, context, prompt)


def _keep_alert_language(update: Update, context: Context, language: Language) -> None:
    """A subscriber who switches language gets their next alerts in it."""
    service = context.bot_data.alerts
    chat = update.effective_chat
    if service is None or chat is None:
        return
    for region in service.store.subscriptions(chat.id):
        service.store.subscribe(chat.id, region, language)


async def show_privacy(update: Update, context: Context) -> None:
    """Say what the bot keeps and for how long."""
    session = _session(update, context)
    await send_reply(
        update, context, context.bot_data.dialogue.message("privacy", session.language)
    )


async def forget(update: Update, context: Context) -> None:
    """Drop everything held for this chat now and confirm."""
    data = context.bot_data
    data.sessions.forget(_chat_key(update))
    if data.alerts is not None:
        data.alerts.store.forget(_chat_key(update))  # alert subscriptions and delivery rows
    language = user_language(update.effective_user, data.settings.default_language)
    await send_reply(update, context, data.dialogue.message("forget_done", language))


async def answer_text(update: Update, context: Context) -> None:
    """Answer free text or a caption; in groups only when the bot is mentioned or replied to."""
    message = update.message
    chat = update.effective_chat
    if message is None or message_text(message) is None or chat is None:
        return
    text: str | None = message_text(message)
    if not _is_private(chat):
        text = addressed_text(message, context.bot.id, context.bot.username)
        if text is None:
            return
    session = _session(update, context)
    data = context.bot_data
    reply = data.dialogue.respond(text, session) if text else data.dialogue.welcome(session)
    if reply.unknown_place and data.geocoder is not None:
        # Offline lookup failed: ask the online geocoder (rate-limited, never raises).
        place = await data.geocoder.lookup(reply.unknown_place)
        if place is not None:
            reply = data.dialogue.respond_place(place, session)
    if text:
        record_answer(data, text, reply)
    await send_reply(update, context, reply)


def record_answer(data: BotData, text: str, reply: Reply) -> None:
    """Count the answered intent; keep the scrubbed question if it was not understood."""
    store = data.staff
    if store is None:
        return
    try:
        store.count_intent(reply.intent)
        if reply.intent == OUT_OF_SCOPE and data.settings.unmatched_log:
            analyzer = data.dialogue.analyzer
            known = Vocabulary(analyzer.vocabulary, analyzer.everyday_words, analyzer.stopwords)
            store.record_unmatched(text, known)
    except Exception as exc:  # counting must never cost someone their answer
        logger.warning("could not record a count: %s", type(exc).__name__)


def _replies_to_bot(message: Message, bot_id: int) -> bool:
    reply_to = message.reply_to_message
    return bool(reply_to and reply_to.from_user and reply_to.from_user.id == bot_id)


async def explain_media(update: Update, context: Context) -> None:
    """Say, once per message, that voice, stickers, photos and files cannot be read."""
    message = update.message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    if not _is_private(chat) and not _replies_to_bot(message, context.bot.id):
        return
    session = _session(update, context)
    reply = context.bot_data.dialogue.message("media_unreadable", session.language)
    await send_reply(update, context, reply)


async def slow_down(update: object, data: BotData, bot: Bot) -> None:
    """Tell a flooding chat, once, that some of its messages will be skipped."""
    if not isinstance(update, Update):
        return
    language = user_language(update.effective_user, data.settings.default_language)
    session = data.sessions.get(_chat_key(update), default_language=language)
    notice = data.dialogue.message("slow_down", session.language).text
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(notice[:200])
        elif update.effective_chat is not None and update.inline_query is None:
            for chunk in render.html_chunks(Reply(notice, session.language, "slow_down")):
                await bot.send_message(update.effective_chat.id, chunk)
    except TelegramError as exc:
        logger.warning("could not send the slow-down notice: %s", type(exc).__name__)


async def answer_location(update: Update, context: Context) -> None:
    """Answer a shared location or venue with the nearest services."""
    message = update.message
    chat = update.effective_chat
    if message is None or message.location is None or chat is None:
        return
    if not _is_private(chat) and not _replies_to_bot(message, context.bot.id):
        return
    session = _session(update, context)
    location = message.location
    reply = context.bot_data.dialogue.respond_location(
        location.latitude, location.longitude, session
    )
    await send_reply(update, context, reply)


async def press_button(update: Update, context: Context) -> None:
    """Answer an inline button press; a forged or malformed one gets a polite notice."""
    query = update.callback_query
    if query is None:
        return
    session = _session(update, context)
    dialogue = context.bot_data.dialogue
    action = actions.parse(query.data)
    if action is None:
        notice = dialogue.message("stale_button", session.language).text
        await _answer_query(update, notice)
        return
    reply = dialogue.respond_action(action, session)
    if isinstance(action, actions.Lang):
        _keep_alert_language(update, context, session.language)
    try:
        await send_reply(update, context, reply)
        if reply.report is not None and context.bot_data.report_budget.take(_chat_key(update)):
            await staff_commands.file_report(context, reply.report)
    finally:
        # CallbackQueries need to be answered, even if no notification to the user is needed.
        await _answer_query(update)


async def _answer_query(update: Update, text: str | None = None) -> None:
    if update.callback_query is not None:
        await answer_quietly(update.callback_query, text)


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press (a notice of at most 200 characters, or none)."""
    try:
        await query.answer(text[:200] if text else None)
    except BadRequest:
        # Telegram refuses answers to queries older than a few seconds; nothing to do.
        logger.debug("callback query expired before it was answered")


async def answer_inline(update: Update, context: Context) -> None:
    """Offer answer cards for an inline query (@bot naloxone) in any chat."""
    query = update.inline_query
    if query is None:
        return
    data = context.bot_data
    language = user_language(query.from_user, data.settings.default_language)
    replies = data.dialogue.inline_answers(query.query.strip(), language)
    results = []
    for index, reply in enumerate(replies):
        lines = [line.strip() for line in reply.text.splitlines() if line.strip()]
        title = lines[0] if lines else reply.intent
        description = " ".join(lines[1:])
        results.append(
            InlineQueryResultArticle(
                id=f"{index}:{reply.intent}"[:64],
                title=title[:100],
                description=description[:120] or None,
                input_message_content=InputTextMessageContent(
                    render.html_chunks(reply)[0], parse_mode=ParseMode.HTML
                ),
            )
        )
    await query.answer(results, cache_time=300, is_personal=False)


async def report_error(update: object, context: Context) -> None:
    """Log the failure without user content, tell the user where to get help, alert admins."""
    error = context.error
    if isinstance(error, Forbidden):
        # The user blocked the bot or left the chat: expected, nothing to fix.
        logger.debug("Forbidden from Telegram (bot blocked or removed)")
        return
    kind = type(error).__name__ if error else "unknown error"
    update_id = update.update_id if isinstance(update, Update) else None
    # Frames only: exception messages may quote user input.
    frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    logger.error("%s while handling update %s\n%s", kind, update_id, frames.rstrip())
    data = context.bot_data
    if isinstance(update, Update) and update.effective_chat is not None:
        language = user_language(update.effective_user, data.settings.default_language)
        try:
            notice = data.dialogue.message("error", language).text
        except Exception:  # the notice must go out even if the dialogue is what broke
            notice = texts.LAST_RESORT_ERROR[language]
        try:
            await context.bot.send_message(update.effective_chat.id, render.escape(notice))
        except TelegramError as exc:
            logger.warning("could not send the error notice: %s", type(exc).__name__)
    now = time.monotonic()
    if now - data.admin_notified.get(kind, -ADMIN_NOTICE_INTERVAL_S) < ADMIN_NOTICE_INTERVAL_S:
        return
    data.admin_notified[kind] = now
    # In code, not ui.yaml: this notice must go out even when the texts are what broke.
    for admin_chat in data.settings.admin_chat_ids:
        try:
            await context.bot.send_message(
                admin_chat, render.escape(f"⚠️ {kind} while handling update {update_id}")
            )
        except TelegramError as exc:
            logger.warning("could not notify an admin chat: %s", type(exc).__name__)
