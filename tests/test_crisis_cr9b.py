"""Ninth session (cr9b): crisis support's vaguest short French examples were made longer so
one everyday word ("veux", "à bout", "en peux plus") no longer wins the topic for it, and a
plant or a battery that dies is not a person. Every message here was written for this file
(none comes from tests/eval).
"""

from __future__ import annotations

import pytest

from tests.eval.run import CRISIS_ROUTES
from tests.test_crisis import route

ROUTED = CRISIS_ROUTES

# Still crisis support, through the rules or the (longer) examples.
STILL_CRISIS = [
    "je veux mourir",
    "je veux mourir, ça arrête pas dans ma tête",
    "j'en peux plus",
    "j'en peux plus de vivre de même",
    "je suis à bout",
    "je suis à bout, je veux pu continuer",
    "j'ai pu envie de vivre",
    "j'ai pu envie de vivre, je vois pas la fin",
    "je pleure tous les soirs pis je me sens vide",
    "I want to die",
    "je me sens seul",
    "je me sens tellement seule ce soir",
    "chu à bout, j'en peux pu",
    "je veux en finir",
    "en finir une fois pour toutes",
]

# A plant or a phone battery dying, someone offering a ride, cutting down: no crisis.
NOT_CRISIS = [
    "mes plantes vont mourir si je les arrose pas",
    "ma plante est en train de mourir, j'ai oublié de l'arroser",
    "my plants are dying while im away, any tips",
    "j'ai envie de réduire ma consommation mais c'est dur",
    "si tu veux, je peux t'apporter du matériel",
    "je sens que ça va être une grosse journée",
    "au bout de la rue il y a un site d'injection?",
    "ça va finir par passer, le down après le speed?",
]


@pytest.mark.parametrize("text", STILL_CRISIS)
def test_cr9b_statements_still_reach_crisis_support(text: str) -> None:
    assert route(text) in ROUTED


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_cr9b_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED
