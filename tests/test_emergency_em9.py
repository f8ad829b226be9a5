"""Ninth session (em9): a story with what came next, a dream, a sleeper one hopes stays
asleep, a bad batch one came across; and the emergencies phrased next to them. Our own
sentences, not copied from any evaluation set."""

from __future__ import annotations

import pytest

from tests.test_emergency import route

EM9_EMERGENCY = [
    "the baby wont wake up",
    "my baby won't wake up",
    "the kids wont wake up and theyre breathing weird",
    "le bébé se réveille pas",
    "i think he overdosed, he's not breathing",
    "he overdosed a week ago and now hes not breathing again",
    "she had overdosed before and now she wont wake up",
    "il est tombé sur le plancher pis il respire pas",
    "il est tombé sur une pilule pis là il respire plus",
    "i have nightmares about this but right now he is blue and not breathing",
    "i hope he's ok, he won't wake up",
    "je pense qu'il a fait une overdose, il respire pas",
    "she was purple when we pulled her out of the water",
    "il était bleu quand on l'a sorti de l'eau",
    "he looked grey when i turned him over",
    "i took everything in the cabinet to end it",
    "j'ai tout pris pour en finir",
    "i dont care if i overdose, hes not breathing",
    "i cant get her to respond at all",
    "we shook him and nothing, he just lies there",
    "i think i shot way too much, everything is spinning",
    "il revient pas à lui",
    "elle reprend pas connaissance",
    "j'arrive pas à la faire réagir",
    "je me suis injecté trop, je me sens partir",
    "i wish i had been there, hes not breathing",
    "if only i had narcan, he's not breathing",
]

EM9_NOT_EMERGENCY = [
    "i hope the baby wont wake up while i use",
    "hopefully the kids don't wake up while i smoke",
    "i use in the bathroom so the baby won't wake up",
    "i overdosed last spring and a few days later i was back using",
    "he overdosed and months later he finally went to treatment",
    "elle a fait une surdose pis une semaine plus tard elle consommait encore",
    "my cousin thought her boyfriend had overdosed but he was just asleep",
    "apparently i overdosed at the party",
    "i have nightmares about my son overdosing",
    "j'ai des cauchemars où mon fils fait une overdose",
    "how to stay calm in an emergency situation",
    "comment rester calme dans une situation d'urgence?",
    "il est tombé sur une mauvaise batch l'an passé",
    "i cant get him to respond to treatment",
    "i shot too much last week and ended up in the hospital",
    "ma mère revient pas à la maison avant demain",
    "i blame myself for not being there when she overdosed",
    "je m'en veux tellement de pas avoir été là quand elle a fait une surdose",
    "si seulement il avait pas fait de surdose",
    "if only i could have stopped him from overdosing",
]


@pytest.mark.parametrize("text", EM9_EMERGENCY)
def test_em9_a_person_in_trouble_now_is_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", EM9_NOT_EMERGENCY)
def test_em9_suppositions_stories_and_wishes_raise_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


# Someone else took everything, or not caring whether one overdoses: crisis support, not 911.
EM9_CRISIS = [
    "my ex left and took everything. im going to end it",
    "she took everything from me, i want to end it",
    "il m'a tout pris, je veux en finir",
    "i dont care if i overdose now",
]


@pytest.mark.parametrize("text", EM9_CRISIS)
def test_em9_a_loss_or_not_caring_is_crisis_support(text: str) -> None:
    assert route(text) == "crisis_support"
