"""Ninth session (cr9): more ways of saying it reach crisis support, their everyday
neighbours do not. Every message here was written for this file (none comes from tests/eval).
"""

from __future__ import annotations

import pytest

from bot.text import fold_whole
from tests.eval.run import CRISIS_ROUTES
from tests.test_crisis import crisis_rules, route

ROUTED = CRISIS_ROUTES

# Québec French first: "s'essayer" (an attempt), tired of existing, a heart or breath wished
# to stop, a vehicle, a method, a last night, a goodbye then silence, wanting to join the dead.
SUICIDAL_FR = [
    "je me suis essayé le mois passé",
    "je me suis déjà essayée avec des pilules",
    "mon cousin s'est essayé deux fois cette année",
    "tu t'es déjà essayé toi?",
    "chu fatiguée d'exister",
    "chu tannée d'exister, toute me pèse",
    "si je crève demain, tant mieux",
    "si je meurs cette nuit, tant pis",
    "je voudrais arrêter de respirer pour de bon",
    "j'aimerais que mon cœur lâche pendant que je dors",
    "j'ai le goût de foncer dans un mur avec mon char",
    "des fois j'ai envie de me lancer devant un autobus",
    "j'ai choisi ma méthode pis la date",
    "c'est ma dernière soirée, merci pour tout",
    "mon frère m'a écrit adieu pis y répond pu",
    "ma chum m'a texté adieu à matin, elle décroche pas",
    "depuis que ma mère est morte je veux juste la rejoindre",
    "il me manque trop, j'aimerais aller le rejoindre là-haut",
    "j'attends juste la mort, vivement que ça arrive",
    "j'ai hâte de mourir",
    "j'ai des flashs de ma mort tout le temps",
    "j'imagine mon enterrement pis qui va venir",
    "qui va s'ennuyer de moi de toute façon",
    "est-ce que quelqu'un remarquerait si je disparaissais",
    "ça ferait-tu de la peine à quelqu'un si je mourais",
    "j'ai peur de faire une niaiserie à soir",
    "je pense à prendre toute la bouteille d'un coup",
    "je me suis coupée les poignets hier",
    "je me brûle avec mon briquet exprès quand ça va mal",
    "j'ai pris une lame de rasoir pour sentir quelque chose",
    "ça fait des semaines que je mets de côté mes somnifères",
    "c'est pour à soir, ma décision est prise",
]
SUICIDAL_EN = [
    "i tied a noose in the garage",
    "this is my last night alive",
    "i wish a truck would hit me on the way home",
    "some days i hope i get hit by a bus",
    "i picked my method already",
    "i wish my heart would stop in my sleep",
    "i took a blade from the toolbox, i need to feel something",
    "gave my cat to my neighbour, i wont need anyone to feed her",
    "tonight is the night, ive made up my mind",
    "if i die tonight, so be it",
    "if i disappeared would anyone even notice",
    "my mom died in june and i just want to join her",
    "my sister texted me goodbye and shes not answering",
    "i keep imagining my funeral",
    "i burn myself on purpose when it gets bad",
    "ive been setting aside my sleeping pills",
    "my dad left a note, he thought we'd be better off if he wasnt around",
]
# ... and what sounds like them but is not.
NOT_CRISIS = [
    "je me suis essayé à la guitare cet été",
    "je me suis essayée au yoga pour mes cravings",
    "je me suis essayé d'arrêter trois fois déjà",
    "c'est décidé, c'est pour samedi que je commence ma désintox",
    "tomorrow is the day i decided to go to detox",
    "i decided to quit, saturday is the day",
    "i feel like death, dopesick day 2",
    "jour 2 de sevrage, je me sens comme un mort-vivant",
    "tu cours le risque de mourir si tu mélanges les benzos pis l'alcool",
    "my last day at work, thanks for everything",
    "c'est ma dernière soirée au refuge, merci pour tout",
    "j'espère qu'un char me frappe pas en traversant le boulevard",
    "j'organise l'enterrement de vie de garçon de mon chum",
    "je me suis coupé en me rasant à matin",
    "i cut myself shaving this morning",
    "i gave my dog to my sister while i'm in rehab",
    "je vais aller rejoindre mes chums au bar",
    "ma grand-mère est morte, je veux rejoindre ma famille à Québec",
    "je me suis brûlé avec la pipe, pas exprès",
    "ça m'a coupé les jambes cette nouvelle-là",
]


