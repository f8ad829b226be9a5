"""Tenth session (ex10a): topic examples for naloxone, overdose, services and alerts, French
first. Our own sentences, not copied from any evaluation set (and not the examples either)."""

from __future__ import annotations

import pytest

from tests.test_emergency import route

# Each message is told the way people tell it (a story afterwards, news, an opinion), with no
# topic word the old examples leaned on.
TOPICS = [
    # A past overdose told afterwards: watching a friend once they are back home.
    (
        "mon coloc a fait une od hier, y'est revenu à l'appart, je le surveille-tu",
        "overdose_aftercare",
    ),
    # A past overdose remembered with fear; a rescuer still shaken.
    (
        "j'ai fait une overdose l'an passé, des fois j'y repense pis ça me fait peur",
        "overdose_aftercare",
    ),
    (
        "j'ai sauvé un gars avec ma trousse hier pis chu encore tout à l'envers",
        "overdose_aftercare",
    ),
    ("i brought a guy back with narcan last night and i cant stop shaking", "overdose_aftercare"),
    # A cluster of overdoses told as news.
    ("la poudre qui circule en ville fait des ravages", "alerts_current"),
    ("y'a plein de monde qui tombe avec la dope du coin cette semaine", "alerts_current"),
    ("folks are dropping left and right downtown this week", "alerts_current"),
    # A school or a group wanting kits.
    ("le cégep a-tu de la naloxone en cas d'urgence", "naloxone_get"),
    ("notre organisme voudrait des trousses de naloxone pour les intervenants", "naloxone_get"),
    ("does the high school have narcan kits", "naloxone_get"),
    # Opinions, neighbours and the unease of going to a site.
    ("les voisins se plaignent du centre d'injection dans la rue", "consumption_sites"),
    ("chu pas à l'aise d'aller me shooter devant le personnel du site", "consumption_sites"),
    ("i would rather see people use at the site than in the park", "consumption_sites"),
    # The 911 call told afterwards.
    ("au 911 y m'ont dit qu'y enverraient personne", "calling_911"),
    # A child's ingestion told as the discovery.
    ("mon petit a bu une gorgée de javel", "accidental_ingestion"),
    ("j'ai trouvé ma fille avec ma bouteille de pilules ouverte", "accidental_ingestion"),
    ("my daughter thought my gummies were candy", "accidental_ingestion"),
    # Staying calm.
    ("how do i keep my cool when someone ods", "overdose_response"),
    # Withdrawal now, deciding to stop, staying off it.
    ("ça fait six mois que j'y touche pu", "treatment"),
    ("chu en sevrage depuis deux jours pis c'est terrible", "treatment"),
    ("je veux lâcher la coke pour de bon", "treatment"),
    ("day 4 without dope and im so sick", "treatment"),
    # How the law works, asked plainly.
    ("comment marche la loi du bon samaritain", "good_samaritan"),
    # Leaving someone to sleep it off: what not to do.
    ("il dort juste, on le laisse cuver sur le divan", "overdose_myths"),
    ("un bon café pour le réveiller, ça peut aider?", "overdose_myths"),
    # Where to inject, a kit never used: how to give it (not needles, not getting a kit).
    ("on pique où exactement avec le narcan", "naloxone_use"),
    (
        "j'ai ma trousse depuis un an pis je l'ai jamais utilisée, comment ça marche",
        "naloxone_use",
    ),
    # A kit left in the cold; an empty kit.
    ("le narcan a gelé dans mon auto cette nuit, y marche-tu encore", "naloxone_storage"),
    ("y'a pu de naloxone dans ma trousse, où j'en trouve", "naloxone_get"),
]

# "Gelé" is Québec for high: no question about storing naloxone in the cold.
NOT_STORAGE = [
    "il est gelé ben raide",
    "chu gelée comme une balle",
]

# Statements that must stay with crisis support after the new examples.
CRISIS = [
    "i want to die",
    "je veux mourir",
]


@pytest.mark.parametrize(("text", "intent"), TOPICS)
def test_ex10a_a_story_or_an_opinion_reaches_its_topic(text: str, intent: str) -> None:
    assert route(text) == intent


@pytest.mark.parametrize("text", NOT_STORAGE)
def test_ex10a_gele_for_high_is_not_naloxone_storage(text: str) -> None:
    assert route(text) not in ("naloxone_storage", "emergency")


@pytest.mark.parametrize("text", CRISIS)
def test_ex10a_crisis_stays_crisis(text: str) -> None:
    assert route(text) == "crisis_support"
