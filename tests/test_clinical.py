"""The public-health review's probes (and variants) through the real dialogue.

Each test checks the route and the facts that matter, not the wording: a rewording of an
answer keeps them green, a wrong fact (3-5 minutes, a missing Poison Centre number, 9-8-8
before 911) turns them red.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from bot.reply import Reply
from bot.resources import Resources
from bot.session import Session
from tests.helpers.bundled import bundled

POISON = re.compile(r"1-844-764-7669|1-844-POISON-X")
QUEBEC_POISON = "1-800-463-5060"
SECOND_DOSE = re.compile(
    r"another dose|autre dose|second dose|deuxième dose|repeat|refaites", re.IGNORECASE
)


@cache
def resources() -> Resources:
    return bundled()


def ask(text: str, lang: str = "en") -> Reply:
    return resources().dialogue.respond(text, Session(language=lang))  # type: ignore[arg-type]


def first_line(reply: Reply) -> str:
    return reply.text.strip().splitlines()[0]


def says_call_911_first(reply: Reply) -> bool:
    line = first_line(reply).lower()
    return "911" in line and ("call" in line or "appelez" in line)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("i took a bunch of pills to kill myself", "en"),
        ("I swallowed all my pills to end it", "en"),
        ("took everything in the medicine cabinet, i want to die", "en"),
        ("j'ai pris plein de pilules pour mourir", "fr"),
        ("j'ai avalé tous mes comprimés pour en finir", "fr"),
    ],
)
def test_deliberate_overdose_gets_911_first_then_988_in_their_language(
    text: str, lang: str
) -> None:
    """An overdose taken on purpose is an overdose: the emergency answer, 911 before 9-8-8."""
    reply = ask(text, lang)
    assert reply.emergency and reply.intent == "emergency"
    assert reply.language == lang
    assert says_call_911_first(reply)
    assert "9-8-8" in reply.text
    assert reply.text.index("911") < reply.text.index("9-8-8")
    assert "naloxone" in reply.text.lower()


def test_past_suicide_attempt_is_crisis_support_not_an_alarm() -> None:
    """'Years ago' holds back the alarm; the crisis answer still opens with the 911 line."""
    reply = ask("i took pills to kill myself years ago and the thoughts are back")
    assert not reply.emergency
    assert reply.intent == "crisis_support"
    assert "9-8-8" in reply.text


def test_crisis_answer_opens_with_911_for_someone_who_took_something() -> None:
    """The 9-8-8 answer's first line sends anyone who took something to 911 (C1)."""
    for lang, text in (("en", "i want to kill myself"), ("fr", "je veux mourir")):
        reply = ask(text, lang)
        assert reply.intent == "crisis_support"
        assert says_call_911_first(reply)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my kid got into my methadone", "en"),
        ("my toddler swallowed one of my pills", "en"),
        ("my 4 year old chewed on a fentanyl patch", "en"),
        ("the baby swallowed a pill she found on the floor", "en"),
        ("mon enfant a avalé une de mes pilules", "fr"),
        ("ma petite a mangé un comprimé de méthadone", "fr"),
    ],
)
def test_accidental_ingestion_gets_911_if_drowsy_and_the_poison_centre(
    text: str, lang: str
) -> None:
    """A child who swallowed methadone or pills: 911 if drowsy, naloxone, Poison Centre (C2)."""
    reply = ask(text, lang)
    assert reply.intent == "accidental_ingestion"
    assert reply.language == lang
    assert "911" in first_line(reply)
    assert "naloxone" in reply.text.lower()
    assert POISON.search(reply.text)
    assert QUEBEC_POISON in reply.text
    assert "traitement" not in first_line(reply).lower()


