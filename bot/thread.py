"""What the conversation said before: the thread of an urgent topic, and the topic just
answered.

In the worst minutes people write in fragments: "still nothing", "not yet", "we gave one
and nothing", "idk", "je sais pas", "personne s'en rendrait compte". Read alone, those
name no topic, and the bot used to answer "I'm not sure I understood" (or a weak guess,
the overdose signs for "je sais pas") to someone it had just told to call 911 or 9-8-8.
So the session remembers which urgent topic the conversation is in (an intent id, never
the words: the emergency, crisis support, a swallowed medicine, an overamp), and a reply
that would not answer the person gives way to that topic's follow-up: the emergency
steps that matter now, the way to reach 9-8-8, or the topic's answer again.

A thread ends after ``MOVED_ON`` replies in a row that clearly answer something else,
after ``THREAD_TURNS`` messages without a new emergency or crisis reply, or with the
session (30 minutes idle). The second half of this module is the topic just answered:
"is it free?" after where to get naloxone.
"""

from __future__ import annotations

from bot.knowledge import THREAD_INTENTS, KnowledgeBase
from bot.reply import Reply
from bot.session import Session

EMERGENCY = "emergency"
CRISIS = "crisis_support"
# Which thread a new one may replace: a crisis reply in the middle of an overdose ("i cant
# do this anymore" from the person helping) does not end the emergency, and a child's
# poisoning or an overamp named in either does not make it a lesser one.
RANK = {EMERGENCY: 3, CRISIS: 2}
# Topics that answer a part of an urgent conversation ("he woke up" -> after naloxone,
# "will the police come" -> Good Samaritan): kept when the matcher chose them, unless it
# was barely sure. Crisis support keeps its own related topics and the service finder.
EMERGENCY_PARTS = frozenset(
    {
        "overdose_aftercare",
        "overdose_response",
        "overdose_myths",
        "overdose_signs",
        "naloxone_use",
        "naloxone_get",
        "naloxone_about",
        "benzos_xylazine",
        "stimulant_overdose",
        "accidental_ingestion",
        "good_samaritan",
        "calling_911",
        "find_services",
    }
)
SMALL_TALK = frozenset({"thanks", "greeting", "help"})
# Answers that say what to do now for a body in danger: crisis support's follow-up never
# replaces them ("im so hot and shaking after meth" after "i want to end my life").
URGENT_TOPICS = frozenset({"stimulant_overdose", "accidental_ingestion"})
# A topic that is part of the thread gives way below these: a sentence ("non on a pas de
# naloxone" read as about naloxone at 0.54, "the paramedics just got here" as calling 911
# at 0.52) or a fragment ("i dont have narcan" as using naloxone at 0.45; "i have narcan"
# at 0.54 and "he took xanax" at 0.59 keep theirs). Small talk only when sure ("hi",
# "merci" at 1.0; "they asked what he took i dont know" read as /help at 0.47 is not).
PART_SURE, PART_FRAGMENT_SURE = 0.55, 0.5
SMALL_TALK_SURE = 0.8
# Parts that are questions of their own: as a fragment they need more ("j'appelle" read
# as Good Samaritan at 0.53, "they picked up" as getting naloxone at 0.51, "where are
# they" as the service finder, whose "where?" would then catch the next message).
QUESTION_PARTS = frozenset({"naloxone_get", "good_samaritan", "calling_911", "find_services"})
QUESTION_FRAGMENT_SURE = 0.65
# Any other topic gives way below these: a sentence (in a crisis conversation "i took a
# break" read as tolerance at 0.66, "je me suis coupée" as drug checking at 0.66; in an
# emergency "combien de temps j'attends" as naloxone at 0.51, while "can i mix weed and
# alcohol" at 0.70 is a question), or a fragment ("chu tout seul" as using alone at
# 0.72, "everything" as fentanyl at 0.72; "what is fentanyl" at 0.95 stays a question).
SURE = {CRISIS: 0.7}
SURE_ELSE = 0.65
FRAGMENT_SURE = 0.9
FRAGMENT_WORDS = 3
# A fallback this sure is a message surely off-topic ("what time is it"): the person has
# moved on (the dialogue's OFF_TOPIC_SURE). A fragment never is: "tired" is off-topic
# alone, not after "i want to die".
OFF_TOPIC_SURE = 0.6
# The thread ends after this many messages without a new emergency or crisis reply (a
# long wait for the ambulance fits), or after MOVED_ON replies in a row that clearly
# answer something else (a topic outside it at MOVED_ON_SURE or more, surely off-topic).
THREAD_TURNS = 20
MOVED_ON = 2
MOVED_ON_SURE = 0.6


