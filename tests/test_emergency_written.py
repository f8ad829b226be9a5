"""Ninth session: what the written emergency set's read half taught, in our own sentences
(not copied from any evaluation set): compressions said plainly, lips darkening, the
writer alone and falling asleep; machines, plants and series that "won't wake" or "die";
a scene supposed ("admettons"), "y a 2 semaines" without "il", someone awake again."""

from __future__ import annotations

import pytest

from tests.eval.run import CRISIS_ROUTES
from tests.test_emergency import route

NOW = [
    "im pushing on her chest like they showed us, still nothing",
    "je pousse sur sa poitrine depuis 2 minutes",
    "j'appuie sur son torse pis y respire pas",
    "his lips are going dark and hes not answering",
    "ses lèvres foncent pis y répond pas",
    "les lèvres y viennent bleues",
    "im alone and im falling asleep after that pill",
    "chu toute seule pis je m'endors, j'ai pris un truc",
    # Time words that still leave a person in trouble now.
    "y a 2 semaines il a arrêté, là il a rechuté pis il respire pu",
    "y a un gars à terre qui respire pas",
    "ya une fille qui bouge pu dans la toilette",
    # "Là" after a comma is the Québec "now", as "pis là" already was.
    "la semaine passée il a arrêté, là il respire pu",
    "il était correct tantôt, astheure il respire pu",
]

NOT_NOW = [
    "my computer wont wake up after the update",
    "mon ordinateur se réveille pas ce matin",
    "le cell se réveille pas même branché",
    "we overdosed on netflix all weekend",
    "on a fait une overdose de séries hier",
    "ma plante meurt, elle a trop d'eau",
    "admettons qu'il respire pu, je fais quoi en premier?",
    "mettons que je trouve mon chum bleu, c'est quoi les étapes",
    "supposons qu'elle tombe sans connaissance au party",
    "j'ai fait une surdose y a un mois pis j'y pense encore",
    "mon oncle a fait une od ya 3 ans",
    "ma soeur a fait une od quand j'avais 15 ans",
    "he overdosed when i was a kid and i still remember it",
    "il a perdu connaissance au party mais là il est réveillé pis il parle",
    "l'an passé il a fait une od, là il est en thérapie",
    # Looking for the nearest kit is a search (naloxone_get), not a scene.
    "where is the nearest narcan",
    "where's the closest naloxone to me",
    # "Dying to" is eagerness.
    "my sister is dying to see the show",
    "he's dying to know what happened",
    "my phone battery is dying",
]


@pytest.mark.parametrize("text", NOW)
def test_a_person_in_trouble_now_is_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", NOT_NOW)
def test_machines_suppositions_and_stories_raise_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


# The same question with a person in trouble stays the emergency.
@pytest.mark.parametrize("text", ["hes not breathing where is the nearest narcan"])
def test_a_sign_beside_the_search_is_still_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize(
    "text", ["where is the closest narcan kit", "where's the nearest naloxone kit"]
)
def test_the_nearest_kit_is_where_to_get_naloxone(text: str) -> None:
    assert route(text) == "naloxone_get"


# Buying drugs and "dead" things that are no person are out of scope.
@pytest.mark.parametrize(
    "text",
    ["où trouver du bon hasch en ville", "where can i find good hash in town", "chu mort de rire"],
)
def test_buying_and_figures_of_speech_are_out_of_scope(text: str) -> None:
    assert route(text) == "out_of_scope"


# Thinking about joining someone who died of an overdose: crisis support (9-8-8), not the
# alarm ("i think" is the narrator's present, as "now" is after a story); and joining
# someone at the gym is neither.
@pytest.mark.parametrize(
    "text",
    [
        "my cousin overdosed last year and i keep thinking about joining him",
        "ever since she overdosed i think about joining her a lot",
    ],
)
def test_thinking_of_joining_the_dead_is_crisis_support(text: str) -> None:
    assert route(text) == "crisis_support"


@pytest.mark.parametrize(
    "text", ["i keep thinking about joining him at the gym", "should i join her for lunch"]
)
def test_joining_someone_somewhere_is_no_crisis(text: str) -> None:
    assert route(text) not in CRISIS_ROUTES
