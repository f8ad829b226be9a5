"""The dialogue: turns a message, a location or a button press into a Reply.

Transport-independent: the console, ``hrbot ask`` and the Telegram adapter all call it.
Free text goes down a ladder of steps, each a method (see ``respond``): read the message,
the emergency (it overrides everything), the topic, a place, nearby, then the answer or a
kind fallback. Searches go through ``bot.finder``, the one writer of search state in the
Session. Expected outcomes are return values, never raised.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import actions, reports, thread
from bot.alerts import UTC, AlertRegion, format_current
from bot.analyzer import Analysis, Analyzer
from bot.crisis import CrisisDetector
from bot.crisis_model import DEFAULT_CRISIS_MODEL, NEAR_MISSES, SENTENCES, crisis_closeness
from bot.emergency import EmergencyDetector, EmergencyVerdict
from bot.families import Families
from bot.finder import DEFAULT_CATEGORY, Finder
from bot.knowledge import Intent, KnowledgeBase
from bot.language import LanguageGuesser
from bot.locator import Ambiguous, Found, Locator, Region
from bot.matcher import (
    DEFAULT_SEMANTIC,
    Decision,
    Matcher,
    Ranked,
    SemanticTuning,
    decide,
    fuse,
)
from bot.models import Bilingual
from bot.reply import Button, Language, PlaceRef, Reply
from bot.session import Session
from bot.text import fold, fold_whole

if TYPE_CHECKING:  # the store behind it (sqlite3) loads only where alerts are served
    from bot.alerts import AlertBoard
    from bot.semantic import IntentScores, Semantic, SemanticSettings

EMERGENCY = "emergency"
OUT_OF_SCOPE = "out_of_scope"
CRISIS = "crisis_support"
CLARIFY = "clarify"  # the bot asked which of a family's topics was meant
AFTERCARE = "overdose_aftercare"
ALERTS_CURRENT = "alerts_current"
# Topics offered when nothing matched: the ones that save lives first.
FALLBACK_TOPICS = ("overdose_response", "naloxone_get", "crisis_support", "find_services")
# Never offered as "did you mean": small talk is not a topic, the emergency has its own path.
NOT_SUGGESTED = frozenset({OUT_OF_SCOPE, EMERGENCY, "greeting", "thanks"})
# Candidates below this are noise, not "did you mean": "who won the hockey game" got
# "Help" and "Emergency" at 0.15; the life-saving topics serve it better.
SUGGEST_FLOOR = 0.3
# A message the matcher files under out_of_scope this surely ("what time is it" at 0.91) is
# off-topic: its runners-up ("Supervised sites", "Use naloxone") are noise, so it gets the
# life-saving topics. A narrow out_of_scope win still offers the two closest topics.
OFF_TOPIC_SURE = 0.6
MAX_REPORTS_PER_SESSION = 5  # more are thanked but not forwarded to staff
SEMANTIC_RANKED = 10  # the matcher's candidates fused with the sentence model's
BARE_TOWN_WORDS = 3  # "ottawa", "ottawa on", "st. john's nl": a town alone is a search


@dataclass(frozen=True, slots=True)
class _Message:
    """One message as read: the text, its words as typed, its language and analysis."""

    text: str
    raw_words: list[str]
    lang: Language
    analysis: Analysis


@dataclass(frozen=True, slots=True)
class _Topic:
    """What the message is about: the matcher's decision and the topic it settled on."""

    decision: Decision
    intent: Intent | None
    category: str | None  # the service category the topic searches, if any
    also: tuple[str, ...] = ()  # topics tied with it, offered first
    why: str | None = None  # set when the sentence model chose the topic (bot.semantic)
    guess: bool = False  # the blend with the sentence model chose it (the matcher was unsure)