def _parts(thread: str, kb: KnowledgeBase) -> frozenset[str]:
    """The topics that go on with a thread, small talk included."""
    if thread == CRISIS:
        intent = kb.intents.get(CRISIS)
        own = frozenset((*(intent.related if intent else ()), "find_services"))
    else:
        own = EMERGENCY_PARTS
    return own | SMALL_TALK | {thread}


def _searched(reply: Reply) -> bool:
    """A place search or its answer: asked for, never replaced ("Vancouver", "BC")."""
    return bool(reply.place or reply.services or reply.unknown_place or reply.province)


def gives_way(
    reply: Reply, words: int, session: Session, kb: KnowledgeBase, *, negated: bool = False
) -> str | None:
    """The thread whose follow-up should replace ``reply`` to a message of ``words`` words
    (``negated``: it says "not" or "no"); None to keep ``reply``."""
    thread = session.thread
    if thread is None or thread not in kb.intents or reply.emergency or reply.intent == thread:
        return None
    if _searched(reply) or reply.intent == "clarify":
        return None
    if thread == CRISIS and reply.intent in URGENT_TOPICS:
        return None  # an overamp named in a crisis conversation keeps its own answer
    if reply.guess:
        return thread  # the model's guess stands where the fallback did: the thread wins
    fragment = words <= FRAGMENT_WORDS
    if reply.intent == "out_of_scope":
        return thread if fragment or reply.confidence < OFF_TOPIC_SURE else None
    if reply.intent not in kb.intents:
        return None  # another page of a search, a report: answered as asked
    if negated and thread != CRISIS and reply.intent.startswith("naloxone_"):
        return thread  # "j'ai pas de narcan": the steps without it (breaths, compressions)
    if reply.intent in SMALL_TALK:
        floor = SMALL_TALK_SURE
    elif reply.intent in _parts(thread, kb):
        if fragment:
            question = reply.intent in QUESTION_PARTS
            floor = QUESTION_FRAGMENT_SURE if question else PART_FRAGMENT_SURE
        else:
            floor = PART_SURE
    else:
        floor = FRAGMENT_SURE if fragment else SURE.get(thread, SURE_ELSE)
    return thread if reply.confidence < floor else None


def remember(reply: Reply, session: Session, kb: KnowledgeBase, *, follow_up: bool) -> None:
    """Start, renew, carry on or end the session's thread after ``reply`` (``follow_up``:
    the thread's follow-up replaced what the message alone would have got).

    One clear question in the middle ("how do I give the spray", "where can I get
    naloxone") does not mean the emergency is over; two in a row about something else do."""
    started = EMERGENCY if reply.emergency else reply.intent
    current = session.thread
    if (
        not follow_up
        and started in THREAD_INTENTS
        and RANK.get(started, 1) >= (RANK.get(current, 1) if current else 0)
    ):
        session.thread, session.thread_turns, session.thread_away = started, 0, 0
        return
    if current is None:
        return
    session.thread_turns += 1
    moved_on = not follow_up and (
        (reply.intent == "out_of_scope" and reply.confidence >= OFF_TOPIC_SURE)
        or (
            reply.intent in kb.intents
            and reply.intent not in _parts(current, kb)
            and reply.confidence >= MOVED_ON_SURE
        )
    )
    session.thread_away = session.thread_away + 1 if moved_on else 0
    if session.thread_turns >= THREAD_TURNS or session.thread_away >= MOVED_ON:
        end(session)


