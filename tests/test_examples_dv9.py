"""Ninth session (dv9): topic examples for how naloxone acts, for "dying to" as eagerness
for no fun without the drug; keywords for legal risk and the spectrometer.
Our own sentences, not copied from any evaluation set."""

from __future__ import annotations

import pytest

from tests.test_emergency import route

# How naloxone works (brain receptors) and whether it always brings someone back: naloxone_about.
NALOXONE_ABOUT = [
    "how does naloxone act on the brain receptors",
    "does naloxone always bring a person back",
    "comment la naloxone agit sur les récepteurs du cerveau",
    "does narcan bring back everybody who overdoses",
    "how does narcan work in the brain",
]

# "Dying to" meaning eager: off-topic, not treatment or crisis.
OFF_TOPIC = [
    "i am dying to try that new taco place",
    "we are dying to see the fireworks",
]

# Nothing is fun any more without the drug: dependence, treatment (not using alone).
TREATMENT = [
    "i cant enjoy anything anymore unless im high",
    "i get no joy out of anything when i am sober",
    "je trouve plus rien le fun si je prends rien",
]

# Legal risk of giving naloxone, said with "juridique" or "poursuites": good_samaritan.
GOOD_SAMARITAN = [
    "est-ce que je risque des poursuites si je donne de la naloxone",
    "quels problèmes juridiques si j’appelle le 911 pour un ami",
]

# The spectrometer at a checking service: drug_checking.
DRUG_CHECKING = [
    "le spectromètre au site peut-il voir ce qu’il y a dans ma poudre",
    "can the spectrometer tell what is in my pills",
]

# How many overdoses there are now: alerts_current; is naloxone a miracle drug: naloxone_about.
ALERTS = [
    "is the number of overdoses going up or down",
    "le nombre de surdoses a-tu baissé cette année",
]
MIRACLE = ["is narcan some kind of miracle drug"]

# Using on site ("sur place"): consumption_sites.
ON_SITE = [
    "est-ce qu’on peut consommer sur place au site",
    "je peux-tu fumer sur place chez vous",
]

# Statements that must stay with crisis support after the new examples.
CRISIS = [
    "i want to die",
    "je veux mourir",
]


@pytest.mark.parametrize("text", NALOXONE_ABOUT)
def test_dv9_how_naloxone_works_is_naloxone_about(text: str) -> None:
    assert route(text) == "naloxone_about"


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_dv9_dying_to_as_eagerness_is_off_topic(text: str) -> None:
    assert route(text) == "out_of_scope"


@pytest.mark.parametrize("text", TREATMENT)
def test_dv9_no_fun_without_the_drug_is_treatment(text: str) -> None:
    assert route(text) == "treatment"


@pytest.mark.parametrize("text", GOOD_SAMARITAN)
def test_dv9_legal_risk_of_helping_is_good_samaritan(text: str) -> None:
    assert route(text) == "good_samaritan"


@pytest.mark.parametrize("text", DRUG_CHECKING)
def test_dv9_the_spectrometer_is_drug_checking(text: str) -> None:
    assert route(text) == "drug_checking"


@pytest.mark.parametrize("text", ALERTS)
def test_dv9_the_number_of_overdoses_now_is_alerts(text: str) -> None:
    assert route(text) == "alerts_current"


@pytest.mark.parametrize("text", MIRACLE)
def test_dv9_miracle_drug_is_naloxone_about(text: str) -> None:
    assert route(text) == "naloxone_about"


@pytest.mark.parametrize("text", ON_SITE)
def test_dv9_using_on_site_is_consumption_sites(text: str) -> None:
    assert route(text) == "consumption_sites"


@pytest.mark.parametrize("text", CRISIS)
def test_dv9_crisis_stays_crisis(text: str) -> None:
    assert route(text) == "crisis_support"