class Dialogue:
    """Answers one user turn at a time from one loaded resource set."""

    semantic_tuning: SemanticTuning = DEFAULT_SEMANTIC  # when the sentence model counts

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
        alerts: AlertBoard | None = None,
        semantic: Semantic | None = None,
    ) -> None:
        self.kb = kb
        self.language = language or LanguageGuesser()
        self.crisis = crisis
        self.families = families
        self.analyzer = analyzer
        self.matcher = matcher
        self.emergency = emergency
        self.locator = locator
        self._alerts = alerts  # drug-supply alerts in force, when a store is open
        self._semantic = semantic  # the optional sentence model, when a front end set one
        self._buttons: dict[tuple[tuple[str, ...], Language], tuple[Button, ...]] = {}

    @property
    def alerts(self) -> AlertBoard | None:
        """The drug-supply alerts in force ("any alerts?"), when a front end opened them."""
        return getattr(self, "_alerts", None)

    def with_alerts(self, alerts: AlertBoard | None) -> Dialogue:
        """This dialogue answering "any alerts?" from ``alerts``; this one is unchanged."""
        other = copy.copy(self)
        other._alerts = alerts
        return other

    @property
    def semantic(self) -> Semantic | None:
        """The sentence model consulted when the matcher is unsure (None: lexical only)."""
        return self._semantic

    def with_semantic(self, settings: SemanticSettings | None) -> Dialogue:
        """This dialogue consulting the sentence model over its own examples (None: the
        lexical path alone); this one is unchanged."""
        from bot.semantic import Semantic  # numpy and the cache only; the model loads later

        other = copy.copy(self)
        other._semantic = None
        if settings is not None:
            examples = [
                (intent.id, phrase)
                for intent in self.kb.intents.values()
                for _, phrase in intent.examples.all()
            ]
            if self.crisis is not None:  # whole crisis messages, for bot.crisis_model
                examples += [(SENTENCES, s) for s in self.crisis.sentences]
                examples += [(NEAR_MISSES, s) for s in self.crisis.near_misses]
            other._semantic = Semantic(examples, settings)
        return other

    @property
    def finder(self) -> Finder | None:
        """The service finder, when a directory is loaded."""
        return Finder(self.locator) if self.locator is not None else None

    # -- entry points ---------------------------------------------------------------

    def welcome(self, session: Session) -> Reply:
        """The /start greeting in the session's language."""
        lang = session.language
        return Reply(
            text=self.kb.message("welcome", lang),
            language=lang,
            intent="welcome",
            buttons=tuple(
                self._topic_buttons(
                    ("emergency", "naloxone_get", "overdose_signs", "crisis_support"), lang
                )
            ),
        )

    def respond(self, text: str, session: Session, now: dt.datetime | None = None) -> Reply:
        """Answer free text: read it, then emergency, topic, place, answer or fallback; then
        what the conversation said before (bot.thread): the topic just answered, or the
        thread of an urgent topic."""
        before = session.language
        message = self._read(text, session)
        # Judged once: the answer and the thread's news read the same verdict.
        verdict = self._judge(message.raw_words, message.analysis)
        reply = self._respond(message, verdict, session, now)
        reply = self._about_last_topic(message, reply, session)
        if session.thread is not None:
            news = self._thread_news(message, verdict, reply, session)
            reply = self._in_thread(message, news, session, before)
        else:
            thread.remember(reply, session, self.kb, follow_up=False)
        # The topic the person was shown, for the next short question.
        thread.note_topic(reply, session, self.kb)
        return reply

    def _thread_news(
        self, message: _Message, verdict: EmergencyVerdict, reply: Reply, session: Session
    ) -> Reply:
        """What a message says about the urgent thread it is in: a dose taken, the
        overdose coming back, or the person coming round; else ``reply`` unchanged."""
        said, lang = message.analysis.words, message.lang
        if session.thread == CRISIS and self.emergency.taken(said):
            # "j'en ai déjà pris", "i took them": in a crisis conversation, a dose taken.
            return self._answer(self.kb.intents[EMERGENCY], session, lang, 1.0, emergency=True)
        if session.thread != EMERGENCY:
            # After an overamp or a swallowed medicine their own answer says what to do
            # next; after crisis support a sudden calm ("i feel better now that i have a
            # plan") is a warning sign, so it keeps the crisis support.
            return reply
        if self.emergency.relapse(said) or verdict.signal:
            # "he's nodding off again", "il se rendort", or any sign in the middle of an
            # overdose ("he woke up but he's blue"), whatever held the sign back alone.
            return self._answer(self.kb.intents[EMERGENCY], session, lang, 1.0, emergency=True)
        if (
            AFTERCARE in self.kb.intents
            and reply.confidence < 1.0
            and "?" not in message.text
            and self.emergency.recovered(said)
        ):
            # "he's awake", "merci il va mieux": what to do now that naloxone worked. The
            # thread goes on: the overdose can come back ("idk" next still gets the steps).
            # Not a question ("is he awake?"), not "woke up but passed out again"; the
            # rules' own alarm (1.0) still wins.
            return self._answer(self.kb.intents[AFTERCARE], session, lang, 1.0)
        return reply

    def _in_thread(
        self, message: _Message, reply: Reply, session: Session, before: Language
    ) -> Reply:
        """``reply``, or the thread's follow-up when ``reply`` would answer nothing."""
        words = len(message.raw_words)
        negated = self.emergency.negated(message.analysis.words)
        followed = thread.gives_way(reply, words, session, self.kb, negated=negated)
        if followed is not None:
            # "no" or "ok" in a French conversation reads as English: one word does not
            # switch the language of a conversation already going.
            lang = before if words <= 1 and not session.language_locked else message.lang
            session.language = lang
            session.awaiting_place = False  # the reply replaced may have asked "where?"
            intent = self.kb.intents[followed]
            emergency = intent.id == EMERGENCY
            reply = self._answer(intent, session, lang, 1.0, emergency=emergency, follow_up=True)
        thread.remember(reply, session, self.kb, follow_up=followed is not None)
        return reply

    def _about_last_topic(self, message: _Message, reply: Reply, session: Session) -> Reply:
        """ "is it free?" after where to get naloxone: that topic, when the message read
        with the topic's title picks it again (bot.thread.about_last_topic)."""
        last = thread.about_last_topic(reply, message.analysis.words, session, self.kb)
        if last is None:
            return reply
        intent = self.kb.intents[last]
        title = intent.title.get(message.lang)
        # A copy: reading decides the language, which this second reading must not touch.
        again = self._read(f"{message.text} {title}", dataclasses.replace(session))
        ranked = self.matcher.rank(again.analysis, limit=1, lang=message.lang)
        if not ranked or ranked[0].intent != last:
            return reply
        # A topic the sentence model guessed counts as the fallback it stood in for.
        topic = reply.intent in self.kb.intents and reply.intent != OUT_OF_SCOPE and not reply.guess
        needed = reply.confidence + thread.TOPIC_MARGIN if topic else thread.TOPIC_FLOOR
        if ranked[0].score < needed:
            return reply  # "pis si je consomme tout seul?": using alone, surer alone
        return self._answer(intent, session, message.lang, ranked[0].score)

    def _respond(
        self,
        message: _Message,
        verdict: EmergencyVerdict,
        session: Session,
        now: dt.datetime | None,
    ) -> Reply:
        if not message.analysis.words:
            return self._fallback("empty", (), session, message.lang)
        urgent = self._emergency_reply(message, verdict, session)
        if urgent is not None:
            return urgent
        topic = self._topic(message, verdict, session)
        if isinstance(topic, Reply):
            return topic
        return (
            self._place_reply(message, topic, session, now)
            or self._nearby_reply(message, topic, session, now)
            or self._answer_or_fallback(topic, session, message.lang)
        )

    def respond_location(
        self, lat: float, lon: float, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """Answer a shared location with the nearest services."""
        lang = session.language
        if self.finder is None:
            return self._no_directory(lang)
        return self.finder.location(session, lat, lon, lang, session.category, now)

    def respond_place(
        self, place: PlaceRef, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """Answer with services near a place found elsewhere (the online geocoder)."""
        lang = session.language
        if self.finder is None:
            return self._no_directory(lang)
        category = session.category or DEFAULT_CATEGORY
        return self.finder.search(session, place, category, lang, now)

    def respond_action(
        self, action: actions.Action | str, session: Session, now: dt.datetime | None = None
    ) -> Reply:
        """Answer a button press (parsed, or its data); stale or forged ones get a polite reply."""
        lang = session.language
        match actions.parse(action) if isinstance(action, str) else action:
            case actions.Topic(intent_id) if intent_id in self.kb.intents:
                return self.topic(intent_id, session)
            case actions.Lang(code):
                session.language = code
                session.language_locked = True
                return self.message("lang_set", code)
            case actions.Find(category):
                return self._find(category, session, lang, now)
            case actions.Report() | actions.Reason() as report if self.locator is not None:
                return self._report(report, session, lang)
            case (
                actions.More() | actions.OpenNow() | actions.Category() | actions.Place()
            ) as search if self.finder is not None:
                return self.finder.press(session, search, lang, now) or self.message(
                    "stale_button", lang
                )
        return self.message("stale_button", lang)

    def _report(
        self, action: actions.Report | actions.Reason, session: Session, lang: Language
    ) -> Reply:
        """Which problem, then thanks; the chosen report travels in the reply."""
        assert self.locator is not None
        if isinstance(action, actions.Report):
            report = reports.report_reply(self.kb, self.locator, action.service, lang)
        else:
            report = reports.reason_reply(self.kb, self.locator, action.service, action.code, lang)
        report = report or self.message("stale_button", lang)
        if report.report is not None:
            # Reports are anonymous, so flooding is capped per (short-lived) session.
            session.reports_sent += 1
            if session.reports_sent > MAX_REPORTS_PER_SESSION:
                report = dataclasses.replace(report, report=None)
        return report

    def topic(self, intent_id: str, session: Session) -> Reply:
        """The answer for one intent (commands such as /naloxone, the keyboard, buttons)."""
        intent = self.kb.intents[intent_id]
        reply = self._answer(
            intent, session, session.language, 1.0, emergency=intent_id == EMERGENCY
        )
        # The "Overdose now" key or button opens the emergency's thread like a message
        # does: "still nothing" next gets the steps (bot.thread).
        thread.note_topic(reply, session, self.kb)
        thread.remember(reply, session, self.kb, follow_up=False)
        return reply

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
        ranked = self.matcher.rank(analysis, limit, lang=lang)
        ids += [r.intent for r in ranked if r.intent not in ids]
        if not analysis.words:
            ids = list(FALLBACK_TOPICS)
        answers = []
        for intent_id in ids[:limit]:
            intent = self.kb.intents.get(intent_id)
            if intent is not None and intent.id != OUT_OF_SCOPE:
                answers.append(
                    self._answer(intent, session, lang, 1.0, emergency=intent_id == EMERGENCY)
                )
        return answers

    # -- the steps of one message (respond) ------------------------------------------

    def _read(self, text: str, session: Session) -> _Message:
        """The words as typed, the language (unless /lang locked it) and the analysis."""
        # The safety rules read all of it: a long testimony may end with the statement.
        raw_words = fold_whole(text).split()
        lang = self._language(text, session)
        analysis = self.analyzer.analyse(text, lang=lang, folded=raw_words)
        return _Message(text, raw_words, lang, analysis)

    def _emergency_reply(
        self, message: _Message, verdict: EmergencyVerdict, session: Session
    ) -> Reply | None:
        """The emergency, a routed urgent topic, or crisis support; None for anything else."""
        lang = message.lang
        if verdict.emergency:
            return self._answer(self.kb.intents[EMERGENCY], session, lang, 1.0, emergency=True)
        # Before the accidental-ingestion route: "swallowed pills to end it" is no accident.
        crisis = self._crisis(message.raw_words, message.analysis)
        if crisis is not None:
            return self._answer(crisis, session, lang, 1.0, emergency=crisis.id == EMERGENCY)
        routed = self.kb.intents.get(verdict.route) if verdict.route else None
        if routed is not None:
            return self._answer(routed, session, lang, 1.0)
        return None

    def _topic(
        self, message: _Message, verdict: EmergencyVerdict, session: Session
    ) -> _Topic | Reply:
        """The matched topic; a reply when the match settles the turn by itself.

        That is a question when a family of topics ties, or the emergency when the message
        reads like its examples although the detector saw no signal.
        """
        lang = message.lang
        ranked = self.matcher.rank(message.analysis, limit=5, lang=lang)
        if verdict.held_back_by is None and any(r.intent == EMERGENCY for r in ranked):
            # The matcher alone would raise the alarm: not for a past event or a question.
            not_now = self.emergency.not_now(message.analysis.words)
            not_now = not_now or self.emergency.not_now(message.raw_words)
            verdict = dataclasses.replace(verdict, held_back_by=not_now)
        if verdict.held_back_by is not None:
            # A question about overdoses ("what are the signs if..."): never the alarm, and
            # the emergency examples it resembles must not crowd out the topic it asks about.
            # When it names a sign ("qu'est-ce qu'une détresse respiratoire"), not crisis
            # support either: the crisis rules already judged it, "détresse" is no wish to die.
            held = (EMERGENCY, CRISIS) if verdict.signal is not None else (EMERGENCY,)
            ranked = [r for r in ranked if r.intent not in held]
        # (Checked only when it could change anything: the rules cost more than the look.)
        if (
            self.crisis is not None
            and any(r.intent in (EMERGENCY, CRISIS) for r in ranked)
            and self.crisis.vetoed(message.raw_words, message.analysis.words)
        ):
            # A figure of speech or quitting ("je meurs de faim", "en finir avec la drogue"):
            # neither crisis support nor the alarm, whatever examples it resembles.
            ranked = [r for r in ranked if r.intent not in (EMERGENCY, CRISIS)]
        ranked = ranked[:4]
        decision = decide(ranked, self.matcher.tuning, lang)
        # The crisis model's say depends on how sure the matcher alone was, not the blend.
        lexical = decision
        why = None
        scores: IntentScores | None = None
        guess = False
        if self._unsure(decision, lang, len(message.raw_words)) and not self._alarm_near(
            ranked, verdict
        ):
            scores = self._scores(message)
            fused = self._semantic_topic(message, scores)
            if fused is not None:
                (ranked, why), guess = fused, True
                decision = Decision(ranked[0].intent, ranked[0].score, tuple(ranked))
        intent = self.kb.intents.get(decision.intent) if decision.intent else None
        also: tuple[str, ...] = ()
        settled = None
        if self.families is not None and (intent is None or intent.id != EMERGENCY):
            settled = self.families.resolve(ranked, message.analysis.words, decision.intent)
            if settled is not None and settled.intent is None and settled.question:
                return self._ask(settled.question, settled.tied, lang, decision)
            if settled is not None and settled.intent is not None:
                intent, also = self.kb.intents[settled.intent], settled.tied
        # (Not for the answer to "where?": "under the bridge downtown" is a place.)
        if (
            settled is None
            and not session.awaiting_place
            and self._crisis_model_may_answer(
                self.kb.intents.get(lexical.intent) if lexical.intent else None,
                lexical,
                verdict,
                message,
            )
        ):
            scores = scores if scores is not None else self._scores(message)
            near, other = crisis_closeness(scores) if scores is not None else (0.0, 1.0)
            if DEFAULT_CRISIS_MODEL.accepts(near, other):
                why = f"crisis model: {near:.3f} to crisis messages, {other:.3f} to the rest"
                crisis = self.kb.intents[CRISIS]
                return _Topic(decision, crisis, self._finder_category(crisis), (), why)
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
        return _Topic(decision, intent, self._finder_category(intent), also, why, guess)

    def _unsure(self, decision: Decision, lang: Language, words: int) -> bool:
        """The matcher fell back or answers a topic weakly (``words``: the message's length), in
        a language the model helps.
        Not when it answers the emergency or crisis support (kept as they are), nor when it
        judged the message off-topic ("how much is a gram of weed" is no dose question)."""
        if self.semantic is None or lang not in self.semantic_tuning.languages:
            return False
        if decision.intent is None:
            return True
        tuning = self.semantic_tuning
        below = tuning.unsure_below_long if words >= tuning.long_words else tuning.unsure_below
        return (
            decision.intent not in (EMERGENCY, CRISIS, OUT_OF_SCOPE) and decision.confidence < below
        )

    @staticmethod
    def _alarm_near(ranked: list[Ranked], verdict: EmergencyVerdict) -> bool:
        """The rules found a sign (held back by a question: the overdose answer follows), or
        the matcher's best guess, too weak to answer, was the emergency or crisis support:
        keep what the lexical path answers (its fallback carries "call 911" and 9-8-8)."""
        return verdict.signal is not None or bool(
            ranked and ranked[0].intent in (EMERGENCY, CRISIS)
        )

    def _scores(self, message: _Message) -> IntentScores | None:
        """The sentence model's scores for the message; None when it is not there (yet)."""
        semantic = self.semantic
        return semantic.scores(message.text) if semantic is not None else None

    def _crisis_model_may_answer(
        self,
        intent: Intent | None,
        decision: Decision,
        verdict: EmergencyVerdict,
        message: _Message,
    ) -> bool:
        """Whether the sentence model gets a say on crisis support (bot.crisis_model): the
        matcher fell back or answers below ``asked_below`` (off-topic too); the rules saw no
        overdose sign; no figure of speech ("je meurs de faim") was recognised. Both
        languages: unlike the topic blend, it was measured in English too."""
        if self.semantic is None or self.crisis is None or not self.crisis.sentences:
            return False
        if verdict.signal is not None:
            return False
        # Off-topic counts as weak only when the matcher was unsure of that too ("what time
        # is it" is surely off-topic: no need to ask the model).
        weak = intent is None or decision.confidence < DEFAULT_CRISIS_MODEL.asked_below
        if not weak or (intent is not None and intent.id in (EMERGENCY, CRISIS)):
            return False
        return self.crisis.vetoed(message.raw_words, message.analysis.words) is None

    def _semantic_topic(
        self, message: _Message, scores: IntentScores | None
    ) -> tuple[list[Ranked], str] | None:
        """The matcher's ranking fused with the sentence model's, and why; None when the
        model is not there (yet) or the fused winner is unclear. Never the emergency nor
        crisis support (``SemanticTuning.never``): what the rules held back stays so."""
        if scores is None:
            return None
        # More of the matcher's ranking than it answers from: the model's winner is often
        # further down (its lexical share still counts).
        ranked = self.matcher.rank(message.analysis, limit=SEMANTIC_RANKED, lang=message.lang)
        topics = {k: v for k, v in scores.by_intent.items() if k in self.kb.intents}
        fused = fuse(ranked, topics, self.semantic_tuning)
        if not fused:
            return None
        top = fused[0]
        nearest = scores.nearest(top.intent)
        lexical = ranked[0] if ranked else Ranked(OUT_OF_SCOPE, 0.0)
        why = (
            f"semantic: {top.intent} {top.score:.3f} (model {nearest.score:.3f}, nearest "
            f"example {nearest.example!r}; matcher {lexical.intent} {lexical.score:.3f})"
        )
        return fused, why

    def _place_reply(
        self, message: _Message, topic: _Topic, session: Session, now: dt.datetime | None
    ) -> Reply | None:
        """A search when the message names a place (or answers "where?"); else None."""
        awaiting, session.awaiting_place = session.awaiting_place, False
        if self.finder is None or self.locator is None:
            return None
        intent, category = topic.intent, topic.category
        if intent is not None and intent.id == OUT_OF_SCOPE and category is None and not awaiting:
            # "Ottawa" alone: the matcher files some bare town names off-topic (a hockey
            # team, a government); a message that is only a town is a search, as others are.
            return self._bare_town(message, session, now)
        if not (intent is None or category is not None or awaiting):
            return None  # a topic that searches nothing: a place named changes nothing
        # A town named without "in"/"near" counts only in a question about services.
        place = self.locator.extract_place(message.text, anywhere=category is not None)
        if (
            place is None
            and awaiting
            and (intent is None or intent.id in (OUT_OF_SCOPE, "find_services"))
        ):
            # Answering "where?": the whole message is the place, known or not.
            place = self.locator.find_place(message.text)
        if place is None:
            return None
        # A topic question naming a place ("naloxone in Moncton") is a search.
        return self.finder.place(
            session,
            place,
            category or session.category or DEFAULT_CATEGORY,
            message.lang,
            now,
            intent=intent.id if intent is not None else "find_services",
            confidence=topic.decision.confidence if intent is not None else 1.0,
        )

    def _bare_town(
        self, message: _Message, session: Session, now: dt.datetime | None
    ) -> Reply | None:
        """A search near the town that is the whole (short) message; else None."""
        place = self._town_alone(message.text)
        if place is None or self.finder is None:
            return None
        category = session.category or DEFAULT_CATEGORY
        return self.finder.place(
            session, place, category, message.lang, now, intent="find_services", confidence=1.0
        )

    def _town_alone(self, text: str) -> Found | Ambiguous | None:
        """The town that is the whole (short) message ("ottawa", "ottawa on"), if any."""
        if self.locator is None or len(text.split()) > BARE_TOWN_WORDS:
            return None
        place = self.locator.find_place(text)
        return place if isinstance(place, Found | Ambiguous) else None

    def _nearby_reply(
        self, message: _Message, topic: _Topic, session: Session, now: dt.datetime | None
    ) -> Reply | None:
        """ "Near me", or "where..." after a shared or typed place: search, or ask where."""
        intent, category = topic.intent, topic.category
        if intent is None or category is None or self.finder is None or self.locator is None:
            return None
        near_me = self.locator.says_near_me(message.text)
        if not (near_me or (intent.services and self.locator.asks_where(message.text))):
            return None
        confidence = topic.decision.confidence
        if session.has_place():
            return self.finder.remembered(
                session, category, message.lang, now, intent=intent.id, confidence=confidence
            )
        if not near_me:
            return None  # "where can I get naloxone" with no place yet: the topic answer
        self.finder.ask_where(session, category)
        return dataclasses.replace(
            self.message("near_prompt", message.lang),
            intent=intent.id,
            confidence=round(confidence, 3),
            request_location=True,
        )

    def _answer_or_fallback(self, topic: _Topic, session: Session, lang: Language) -> Reply:
        """The topic's answer, or a kind fallback with the closest topics."""
        decision, intent = topic.decision, topic.intent
        if intent is None or intent.id == OUT_OF_SCOPE:
            return self._fallback("fallback", decision.candidates, session, lang, decision)
        reply = self._answer(intent, session, lang, decision.confidence, also=topic.also)
        if topic.why is None:
            return reply
        return self._safety_net(dataclasses.replace(reply, why=topic.why, guess=topic.guess), lang)

    def _safety_net(self, reply: Reply, lang: Language) -> Reply:
        """A topic the sentence model chose where the matcher was unsure keeps what that
        fallback would have carried: "call 911" and a crisis support (9-8-8) button."""
        text = reply.text
        if "911" not in text:
            text += "\n\n" + self.kb.message("call_911", lang)
        shown = {b.action for b in reply.buttons}
        extra = [b for b in self._topic_buttons([CRISIS], lang) if b.action not in shown]
        return dataclasses.replace(reply, text=text, buttons=(*reply.buttons, *extra))

    # -- helpers --------------------------------------------------------------------

    def _language(self, text: str, session: Session) -> Language:
        # Each message is judged on its own; /lang locks the language instead.
        if not session.language_locked:
            found = self.language.detect(text, session.language)
            # A town's name says nothing of the language ("Ottawa" reads as English).
            if found != session.language and self._town_alone(text) is None:
                session.language = found
        return session.language

    def _judge(self, raw_words: list[str], analysis: Analysis) -> EmergencyVerdict:
        # Judge both the words as typed and as corrected: a correction must never hide one.
        corrected = self.emergency.judge(analysis.words)
        if corrected.emergency or analysis.words == tuple(raw_words):
            return corrected
        typed = self.emergency.judge(raw_words)
        # A route needs words the corrector may drop ("je l'ai trouvé avec..."): typed counts.
        return typed if typed.emergency or typed.signal or typed.route else corrected

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
        follow_up: bool = False,
    ) -> Reply:
        """The topic's answer; ``follow_up``: its follow-up instead, when it has one."""
        buttons: list[Button] = []
        if intent.services and self.locator is not None:
            session.category = intent.services[0]
            # "Find services" (and /near) asks where: the next message may be a place.
            session.awaiting_place = intent.id == "find_services"
            label = self.kb.message("find_nearest", lang)
            buttons.append(actions.button(label, actions.Find(intent.services[0])))
        # Topics tied with this one come first: the person may have meant one of them.
        related = list(dict.fromkeys((*also, *intent.related)))
        buttons += self._topic_buttons([i for i in related if i != intent.id], lang)
        said = intent.followup if follow_up and intent.followup is not None else intent.answer
        text = said.get(lang).strip()
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
        return format_current(current, lang, AlertRegion.from_region(region), self.kb)

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
            iter(self.kb.protocols.values())
        )
        return protocol.get(lang).strip()

    def _topic_buttons(self, ids: tuple[str, ...] | list[str], lang: Language) -> list[Button]:
        # The same few hundred sets all day (the knowledge base is immutable): built once.
        key = (tuple(ids), lang)
        found = self._buttons.get(key)
        if found is None:
            found = self._buttons[key] = tuple(
                actions.button(self.kb.intents[i].title.get(lang), actions.Topic(i))
                for i in ids
                if i in self.kb.intents
            )
        return list(found)

    def _fallback(
        self,
        key: str,
        candidates: tuple[Ranked, ...],
        session: Session,
        lang: Language,
        decision: Decision | None = None,
    ) -> Reply:
        if (
            decision is not None
            and decision.intent == OUT_OF_SCOPE
            and decision.confidence >= OFF_TOPIC_SURE
        ):
            candidates = ()  # surely off-topic: its runners-up are noise
        close = [
            c.intent
            for c in candidates
            if c.score >= SUGGEST_FLOOR
            and c.intent in self.kb.intents
            and c.intent not in NOT_SUGGESTED
        ][:2]
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

    def _ask(
        self, question: Bilingual, tied: tuple[str, ...], lang: Language, decision: Decision
    ) -> Reply:
        """One short question with a button per tied topic."""
        return Reply(
            text=question.get(lang),
            language=lang,
            intent=CLARIFY,
            confidence=round(decision.confidence, 3),
            buttons=tuple(self._topic_buttons(tied, lang)),
        )

    def _find(
        self, category: str, session: Session, lang: Language, now: dt.datetime | None
    ) -> Reply:
        if self.finder is None or self.locator is None:
            return self._no_directory(lang)
        if category not in self.locator.categories:
            return self.message("stale_button", lang)
        if session.has_place():
            # Same place, other category: keeps the typed place's name in the answer.
            reply = self.finder.press(session, actions.Category(category), lang, now)
            if reply is not None:
                return reply
        self.finder.ask_where(session, category)
        return dataclasses.replace(self.message("near_prompt", lang), request_location=True)

    def _finder_category(self, intent: Intent | None) -> str | None:
        """The service category a topic searches: its ``services``, else categories.yaml."""
        if intent is None or self.locator is None:
            return None
        if intent.services:
            return intent.services[0]
        return self.locator.category_for_intent(intent.id)

    def _no_directory(self, lang: Language) -> Reply:
        return self.message("no_directory", lang)
