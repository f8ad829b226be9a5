"""Tenth session (cr10): Québec ways of saying it ("ça me tente pu", "chu pu capab", "pour
pas revenir", "j'me fais pas confiance à soir"), pills counted or laid out, two means named
together, a gun and going off alone, a farewell; a day fixed or a decision said for
treatment ("i picked the day, i'm going to rehab") is no crisis, nor a phone, a car, a trip
or a long week. Every message here was written for this file (none comes from tests/eval).
"""

from __future__ import annotations

import pytest

from bot.text import fold_whole
from tests.eval.run import CRISIS_ROUTES
from tests.test_crisis import crisis_rules, route

ROUTED = CRISIS_ROUTES

CRISIS_FR = [
    "ça me tente pu de vivre",
    "ca me tente pu pantoute d'être en vie",
    "jai pu aucun fun dans vie",
    "j'ai pu l'goût d'continuer",
    "j'ai pas le goût de voir demain",
    "jsuis pu capable",
    "chu pu capab",
    "j'aimerais être pu là demain",
    "ca sert a rien que je reste icitte",
    "j'ai écrit des lettres pour après",
    "j'veux sacrer mon camp pis pu revenir",
    "j'ai envie de partir en voyage pis pas revenir",
    "j'devrais pas être en vie",
    "j'aurais dû y rester l'autre fois",
    "personne va pleurer quand j'vais partir",
    "je me sens pas safe à soir",
    "j'me fais pas confiance à soir",
    "chu tannée d'me réveiller le matin",
    "j'vas toute finir ça à soir",
    "je compte pis recompte mes pilules depuis hier",
    "j'ai aligné tous mes cachets sur le lit",
    "si je pars, quelqu'un va tu s'en rendre compte",
    "ça dérangerait personne si je crevais",
    "mon choix est fait, je pars à soir",
    "la corde ou le fusil, j'sais pu",
    "les pilules ou le pont, j'arrive pas à choisir",
    "prends soin de maman, je vous aime fort",
    "j'ai le fusil de mon père pis j'monte au chalet tout seul",
    "c'est décidé, adieu tout le monde",
    # "quelqu'un" and "y'a" fold to one word: the phrases spelling them in two still count.
    "si j'm'en vais, ça va-tu faire de la peine à quelqu'un",
    "est-ce que quelqu'un va s'ennuyer de moi",
    "y'a pu de lumière au bout du tunnel",
    # Second batch.
    "j'toffe pu",
    "j'ai envie de lâcher prise pour de bon",
    "je veux lâcher la vie",
    "j'ai pu rien à faire sur terre",
    "ma place est pu icitte",
    "si demain je me réveille pas tant mieux",
    "j'en ai ma claque de vivre",
    "j'en ai plein mon casque de la vie",
    "chu brûlé, j'veux pu rien savoir de la vie",
    "je me fais peur à soir",
    "j'ai peur de moi-même",
    # Fed up with a job and wanting to die, struggling to sleep and wanting to self-harm.
    "j'en peux pu de ma job pis j'veux mourir",
    "j'en peux pu de ma vie",
    "j'ai du mal à dormir pis j'veux me faire du mal",
    "chu resté sur le pont toute la nuit à regarder l'eau",
    "à soir j'ai décidé que c'était la fin",
    "la ceinture est attachée à la tringle du garde-robe",
    "chu assis dans l'auto dans le garage pis le moteur tourne",
    "j'suis sur le bord du toit",
    "chu su'l pont, j'regarde en bas",
    "chu tannée de faire semblant que ça va",
    "j'ai planifié d'en finir samedi",
    "mes enfants seraient mieux avec une autre mère",
    # France-French testimony forms.
    "je pense de plus en plus au passage à l'acte",
    "la mort me paraissait la seule issue",
    "mourir c'était la meilleure solution pour moi",
    "j'ai juste envie de mettre fin à tout ça",
    "je ne supporte plus d'être en vie",
    "je voudrais ne jamais être née",
    "je me suis penchée à la fenêtre pour sauter",
]

CRISIS_EN = [
    "i should have died that night",
    "i dont want to see another day",
    "i dont feel safe tonight",
    "i'm so tired of waking up",
    "i wrote letters for everyone for after",
    "i feel like ending everything tonight",
    "idc if i wake up tomorrow",
    "i wish i never existed",
    "ive been counting my moms sleeping pills",
    "i laid out all my meds on the table",
    "the rope or the gun, i keep going back and forth",
    "take care of mom, i love you so much",
    "my uncles shotgun is in the barn and im heading there by myself",
    "i swallowed all the pills hoping it would be enough",
    "i decided, goodbye everyone",
    "i scare myself tonight",
    "there's no light at the end of the tunnel for me",
    "been on the overpass staring down for an hour",
    "that night i decided it was the end",
    "got the belt tied to the closet rod",
    "in the garage with the car running, door shut",
    "im on the edge of the roof",
    "i honestly cant do life anymore",
    "so tired of pretending im okay all the time",
    "im planning to end it after the holidays",
    "thinking i should check out for good",
    "my kids would be better off with a different mom",
    "dying felt like the only way out",
]

