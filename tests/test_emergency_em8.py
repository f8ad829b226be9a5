"""Eighth session (em8): bystander signs, a second naloxone dose, counted pills, and the
questions and idioms beside them. Our own sentences, not copied from any evaluation set."""

from __future__ import annotations

import pytest

from tests.test_emergency import route

EM8_EMERGENCY = [
    "my buddy isnt communicating at all, his eyes are half shut",
    "we're holding her up and she keeps sliding down",
    "he cant hold his head up and his lips look weird",
    "we gave him one narcan and he needs another",
    "he needs a second dose of narcan, we only have one",
    "this guy is hardly breathing, he needs help fast",
    "i just swallowed a handful of my mom's pills",
    "i just took 25 tylenol",
    "she swallowed 30 of her sleeping pills",
    "il communique plus du tout, il a les yeux dans le vide",
    "on le tient debout mais il s'effondre",
    "on lui a donné une dose de naloxone et il en faut une autre",
    "elle a avalé 20 pilules",
    "i woke up and my boyfriend isnt breathing",
    "je me suis réveillé et mon chum respire plus",
]

EM8_NOT_EMERGENCY = [
    "what does it mean if someone is barely breathing?",
    "my parents are not communicating at all lately",
    "mon fils communique plus du tout avec nous",
    "traffic is holding her up, she'll be late",
    "mon bebe tient pas encore sa tete",
    "combien de temps attendre avant une deuxième dose de naloxone?",
    "can medical weed be overdosed",
    "que dire au 911 en cas d'urgence ?",
    "i took 30 mg of methadone this morning",
    "i took 12 minutes to run a mile",
    "on a pris 10 jours de vacances",
    "what happens if you take 20 tylenol?",
]


@pytest.mark.parametrize("text", EM8_EMERGENCY)
def test_em8_signs_now_are_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", EM8_NOT_EMERGENCY)
def test_em8_questions_and_idioms_raise_no_alarm(text: str) -> None:
    assert route(text) != "emergency"