def test_a_sleepy_child_who_swallowed_pills_is_an_emergency() -> None:
    """Drowsy after swallowing: the emergency answer itself, 911 first."""
    reply = ask("my son swallowed my methadone and now he wont wake up")
    assert reply.emergency
    assert says_call_911_first(reply)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("poison control number", "en"),
        ("what's the number for the poison centre", "en"),
        ("numéro du centre antipoison", "fr"),
    ],
)
def test_poison_centre_number_can_be_asked_for(text: str, lang: str) -> None:
    """The Poison Centre number is in the knowledge base and reachable by asking."""
    reply = ask(text, lang)
    assert reply.intent == "accidental_ingestion"
    assert POISON.search(reply.text) and QUEBEC_POISON in reply.text


def test_emergency_answer_follows_health_canada_and_fits_a_screen() -> None:
    """Call 911 first; 2-3 minutes judged by breathing; compressions; never; if it's you."""
    for lang, text in (
        ("en", "my friend is turning blue and wont wake up"),
        ("fr", "il ne respire plus, aidez-moi"),
    ):
        reply = ask(text, lang)
        assert reply.emergency and reply.language == lang
        assert says_call_911_first(reply)
        dose = next(line for line in reply.text.splitlines() if SECOND_DOSE.search(line))
        assert re.search(r"2-3|2 à 3", dose)
        assert re.search(r"breath|respir", dose, re.IGNORECASE)
        assert not re.search(r"3-5|3 à 5", dose)
        text_l = reply.text.lower()
        assert "chest" in text_l or "poitrine" in text_l
        assert "seizure" in text_l or "convulsions" in text_l
        assert "ice" in text_l or "glace" in text_l
        assert "unlock" in text_l or "déverrouillez" in text_l
        assert "9-8-8" in reply.text
        assert len(reply.text.splitlines()) <= 12
        assert len(reply.text) <= 1600


def test_no_answer_or_protocol_waits_3_to_5_minutes_for_a_second_dose() -> None:
    """Health Canada calls '3-5 minutes' for a second dose an error: nothing may say it."""
    kb = resources().kb
    texts = [i.answer.get(lang) for i in kb.intents.values() for lang in ("en", "fr")]
    texts += [p.get(lang) for p in kb.protocols.values() for lang in ("en", "fr")]
    for text in texts:
        for line in text.splitlines():
            if SECOND_DOSE.search(line):
                assert not re.search(r"3-5|3 à 5", line), line


def test_every_protocol_has_compressions_and_the_2_to_3_minute_dose() -> None:
    """SAVE ME and the 5 steps both push on the chest and re-dose after 2-3 minutes."""
    for protocol in resources().kb.protocols.values():
        assert "chest" in protocol.en and "poitrine" in protocol.fr
        assert "2-3" in protocol.en and "2 à 3" in protocol.fr


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("he is having a seizure after meth", "en"),
        ("il fait des convulsions après le speed", "fr"),
    ],
)
def test_seizure_gets_the_emergency_answer_with_a_seizure_line(text: str, lang: str) -> None:
    """The detector sends seizures to the emergency answer: it must say what to do (M3)."""
    reply = ask(text, lang)
    assert reply.emergency
    assert re.search(r"hold them down|retenez", reply.text)
    assert re.search(r"mouth|bouche", reply.text)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("should i put him in an ice bath", "en"),
        ("should i make her throw up", "en"),
        ("can i inject salt water to wake him up", "en"),
        ("should i walk him around to keep him awake", "en"),
        ("is it fine to just let him sleep it off", "en"),
        ("je peux lui injecter de l'eau salée", "fr"),
    ],
)
def test_dangerous_myths_get_a_clear_no(text: str, lang: str) -> None:
    """Cold water, salt or milk shots, vomiting, walking: the answer says don't (M4)."""
    reply = ask(text, lang)
    assert reply.intent == "overdose_myths"
    assert re.search(r"\bdon'?t\b|\bne\b.*\bpas\b", reply.text, re.IGNORECASE)
    assert "911" in reply.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("he woke up after narcan and is throwing up", "en"),
        ("he came to after the naloxone and wants to use again", "en"),
        ("il s'est réveillé après la naloxone et il veut reconsommer", "fr"),
    ],
)
def test_aftercare_after_naloxone(text: str, lang: str) -> None:
    """Stay, it wears off, the overdose can come back, withdrawal, side position (M5)."""
    reply = ask(text, lang)
    assert reply.intent == "overdose_aftercare"
    t = reply.text.lower()
    assert re.search(r"stay|restez", t)
    assert re.search(r"30-90|30 à 90", t)
    assert re.search(r"withdrawal|sevrage", t)
    assert re.search(r"side|côté", t)


