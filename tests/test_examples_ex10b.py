"""Tenth session (ex10b): topic examples for stimulants, fentanyl, drug checking, how much,
tolerance, wounds, safer use, using alone, family support and out of scope, mostly in
Québec phone French. Our own sentences, not copied from any evaluation set."""

from __future__ import annotations

import pytest

from tests.helpers.bundled import bundled
from tests.test_emergency import route

# The body told in the first person after a stimulant (the pulse, the heart rate), no
# overdose word; "coke" alone no longer claims the topic (see OFF_TOPIC).
STIMULANT = [
    "chu sur la coke pis mon coeur veut pas ralentir",
    "mon rythme cardiaque est rendu fou après le speed",
    "my pulse is going crazy after a few lines, is that bad",
]

# Fentanyl's potency and unpredictability without its name.
FENTANYL = [
    "la dope est rendue tellement forte, une miette peut te tuer?",
    "j'ai trouvé de la poudre dans les toilettes du bureau, c'est dangereux d'être proche?",
    "d'une fois à l'autre la force de la dope est jamais pareille, pourquoi",
]

# "Testé" (stemmed apart from "tester"), "ma poudre".
DRUG_CHECKING = [
    "j'ai jamais fait tester ma poudre, ça se fait où",
    "ma coke a été testée pis y avait de la xylazine",
]

# A number of milligrams asked about.
HOW_MUCH = [
    "is 6 mg of dilaudid too much",
    "combien de mg d'oxy c'est trop d'un coup",
]

# Going back to the old amount after time off, detox or jail.
TOLERANCE = [
    "off for two months, can i go back to my usual amount",
    "j'ai arrêté deux mois, je peux-tu consommer comme avant",
    "sorti de désintox hier pis je veux consommer ce soir",
    "Après trois mois sans rien prendre, est-ce que mon corps va réagir comme avant",
]

# "Site d'injection" as the spot on the body; burns from a pipe.
WOUNDS = [
    "mon site d'injection est enflé pis rouge",
    "j'ai une cloche sur le doigt à cause de la pipe",
]

# Festivals, the "mode de consommation".
SAFER_USE = [
    "je m'en vais dans un festival, des conseils pour consommer safe",
    "c'est quoi le mode de consommation le moins risqué pour la MD",
]

USING_ALONE = [
    "quelqu'un avec du narcan pas loin pendant que je consomme",
]

# "Se droguer", a kid who smokes pot, a coworker.
FAMILY = [
    "my coworker keeps coming in high, how do i bring it up with her",
    "ma fille se drogue pis je sais pas comment l'aider",
    "mon gars fume du pot tous les jours, je devrais m'inquiéter?",
]

# Figures of speech with death, hunger or anger; a dead or dying battery; possession law;
# making drugs (the bot never helps with that).
OFF_TOPIC = [
    "mon laptop va mourir, passe-moi le chargeur",
    "how do you press your own pills",
    "comment cuisiner du crack chez nous",
    "ma batterie de cell est morte",
    "j'ai une faim de loup",
    "le show hier soir était mortel",
    "chu tanné de mon boss",
    "can i get fined for carrying too much weed",
    "i could murder my roommate, he used all the hot water",
]

# Statements that must stay with crisis support after the new examples.
CRISIS = [
    "je veux mourir",
    "i want to end my life",
    "j'ai envie de prendre tout mon stock et de partir",
]


@pytest.mark.parametrize("text", STIMULANT)
def test_ex10b_a_racing_heart_after_a_stimulant(text: str) -> None:
    assert route(text) == "stimulant_overdose"


@pytest.mark.parametrize("text", FENTANYL)
def test_ex10b_potency_without_the_word_fentanyl(text: str) -> None:
    assert route(text) == "fentanyl_about"


@pytest.mark.parametrize("text", DRUG_CHECKING)
def test_ex10b_tested_and_my_powder_are_drug_checking(text: str) -> None:
    assert route(text) == "drug_checking"


@pytest.mark.parametrize("text", HOW_MUCH)
def test_ex10b_milligrams_asked_about(text: str) -> None:
    assert route(text) == "how_much"


@pytest.mark.parametrize("text", TOLERANCE)
def test_ex10b_the_old_amount_after_time_off(text: str) -> None:
    assert route(text) == "tolerance"


@pytest.mark.parametrize("text", WOUNDS)
def test_ex10b_the_injection_spot_and_pipe_burns(text: str) -> None:
    assert route(text) == "wound_care"


@pytest.mark.parametrize("text", SAFER_USE)
def test_ex10b_festivals_and_ways_of_using(text: str) -> None:
    assert route(text) == "safer_use"


@pytest.mark.parametrize("text", USING_ALONE)
def test_ex10b_someone_nearby(text: str) -> None:
    assert route(text) == "using_alone"


@pytest.mark.parametrize("text", FAMILY)
def test_ex10b_a_relative_who_uses(text: str) -> None:
    assert route(text) == "family_support"


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_ex10b_figures_of_speech_and_everyday_life_are_off_topic(text: str) -> None:
    assert route(text) == "out_of_scope"


@pytest.mark.parametrize("text", CRISIS)
def test_ex10b_crisis_stays_crisis(text: str) -> None:
    assert route(text) == "crisis_support"


# Québec spellings the lexicon folds (ex10b): they were left to the typo corrector before.
QUEBEC_SPELLINGS = [
    ("icitte", ("ici",)),
    ("faque", ("donc",)),
    ("kesse", ("qu", "est", "ce")),
    ("chui", ("je", "suis")),
]


@pytest.mark.parametrize(("word", "words"), QUEBEC_SPELLINGS)
def test_ex10b_quebec_spellings_fold_to_the_written_word(word: str, words: tuple[str, ...]) -> None:
    assert bundled().analyzer.analyse(word, lang="fr").words == words
