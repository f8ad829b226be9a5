"""Turn a core ``Reply`` into Telegram message parts: escaped HTML chunks and keyboards.

Pure functions, no network: the handlers decide where to send what these return.
"""

from __future__ import annotations

import functools
import html
import logging
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.constants import MessageLimit

from bot import actions
from bot.reply import Button, Language, Reply
from bot.tg import texts
from bot.tg.kept import KeptInlineKeyboard, KeptReplyKeyboard

logger = logging.getLogger(__name__)

MAX_TEXT = int(MessageLimit.MAX_TEXT_LENGTH)


def escape(text: str) -> str:
    """``text`` safe inside Telegram HTML (quotes need no escaping outside attributes)."""
    return html.escape(text, quote=False)


def is_valid_action(data: object) -> bool:
    """True if ``data`` is a well-formed button action this bot could have sent."""
    return actions.is_valid(data)


def html_chunks(reply: Reply, limit: int = MAX_TEXT) -> list[str]:
    """The reply text as escaped HTML in messages of at most ``limit`` characters.

    Splits on line boundaries; only a single over-long line is cut mid-line (at a space
    when there is one). An emergency reply has its first line in bold.
    """
    if _is_topic_answer(reply):
        # The knowledge base's own text, sent all day: rendered once.
        return list(_kept_chunks(reply.text, reply.emergency, limit))
    return _chunks(reply.text, reply.emergency, limit)


def _is_topic_answer(reply: Reply) -> bool:
    """No search and no typed place in the text: search results, "not found" and "which
    town?" replies name the places people are in, and are never kept."""
    searched = reply.place or reply.services or reply.unknown_place or reply.province
    # The finder's replies ask for a location; an emergency answer does so too, but its
    # text is the knowledge base's (and its region's note).
    return not searched and (reply.emergency or not reply.request_location)


@functools.lru_cache(maxsize=512)
def _kept_chunks(text: str, emergency: bool, limit: int) -> tuple[str, ...]:
    return tuple(_chunks(text, emergency, limit))


def _chunks(text: str, emergency: bool, limit: int) -> list[str]:
    lines: list[str] = []
    for raw in text.strip("\n").split("\n"):
        lines.extend(_cut(raw, limit))
    if emergency and lines and lines[0] and len(lines[0]) + 7 <= limit:
        lines[0] = f"<b>{lines[0]}</b>"
    chunks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current.strip():
            chunks.append(current)
        current = line
    if current.strip():
        chunks.append(current)
    return chunks or ["…"]


def _cut(raw: str, limit: int) -> list[str]:
    """Escape ``raw``, cutting it into pieces whose escaped form fits ``limit``."""
    pieces: list[str] = []
    while len(escape(raw)) > limit:
        # Grow the prefix by characters: escaping can lengthen text up to 6x.
        end = 0
        size = 0
        while end < len(raw):
            step = len(escape(raw[end]))
            if size + step > limit:
                break
            size += step
            end += 1
        space = raw.rfind(" ", 0, end)
        if space > end // 2:
            end = space + 1
        pieces.append(escape(raw[:end].rstrip()))
        raw = raw[end:]
    pieces.append(escape(raw))
    return pieces


def inline_keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """One big button per row; actions that Telegram would refuse are dropped (and logged)."""
    return _markup(buttons)


@functools.lru_cache(maxsize=2048)
def _markup(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    # Most replies carry one of a few hundred button sets, and PTB's objects are immutable:
    # check, build and serialise each set once instead of on every message.
    valid = []
    for button in buttons:
        if not is_valid_action(button.action):
            logger.warning(
                "dropped a button with a malformed action (%d bytes)", len(button.action.encode())
            )
            continue
        valid.append(button)
    if not valid:
        return None
    return KeptInlineKeyboard(
        [[InlineKeyboardButton(b.label[:64], callback_data=b.action)] for b in valid]
    )


# The /start keyboard's rows, by intent.
_MAIN_ROWS = (
    ("emergency",),
    ("naloxone_get", "overdose_signs"),
    ("find_services",),
    ("crisis_support",),
)
_MAIN_ROWS_FLAT = tuple(intent for row in _MAIN_ROWS for intent in row)


def main_keyboard(catalog: texts.Catalog, lang: Language) -> ReplyKeyboardMarkup:
    """The /start keyboard for a private chat; the services button shares the location."""
    labels = tuple(texts.keyboard_label(catalog, intent, lang) for intent in _MAIN_ROWS_FLAT)
    return _main_keyboard(labels)


@functools.lru_cache(maxsize=64)
def _main_keyboard(labels: tuple[str, ...]) -> ReplyKeyboardMarkup:
    # Keyed by the labels, so a reload of ui.yaml builds the new keyboard.
    label = dict(zip(_MAIN_ROWS_FLAT, labels, strict=True))
    rows = [
        [
            KeyboardButton(label[intent], request_location=intent == texts.LOCATION_INTENT)
            for intent in row
        ]
        for row in _MAIN_ROWS
    ]
    return KeptReplyKeyboard(rows, resize_keyboard=True, is_persistent=True)


def location_keyboard(catalog: texts.Catalog, lang: Language) -> ReplyKeyboardMarkup:
    """A one-time keyboard whose single button shares the user's location."""
    return _location_keyboard(
        catalog.message("share_location", lang), catalog.message("location_placeholder", lang)
    )


@functools.lru_cache(maxsize=64)
def _location_keyboard(label: str, placeholder: str) -> ReplyKeyboardMarkup:
    return KeptReplyKeyboard(
        [[KeyboardButton(label, request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=placeholder[:64],
    )


@dataclass(frozen=True, slots=True)
class GroupHint:
    """Where to send someone from a group who needs a location search."""

    text: str
    button: InlineKeyboardButton


def group_location_hint(catalog: texts.Catalog, lang: Language, bot_username: str) -> GroupHint:
    """The 'message me privately' line and button for a group chat."""
    link = f"https://t.me/{bot_username}?start=near"
    return GroupHint(
        text=escape(catalog.message("group_location", lang, link=link)),
        button=InlineKeyboardButton(catalog.message("open_private", lang), url=link),
    )


Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


@dataclass(frozen=True, slots=True)
class Text:
    """One message to send: escaped HTML and the keyboard under it."""

    text: str
    markup: Markup | None = None


@dataclass(frozen=True, slots=True)
class Venue:
    """The top service's pin."""

    lat: float
    lon: float
    title: str
    address: str
    markup: Markup | None = None


def outgoing(
    reply: Reply,
    catalog: texts.Catalog,
    private: bool,
    bot_username: str,
    keyboard: ReplyKeyboardMarkup | None = None,
) -> list[Text | Venue]:
    """What to send for ``reply``, in order: text chunks with the buttons under the last,
    a location prompt, then the top service's pin. ``keyboard`` replaces the reply's own
    buttons (the /start keyboard)."""
    chunks = html_chunks(reply)
    markup: Markup | None = keyboard
    location_prompt = False
    if markup is None:
        inline = inline_keyboard(reply.buttons)
        if reply.request_location and private:
            # A message carries one keyboard: inline buttons win, the location one follows.
            markup = inline or location_keyboard(catalog, reply.language)
            location_prompt = inline is not None
        elif reply.request_location:
            # request_location buttons only work in private chats: point there instead.
            hint = group_location_hint(catalog, reply.language, bot_username)
            chunks.append(hint.text)
            rows = list(inline.inline_keyboard) if inline else []
            markup = InlineKeyboardMarkup([*rows, [hint.button]])
        else:
            markup = inline
    out: list[Text | Venue] = [
        Text(chunk, markup if index == len(chunks) - 1 else None)
        for index, chunk in enumerate(chunks)
    ]
    if location_prompt:
        out.append(
            Text(
                escape(catalog.message("share_location", reply.language)),
                location_keyboard(catalog, reply.language),
            )
        )
    if reply.services:
        top = reply.services[0]
        # The main keyboard comes back, replacing a one-time location keyboard.
        out.append(
            Venue(
                top.lat,
                top.lon,
                top.name,
                top.address or top.name,
                main_keyboard(catalog, reply.language) if private else None,
            )
        )
    return out