def test_benzos_answer_gives_breaths_and_warns_against_more_naloxone() -> None:
    """Naloxone didn't wake him: breaths if not breathing; more naloxone won't wake (M6, M7)."""
    reply = ask("narcan didnt wake him up, is it benzos")
    assert reply.intent == "benzos_xylazine"
    assert "1 breath every 5 seconds" in reply.text
    assert "won't wake" in reply.text
    assert re.search(r"wound", reply.text) and "soap" in reply.text
    fr = ask("c'est quoi la benzo dope", "fr")
    assert "généralement" in fr.text and "presque toujours" not in fr.text


def test_naloxone_about_covers_withdrawal_pregnancy_children() -> None:
    """Withdrawal, pregnancy and children are in the naloxone answer (M8)."""
    reply = ask("is naloxone safe for a pregnant woman")
    assert reply.intent == "naloxone_about"
    t = reply.text.lower()
    assert "pregnancy" in t and "children" in t and "withdrawal" in t


def test_good_samaritan_says_exactly_who_is_protected() -> None:
    """The caller even if they leave, and anyone still there when help arrives (M9)."""
    en = ask("good samaritan law")
    fr = ask("loi du bon samaritain", "fr")
    assert en.intent == fr.intent == "good_samaritan"
    assert "still there when help arrives" in en.text
    assert "whether they stay or leave" not in en.text
    assert "encore sur place à l'arrivée des secours" in fr.text
    assert "warrants" in en.text and "mandats" in fr.text


def test_nors_is_marked_english_only_in_every_french_answer() -> None:
    """A French answer naming NORS says the service is in English (M10)."""
    for intent in resources().kb.intents.values():
        if "NORS" in intent.answer.fr or "1-888-688-6677" in intent.answer.fr:
            assert "anglais" in intent.answer.fr, intent.id
    nors = next(h for h in resources().locator.helplines if h.id == "nors")  # type: ignore[union-attr]
    assert nors.languages == ["en"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("i lost my son to an overdose last year and im not coping", "en"),
        ("my brother died of a fentanyl overdose in march, how do families get through this", "en"),
        ("j'ai perdu mon fils d'une surdose, y a tu du soutien pour les parents", "fr"),
    ],
)
def test_grief_answer_never_tells_a_bereaved_parent_to_get_a_kit(text: str, lang: str) -> None:
    """Bereaved families get grief support and 9-8-8, never 'get a naloxone kit' (M11)."""
    reply = ask(text, lang)
    assert reply.intent == "grief_support"
    assert not reply.emergency
    assert "9-8-8" in reply.text
    assert "naloxone" not in reply.text.lower()
    assert re.search(r"sorry|désolé", reply.text)


@pytest.mark.parametrize(
    ("text", "intent", "must"),
    [
        ("just got out of detox and want to use", "tolerance", r"3 days"),
        ("lost my tolerance after jail", "tolerance", r"much smaller"),
        ("my injection spot is red and swollen", "wound_care", r"abscess"),
        ("is it ok to reuse my needle", "safer_use", r"don't share or reuse"),
    ],
)
def test_highest_risk_moments_get_their_answer(text: str, intent: str, must: str) -> None:
    """Tolerance after jail or detox, infection, reuse: answered (M12)."""
    reply = ask(text)
    assert reply.intent == intent
    assert re.search(must, reply.text)


