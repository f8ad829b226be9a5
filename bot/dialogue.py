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
from bot.crisis import CrisisDetector
from bot.emergency import EmergencyDetector, EmergencyVerdict
from bot.families import Families
from bot.knowledge import Intent, KnowledgeBase, PerLanguage
from bot.language import LanguageGuesser
from bot.locator import Locator, NotFound, Region
from bot.locator import answer as services
from bot.matcher import Decision, Matcher, Ranked, decide
from bot.reply import LANGUAGES, Button, Language, PlaceRef, Reply
from bot.session import Session
from bot.staff import reports
from bot.text import fold

EMERGENCY = "emergency"
OUT_OF_SCOPE = "out_of_scope"
CRISIS = "crisis_support"
CLARIFY = "clarify"  # the bot asked which of a family's topics was meant
ALERTS_CURRENT = "alerts_current"
MAX_ACTION_BYTES = 64
_ACTION = re.compile(r"^[a-z_]+(:[A-Za-z0-9_.\-]{1,48})?$")
# Topics offered when nothing matched: the ones that save lives first.
FALLBACK_TOPICS = ("overdose_response", "naloxone_get", "crisis_support", "find_services")
DEFAULT_CATEGORY = "naloxone"
# Never offered as "did you mean": small talk is not a topic, the emergency has its own path.
NOT_SUGGESTED = frozenset({OUT_OF_SCOPE, EMERGENCY, "greeting", "thanks"})
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
        *,
        language: LanguageGuesser | None = None,
        crisis: CrisisDetector | None = None,
        families: Families | None = None,
    ) -> None:
        self.kb = kb
        self.language = language or LanguageGuesser()
        self.crisis = crisis
        self.families = families
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
        lang = self._language(text, session)
        analysis = self.analyzer.analyse(text, lang=lang)
        if not analysis.words:
            return self._fallback("empty", (), session, lang)
        verdict = self._judge(raw_words, analysis)
        if verdict.emergency:
            return self._answer(self.kb.intents[EMERGENCY], session, lang, 1.0, emergency=True)
        routed = self.kb.intents.get(verdict.route) if verdict.route else None
        if routed is not None:
            return self._answer(routed, session, lang, 1.0)
        crisis = self._crisis(raw_words, analysis)
        if crisis is not None:
            return self._answer(crisis, session, lang, 1.0, emergency=crisis.id == EMERGENCY)
        ranked = self.matcher.rank(analysis, limit=5)
        if verdict.held_back_by is not None:
            # A question about overdoses ("what are the signs if..."): never the alarm, and
            # the emergency examples it resembles must not crowd out the topic it asks about.
            ranked = [r for r in ranked if r.intent != EMERGENCY]
        ranked = ranked[:4]
        decision = decide(ranked, self.matcher.tuning, lang)
        intent = self.kb.intents.get(decision.intent) if decision.intent else None
        also: tuple[str, ...] = ()
        if self.families is not None and (intent is None or intent.id != EMERGENCY):
            settled = self.families.resolve(ranked, analysis.words, decision.intent)
            if settled is not None and settled.intent is None and settled.question:
                return self._ask(settled.question, settled.tied, lang, decision)
            if settled is not None and settled.intent is not None:
                intent, also = self.kb.intents[settled.intent], settled.tied
        if intent is not None and intent.id == EMERGENCY:
            if verdict.held_back_by is None:
                # The detector saw no signal but the message reads like the emergency
                # examples: treat it as one. A false alarm costs seconds; a miss, a life.
                return self._answer(intent, session, lang, decision.confidence, emergency=True)
            # A question about an overdose ("what are the steps if..."): the response steps.
            intent = self.kb.intents.get("overdose_response", intent)
        elif intent is None and verdict.signal is not None and verdict.held_back_by:
            # A question naming a sign ("what if they won't wake up") that no topic claims.
            intent = self.kb.intents.get("overdose_response")
        category = self._finder_category(intent)
        # A town named without "in"/"near" counts only in a question about services.
        place = (self.locator.extract_place(text, anywhere=category is not None)
                 if self.locator is not None else None)
        awaiting, session.awaiting_place = session.awaiting_place, False
        if place is None and awaiting and self.locator is not None and (
                intent is None or intent.id in (OUT_OF_SCOPE, "find_services")):
            # Answering "where?": the whole message is the place, known or not.
            place = self.locator.find_place(text)
        if place is not None and (intent is None or category is not None or awaiting):
            # A topic question naming a place ("naloxone in Moncton") is a search.
            category = category or session.category or DEFAULT_CATEGORY
            assert self.locator is not None
            reply = services.place_reply(self.locator, session, place, category, lang, now)
            # An online geocoder (in the async front end) may still find an unknown place.
            extra = {"unknown_place": place.query} if isinstance(place, NotFound) else {}
            return dataclasses.replace(
                reply,
                intent=intent.id if intent is not None and category else "find_services",
                confidence=decision.confidence if intent is not None else 1.0,
                extra={**reply.extra, **extra},
            )
        if intent is not None and category is not None:
            nearby = self._nearby(text, intent, category, session, lang, decision.confidence, now)
            if nearby is not None:
                return nearby
        if intent is None or intent.id == OUT_OF_SCOPE:
            return self._fallback("fallback", decision.candidates, session, lang, decision)
        return self._answer(intent, session, lang, decision.confidence, also=also)

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
        lang = self.language.detect(query, lang)
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

    def _language(self, text: str, session: Session) -> Language:
        # Each message is judged on its own; /lang locks the language instead.
        if not session.language_locked:
            session.language = self.language.detect(text, session.language)
        return session.language

    def _judge(self, raw_words: list[str], analysis: Analysis) -> EmergencyVerdict:
        # Judge both the words as typed and as corrected: a correction must never hide one.
        corrected = self.emergency.judge(analysis.words)
        if corrected.emergency or analysis.words == tuple(raw_words):
            return corrected
        typed = self.emergency.judge(raw_words)
        return typed if typed.emergency or typed.signal else corrected

    def _crisis(self, raw_words: list[str], analysis: Analysis) -> Intent | None:
        """Crisis support for suicidal thinking; the emergency when pills are already taken."""
        if self.crisis is None:
            return None
        verdict = self.crisis.judge(raw_words, analysis.words)
        if not verdict.crisis:
            return None
        return self.kb.intents.get(EMERGENCY if verdict.overdose else CRISIS)

    def _answer(
        self,
        intent: Intent,
        session: Session,
        lang: Language,
        confidence: float,
        emergency: bool = False,
        also: tuple[str, ...] = (),
    ) -> Reply:
        buttons: list[Button] = []
        if intent.services and self.locator is not None:
            session.category = intent.services[0]
            # "Find services" (and /near) asks where: the next message may be a place.
            session.awaiting_place = intent.id == "find_services"
            label = self.kb.message("find_nearest", lang)
            buttons.append(Button(label, f"find:{intent.services[0]}"))
        # Topics tied with this one come first: the person may have meant one of them.
        related = list(dict.fromkeys((*also, *intent.related)))
        buttons += self._topic_buttons([i for i in related if i != intent.id], lang)
        text = intent.answer.get(lang).strip()
        if intent.id == ALERTS_CURRENT:
            text = self._current_alerts(session, lang) or text
        if "{protocol}" in text:
            text = text.replace("{protocol}", self._protocol(session, lang))
        if emergency and self.locator is not None and session.has_place():
            # Where 911 has caveats (Nunavut has none territory-wide), say whom to call.
            region = self._region(session)
            note = region and self.locator.emergency_note(region)
            if note:
                first, _, rest = text.partition("\n")
                text = "\n".join(x for x in (first, note.get(lang), rest) if x)
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
            region = self.locator.region_for(session.lat, session.lon, session.province)
        return region or self.locator.default_region

    def _protocol(self, session: Session, lang: Language) -> str:
        """The overdose-response steps taught in the user's region (else the first known)."""
        region = self._region(session)
        protocol = self.kb.protocols.get((region.protocol if region else None) or "") or next(
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
                 and c.intent not in NOT_SUGGESTED][:2]
        ids = close or [i for i in FALLBACK_TOPICS if i in self.kb.intents]
        header = self.kb.message("did_you_mean" if close else "some_topics", lang)
        # The topics are named in the text too, not only as buttons (some clients hide them).
        listing = "\n".join(f"• {self.kb.intents[i].title.get(lang)}" for i in ids)
        text = f"{self.kb.message(key, lang).rstrip()}\n\n{header}\n{listing}"
        if "911" not in text:
            text += "\n\n" + self.kb.message("call_911", lang)
        return Reply(
            text=text,
            language=lang,
            intent=OUT_OF_SCOPE,
            confidence=round(decision.confidence, 3) if decision else 0.0,
            buttons=tuple(self._topic_buttons(ids, lang)),
        )

    def _ask(self, question: PerLanguage, tied: tuple[str, ...], lang: Language,
             decision: Decision) -> Reply:
        """One short question with a button per tied topic."""
        return Reply(
            text=question.get(lang),
            language=lang,
            intent=CLARIFY,
            confidence=round(decision.confidence, 3),
            buttons=tuple(self._topic_buttons(tied, lang)),
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

    def _finder_category(self, intent: Intent | None) -> str | None:
        """The service category a topic searches: its ``services``, else categories.yaml."""
        if intent is None or self.locator is None:
            return None
        if intent.services:
            return intent.services[0]
        return self.locator.category_for_intent(intent.id)

    def _nearby(
        self,
        text: str,
        intent: Intent,
        category: str,
        session: Session,
        lang: Language,
        confidence: float,
        now: dt.datetime | None,
    ) -> Reply | None:
        """"Near me", or "where..." after a shared or typed place: search, or ask where."""
        assert self.locator is not None
        near_me = self.locator.says_near_me(text)
        if not (near_me or (intent.services and self.locator.asks_where(text))):
            return None
        if session.has_place():
            reply = services.remembered_reply(self.locator, session, category, lang, now)
        elif near_me:
            session.category = category
            session.offset = 0
            session.awaiting_place = True
            reply = dataclasses.replace(self.message("near_prompt", lang), request_location=True)
        else:
            return None  # "where can I get naloxone" with no place yet: the topic answer
        if reply is None:
            return None
        return dataclasses.replace(reply, intent=intent.id, confidence=round(confidence, 3))

    def _no_directory(self, lang: Language) -> Reply:
        return self.message("no_directory", lang)
