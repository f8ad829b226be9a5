"""Conversations keep their thread: after the emergency answer or crisis support, the next
fragments are read in it (bot/thread.py), on the bundled resources and the real dialogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.reply import Reply
from bot.resources import load_resources
from bot.session import Session
from bot.shared.codec import decode, encode
from bot.thread import THREAD_TURNS
from bot.yamlsource import ResourceError
from tests.helpers.bundled import bundled


def converse(*texts: str, session: Session | None = None) -> list[Reply]:
    """Each message in turn, in one session that starts in English like a new user."""
    session = session or Session(language="en")
    return [bundled().dialogue.respond(t, session) for t in texts]


def followup(intent: str, lang: str) -> str:
    found = bundled().kb.intents[intent].followup
    assert found is not None
    return found.get(lang).strip()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [
        ("my friend isnt breathing", "we gave him one dose and nothing", "en"),
        ("my friend isnt breathing", "not yet", "en"),
        ("my friend isnt breathing", "no one here", "en"),
        ("il respire plus, il est bleu", "pas encore", "fr"),
        ("il respire plus, il est bleu", "toujours rien", "fr"),
    ],
)
def test_a_fragment_after_the_emergency_gets_the_steps_that_matter_now(
    first: str, then: str, lang: str
) -> None:
    """Alone, "not yet" names no topic; after the emergency answer it is still one."""
    alone = converse(then)[0]
    assert not alone.emergency
    opened, reply = converse(first, then)
    assert opened.emergency
    assert reply.emergency and reply.intent == "emergency" and reply.language == lang
    assert reply.text == followup("emergency", lang)
    assert reply.text.startswith(("Call 911", "Appelez le 911"))
    assert reply.request_location  # the urgent reply keeps offering "share my location"


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [
        ("i want to die", "idk", "en"),
        ("i want to die", "ok", "en"),
        ("i want to die", "tired", "en"),
        ("je veux mourir", "je sais pas", "fr"),
        ("je veux mourir", "jpeux appeler personne", "fr"),
    ],
)
def test_a_fragment_after_crisis_support_stays_with_crisis_support(
    first: str, then: str, lang: str
) -> None:
    """ "je sais pas" after "je veux mourir" is no question about overdose signs."""
    opened, reply = converse(first, then)
    assert opened.intent == "crisis_support"
    assert reply.intent == "crisis_support" and not reply.emergency
    assert reply.language == lang
    assert reply.text == followup("crisis_support", lang)
    assert "9-8-8" in reply.text and "911" in reply.text


@pytest.mark.parametrize(
    ("taken", "lang"),
    [
        ("i took them", "en"),
        ("took some", "en"),
        ("j'en ai pris", "fr"),
        ("je les ai prises", "fr"),
    ],
)
def test_a_dose_taken_in_a_crisis_conversation_is_the_emergency(taken: str, lang: str) -> None:
    """What was taken is what the conversation was about: 911 first."""
    _, reply = converse("i want to die" if lang == "en" else "je veux mourir", taken)
    assert reply.emergency and reply.intent == "emergency"


@pytest.mark.parametrize(
    "other",
    ["i took a shower", "I took the day off", "j'ai pris ma décision", "j'ai pris une marche"],
)
def test_taking_something_else_in_a_crisis_conversation_is_no_emergency(other: str) -> None:
    _, reply = converse("i want to die", other)
    assert not reply.emergency


@pytest.mark.parametrize(
    ("then", "intent"),
    [
        ("where can i get naloxone", "naloxone_get"),
        ("how do i give the nasal spray", "naloxone_use"),
        ("thank you", "thanks"),
    ],
)
def test_a_clear_question_in_a_thread_is_answered_as_asked(then: str, intent: str) -> None:
    """The thread answers only what would otherwise go unanswered."""
    _, reply = converse("my friend isnt breathing", then)
    assert reply.intent == intent


def test_a_message_surely_off_topic_is_not_answered_with_the_steps() -> None:
    """ "What time is it" after the emergency: the person moved on; the fallback stands."""
    _, reply = converse("my friend isnt breathing", "what is the capital of france")
    assert not reply.emergency and reply.intent == "out_of_scope"


def test_the_thread_ends_by_itself_and_a_new_one_starts_over() -> None:
    session = Session(language="en")
    converse("my friend isnt breathing", session=session)
    replies = converse(*["not yet"] * (THREAD_TURNS + 1), session=session)
    assert all(r.emergency for r in replies[:THREAD_TURNS])
    assert not replies[THREAD_TURNS].emergency and session.thread is None
    crisis = converse("i want to die", "idk", session=session)
    assert [r.intent for r in crisis] == ["crisis_support", "crisis_support"]


def test_two_clear_questions_on_something_else_end_the_thread() -> None:
    session = Session(language="en")
    converse("my friend isnt breathing", session=session)
    converse("what is the capital of france", "who won the hockey game", session=session)
    assert session.thread is None


def test_an_emergency_in_a_crisis_conversation_moves_the_thread_to_it() -> None:
    session = Session(language="en")
    replies = converse("i want to die", "he is blue and not breathing", "not yet", session=session)
    assert [r.emergency for r in replies] == [False, True, True]
    assert session.thread == "emergency"


def test_a_crisis_reply_does_not_end_an_emergency() -> None:
    """The person helping may say "i cant do this anymore": the overdose is still on."""
    session = Session(language="en")
    replies = converse(
        "my friend isnt breathing", "i cant do this anymore", "still nothing", session=session
    )
    assert replies[1].intent == "crisis_support"
    assert replies[2].emergency and session.thread == "emergency"


@pytest.mark.parametrize(
    ("then", "lang"),
    [("hes awake", "en"), ("thanks he's fine now", "en"), ("merci il va mieux", "fr")],
)
def test_coming_round_gets_the_after_naloxone_answer_and_the_thread_goes_on(
    then: str, lang: str
) -> None:
    """The overdose can come back: stay, see paramedics (the aftercare answer); "idk"
    afterwards still gets the steps."""
    session = Session(language="en")
    _, reply, after = converse("my friend isnt breathing", then, "idk", session=session)
    assert reply.intent == "overdose_aftercare" and reply.language == lang
    assert after.emergency


@pytest.mark.parametrize("then", ["is he awake?", "il va mieux?", "he's not awake"])
def test_a_question_or_a_negation_is_no_recovery(then: str) -> None:
    """The second review's probes: nobody said the person came round."""
    _, reply = converse("my friend isnt breathing", then)
    assert reply.intent != "overdose_aftercare"