def test_welcome_no_longer_contradicts_privacy() -> None:
    """The welcome doesn't promise 'I don't store what you write' (M14)."""
    welcome = resources().kb.messages["welcome"]
    assert "don't store what you write" not in welcome.en
    assert "ne garde pas ce que vous écrivez" not in welcome.fr
    assert "/privacy" in welcome.en and "/privacy" in welcome.fr


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how much should i take to get high", "en"),
        ("how many pills to get really high", "en"),
        ("combien en prendre pour être bien gelé", "fr"),
    ],
)
def test_how_much_never_gives_a_dose(text: str, lang: str) -> None:
    """A harm-reduction answer with no amount in it (m26)."""
    reply = ask(text, lang)
    assert reply.intent == "how_much"
    assert not re.search(
        r"\d+\s*(mg|mcg|µg|g\b|ml|pills?|points?|pilules?)", reply.text, re.IGNORECASE
    )
    assert re.search(r"test|petite quantité", reply.text)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hope for wellness", "crisis_support"),
        ("kids help phone", "crisis_support"),
        ("nitazenes", "fentanyl_about"),
        ("can you od from touching fentanyl", "fentanyl_about"),
        ("is carfentanil stronger than fent", "fentanyl_about"),
    ],
)
def test_helpline_names_and_substances_are_recognised(text: str, intent: str) -> None:
    """Helpline names and key substances reach their topic (m29, m10)."""
    assert ask(text).intent == intent


def test_touching_fentanyl_is_said_to_be_safe_to_help() -> None:
    """Touching fentanyl won't cause an overdose: it is safe to help someone (m10)."""
    assert "safe to help" in ask("can you od from touching fentanyl").text


def test_i_am_overdosing_and_alone_gets_911_and_the_unlocked_door() -> None:
    """The person alone: call 911 now, unlock the door (m6)."""
    reply = ask("i think im overdosing and im alone")
    assert reply.emergency and says_call_911_first(reply)
    assert "unlock the door" in reply.text


def test_calling_911_answer_names_location_and_nunavut() -> None:
    """What to tell 911, and where there is no 911."""
    reply = ask("what do i say when i call 911 for an od")
    assert reply.intent == "calling_911"
    assert "address" in reply.text and "Nunavut" in reply.text


def test_naloxone_storage_and_legal_to_carry() -> None:
    """Storage, expiry and carrying naloxone legally."""
    reply = ask("is it legal to carry naloxone")
    assert reply.intent == "naloxone_storage"
    assert "legal" in reply.text and "prescription" in reply.text
    cold = ask("my narcan froze in the car overnight, does it still work")
    assert cold.intent == "naloxone_storage"
    assert "use the kit you have" in cold.text


def test_needlestick_gets_wash_and_care() -> None:
    """A needlestick: soap and water, medical care right away."""
    reply = ask("i got poked by a used needle")
    assert reply.intent == "needles"
    assert "soap and water" in reply.text and "right away" in reply.text


def test_treatment_has_988_pregnancy_and_vodp() -> None:
    """Treatment names 9-8-8, pregnancy and Alberta's VODP (m18)."""
    reply = ask("im tired of living like this, what are my options")
    assert "9-8-8" in reply.text
    text = ask("how do i get on suboxone").text
    assert "1-844-383-7688" in text and "Pregnant" in text
    fr = ask("comment commencer la méthadone", "fr").text
    assert "agonistes opioïdes" in fr


def test_french_uses_canadian_terms() -> None:
    """'Analyse de substances', 'trousse de naloxone', 'pair aidant' (m19, m22)."""
    kb = resources().kb
    answers = " ".join(i.answer.fr for i in kb.intents.values())
    assert "analyse de drogues" not in answers.lower()
    assert "personne paire" not in answers
    assert "pair aidant" in kb.intents["using_alone"].answer.fr
