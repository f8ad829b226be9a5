"""The dialogue: turns a message, a location or a button press into a Reply.

Transport-independent: the console, ``hrbot ask`` and the Telegram adapter all call it.
Order of concerns for free text: emergency first, then a place in the message, then the
knowledge base, then a kind fallback. Expected outcomes are return values, never raised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from bot.alerts import UTC, AlertBoard, AlertRegion, format_current
from bot.analyzer import Analysis, Analyzer
from bot.emergency import EmergencyDetector, EmergencyVerdict
from bot.knowledge import Intent, KnowledgeBase
from bot.locator import Locator, NotFound, Region
from bot.locator import answer as services
from bot.matcher import Decision, Matcher, Ranked, decide
from bot.reply import LANGUAGES, Button, Language, PlaceRef, Reply
from bot.session import Session
from bot.staff import reports
from bot.text import detect_language, fold

EMERGENCY = "emergency"
OUT_OF_SCOPE = "out_of_scope"
ALERTS_CURRENT = "alerts_current"
MAX_ACTION_BYTES = 64
_ACTION = re.compile(r"^[a-z_]+(:[A-Za-z0-9_.\-]{1,48})?$")
# Topics offered when nothing matched: the ones that save lives first.
FALLBACK_TOPICS = ("overdose_response", "naloxone_get", "crisis_support", "find_services")
DEFAULT_CATEGORY = "naloxone"
SUGGEST_FLOOR = 0.15  # candidates below this are noise, not "did you mean"
MAX_REPORTS_PER_SESSION = 5  # more are thanked but not forwarded to staff


class Dialogue:
    """Answers one user turn at a time from one loaded resource set."""

    def __init__(
        self,
        kb: KnowledgeBase,
        analyzer: Analyzer,
        matcher: Matcher,
        emergency: EmergencyDetector,
        locator: Locator | None,
    ) -> None:
        self.kb = kb
        self.analyzer = analyzer
        self.matcher = matcher
        self.emergency = emergency
        self.locator = locator
        # Drug-supply alerts in force, when a front end has opened the alert store.
        self.alerts: AlertBoard | None = None

    # -- entry points ---------------------------------------------------------------

    def welcome(self, session: Session) -> Reply:
        """The /start greeting in the session's language."""
        lang = session.language
        return Reply(
            text=self.kb.message("welcome", lang),
            language=lang,
            intent="welcome",
            buttons=tuple(self._topic_buttons(
                ("emergency", "naloxone_get", "overdose_signs", "crisis_support"), lang)),
        )

    def respond(self, text: str, session: Session, now: dt.datetime | None = None) -> Reply:
        """Answer free text: emergency first, then the knowledge base, then a fallback."""
        raw_words = fold(text).split()
        lang = self._language(raw_words, session)
        analysis = self.analyzer.analyse(text, lang=lang)
        if not analysis.words:
            return self._fallback("empty", (), session, lang)
        verdict = self._judge(raw_words, analysis)
        if verdict.emergency:
            return self._answer(self.kb.intents[EMERGENCY], session, lang, 1.0, emergency=True)
        routed = self.kb.intents.get(verdict.route) if verdict.route else None
        if routed is not None:
            return self._answer(routed, session, lang, 1.0)
        decision = decide(self.matcher.rank(analysis), self.matcher.tuning)
        intent = self.kb.intents.get(decision.intent) if decision.intent else None
        if intent is not None and intent.id == EMERGENCY:
            if verdict.held_back_by is None:
                # The detector saw no signal but the message reads like the emergency
                # examples: treat it as one. A false alarm costs seconds; a miss, a life.
                return self._answer(intent, session, lang, decision.confidence, emergency=True)
            # A question about an overdose ("what are the steps if..."): the response steps.
            intent = self.kb.intents.get("overdose_response", intent)
        place = self.locator.extract_place(text) if self.locator is not None else None
        awaiting, session.awaiting_place = session.awaiting_place, False
        if place is None and awaiting and self.locator is not None and (
                intent is None or intent.id in (OUT_OF_SCOPE, "find_services")):
            # Answering "where?": the whole message is the place, known or not.
            place = self.locator.find_place(text)
        if place is not None and (intent is None or intent.services or awaiting):
            category = (intent.services[0] if intent is not None and intent.services
                        else session.category or DEFAULT_CATEGORY)
            assert self.locator is not None
            reply = services.place_reply(self.locator, session, place, category, lang, now)
            # An online geocoder (in the async front end) may still find an unknown place.
            extra = {"unknown_place": place.query} if isinstance(place, NotFound) else {}
            return dataclasses.replace(
                reply,
                intent=intent.id if intent is not None and intent.services else "find_services",
                confidence=decision.confidence if intent is not None else 1.0,
                extra=extra,
            )
        if intent is None or intent.id == OUT_OF_SCOPE:
            return self._fallback("fallback", decision.candidates, session, lang, decision)
        return self._answer(intent, session, lang, decision.confidence)

    def respond_location(
        self, lat: float, lon: float, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """Answer a shared location with the nearest services."""
        lang = session.language
        if self.locator is None:
            return self._no_directory(lang)
        return services.location_reply(self.locator, session, lat, lon, lang, session.category,
                                       now)

    def respond_place(
        self, place: PlaceRef, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """Answer with services near a place found elsewhere (the online geocoder)."""
        lang = session.language
        if self.locator is None:
            return self._no_directory(lang)
        category = session.category or DEFAULT_CATEGORY
        return services.search_reply(self.locator, session, place, category, lang, now)

    def respond_action(
        self, action: str, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """Answer a button press; stale or forged actions get a polite reply."""
        lang = session.language
        if len(action.encode()) > MAX_ACTION_BYTES or not _ACTION.match(action):
            return self.message("stale_button", lang)
        kind, _, value = action.partition(":")
        if kind == "intent":
            intent = self.kb.intents.get(value)
            if intent is None:
                return self.message("stale_button", lang)
            return self._answer(intent, session, lang, 1.0, emergency=value == EMERGENCY)
        if kind == "lang" and value in LANGUAGES:
            new: Language = "fr" if value == "fr" else "en"
            session.language = new
            session.language_locked = True
            return self.message("lang_set", new)
        if kind == "find":
            return self._find(value, session, lang, now)
        if kind in ("report", "reason") and self.locator is not None:
            build = reports.report_reply if kind == "report" else reports.reason_reply
            report = build(self.locator, value, lang) or self.message("stale_button", lang)
            if "report_service" in report.extra:
                # Reports are anonymous, so flooding is capped per (short-lived) session.
                session.reports_sent += 1
                if session.reports_sent > MAX_REPORTS_PER_SESSION:
                    report = dataclasses.replace(report, extra={})
            return report
        if self.locator is not None:
            reply = services.action_reply(self.locator, session, action, lang, now)
            if reply is not None:
                return reply
        return self.message("stale_button", lang)

    def topic(self, intent_id: str, session: Session) -> Reply:
        """The answer for one intent (used by commands such as /naloxone)."""
        intent = self.kb.intents[intent_id]
        return self._answer(intent, session, session.language, 1.0,
                            emergency=intent_id == EMERGENCY)

    def message(self, key: str, lang: Language, **values: str) -> Reply:
        """An interface text (privacy, help, ...) as a Reply."""
        return Reply(text=self.kb.message(key, lang, **values), language=lang, intent=key)

    def inline_answers(self, query: str, lang: Language, limit: int = 5) -> list[Reply]:
        """The best-matching topic answers for an inline query, most relevant first."""
        session = Session(language=lang)
        lang = detect_language(fold(query).split(), lang)
        analysis = self.analyzer.analyse(query, lang=lang)
        ids: list[str] = []
        if self._judge(fold(query).split(), analysis).emergency:
            ids.append(EMERGENCY)
        ids += [r.intent for r in self.matcher.rank(analysis, limit) if r.intent not in ids]
        if not analysis.words:
            ids = list(FALLBACK_TOPICS)
        answers = []
        for intent_id in ids[:limit]:
            intent = self.kb.intents.get(intent_id)
            if intent is not None and intent.id != OUT_OF_SCOPE:
                answers.append(self._answer(intent, session, lang, 1.0,
                                            emergency=intent_id == EMERGENCY))
        return answers

    # -- helpers --------------------------------------------------------------------

    def _language(self, words: list[str], session: Session) -> Language:
        if not session.language_locked:
            session.language = detect_language(words, session.language)
        return session.language

    def _judge(self, raw_words: list[str], analysis: Analysis) -> EmergencyVerdict:
        # Judge both the words as typed and as corrected: a correction must never hide one.
        corrected = self.emergency.judge(analysis.words)
        if corrected.emergency:
            return corrected
        typed = self.emergency.judge(raw_words)
        return typed if typed.emergency or typed.signal else corrected

    def _answer(
        self,
        intent: Intent,
        session: Session,
        lang: Language,
        confidence: float,
        emergency: bool = False,
    ) -> Reply:
        buttons: list[Button] = []
        if intent.services and self.locator is not None:
            session.category = intent.services[0]
            # "Find services" (and /near) asks where: the next message may be a place.
            session.awaiting_place = intent.id == "find_services"
            label = self.kb.message("find_nearest", lang)
            buttons.append(Button(label, f"find:{intent.services[0]}"))
        buttons += self._topic_buttons(intent.related, lang)
        text = intent.answer.get(lang).strip()
        if intent.id == ALERTS_CURRENT:
            text = self._current_alerts(session, lang) or text
        if "{protocol}" in text:
            text = text.replace("{protocol}", self._protocol(session, lang))
        return Reply(
            text=text,
            language=lang,
            intent=intent.id,
            confidence=round(confidence, 3),
            emergency=emergency,
            buttons=tuple(buttons),
            request_location=emergency and self.locator is not None,
        )

    def _current_alerts(self, session: Session, lang: Language) -> str | None:
        """The alerts in force for the user's region (last location, else the default)."""
        region = self._region(session)
        if self.alerts is None or region is None:
            return None
        current = self.alerts.current(region.id, dt.datetime.now(UTC))
        if not current:
            return None
        return format_current(current, lang, AlertRegion.from_region(region))

    def _region(self, session: Session) -> Region | None:
        """The region of the user's last location, else the default; None without a directory."""
        if self.locator is None:
            return None
        region = None
        if session.lat is not None and session.lon is not None:
            region = self.locator.region_for(session.lat, session.lon)
        return region or self.locator.default_region

    def _protocol(self, session: Session, lang: Language) -> str:
        """The overdose-response steps taught in the user's region (else the first known)."""
        region = self._region(session)
        protocol = self.kb.protocols.get(region.protocol if region else "") or next(
            iter(self.kb.protocols.values()))
        return protocol.get(lang).strip()

    def _topic_buttons(self, ids: tuple[str, ...] | list[str], lang: Language) -> list[Button]:
        return [
            Button(self.kb.intents[i].title.get(lang), f"intent:{i}")
            for i in ids if i in self.kb.intents
        ]

    def _fallback(
        self,
        key: str,
        candidates: tuple[Ranked, ...],
        session: Session,
        lang: Language,
        decision: Decision | None = None,
    ) -> Reply:
        close = [c.intent for c in candidates
                 if c.score >= SUGGEST_FLOOR and c.intent in self.kb.intents
                 and c.intent != OUT_OF_SCOPE]
        text = self.kb.message(key, lang)
        if close:
            text += "\n\n" + self.kb.message("did_you_mean", lang)
            ids = close[:2]
        else:
            ids = list(FALLBACK_TOPICS)
        return Reply(
            text=text,
            language=lang,
            intent=OUT_OF_SCOPE,
            confidence=round(decision.confidence, 3) if decision else 0.0,
            buttons=tuple(self._topic_buttons(ids, lang)),
        )

    def _find(self, category: str, session: Session, lang: Language,
              now: dt.datetime | None) -> Reply:
        if self.locator is None:
            return self._no_directory(lang)
        if category not in self.locator.categories:
            return self.message("stale_button", lang)
        session.category = category
        session.offset = 0
        if session.lat is not None and session.lon is not None:
            # Same place, other category: keeps the typed place's name in the answer.
            reply = services.action_reply(self.locator, session, f"cat:{category}", lang, now)
            if reply is not None:
                return reply
        session.awaiting_place = True
        return dataclasses.replace(self.message("near_prompt", lang), request_location=True)

    def _no_directory(self, lang: Language) -> Reply:
        return self.message("no_directory", lang)