@pytest.mark.parametrize("text", SUICIDAL_FR + SUICIDAL_EN)
def test_ninth_session_statements_reach_crisis_support(text: str) -> None:
    assert route(text) in ROUTED


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_ninth_session_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


@pytest.mark.parametrize(
    "text",
    [
        "je me suis essayé avec des pilules",
        "c'est ma dernière soirée, merci pour tout",
        "if i disappeared would anyone even notice",
        "i tied a noose",
    ],
)
def test_ninth_session_rules_see_it_without_the_matcher(text: str) -> None:
    # The rule layer itself decides (not a lucky match): staff can read why.
    assert crisis_rules().judge(fold_whole(text).split()).crisis


# Second batch: a death that would settle things, someone else's pills, a silence
# announced, a vehicle off a bridge, using until the heart stops, a friend who self-harms.
SECOND_SUICIDAL = [
    "ma mort réglerait bien des affaires",
    "y'a juste la mort qui peut m'arranger",
    "à quoi ça sert que je vive",
    "si j'overdose à soir, tant pis",
    "if i od tonight, so be it",
    "je veux m'éteindre pour de bon",
    "ma cousine se scarifie depuis l'automne",
    "mon chum se mutile pis y veut pas en parler",
    "mon père a dit qu'il allait prendre toutes ses pilules",
    "my aunt says shes going to take all her pills tonight",
    "ça vaudrait mieux que je sois pu là",
    "vous allez pu entendre parler de moi après à soir",
    "you wont hear from me again after today",
    "ive been thinking about driving off the bridge on my way home",
    "im going to keep using until my heart stops",
    "i hope this batch takes me for good",
    "my death would solve a lot of problems",
]
SECOND_NOT_CRISIS = [
    "ça vaudrait mieux que je parle à mon médecin de ma dose",
    "il vaudrait mieux que je sois plus prudent avec le fent",
    "je veux m'en aller d'ici pour me trouver un appart",
    "à quoi ça sert que je reste au refuge s'il y a pas de lit",
    "si je fais une overdose, est-ce que la naloxone marche",
    "if i overdose what should my friend do",
    "prendre toutes ses pilules le matin en même temps c'est-tu correct",
    "the new batch knocks me out for hours, is that normal",
    "she has to take all her pills with food",
]


@pytest.mark.parametrize("text", SECOND_SUICIDAL)
def test_ninth_session_second_batch_reaches_crisis_support(text: str) -> None:
    assert route(text) in ROUTED


@pytest.mark.parametrize("text", SECOND_NOT_CRISIS)
def test_ninth_session_second_batch_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


# Third batch: falling asleep and it being over, thanks then an end, no one left to worry,
# a risk of ending up in hospital (no crisis), wanting to live (no crisis).
THIRD_SUICIDAL = [
    "j'aimerais mourir pis que tout soit fini",
    "merci pour tout ce que t'as fait, c'est la fin pour moi",
    "vous aurez pu besoin de vous inquiéter pour moi après à soir",
    "je me vois pas passer au travers, c'est trop",
    "j'ai écrit des lettres pour mes enfants hier soir",
]
THIRD_NOT_CRISIS = [
    "si tu mélanges le GHB pis l'alcool tu peux finir dans le coma",
    "mixing benzos and booze you can end up in the hospital",
    "je suis alcoolique mais je veux vivre ma vie autrement, je veux de l'aide",
    "i drink too much but i want to live, where do i get help",
    "thanks for everything, the meeting is over now",
]


@pytest.mark.parametrize("text", THIRD_SUICIDAL)
def test_ninth_session_third_batch_reaches_crisis_support(text: str) -> None:
    assert route(text) in ROUTED


@pytest.mark.parametrize("text", THIRD_NOT_CRISIS)
def test_ninth_session_third_batch_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


