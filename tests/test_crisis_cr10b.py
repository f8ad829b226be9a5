"""Tenth session, round 2 (cr10b): a gun where one will soon be alone with it, told in a
long sentence; pills collected over time; a noose tied or a rope attached and ready. Kept
off crisis support: using again so the withdrawal stops ("reconsommer tout de suite pour
que ça arrête", "un fix pour que ça arrête"), a phone ("mon tel va mourir"), a tolerance
built up, a wedding ("tied the knot"). Every message here was written for this file (none
comes from tests/eval).
"""

from __future__ import annotations

import pytest

from bot.text import fold_whole
from tests.eval.run import CRISIS_ROUTES
from tests.test_crisis import crisis_rules, route

CRISIS = [
    "my dad's shotgun is in the garage and everyone is gone this weekend, ill be alone with it",
    "theres a rifle at my uncles camp and im driving up there by myself tomorrow night",
    "le fusil de chasse de mon pere est au chalet pis j'monte la-bas tout seul en fin de semaine",
    "i've been collecting pills for months, theyre in a shoebox under my bed",
    "the noose is tied, im just sitting here looking at it",
    "la corde est attachée au plafond, chu juste assis là à la regarder",
    "la corde est prete dans le garage",
    # Using "so it stops for good" stays crisis support: only the withdrawal is no signal.
    "jveux consommer pour que ca arrete pour de bon",
    "jveux reconsommer pour que ca arrete pour de bon",
    "jvais prendre un fix pour que ca arrete, jveux mourir",
    "je veux que ça arrête pour toujours",
]

NOT_CRISIS = [
    "apres le narcan y etait en manque pis y voulait reconsommer tout de suite pour que ca arrete",
    "chu en manque, j'veux juste un fix pour que ça arrête",
    "jveux reconsommer pour que ca arrete le manque",
    "il veut consommer pour que ça arrête le sevrage, c'est tu dangereux",
    "mon tel va mourir bientot",
    "mon phone va mourir, j'te texte plus tard",
    "i built up a tolerance to oxys over the years",
    "we tied the knot last summer and my husband still uses",
    "collecting used needles in a sharps box, where do i drop them off",
]


@pytest.mark.parametrize("text", CRISIS)
def test_cr10b_statements_reach_crisis_support(text: str) -> None:
    assert route(text) in CRISIS_ROUTES


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_cr10b_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in CRISIS_ROUTES
    assert route(text) != "grief_support"


@pytest.mark.parametrize("text", NOT_CRISIS[:6])
def test_cr10b_withdrawal_and_phone_are_no_crisis_signal(text: str) -> None:
    assert not crisis_rules().judge(fold_whole(text).split()).crisis


# Anger at someone alive is no grief; anger since a death still is.
NOT_GRIEF = [
    "i'm so mad at my sister i could punch a wall",
    "je suis en colère contre mon père",
]

GRIEF = [
    "is it normal to be this angry since my brother died of an od",
    "je suis tellement en colère depuis que mon frère est mort d'une surdose",
    "im furious at the guy who sold my son the fentanyl that killed him",
]


@pytest.mark.parametrize("text", NOT_GRIEF)
def test_cr10b_anger_at_someone_alive_is_no_grief(text: str) -> None:
    assert route(text) != "grief_support"


@pytest.mark.parametrize("text", GRIEF)
def test_cr10b_anger_after_a_death_is_grief(text: str) -> None:
    assert route(text) == "grief_support"
