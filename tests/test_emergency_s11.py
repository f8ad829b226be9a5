"""Eleventh session (em11): the rules that catch a rescue told in the past tense minutes
after, and the general questions and feelings that must raise no alarm. Our own
phrasings, never copied from an evaluation set; long ones in tests/data/emergency_s11.yaml.

- TRIED and NO_EFFECT: a rescue step that did nothing ("i gave him narcan and he didnt
  wake up", "j'ai donné le narcan il a pas bougé"); not a dose given to the writer, nor
  one that worked after all ("...at first, now hes awake").
- WHEN_TOLD: "when" with a rescue step after it tells a time ("she didnt respond when i
  shook her"); not "when i texted him".
- CAME_ROUND and TURN: a recovery then a relapse ("she woke up but then she passed out
  again") is no past news holding the signal back.
- ``_next_step``: an "if" after a dose given in this scene asks the next step.
- ANGER: being angry at someone holds back the topic matcher's alarm.
- HYPOTHETICAL "say you find", PAST "found him too late".
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.test_emergency import route

LONG: dict[str, list[str]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "emergency_s11.yaml").read_text(encoding="utf-8")
)

FAILED_STEP = [
    "we used two narcans on her and she didnt wake up",
    "i sprayed him twice and he didnt budge",
    "gave him a dose of naloxone, nothing at all",
    "i tried narcan on my gf and she didnt come to",
    "i used narcan on him and he didnt wake up",
    "i gave him narcan and he didnt wake up, hes still not awake",
    "j'ai donné le narcan il s'est pas réveillé, il est toujours pas réveillé",
    "je lui ai donné deux narcans pis elle s'est pas réveillée",
    "on a mis la naloxone il a rien fait",
    "j'ai injecté la naloxone pis y réagit pas",
    "on y a donné une dose de narcan, ça a pas marché",
    *LONG["failed_step"],
]
WHEN_TOLD = [
    "she didnt wake up when i rubbed her sternum",
    "he didnt react when we shook him, so pale",
    "when we tried to wake him he didnt react at all",
    "elle a pas bougé quand on l'a brassée",
    "elle a pas réagi quand je l'ai pincée, elle était molle",
]
RELAPSE = [
    "she woke up after the spray but then she passed out again and her breathing is slow",
    "he was fine an hour ago then he went limp and we couldnt wake him",
    "gave narcan, he woke up, then he stopped breathing",
    "elle s'est réveillée pis après elle s'est rendormie pis elle respire pu",
    "il allait bien tantôt pis là il est tombé pis il se réveille pas",
    "y s'est réveillé après le narcan mais ensuite il a arrêté de respirer",
]
NEXT_STEP = [
    "i gave her naloxone, if she doesnt wake up should i give more",
    "we gave him narcan, if he stops breathing again what do we do",
    "j'ai donné le narcan, si elle respire pas je fais quoi",
    "on y a donné du narcan s'il revient pas faut tu rappeler le 911",
]
# The step given to the writer or tried on no one, a chance not a dose, a handshake, plants,
# a kit given, a story told afterwards, a recovery and nothing after it, a general "if", a
# "when" with no rescue step, an "if" after a dose given long ago, to anyone, next time.
NOT_NOW = [
    "they gave me naloxone in the er last year and i didnt wake up for an hour",
    "they gave me narcan at the clinic and i didnt react to it",
    "on m'a donné du narcan à la clinique pis j'ai pas réagi",
    "i gave her a second chance and she didnt come back",
    "j'y ai donné une autre chance pis il est pas revenu",
    "i shook his hand and he didnt react",
    "i tried narcan once for fun and nothing happened",
    "j'ai essayé la naloxone une fois pour voir pis j'ai pas réagi",
    "i sprayed the plants and they didnt come back",
    "he didnt come back after i gave him his narcan kit",
    "il est pas revenu après que je lui ai donné sa trousse de narcan",
    "j'ai donné du narcan à un gars l'autre jour pis y a pas réagi, y était mort",
    "he woke up and then we took him to the hospital",
    "gave him narcan, he didnt wake up right away but now hes awake",
    "j'ai donné le narcan il a pas réagi tout de suite mais là il est réveillé",
    "last week she was fine then she overdosed, shes in rehab now",
    "my son was fine for two years but then he relapsed and overdosed",
    "y s'est réveillé après le narcan, ensuite il a fait une autre surdose",
    "la semaine passée il allait bien pis il a fait une surdose, il est en thérapie",
    "if someone doesnt wake up after narcan what do i do",
    "si quelqu'un se réveille pas après le narcan on fait quoi",
    "he didnt respond when i texted him",
    "we gave narcan at a party last month, if he stops breathing again what do we do",
    "i gave narcan once, if someone isnt breathing should i do cpr",
    "i gave him narcan before, if he doesnt wake up next time should i call 911",
    "on a donné du narcan dans un party le mois passé, s'il arrête de respirer encore on fait quoi",
    "on a mis du narcan à un gars une fois, si quelqu'un se réveille pas on fait quoi",
    *LONG["told_after"],
]
# Anger at someone, a supposed scene, a general question, a death told.
NO_ALARM = [
    "im so mad at my roommate, right now i cant even look at her",
    "im so angry at my brother right now",
    "im so pissed at my roommate right now lol",
    "je suis en criss contre mon chum en ce moment",
    "je suis tellement fâchée contre ma coloc en ce moment",
    "say you see someone turning blue at a party, whats the first step",
    "we found her too late, the narcan didnt work, i cant stop crying",
    "on l'a trouvé trop tard, le narcan a pas marché",
]
# The same words beside a sign now, or an urgent word: still the emergency.
STILL_THE_EMERGENCY = [
    "im so mad at him right now he wont wake up",
    "chu fâchée contre lui mais là il respire pu",
    "hurry i think we found him too late hes not breathing",
    "vite on l'a trouvé trop tard il respire pu",
]


@pytest.mark.parametrize(
    "text", FAILED_STEP + WHEN_TOLD + RELAPSE + NEXT_STEP + STILL_THE_EMERGENCY
)
def test_a_rescue_under_way_is_the_emergency(text: str) -> None:
    """A step that did nothing, a sign seen when the person was shaken, a relapse, the next
    step asked about, or a sign beside the words that hold back the matcher."""
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", NOT_NOW + NO_ALARM)
def test_near_misses_raise_no_alarm(text: str) -> None:
    """No step of a rescue under way, a story told afterwards, a general question, a
    feeling, a supposed scene or a death told."""
    assert route(text) != "emergency"


# Review of em11: "someone" before the "if" is who gave the dose in this scene; only an
# "if" about anyone, or "next time", makes it a general question.
DOSE_GIVEN_BY_SOMEONE = [
    "someone gave him narcan, if he doesnt wake up what do i do",
    "quelqu'un lui a donné du narcan, s'il se réveille pas on fait quoi",
    "somebody sprayed her with narcan, if she doesnt start breathing do i do cpr",
]
ABOUT_ANYONE = [
    "i gave narcan once, if someone isnt breathing should i do cpr",
    "j'ai donné du narcan une fois, si quelqu'un respire pas je fais quoi",
    "we gave him narcan, next time if he doesnt wake up should i give another",
]


@pytest.mark.parametrize("text", DOSE_GIVEN_BY_SOMEONE)
def test_a_dose_someone_gave_in_this_scene_is_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", ABOUT_ANYONE)
def test_an_if_about_anyone_or_next_time_is_a_question(text: str) -> None:
    assert route(text) != "emergency"


# Review of em11 (a read-only reviewer's battery): a question phrase or "say i find" beside
# a scene under way held back these rescues; those phrases were taken out.
REVIEW_RESCUES = [
    "what do i say i find him like this barely breathing",
    "cpr good idea or not he isnt breathing",
    "bonne idée ou pas de lui donner un autre narcan il respire pas",
]


@pytest.mark.parametrize("text", REVIEW_RESCUES)
def test_a_question_beside_a_scene_stays_the_emergency(text: str) -> None:
    assert route(text) == "emergency"