@pytest.mark.parametrize(
    "then",
    [
        "he woke up but passed out again",
        "il s'est réveillé mais il respire mal",
        "he's nodding off again",
        "il se rendort",
    ],
)
def test_a_relapse_is_the_emergency_again(then: str) -> None:
    _, reply = converse("my friend isnt breathing", then)
    assert reply.emergency


@pytest.mark.parametrize(
    "then",
    [
        "i feel better now that i have a plan",
        "im ok now i made up my mind",
        "feeling better knowing it will be over soon",
        "je me sens mieux depuis que j'ai décidé",
        "i'm fine now. goodbye",
    ],
)
def test_a_sudden_calm_after_crisis_support_keeps_crisis_support(then: str) -> None:
    """A decision can bring calm: a warning sign, never a goodbye that ends the thread."""
    session = Session(language="en")
    _, reply, after = converse("i want to die", then, "idk", session=session)
    assert reply.intent == "crisis_support" or reply.emergency
    assert after.intent == "crisis_support" or after.emergency


@pytest.mark.parametrize("place", ["Vancouver", "naloxone in ontario", "V6A 1A1"])
def test_a_place_typed_in_a_thread_is_searched(place: str) -> None:
    """A typed place or postal code is a search (or the province's lines), never replaced."""
    _, reply = converse("my friend isnt breathing", place)
    assert reply.place is not None or reply.province is not None or reply.services


@pytest.mark.parametrize("greeting", ["hi", "bonjour", "menu"])
def test_small_talk_the_matcher_is_sure_of_is_answered(greeting: str) -> None:
    _, reply = converse("my friend isnt breathing", greeting)
    assert reply.intent in ("greeting", "help")


def test_no_in_a_french_conversation_stays_french() -> None:
    """One word ("no", "ok") does not switch the language of a conversation going on."""
    _, reply = converse("il respire plus, il est bleu", "no")
    assert reply.emergency and reply.language == "fr"


def test_no_naloxone_in_an_emergency_gets_the_steps_without_it() -> None:
    _, reply = converse("my friend isnt breathing", "i dont have naloxone what do i do")
    assert reply.emergency and "chest" in reply.text


def test_the_thread_is_a_topic_id_and_survives_the_trip_to_redis() -> None:
    """Replicas share it; it holds a topic id and a count, never the person's words."""
    session = Session(language="en")
    converse("my friend isnt breathing", "not yet", session=session)
    copy = decode(Session, encode(session))
    assert copy is not None and (copy.thread, copy.thread_turns) == ("emergency", 1)
    assert "breathing" not in encode(session).decode()
    _, reply = converse("still nothing", "", session=copy)
    assert reply.emergency


def test_a_followup_on_another_topic_is_flagged_for_staff(tmp_path: Path) -> None:
    """Only the emergency and crisis support have threads: elsewhere the text is never said."""
    root = tmp_path / "resources"
    shutil.copytree(Path(__file__).resolve().parent.parent / "resources", root)
    path = root / "intents" / "naloxone.yaml"
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("    related:")
    path.write_text(
        head + "    followup:\n      en: call 911\n      fr: appelez le 911\n" + sep + rest,
        encoding="utf-8",
    )
    resources = load_resources(root)
    assert any("'followup' is only said" in str(w) for w in resources.warnings)