# Fourth batch: someone else's wish to end their days, not safe with oneself, "si je pars"
# with a question of who it would hurt; weakness in the body and a risk of hospital are not.
FOURTH_SUICIDAL = [
    "ma sœur m'a dit qu'elle voulait mettre fin à ses jours",
    "je me sens pas en sécurité avec moi-même depuis hier",
    "si je m'en vais, ça changerait quoi pour vous autres",
]
FOURTH_NOT_CRISIS = [
    "j'ai pu de force dans les bras depuis mon sevrage, c'est normal?",
    "si tu mélanges les deux tu vas te ramasser à l'hôpital",
    "la corde pis la lame sont dans le sac de camping",
    "si je pars en désintox, est-ce que ça va faire de la peine à ma mère",
]


@pytest.mark.parametrize("text", FOURTH_SUICIDAL)
def test_ninth_session_fourth_batch_reaches_crisis_support(text: str) -> None:
    assert route(text) in ROUTED


@pytest.mark.parametrize("text", FOURTH_NOT_CRISIS)
def test_ninth_session_fourth_batch_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


# Fifth batch: God asked to come for me, death that attracts, anger at the rescuers in
# French, an overdose on purpose said with "trop", a goodbye said with an apology.
FIFTH_SUICIDAL = [
    "des soirs je demande au bon Dieu de venir me chercher",
    "la mort m'attire de plus en plus",
    "je trouve que la mort serait douce comparée à ça",
    "je leur en veux tellement de m'avoir sauvée",
    "ils auraient dû me laisser mourir cette nuit-là",
    "they should have let me die that night",
    "je vais faire exprès d'en prendre trop à soir",
    "je m'excuse pour tout, je vous aime toute la gang",
    "ma cousine veut rejoindre maman, elle arrête pas d'en parler",
]
FIFTH_NOT_CRISIS = [
    "j'ai pas fait exprès de prendre trop de fent, j'me sens weird",
    "mes parents m'en veulent pis je leur en veux aussi",
    "il faut se tirer d'affaire avant l'hiver",
]


@pytest.mark.parametrize("text", FIFTH_SUICIDAL)
def test_ninth_session_fifth_batch_reaches_crisis_support(text: str) -> None:
    assert route(text) in ROUTED


@pytest.mark.parametrize("text", FIFTH_NOT_CRISIS)
def test_ninth_session_fifth_batch_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


# Sixth batch: figures of speech and quitting that the rules read as crisis before.
SIXTH_NOT_CRISIS = [
    "j'en peux pu du sevrage, ça dure combien de temps encore",
    "j'en peux plus de l'hiver, vivement le printemps",
    "je veux pu vivre dans la rue, y a-tu un refuge pour femmes",
    "je voudrais disparaître sous terre tellement chu gênée",
    "j'ai écrit une lettre au juge pour ma libération",
    "j'espère pas me réveiller en manque demain matin",
    "je veux tout arrêter la consommation, par où commencer",
]
# ... while the statements next to them still count.
SIXTH_SUICIDAL = [
    "j'en peux pu du sevrage pis j'ai envie de mourir",
    "ma fille m'a dit adieu pis elle répond pu au téléphone",
]


@pytest.mark.parametrize("text", SIXTH_NOT_CRISIS)
def test_ninth_session_sixth_batch_figures_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


@pytest.mark.parametrize("text", SIXTH_SUICIDAL)
def test_ninth_session_sixth_batch_statements_still_count(text: str) -> None:
    assert route(text) in ROUTED


# Seventh batch (English): death calling, quitting life, goodbye letters, enough not to
# come back; and the hobbies and errands that share their words.
SEVENTH_SUICIDAL = [
    "death keeps calling me at night",
    "honestly i want to quit life",
    "ive written goodbye letters to my parents",
    "im going to use enough to not come back this time",
    "i want to log out of life",
]
SEVENTH_NOT_CRISIS = [
    "i want to quit lifting weights, my back hurts",
    "i had to log off facebook for good because of my ex",
    "i spent everything and did not come back home till sunday",
    "i keep staring at the river when i fish, its relaxing",
]


@pytest.mark.parametrize("text", SEVENTH_SUICIDAL)
def test_ninth_session_seventh_batch_reaches_crisis_support(text: str) -> None:
    assert route(text) in ROUTED


@pytest.mark.parametrize("text", SEVENTH_NOT_CRISIS)
def test_ninth_session_seventh_batch_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


# Eighth batch: with a dead loved one "up there", the courage that is missing, wasting away;
# "tu vas pas me manquer" is a farewell to an ex, not a plan.
EIGHTH_BATCH_SUICIDAL = [
    "j'aimerais tellement être avec elle au ciel",
    "si j'avais le courage je le ferais à soir",
    "if i had the guts i'd do it",
    "je me laisse dépérir depuis des semaines, je mange pu",
    "je me suis raté la dernière fois",
]
EIGHTH_BATCH_NOT_CRISIS = [
    "tu vas pas me manquer, mon ex",
    "ma grand-mère est morte, j'aimerais être avec elle pour sa fête",
]


@pytest.mark.parametrize("text", EIGHTH_BATCH_SUICIDAL)
def test_ninth_session_eighth_batch_reaches_crisis_support(text: str) -> None:
    assert route(text) in ROUTED


@pytest.mark.parametrize("text", EIGHTH_BATCH_NOT_CRISIS)
def test_ninth_session_eighth_batch_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


# Ninth batch: what people report about someone close (both languages).
NINTH_BATCH_SUICIDAL = [
    "mon frère dit qu'il va se garrocher en bas du viaduc",
    "ma fille se cache pour se couper, je sais pas quoi faire",
    "mon ami m'a avoué qu'il a un plan pour se tuer",
    "mon oncle a fait ses adieux à la famille au souper",
    "ma coloc a donné son chat pis ses vêtements cette semaine",
    "mon fils m'a texté qu'il était désolé pour tout pis y répond pu",
    "my dad gave away his guns and said goodbye to us",
    "my roommate has fresh cuts on her arms",
]
NINTH_BATCH_NOT_CRISIS = [
    "elle s'est coupé les cheveux toute seule",
    "il m'a écrit qu'il était désolé pour tout le trouble au party",
    "il a fait ses adieux à sa job, il prend sa retraite",
    "je serai pas là pour Noël, je travaille",
]


@pytest.mark.parametrize("text", NINTH_BATCH_SUICIDAL)
def test_ninth_session_ninth_batch_reaches_crisis_support(text: str) -> None:
    assert route(text) in ROUTED


@pytest.mark.parametrize("text", NINTH_BATCH_NOT_CRISIS)
def test_ninth_session_ninth_batch_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


# Tenth batch: a review of our own rules against everyday harm-reduction talk (a racing
# heart on stimulants, smoke, trying something out, a party tonight, cutting lines).
TENTH_NOT_CRISIS = [
    "j'aimerais que mon cœur arrête de battre si vite avec la coke",
    "j'espère que mon cœur va tenir avec les stimulants",
    "i wish my heart would stop racing after coke",
    "je veux arrêter de respirer de la fumée de crack",
    "il s'est essayé comme DJ l'été passé",
    "c'est pour à soir, le party, je suis prête",
    "i used a razor blade to cut lines, you feel something right away",
    "qui va s'ennuyer de moi quand je vais partir en voyage",
    "je suis fatiguée d'exister pour les autres, je veux penser à moi",
]


@pytest.mark.parametrize("text", TENTH_NOT_CRISIS)
def test_ninth_session_tenth_batch_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED


# Eleventh batch: a vehicle feared or met by accident is no wish; moving away is no goodbye.
ELEVENTH_NOT_CRISIS = [
    "im scared to get hit by a car walking at night here",
    "who would miss me at the meeting if i skip, lol",
    "i dont see myself here next year, im moving to bc",
    "the pills to end my migraine dont work",
]


@pytest.mark.parametrize("text", ELEVENTH_NOT_CRISIS)
def test_ninth_session_eleventh_batch_neighbours_are_not_crisis(text: str) -> None:
    assert route(text) not in ROUTED