def end(session: Session) -> None:
    """The conversation's urgent part is over ("he's awake", "i feel better now")."""
    session.thread, session.thread_turns, session.thread_away = None, 0, 0


# -- the topic just answered ---------------------------------------------------------
# "is it free?", "c'est légal?", "pis pour les enfants?": a short message after a topic's
# answer often asks more about that topic without naming it. The dialogue reads such a
# message again with the topic's title added; when that reading picks the same topic,
# more surely than the message alone picked another, the topic answers. Never after an
# urgent topic (their thread decides), never over a search, the emergency or crisis
# support, and never over a topic the matcher is sure of ("what is fentanyl" at 0.95 is
# a new question).
TOPIC_WORDS = 6
TOPIC_SURE = 0.9
# The second reading must win by this much over the message's own topic ("is it safe to
# use alone" after drug checking: using alone 0.71, drug checking 0.76 with its title),
# and reach TOPIC_FLOOR after a fallback ("c'est plate": 0.52 with a title, nothing alone).
TOPIC_MARGIN = 0.06
TOPIC_FLOOR = 0.6
NOT_A_TOPIC = frozenset({"out_of_scope", "clarify", *SMALL_TALK})
# A message that names what it asks about ("is crack dangerous" after naloxone: the
# lexicon reads "crack" as "stimulant") is about that, not the last topic.
NAMES_A_TOPIC = frozenset(
    {
        "naloxone",
        "fentanyl",
        "benzo",
        "xylazine",
        "stimulant",
        "opioid",
        "overdose",
        "scs",
        "drugchecking",
        "treatment",
        "supplies",
        "samaritan",
        "nors",
    }
)


# Words that lean on what came before ("is IT free", "are THEY legal", "C'est légal",
# "PIS pour les enfants"): without one, a short message is a message of its own ("i'm
# sad all the time", "j'ai faim"). Not the French articles ("j'aime LA pizza"), nor
# "too" ("my mom drinks too much").
FOLLOWS_ON = frozenset(
    {
        "it",
        "its",
        "they",
        "them",
        "their",
        "that",
        "this",
        "those",
        "these",
        "one",
        "ones",
        "and",
        "also",
        "else",
        "c",
        "ca",
        "ce",
        "ils",
        "elles",
        "eux",
        "y",
        "en",
        "pis",
        "et",
        "aussi",
    }
)
# Topics the message alone is never taken away from: what keeps someone safe now.
SAFETY_TOPICS = frozenset(
    {EMERGENCY, CRISIS, "stimulant_overdose", "accidental_ingestion", "overdose_signs"}
)


def about_last_topic(
    reply: Reply, words: tuple[str, ...], session: Session, kb: KnowledgeBase
) -> str | None:
    """The topic just answered, when ``reply`` to a message of these (analysed) ``words``
    may be a question about it to read again; None otherwise."""
    last = session.last_topic
    if last is None or last not in kb.intents or session.thread is not None:
        return None
    if reply.emergency or reply.intent in (last, CRISIS) or _searched(reply):
        return None
    sure = reply.intent in kb.intents and reply.confidence >= TOPIC_SURE and not reply.guess
    if len(words) > TOPIC_WORDS or sure:
        return None
    if not NAMES_A_TOPIC.isdisjoint(words) or FOLLOWS_ON.isdisjoint(words):
        return None
    if reply.intent in SAFETY_TOPICS or reply.intent in SMALL_TALK:
        return None  # "my chest hurts really bad" stays the overamp, "help me" the help
    if reply.intent == "out_of_scope" and reply.confidence >= OFF_TOPIC_SURE:
        return None  # "what's the weather": surely nothing the last topic answers
    return last


def note_topic(reply: Reply, session: Session, kb: KnowledgeBase) -> None:
    """Remember the topic a reply answered (an intent id), for the next short question."""
    topic = EMERGENCY if reply.emergency else reply.intent
    if topic in kb.intents and topic not in NOT_A_TOPIC:
        session.last_topic = None if topic in THREAD_INTENTS else topic