PROBES = yaml.safe_load(
    (Path(__file__).parent / "data" / "thread_probes.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("turns", PROBES["emergency"], ids=lambda t: t[-1])
def test_review_probe_dose_taken_is_the_emergency(turns: list[str]) -> None:
    assert converse(*turns)[-1].emergency


@pytest.mark.parametrize("turns", PROBES["not_emergency"], ids=lambda t: t[-1])
def test_review_probe_something_else_taken_is_no_emergency(turns: list[str]) -> None:
    assert not converse(*turns)[-1].emergency


@pytest.mark.parametrize("turns", PROBES["answered"], ids=lambda t: t[-1])
def test_review_probe_clear_question_is_answered_as_asked(turns: list[str]) -> None:
    reply = converse(*turns)[-1]
    assert not reply.emergency and reply.intent not in ("out_of_scope", "clarify")
    thread_texts = {followup(i, reply.language) for i in ("emergency", "crisis_support")}
    assert reply.text not in thread_texts


@pytest.mark.parametrize(
    ("first", "then", "topic"),
    [
        ("c'est quoi un site de consommation supervisée", "c'est légal?", "consumption_sites"),
        ("what are supervised consumption sites", "are they legal", "consumption_sites"),
        ("c'est quoi la naloxone", "pis pour les enfants?", "naloxone_about"),
    ],
)
def test_a_short_question_about_the_topic_just_answered_stays_on_it(
    first: str, then: str, topic: str
) -> None:
    """Alone, "c'est légal?" reads as carrying naloxone legally; after supervised sites it
    asks about them."""
    assert converse(then)[0].intent != topic
    assert converse(first, then)[-1].intent == topic


@pytest.mark.parametrize(
    ("first", "then", "topic"),
    [
        ("what is naloxone", "is crack dangerous", "stimulant_overdose"),
        ("what is naloxone", "what is fentanyl", "fentanyl_about"),
        (
            "je sors de prison, ma tolérance va être comment",
            "pis si je consomme tout seul?",
            "using_alone",
        ),
        ("what is naloxone", "thanks", "thanks"),
        ("what is safer use", "my chest hurts really bad", "stimulant_overdose"),
    ],
)
def test_a_new_question_after_a_topic_is_answered_as_asked(
    first: str, then: str, topic: str
) -> None:
    """It names its own topic, or the matcher is surer of it alone."""
    assert converse(first, then)[-1].intent == topic


def test_an_acknowledgement_after_a_topic_is_not_answered_again() -> None:
    assert converse("what is naloxone", "ok")[-1].intent == "out_of_scope"


PROBES2 = yaml.safe_load(
    (Path(__file__).parent / "data" / "thread_probes2.yaml").read_text(encoding="utf-8")
)


def _expected(reply: Reply, expected: str) -> bool:
    """A turn's label: "" anything, "a|E" one of them (E: the emergency), "!a" not a."""
    if not expected:
        return True
    got = "E" if reply.emergency else reply.intent
    alternatives = expected.split("|")
    if any(a[1:] in (got, reply.intent) for a in alternatives if a.startswith("!")):
        return False
    wanted = [a for a in alternatives if not a.startswith("!")]
    return not wanted or got in wanted or reply.intent in wanted


@pytest.mark.parametrize("turns", PROBES2, ids=lambda t: t[0][0][:40])
def test_second_review_conversation(turns: list[list[str]]) -> None:
    replies = converse(*(text for text, _ in turns))
    wrong = [
        (text, expected, reply.intent, reply.emergency)
        for (text, expected), reply in zip(turns, replies, strict=True)
        if not _expected(reply, expected)
    ]
    assert not wrong


def test_a_fragment_the_finder_would_ask_about_does_not_open_its_question() -> None:
    """ "where are they" mid-emergency (the paramedics): the steps, and "idk" next is no
    place name."""
    session = Session(language="en")
    replies = converse("my friend isnt breathing", "where are they", "idk", session=session)
    assert all(r.emergency for r in replies)
    assert not session.awaiting_place


def test_the_overdose_now_button_opens_the_thread_too() -> None:
    """The /start keyboard's "Overdose now" and its inline button are how many arrive."""
    session = Session(language="en")
    pressed = bundled().dialogue.respond_action("intent:emergency", session)
    assert pressed.emergency
    assert converse("still nothing", session=session)[0].emergency


@pytest.mark.parametrize(
    "then",
    [
        "he woke up but he's blue",
        "he woke up but he's gasping",
        "he woke up but is snoring weird",
        "he woke up but he's not breathing",
    ],
)
def test_a_sign_in_an_overdose_conversation_is_the_emergency(then: str) -> None:
    """The code review's probes: a sign counts even where "woke up" held it back alone."""
    _, reply = converse("my friend isnt breathing", then)
    assert reply.emergency


@pytest.mark.parametrize(
    "then", ["im so hot and shaking after meth", "my buddy is really hot and twitching after meth"]
)
def test_an_overamp_in_a_crisis_conversation_keeps_its_answer(then: str) -> None:
    _, reply = converse("i want to end my life", then)
    assert reply.intent == "stimulant_overdose" or reply.emergency


def test_meds_taken_as_usual_in_a_crisis_conversation_are_no_emergency() -> None:
    assert not converse("i want to end my life", "i already took my meds this morning")[
        -1
    ].emergency
    assert converse("i want to end my life", "i took all my meds")[-1].emergency


def test_the_topic_remembered_is_the_one_shown() -> None:
    session = Session(language="en")
    converse("i want to die", "i took a shower", session=session)
    assert session.last_topic is None


def test_a_followup_without_911_first_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "resources"
    shutil.copytree(Path(__file__).resolve().parent.parent / "resources", root)
    path = root / "intents" / "emergency.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "        Call 911 now if no one has. Stay on the line", "        Stay on the line"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ResourceError) as error:
        load_resources(root)
    assert "must start with the call to 911" in str(error.value.problems)
