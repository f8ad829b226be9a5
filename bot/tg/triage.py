"""Read an update just enough to schedule it: whose turn, counted or not, an emergency?

Used by ``FairUpdateProcessor`` before any handler runs; nothing is logged or kept.
"""

from __future__ import annotations

import functools
from typing import Any

from telegram import Message, Update

from bot import actions
from bot.session import Session
from bot.tg import texts
from bot.tg.context import BotData
from bot.tg.fairness import Ticket
from bot.tg.handlers import addressed_text

EMERGENCY_ACTION = actions.format(actions.Topic("emergency"))


def ticket_for(data: BotData, bot: Any, update: object) -> Ticket:
    """The scheduling ticket of ``update`` for the bot serving ``data``."""
    if not isinstance(update, Update):
        return Ticket(None)
    chat = update.effective_chat
    key = (
        chat.id
        if chat is not None
        else (update.effective_user.id if update.effective_user is not None else None)
    )
    if key is None:
        return Ticket(None)
    message = update.message
    if message is not None:
        text = message.text or message.caption
        private = message.chat.type == "private"
        if not private:
            text = addressed_text(message, bot.id, bot.username)
            if text is None and not _is_command(message):
                return Ticket(key)  # not for us: handled (ignored) quickly, never counted
        return Ticket(key, counted=True, urgent=functools.partial(_urgent_text, data, text or ""))
    query = update.callback_query
    if query is not None:
        return Ticket(key, counted=True, urgent=lambda: query.data == EMERGENCY_ACTION)
    if update.inline_query is not None:
        return Ticket(key, counted=True)
    return Ticket(key)  # chat changes, migrations...: never counted, never dropped


def _is_command(message: Message) -> bool:
    return bool(message.text and message.text.startswith("/"))


def _urgent_text(data: BotData, text: str) -> bool:
    if not text:
        return False
    if texts.intent_for_label(data.dialogue.kb, text) == "emergency":
        return True
    return data.dialogue.respond(text, Session()).emergency
