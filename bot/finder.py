"""The service-finder conversation: the one place that remembers a search in the Session.

``bot.locator.answer`` turns a ``Search`` (place, category, page, open-only) into a reply
and never reads or writes the conversation; this module keeps what the buttons need
between turns (the last search, the places just offered) and answers those buttons.
``Dialogue`` calls it; nothing below the dialogue writes the Session.
"""

from __future__ import annotations

from datetime import datetime

from bot import actions
from bot.locator import Ambiguous, Found, Locator, PlaceOutcome
from bot.locator import answer as render
from bot.locator.answer import DEFAULT_CATEGORY, INTENT, PAGE_SIZE, Search
from bot.reply import Language, PlaceRef, Reply
from bot.session import Session

__all__ = ["DEFAULT_CATEGORY", "Finder", "FinderAction"]

# The buttons of a finder reply.
FinderAction = actions.More | actions.OpenNow | actions.Category | actions.Place


class Finder:
    """Searches the directory for one conversation and keeps its paging state."""

    def __init__(self, locator: Locator) -> None:
        self.locator = locator

    def search(
        self,
        session: Session,
        place: PlaceRef,
        category: str,
        lang: Language,
        now: datetime | None = None,
        *,
        intent: str = INTENT,
        confidence: float = 0.0,
    ) -> Reply:
        """The nearest services of ``category`` around ``place``; remembers the place."""
        return self._show(session, Search(place, category), lang, now, intent, confidence)

    def place(
        self,
        session: Session,
        outcome: PlaceOutcome,
        category: str,
        lang: Language,
        now: datetime | None = None,
        *,
        intent: str = INTENT,
        confidence: float = 0.0,
    ) -> Reply:
        """Answer a typed place: search, a province's answer, ask which one, or ask again."""
        if isinstance(outcome, Found):
            return self.search(
                session, outcome.place, category, lang, now, intent=intent, confidence=confidence
            )
        if category in self.locator.categories:
            session.category = category
        if isinstance(outcome, Ambiguous):
            session.choices.clear()
            for c in outcome.candidates:
                session.choices[c.key] = (c.label, c.lat, c.lon, c.province)
        return render.outcome_reply(
            self.locator, outcome, category, lang, intent=intent, confidence=confidence
        )

    def location(
        self,
        session: Session,
        lat: float,
        lon: float,
        lang: Language,
        category: str | None = None,
        now: datetime | None = None,
    ) -> Reply:
        """Answer a shared location (exact; no geocoding)."""
        place = render.shared_place(self.locator, lat, lon, lang)
        if place is None:
            return render.bad_location_reply(self.locator, lang)
        chosen = category or session.category or DEFAULT_CATEGORY
        return self.search(session, place, chosen, lang, now)

    def remembered(
        self,
        session: Session,
        category: str,
        lang: Language,
        now: datetime | None = None,
        *,
        intent: str = INTENT,
        confidence: float = 0.0,
    ) -> Reply | None:
        """Search ``category`` at the remembered place; None when no place is remembered."""
        place = _session_place(session)
        if place is None:
            return None
        return self.search(
            session, place, category, lang, now, intent=intent, confidence=confidence
        )

    def ask_where(self, session: Session, category: str) -> None:
        """Remember that the bot asked where: the next message may be the place."""
        session.category = category
        session.offset = 0
        session.awaiting_place = True

    def press(
        self,
        session: Session,
        action: actions.Action | str | None,
        lang: Language,
        now: datetime | None = None,
    ) -> Reply | None:
        """Answer More, OpenNow, Category and Place (or their data); None for other actions."""
        action = actions.parse(action) if isinstance(action, str) else action
        if isinstance(action, actions.Place):
            return self._choose(session, action.key, lang, now)
        if not isinstance(action, actions.More | actions.OpenNow | actions.Category):
            return None
        place = _session_place(session)
        if isinstance(action, actions.Category):
            if action.category not in self.locator.categories:
                return render.expired_reply(self.locator, lang)
            if place is None:
                session.category = action.category
                return render.expired_reply(self.locator, lang)
            return self.search(session, place, action.category, lang, now)
        category = session.category
        if place is None or category is None or category not in self.locator.categories:
            return render.expired_reply(self.locator, lang)
        if isinstance(action, actions.More):
            page = Search(place, category, session.offset + PAGE_SIZE, session.open_only)
        else:
            page = Search(place, category, 0, open_only=True)
        return self._show(session, page, lang, now, INTENT, 0.0)

    def _choose(self, session: Session, key: str, lang: Language, now: datetime | None) -> Reply:
        place = render.chosen_place(self.locator, session.choices, key)
        if place is None:
            return render.expired_reply(self.locator, lang)
        session.choices.clear()
        category = session.category or DEFAULT_CATEGORY
        if category not in self.locator.categories:
            category = DEFAULT_CATEGORY
        return self.search(session, place, category, lang, now)

    def _show(
        self,
        session: Session,
        search: Search,
        lang: Language,
        now: datetime | None,
        intent: str,
        confidence: float,
    ) -> Reply:
        if search.category in self.locator.categories:
            _remember(session, search)
        return render.search_reply(
            self.locator, search, lang, now, intent=intent, confidence=confidence
        )


def _remember(session: Session, search: Search) -> None:
    place = search.place
    session.lat, session.lon, session.place_name = place.lat, place.lon, place.name
    session.place_source, session.province = place.source, place.province
    session.category = search.category
    session.offset = search.offset
    session.open_only = search.open_only


def _session_place(session: Session) -> PlaceRef | None:
    if session.lat is None or session.lon is None:
        return None
    return PlaceRef(
        session.place_name or "",
        session.lat,
        session.lon,
        session.place_source or "location",
        session.province,
    )
