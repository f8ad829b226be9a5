"""The thread of a conversation: after the emergency answer or crisis support, what comes next.

In the worst minutes people write in fragments: "still nothing", "not yet", "we gave one
and nothing", "idk", "je sais pas", "personne s'en rendrait compte". Read alone, those
name no topic, and the bot used to answer "I'm not sure I understood" (or a weak guess,
the overdose signs for "je sais pas") to someone it had just told to call 911 or 9-8-8.
So the session remembers which urgent topic the conversation is in (an intent id, never
the words: the emergency, crisis support, a swallowed medicine, an overamp), and a reply
that would not answer the person gives way to that topic's follow-up: the emergency
steps that matter now, the way to reach 9-8-8, or the topic's answer again.

The thread ends when the person clearly moves on (a topic outside it, answered surely),
after ``THREAD_TURNS`` follow-ups, or with the session (30 minutes idle).
"""

from __future__ import annotations

from bot.knowledge import THREAD_INTENTS, KnowledgeBase
from bot.reply import Reply
from bot.session import Session

EMERGENCY = "emergency"
CRISIS = "crisis_support"
# Follow-ups a thread lasts without being renewed (an emergency reply or crisis support
# renews it): long enough for a wait for the ambulance, short enough to end by itself.
THREAD_TURNS = 8
# In a thread, a topic the matcher picked more weakly than this is more likely a part of
# the thread ("the paramedics just got here" read as calling 911 at 0.52) than a new
# question: the thread's follow-up answers it instead.
SURE = 0.55
# A fragment ("no one here", "je sais pas", "ok") names a topic by one word at most
# ("everything" -> the fentanyl topic at 0.72, "chu tout seul" -> using alone at 0.72):
# in a thread it keeps its topic only when the matcher is this sure ("thanks").
FRAGMENT_WORDS = 3
FRAGMENT_SURE = 0.8
# Replies that never answer a person in a thread: the fallback, a family question about
# topics nobody asked for, the /help and hello small talk.
NOT_AN_ANSWER = frozenset({"out_of_scope", "clarify", "help", "greeting"})
# A fallback this sure is a message surely off-topic ("what time is it"): the person has
# moved on, and the emergency steps would be noise (the dialogue's OFF_TOPIC_SURE).
OFF_TOPIC_SURE = 0.6


def gives_way(reply: Reply, words: int, session: Session, kb: KnowledgeBase) -> str | None:
    """The thread whose follow-up should replace ``reply`` to a message of ``words`` words;
    None to keep ``reply``."""
    thread = session.thread
    if thread is None or thread not in kb.intents or reply.emergency or reply.intent == thread:
        return None
    fragment = words <= FRAGMENT_WORDS
    if reply.intent in NOT_AN_ANSWER:
        # "tired" is off-topic alone; after "i want to die" it is not.
        return thread if fragment or reply.confidence < OFF_TOPIC_SURE else None
    if reply.intent not in kb.intents:
        return None  # a place search, a finder page: answered as asked
    return thread if reply.confidence < (FRAGMENT_SURE if fragment else SURE) else None


def remember(reply: Reply, session: Session, *, follow_up: bool) -> None:
    """Start, renew, carry on or end the session's thread after ``reply`` (``follow_up``:
    the thread's follow-up replaced what the message alone would have got).

    Any other reply carries the thread on: one clear question in the middle ("how do I
    give the spray") does not mean the emergency is over."""
    started = EMERGENCY if reply.emergency else reply.intent
    # The latest says most, except that a child's poisoning or an overamp named in an
    # emergency or a crisis conversation does not make it a lesser one.
    gravest = (EMERGENCY, CRISIS)
    if (
        not follow_up
        and started in THREAD_INTENTS
        and (started in gravest or session.thread not in gravest)
    ):
        session.thread, session.thread_turns = started, 0
        return
    if session.thread is not None:
        session.thread_turns += 1
        if session.thread_turns >= THREAD_TURNS:
            session.thread, session.thread_turns = None, 0
