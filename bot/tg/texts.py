"""Telegram-only interface texts: which ui.yaml keys the keyboard, command menu and
group hints use.

The words themselves live in ``ui.yaml`` (``keyboard_*``, ``command_*``,
``share_location``...) with every other interface text, so staff and translators edit
them there and ``hrbot validate`` checks them; ``KnowledgeBase.message`` serves them.
"""

from __future__ import annotations

from typing import Protocol

from bot.reply import LANGUAGES, Language

# The /start keyboard's topics; each key's label is ui.yaml's keyboard_<intent>.
KEYBOARD = ("emergency", "naloxone_get", "find_services", "overdose_signs", "crisis_support")
LOCATION_INTENT = "find_services"
# The command menu, in order; each description is ui.yaml's command_<name>.
COMMANDS = (
    "help",
    "naloxone",
    "signs",
    "sites",
    "near",
    "lang",
    "alerts",
    "stop",
    "privacy",
    "forget",
)
# Every ui.yaml key this adapter reads (bot.knowledge.UI_KEYS makes validate require them).
UI_KEYS = (
    *(f"keyboard_{intent}" for intent in KEYBOARD),
    *(f"command_{name}" for name in COMMANDS),
    "group_location",
    "open_private",
    "share_location",
    "location_placeholder",
    "choose_language",
)
# Said when even the texts cannot be read: the one notice that must never fail, so the
# one user-facing text kept in code (with number and time formats; the rest is YAML).
LAST_RESORT_ERROR: dict[Language, str] = {
    "en": "Sorry, something went wrong. If someone is overdosing, call 911 now.",
    "fr": "Désolé, une erreur est survenue. Si quelqu’un fait une surdose, appelez le 911.",
}


class Catalog(Protocol):
    """Where interface texts come from (a ``KnowledgeBase``)."""

    def message(self, key: str, lang: Language, **values: str) -> str:
        """The text for ``key`` in ``lang`` with ``{placeholders}`` filled."""
        ...


def keyboard_label(catalog: Catalog, intent: str, lang: Language) -> str:
    """The /start keyboard button that opens ``intent``."""
    return catalog.message(f"keyboard_{intent}", lang)


def keyboard_labels(catalog: Catalog) -> set[str]:
    """Every keyboard label in both languages, exactly as the buttons send them."""
    return {keyboard_label(catalog, intent, lang) for intent in KEYBOARD for lang in LANGUAGES}


def intent_for_label(catalog: Catalog, label: str) -> str | None:
    """The intent a keyboard button opens, from its text in either language."""
    label = label.strip()
    for intent in KEYBOARD:
        if any(label == keyboard_label(catalog, intent, lang) for lang in LANGUAGES):
            return intent
    return None


def command_description(catalog: Catalog, name: str, lang: Language) -> str:
    """The command menu's line for ``/name``."""
    return catalog.message(f"command_{name}", lang)
