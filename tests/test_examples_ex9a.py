"""Ninth session (ex9a): topic examples for grief, family support, treatment and out of scope.
Our own sentences, not copied from any evaluation set."""

from __future__ import annotations

import pytest

from tests.test_emergency import route

# Grief told without a death word (numbness, relief, the coroner, memories, "est parti"),
# or as the story's end (one pill, the paramedics too late).
GRIEF = [
    "i feel guilty for being a little relieved that his fight is over",
    "we are still waiting for the coroner to tell us what happened to my daughter",
    "he was the kindest person i knew and i miss him every day",
    "depuis le décès de ma sœur je suis complètement engourdi",
    "mon garçon est parti l'an passé pis j'arrive pas à m'en remettre",
    "on attend encore le rapport du coroner pour mon frère",
    "c'était quelqu'un de bon, elle méritait pas de partir de même",
    "he tried one pill at a concert and it cost him his life",
    "the medics worked on her for a long time but it was already too late",
    "mon gars faisait juste essayer, une pilule lui a coûté la vie",
    "les ambulanciers ont tout fait mais il était déjà trop tard pour mon frère",
]

# Dependence told as a story: a prescription gone early, child protection and treatment.
TREATMENT = [
    "my prescription runs out two weeks early every month and i end up buying off the street",
    "la DPJ est-tu avertie si je commence un traitement de suboxone",
]

# A relative's story that names a drug or a doctor: family support, not the drug's topic.
FAMILY = [
    "my son started on percs, then heroin, and now hes into crack",
    "my girlfriend admitted she uses cocaine and owes a dealer money",
    "should i take my brother to see a doctor about his drug use, he refuses to come",
    "mon fils a commencé avec du pot, après les pilules, astheure c'est le crack",
    "ma blonde m'a avoué qu'elle prend de la coke pis qu'elle doit de l'argent",
    "mon frère m'appelle juste pour avoir de l'argent pour sa dope",
    "est-ce que j'amène ma fille voir un médecin pour sa consommation, elle veut rien savoir",
]

# Family and everyday life with no drug question, and opinions on drug policy: off-topic.
OFF_TOPIC = [
    "my mom is mad that i forgot to do the dishes again",
    "the politicians on tv keep arguing about the drug war",
    "ma sœur m'a encore volé mon chargeur, elle m'énerve",
    "les politiciens parlent encore de la guerre à la drogue aux nouvelles",
]

# Statements that must stay with crisis support after the new examples.
CRISIS = [
    "i want to die",
    "je veux mourir",
]


@pytest.mark.parametrize("text", GRIEF)
def test_ex9a_grief_without_a_death_word(text: str) -> None:
    assert route(text) == "grief_support"


@pytest.mark.parametrize("text", TREATMENT)
def test_ex9a_dependence_told_as_a_story_is_treatment(text: str) -> None:
    assert route(text) == "treatment"


@pytest.mark.parametrize("text", FAMILY)
def test_ex9a_a_relatives_story_is_family_support(text: str) -> None:
    assert route(text) == "family_support"


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_ex9a_everyday_family_life_and_policy_talk_are_off_topic(text: str) -> None:
    assert route(text) == "out_of_scope"


@pytest.mark.parametrize("text", CRISIS)
def test_ex9a_crisis_stays_crisis(text: str) -> None:
    assert route(text) == "crisis_support"
