"""The dialogue: turns a message, a location or a button press into a Reply.

Transport-independent: the console, ``hrbot ask`` and the Telegram adapter all call it.
"""

from __future__ import annotations

import datetime as dt

from bot.reply import Language, Reply
from bot.session import Session


class Dialogue:
    """Answers one user turn at a time from the loaded resources (interface draft)."""

    def welcome(self, session: Session) -> Reply:
        """The /start greeting in the session's language."""
        raise NotImplementedError

    def respond(self, text: str, session: Session, now: dt.datetime | None = None) -> Reply:
        """Answer free text: emergency first, then the knowledge base, then a fallback."""
        raise NotImplementedError

    def respond_location(
        self, lat: float, lon: float, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """Answer a shared location with the nearest services."""
        raise NotImplementedError

    def respond_action(
        self, action: str, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """Answer a button press; stale or forged actions get a polite reply."""
        raise NotImplementedError

    def topic(self, intent_id: str, session: Session) -> Reply:
        """The answer for one intent (used by commands such as /naloxone)."""
        raise NotImplementedError

    def message(self, key: str, lang: Language) -> Reply:
        """An interface text (privacy, help, ...) as a Reply."""
        raise NotImplementedError

    def inline_answers(self, query: str, lang: Language, limit: int = 5) -> list[Reply]:
        """The best-matching topic answers for an inline query, most relevant first."""
        raise NotImplementedError