# A day fixed or a decision said, with a death word, a goodbye or treatment said to fail:
# still crisis support. And the day fixed alone still is.
STILL_CRISIS = [
    "i picked the day, rehab didnt work so whats the point",
    "i picked the day to die, rehab is pointless",
    "tonight is the night, no more detox, goodbye",
    "ive made up my mind, detox failed and i want to die",
    "j'ai choisi la date, la thérapie a pas marché",
    "c'est décidé, la désintox sert à rien, adieu",
    "j'ai choisi le jour pour mourir, j'irai pas en thérapie",
    "ma décision est prise, je veux mourir, pas de désintox",
    "i picked the day",
    "j'ai choisi la date",
    "tonight is the night, ive decided",
    "c'est décidé, c'est pour à soir",
    "my phone is dying and honestly so am i, i want to die",
    "mon cell est mort pis moi aussi j'veux mourir",
]

# A day fixed for treatment; a phone, a car, a trip, a long week: no crisis.
NOT_CRISIS = [
    "i picked the day, i'm going to rehab",
    "picked the date for detox, feb 10",
    "i chose the day to start my methadone",
    "ive made up my mind, im going to detox monday",
    "tonight is the night, i decided to call the detox line",
    "my mind is made up, im getting clean this time",
    "j'ai choisi la date pour entrer en thérapie",
    "j'ai choisi le jour, j'rentre en désintox lundi",
    "c'est décidé, j'm'en vais en thérapie fermée",
    "ma décision est prise, j'arrête de consommer",
    "mon choix est fait, je commence la méthadone lundi",
    "j'ai fixé la date de mon sevrage",
    "c'est pour à soir, j'appelle la désintox",
    "my phone is dying can you help",
    "my phone is about to die, whats the closest site",
    "battery dying, where can i get naloxone fast",
    "j'ai envie de partir en voyage",
    "on part en voyage la semaine prochaine, j'amène ma naloxone",
    "je sens que ma semaine va être longue",
    "la fin de semaine va être longue sans mes chums",
    "il va bien finir par se réveiller",
    "i counted my pills to check the pharmacy got it right",
    "i built up a tolerance to pills",
    "j'ai caché mes pilules de ma coloc",
    "je me fais peur quand je conduis",
    "c'est mon dernier soir à la job avant les vacances",
    "on a dit bye à tout le monde pis on est partis",
    "y'a de la lumière au bout du tunnel",
    "chu pu capable de mon boss",
    "la corde pis la lame sont dans mon sac de camping",
    # Fed up with a job, a city, someone; "j'ai du mal à" (I struggle to).
    "j'en peux pu de ma job",
    "j'en pouvais pu de cette ville, j'ai déménagé",
    "j'en peux plus du bruit de mes voisins",
    "j'essaie de couper ma conso mais j'ai du mal",
    "j'ai du mal avec le sevrage",
    "on a marché sur le pont pour regarder l'eau pis les bateaux",
    "on a accroché des lumières au plafond avec une rallonge",
    "i tied the rope to my tent",
]

# A phone, a car, being worn out: no grief either.
NOT_GRIEF = [
    "mon cell est mort",
    "mon char est mort",
    "chu mort",
    "chu mort de fatigue après ma shift",
]

# Someone who died: still grief support.
GRIEF = [
    "mon voisin est mort d'une overdose",
    "mon oncle est mort hier",
    "mon chum est mort la semaine passée",
    "mon oncle est mort d'une overdose",
    # A loved one's suicide, a parent burying a child, wondering if they suffered, "if only".
    "ma sœur s'est enlevé la vie l'an passé pis j'arrive pas à m'en remettre",
    "aucun parent devrait enterrer son enfant",
    "je me demande s'il a souffert",
    "si j'avais eu du narcan ce soir-là il serait encore en vie",
]

TREATMENT_CANCELS = [
    ("i picked the day, i'm going to rehab", "rehab"),
    ("j'ai choisi la date pour entrer en thérapie", "therapie"),
]


@pytest.mark.parametrize("text", CRISIS_FR + CRISIS_EN + STILL_CRISIS)
def test_cr10_statements_reach_crisis_support(text: str) -> None:
    assert route(text) in ROUTED


@pytest.mark.parametrize("text", NOT_CRISIS + NOT_GRIEF)
def test_cr10_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


@pytest.mark.parametrize("text", NOT_GRIEF)
def test_cr10_a_phone_or_a_car_is_no_grief(text: str) -> None:
    assert route(text) != "grief_support"


@pytest.mark.parametrize("text", GRIEF)
def test_cr10_someone_who_died_is_grief(text: str) -> None:
    assert route(text) == "grief_support"


@pytest.mark.parametrize(("text", "treatment"), TREATMENT_CANCELS)
def test_cr10_a_day_fixed_for_treatment_is_no_signal(text: str, treatment: str) -> None:
    words = fold_whole(text).split()
    verdict = crisis_rules().judge(words)
    assert not verdict.crisis
    assert verdict.reason == treatment
