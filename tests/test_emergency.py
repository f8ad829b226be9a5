"""Emergency detection on the bundled phrase lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.emergency import EmergencyDetector, PhraseList, _compile, _matches, load_emergency
from bot.session import Session
from bot.text import fold
from tests.helpers.bundled import bundled
from tests.helpers.safety_phrases import (
    BYSTANDER_EN,
    BYSTANDER_FR,
    FIFTH_SESSION_BYSTANDER,
    FIFTH_SESSION_NOT_EMERGENCY,
    NOT_EMERGENCY_EN,
    NOT_EMERGENCY_FR,
    REVIEW_EMERGENCY,
    REVIEW_NOT_EMERGENCY,
    SECOND_REVIEW_EMERGENCY,
    expect_false_alarms,
)

RESOURCES = Path(__file__).parent.parent / "resources"
EVAL = Path(__file__).parent / "eval"


@pytest.fixture(scope="module")
def detector() -> EmergencyDetector:
    found, problems = load_emergency(RESOURCES)
    assert found is not None, problems
    return found


@pytest.mark.parametrize(
    "text",
    [
        "he's turning blue",
        "she won't wake up",
        "il ne respire plus",
        "my friend is not really breathing",
        "HELP he's OD'ing",
        "i gave him narcan and he's still not breathing",
        "elle se réveille pas",
        "what do i do if he's not breathing right now",
    ],
)
def test_overdose_now_is_an_emergency(detector: EmergencyDetector, text: str) -> None:
    """An overdose happening now is an emergency."""
    assert detector.judge(fold(text).split()).emergency


@pytest.mark.parametrize(
    "text",
    [
        "what do I do if someone is not breathing",
        "how do i know if someone is overdosing",
        "my brother overdosed last year",
        "I'm dying laughing",
        "i want to kill myself",
        "que faire si quelqu'un ne respire plus",
    ],
)
def test_hypothetical_past_and_crisis_are_not(detector: EmergencyDetector, text: str) -> None:
    """Hypothetical questions, past events and suicidal crisis are not overdose emergencies."""
    assert not detector.judge(fold(text).split()).emergency


@pytest.mark.parametrize(
    "text",
    [
        "my roommate is on the bathroom floor and isn't reacting",
        "she collapsed at the bus stop",
        "we're doing cpr on him",
        "his face is grey and he's gurgling",
        "il ne réagit plus",
        "elle respire à peine",
        "il est tombé et bouge pu",
        "elle s'est effondrée dans la salle de bain",
        "il est sans connaissance",
        "je lui fais le massage cardiaque",
    ],
)
def test_bystander_describing_signs_is_an_emergency(detector: EmergencyDetector, text: str) -> None:
    """Witnesses describe what they see, not drugs: no reaction, breathing, movement, CPR."""
    assert detector.judge(fold(text).split()).emergency


# Issue 11: what bystanders say to 911 and write in a panic, written for these tests from
# overdose-response pages and witness accounts (stored copies read through the search tool:
# CAMH "5 steps to save a life" FR, Québec.ca "secourir une personne en possible surdose",
# harmreduction.org "what to say to 911", a Montréal witness column on canoe.ca, bystander
# blog posts): a present person who does not react, breathe or move, collapsed, grey or
# blue, gurgling or snoring, cold, CPR under way, naloxone given without effect. Québécois
# and informal French, no accents. The not-emergency lists are questions ABOUT signs, past
# events and grief, idioms. None comes from tests/eval.


# Issue 11, third session (our own writing): a person who cannot be woken, stays asleep,
# or swallowed all their pills or a whole bottle, said by a bystander; and the false
# alarms next to them (over and fine now, questions about naloxone and xylazine or signs).
CANT_WAKE = [
    "il a pris quelque chose et maintenant il dort et on peut pas le réveiller",
    "on arrive pas à le réveiller",
    "il se réveille pas, il a pris de la dope",
    "impossible de la réveiller",
    "il reste endormi, on le secoue et rien",
    "ma blonde dort pis je peux pas la réveiller",
    "on réussit pas à le réveiller",
    "on est pas capable de la reveiller",
    "je peux pu le réveiller",
    "il se reveil pas",
    "mon coloc a consommé pis y se réveille pu",
    "on peut pas la reveiller",
    "qu'est-ce que je fais il respire pas",
    "qu'est ce qu'on fait il se réveille pas",
    "il va pas mieux maintenant, il respire à peine",
    "he's not fine now, he's barely breathing",
    "elle est pas correct maintenant elle respire plus",
    "ça fait quand même 10 minutes qu'il respire pas",
    "ça fait si longtemps qu'il bouge pas, on peut pas le réveiller",
    "il est tout bleu, ça fait si peur",
    "il a pris de quoi pis il reste endormi",
    "he took something and now he's asleep and we can't wake him",
    "we cant wake her up",
    "unable to wake him",
    "no way to wake her",
    "he wont wake up after taking pills",
]
ALL_PILLS = [
    "ma mère a avalé toutes ses pilules, elle dort",
    "mon père a pris tous ses comprimés",
    "elle a avalé toute sa bouteille de pilules",
    "il a pris toute la boîte de tylenol",
    "mon chum a avale toutes ses pilules",
    "ma soeur a gobé toutes ses pilules",
    "il a vidé sa bouteille de pilules",
    "elle a pris tout son pot de pilules",
    "mon frere a pris toute sa plaquette de comprimés",
    "ma coloc a avaler toute ses pilules",
    "my mom swallowed all her pills and she's sleeping",
    "my dad took all his pills",
    "he swallowed the whole bottle",
    "he took his entire prescription",
    "she ate all her pills",
]
OVER_OR_ASKING = [
    "il a fait une OD hier, il va bien maintenant",
    "elle a fait une surdose la semaine passée, elle va bien maintenant",
    "mon ami a fait une OD hier mais là il est correct",
    "il a fait une overdose hier, il va mieux maintenant",
    "il a fait une od hier mais il est correct maintenant",
    "he od'd yesterday, he's fine now",
    "she overdosed last night but she's ok now",
    "le narcan marche pas sur la tranq?",
    "la naloxone fonctionne pas sur la xylazine?",
    "le narcan marche pas contre les benzos?",
    "narcan doesn't work on tranq?",
    "does naloxone work on xylazine",
    "naloxone won't work on benzos right?",
    "qu'est-ce qu'une détresse respiratoire",
    "c'est quoi une détresse respiratoire",
    "c'est quoi les signes d'une détresse respiratoire",
    "qu'est-ce que je fais s'il respire pas",
    "je fais quoi si quelqu'un fait une surdose",
    "what do i do if he won't wake up",
    "mon fils veut pas se réveiller pour l'école",
]


def route(text: str) -> str:
    reply = bundled().dialogue.respond(text, Session(language="en"))
    return "emergency" if reply.emergency else reply.intent


# Relatives and people around who are not in the everyday pronoun list: a weak sign
# ("blue", "grey") about them is about a person present, as it is for "he" or "my son".
RELATIVES_NOW = [
    "my nephew is blue",
    "my niece looks grey and sleepy",
    "our neighbour went down and hes blue",
    "my uncle is purple and wont answer me",
    "mon neveu est bleu",
    "ma nièce est grise pis endormie",
    "ma voisine est tombée elle est bleue",
    "mon conjoint est mauve",
]


@pytest.mark.parametrize("text", RELATIVES_NOW)
def test_a_weak_sign_about_a_relative_is_the_emergency(
    detector: EmergencyDetector, text: str
) -> None:
    """The rules, not the matcher's narrow score, catch a sign named about a relative."""
    verdict = detector.judge(fold(text).split())
    assert verdict.emergency and verdict.signal is not None
    assert route(text) == "emergency"


@pytest.mark.parametrize(
    "text", ["my nephew has been feeling blue lately", "what should i do if my niece turns blue"]
)
def test_a_relative_feeling_blue_or_a_question_raises_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


@pytest.mark.parametrize("text", BYSTANDER_EN + BYSTANDER_FR)
def test_bystander_descriptions_get_the_emergency_answer(text: str) -> None:
    """The whole dialogue answers a bystander's description with the emergency (911)."""
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", BYSTANDER_EN + BYSTANDER_FR)
def test_bystander_descriptions_are_caught_by_the_rules(
    detector: EmergencyDetector, text: str
) -> None:
    """The rules name the signal themselves: the matcher is a second net, not the first."""
    verdict = detector.judge(fold(text).split())
    assert verdict.emergency and verdict.signal is not None


@pytest.mark.parametrize("text", NOT_EMERGENCY_EN + NOT_EMERGENCY_FR)
def test_questions_past_events_and_idioms_raise_no_alarm(text: str) -> None:
    """Asking about signs, grieving, or "I'm dying to...": no alarm and no crisis answer."""
    assert route(text) not in ("emergency", "crisis_support")


def test_fine_now_holds_back_an_urgent_word(detector: EmergencyDetector) -> None:
    """ "...but he's fine now": the "now" does not make a past event urgent."""
    verdict = detector.judge(fold("he passed out last night but he's fine now").split())
    assert not verdict.emergency and verdict.held_back_by == "fine now"
    assert detector.judge(fold("he was fine but now he's not breathing").split()).emergency


@pytest.mark.parametrize(
    "text",
    [
        "he seemed ok now but he stopped breathing and is turning blue",
        "she was better now but she collapsed again and isnt breathing",
        "il allait mieux maintenant mais la il respire plus",
    ],
)
def test_what_follows_fine_now_is_the_latest_news(text: str) -> None:
    """An "it's over" phrase holds back only what came before it: a sign after it is now."""
    assert route(text) == "emergency"


@pytest.mark.parametrize(
    ("text", "veto"),
    [
        ("how do I know if someone is unresponsive or just sleeping", "how do i know"),
        ("comment savoir si quelqu'un ne réagit plus", "comment savoir"),
        ("is that an overdose? I passed out once", "is that an overdose"),
        ("comment faire face à une overdose", "faire face"),
        ("c'est quoi une overdose", "c est quoi"),
    ],
)
def test_questions_about_signs_are_held_back(
    detector: EmergencyDetector, text: str, veto: str
) -> None:
    """A question about signs, even one naming a sign, is held back and says by what."""
    verdict = detector.judge(fold(text).split())
    assert not verdict.emergency
    assert verdict.held_back_by == veto


def test_verdict_explains_veto(detector: EmergencyDetector) -> None:
    """A vetoed signal says which phrase held it back."""
    verdict = detector.judge(fold("what to do if someone stops breathing").split())
    assert not verdict.emergency
    assert verdict.signal is not None and verdict.held_back_by == "what to do if"


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    """No emergency.yaml is an error, never a silently disabled detector."""
    detector, problems = load_emergency(tmp_path)
    assert detector is None
    assert str(problems[0]) == "emergency.yaml:1: file is missing"


def _plain_scan(phrases: PhraseList, words: list[str], gap: int) -> str | None:
    """The detector before its index: every pattern against every word, in list order."""
    for pattern in phrases.patterns:
        if _matches(pattern, words, gap):
            return " ".join(pattern)
    return None


# Every phrase against ~5,000 texts: 10-15 s, so it runs with the slow suite (make test-all).
@pytest.mark.slow
def test_index_finds_what_a_plain_scan_finds() -> None:
    """The first-word index returns the same phrase as trying every pattern, on the read
    evaluation sets and the example phrases (a failure shows the message, so held-out
    sets stay out: they were compared once, by a script, when the index was written)."""
    rules = yaml.safe_load((RESOURCES / "emergency.yaml").read_text(encoding="utf-8"))
    texts = [
        str(row["text"])
        for path in (EVAL / "dev.yaml", EVAL / "real" / "dev.yaml")
        for row in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    texts += BYSTANDER_EN + BYSTANDER_FR + NOT_EMERGENCY_EN + NOT_EMERGENCY_FR
    for path in sorted((RESOURCES / "intents").glob("*.yaml")):
        texts += re.findall(r"^\s+- (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(texts) > 1000
    lists = [PhraseList(_compile(v.get("en", []) + v.get("fr", []))) for v in rules.values()]
    for text in texts:
        words = fold(text).split()
        distinct = frozenset(words)
        for phrases in lists:
            for gap in (0, 2):
                assert phrases.first(words, distinct, gap) == _plain_scan(phrases, words, gap)


@pytest.mark.parametrize("text", CANT_WAKE + ALL_PILLS)
def test_cannot_wake_or_all_pills_swallowed_is_the_emergency(
    detector: EmergencyDetector, text: str
) -> None:
    """The rules catch it (the corrected words, as the dialogue reads them) and 911 answers."""
    analysis = bundled().dialogue.analyzer.analyse(text)
    assert detector.judge(analysis.words).emergency
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", OVER_OR_ASKING)
def test_over_or_asking_raises_no_alarm(text: str) -> None:
    """Over and fine now, whether naloxone works on xylazine, what a sign is: no alarm."""
    assert route(text) not in ("emergency", "crisis_support")


def test_a_question_naming_a_sign_says_what_held_it_back(detector: EmergencyDetector) -> None:
    verdict = detector.judge(fold("le narcan marche pas sur la tranq").split())
    assert not verdict.emergency and verdict.held_back_by == "pas sur la tranq*"
    verdict = detector.judge(fold("il a fait une OD hier, il va bien maintenant").split())
    assert not verdict.emergency and verdict.held_back_by == "va bien maintenant"


# Issue 11, third session (safety2): our own battery, written before tuning. A bystander
# describes what they see now, often with no drug word ("elle réagit pas quand je lui
# parle", "comme s'il ronflait", "on fait un massage cardiaque"), in Québec and European
# French and in English. None comes from tests/eval.
WITNESS_FR = [
    "il respire plus",
    "elle respire pas",
    "il respire presque pu",
    "mon chum est effondré par terre pis y répond pas",
    "elle réagit pas quand je lui parle",
    "il bouge plus",
    "il ne bouge plus et ses lèvres sont bleues",
    "ses lèvres sont bleues",
    "il devient bleu",
    "il est tout gris",
    "il fait des bruits bizarres comme s'il ronflait, je peux pas le réveiller",
    "il gargouille",
    "j'arrive pas à la réveiller",
    "je n'arrive pas à le réveiller",
    "je n'arrive pas à réveiller mon coloc",
    "il est inconscient",
    "elle a perdu connaissance",
    "elle est tombée et elle se relève pas",
    "je fais le massage cardiaque",
    "je lui fais le bouche-à-bouche",
    "je fais la RCR en ce moment",
    "on fait un massage cardiaque, l'ambulance arrive",
    "il a les yeux révulsés et il répond plus",
    "il est mou comme une poupée de chiffon",
    "il respire très lentement",
    "il respire à peine",
    "sa respiration est très faible",
    "elle a les pupilles toutes petites et elle s'endort",
    "il s'est effondré dans la salle de bain",
    "y'a un gars couché dans la ruelle qui bouge pas",
    "il y a quelqu'un par terre qui ne réagit pas",
    "j'ai trouvé mon fils inconscient dans sa chambre",
    "je viens de trouver ma fille inanimée",
    "mon ami est en train de faire une overdose",
    "mon ami fait une OD",
    "je pense qu'il fait une surdose",
    "aide moi il est en train de mourir",
    "il est en train de mourir",
    "je crois qu'il est mort",
    "il a pas de pouls",
    "je sens pas son pouls",
    "elle convulse",
    "je lui ai donné la naloxone mais il se réveille pas",
    "j'ai donné deux doses de narcan et il respire toujours pas",
    "il a sniffé quelque chose et il s'est écroulé",
    "mon coloc est étendu sur le plancher, les yeux fermés, il répond pas quand je le secoue",
    "ma soeur est couchée dans son vomi et respire bizarre",
    "il a la bouche bleue",
    "il ronfle super fort et je peux pas le réveiller",
    "elle est toute molle et froide",
    "mon frère est vert et il respire mal",
    "je le secoue mais il se réveille pas",
    "j'ai appelé le 911, il respire plus, je fais quoi",
    "vite il respire plus",
    "AU SECOURS mon ami meurt",
    "il s'est piqué et il est tombé d'un coup",
    "elle a fumé quelque chose et elle est tombée sans connaissance",
    "il est bleu",
    "il répond pas quand je le secoue",
    "je pense qu'elle est morte, elle respire plus",
    "mon chum s'est piqué pis là il est couché à terre, il bouge pu",
    "y'a une fille dans les toilettes qui répond pas",
    "il est allongé sur le sol et ses lèvres sont violettes",
    "elle a les lèvres violettes",
    "il est tout pâle et il répond plus",
    "il est blanc comme un drap et il respire à peine",
    "ses ongles sont bleus",
    "je l'ai trouvé par terre dans la salle de bain",
    "je viens de le trouver sur le divan, il réagit à rien",
    "il ne réagit à rien",
    "elle ne se réveille plus",
    "je le gifle et il se réveille pas",
    "il a les yeux ouverts mais il réagit pas",
    "il fait des sons de gargouillement",
    "il a de la bave et il respire fort",
    "elle ronfle bizarrement et elle se réveille pas quand je crie",
    "il s'endort tout le temps, je pense qu'il fait une od",
    "il pique du nez et il devient bleu",
    "mon ami a fumé du fentanyl et il est tombé",
    "il a consommé et il s'est écroulé d'un coup",
    "mon coloc est en surdose",
    "je pense que ma blonde overdose",
    "elle fait une overdose devant moi",
    "il est en arrêt respiratoire",
    "il respire plus depuis deux minutes",
    "je lui ai donné du narcan, il se réveille pas",
    "j'ai donné la naloxone ça marche pas",
    "le narcan fonctionne pas",
    "il est toujours inconscient après la naloxone",
    "on a appelé le 911, il respire à peine",
    "est-ce que je dois appeler le 911 il respire plus",
    "qu'est-ce que je fais il est bleu",
    "aidez-moi mon fils bouge plus",
    "mon fils respire plus",
    "ma fille est inconsciente",
    "mon père s'est effondré",
    "j'ai trouvé mon frère inerte",
    "il est froid et bleu",
    "son cœur bat très lentement",
    "il a pas de pouls, je fais le massage",
    "je fais les compressions",
    "je fais des compressions thoraciques",
    "j'ai commencé la RCR",
    "on lui fait la respiration artificielle",
    "elle suffoque",
    "il s'étouffe dans son vomi",
    "il vomit et il est inconscient",
    "il a fait une crise pis là il bouge pu",
    "elle est tombée raide",
    "il est tombé d'un coup sur le plancher",
    "il tient pu debout pis ses yeux roulent",
    "elle cogne des clous pis elle devient grise",
    "il arrive pas à rester réveillé",
    "il est vraiment somnolent et il respire lentement",
    "il a les pupilles comme des têtes d'épingle et il répond pas",
    "elle a pris de la dope et là elle est bleue",
    "mon ami a pris trop de pilules",
    "ma mère a pris trop de médicaments, elle dort et je peux pas la réveiller",
    "j'ai pris trop de dope, je me sens partir",
    "je pense que je fais une surdose",
    "je me sens mal, j'ai du mal à respirer, j'ai pris du fentanyl",
    "j'arrive plus à respirer",
    "je vais mourir aidez moi",
    "Je crois que je fais une overdose",
    "J'ai trop consommé, je me sens mourir",
    "je sens que je pars",
    "j'ai pris du fentanyl et je m'endors, j'ai peur",
    "je respire mal depuis que j'ai fumé",
    "je me sens partir",
    "je suis en train de faire une surdose",
    "je pense que j'ai trop pris",
    "j'ai pris trop de pilules ce matin",
    "j'ai avalé une trentaine de comprimés",
    "j'ai le cœur qui ralentit",
    "j'arrive plus à garder les yeux ouverts",
    "je me sens vraiment pas bien après ma dose, j'ai de la misère à respirer",
    "aidez-moi j'ai trop consommé",
    "je fais une OD",
    "je suis en surdose",
    "j'ai pris ma dose et maintenant j'ai les lèvres bleues",
    "ça va pas, j'ai pris quelque chose de trop fort",
]

WITNESS_EN = [
    "he's not breathing",
    "she won't wake up",
    "he's turning blue",
    "his lips are blue",
    "my friend collapsed and isn't responding",
    "she's making gurgling sounds",
    "he's snoring and we can't wake him",
    "i'm doing cpr",
    "we're doing chest compressions",
    "he's barely breathing",
    "she's unresponsive",
    "there's a guy on the floor not moving",
    "found my brother passed out and he's grey",
    "he's limp and not responding",
    "i found her unconscious in the bathroom",
    "my friend is overdosing",
    "i think he's od'ing right now",
    "gave him narcan and he's still not breathing",
    "her breathing is really slow and she won't open her eyes",
    "he's cold and clammy and won't wake up",
    "someone just collapsed outside the bar",
    "there's a woman slumped over in the bus shelter, she's not moving",
    "he hit the floor and now he's twitching and not breathing right",
    "she's foaming at the mouth",
    "help he's dying",
    "He's just lying there",
    "She was slumped over the steering wheel and won't answer",
    "He's making this snoring sound and I can't get him up",
    "his eyes are open but he's not there",
    "She keeps nodding off and I can't keep her awake",
    "There's a guy passed out in the bathroom at work",
    "Someone's OD'ing in the stairwell",
    "I found my son in his room, he's not responsive",
    "He's breathing really shallow",
    "She's gasping for air",
    "he's choking on his vomit",
    "he went limp",
    "his heart stopped",
    "we're giving him rescue breaths",
    "i'm giving her narcan, she's still out",
    "he just dropped",
    "he dropped to the floor after using",
    "she's turning purple",
    "his face is going grey",
    "he isn't waking up no matter what i do",
    "my buddy took something and he's out cold",
    "she's totally out of it and her lips look weird",
    "he's really pale and sweaty and barely talking",
    "my girlfriend smoked something and now she's unconscious",
    "He was lying on the floor and his lips were blue",
    "She wasn't breathing when I found her",
    "He was unresponsive",
    "I couldn't wake him up",
    "He stopped breathing in my arms",
    "His body was limp",
    "We started CPR",
    "I gave him two doses of Narcan and he still wasn't breathing",
    "When I got there she was gray and barely breathing",
    "he was making a gurgling noise",
    "I found him slumped in the bathroom",
    "her skin was cold and she had no pulse",
    "he wasn't moving at all",
    "we couldn't get a response out of him",
    "she collapsed in the hallway",
    "he fell over and started seizing",
    "Quand je suis arrivée, il respirait à peine",
    "I think he's dead",
    "There's a man down in the alley",
    "Someone's down in the bathroom",
    "She's having trouble breathing",
    "Get an ambulance here now",
    "We need paramedics",
    "My friend took something and he's not okay",
    "He keeps going in and out",
    "He's barely conscious",
    "His breathing is really loud, like snoring",
    "He's dying",
    "She's convulsing",
    "my husband is out cold on the kitchen floor",
    "he's on the ground and won't talk to me",
    "she's not answering me and her eyes are half closed",
    "he's really sweaty and his breathing is weird",
]

# A child who swallowed something: the Poison Centre answer (911 when drowsy), or 911.
CHILD_SWALLOWED = [
    "mon fils de 2 ans a avalé des pilules",
    "ma fille a mangé un comprimé qui traînait",
    "mon bébé a avalé un de mes cachets",
    "mon enfant a mis un timbre de fentanyl dans sa bouche",
    "mon petit a bu de la méthadone",
    "mon enfant a avalé quelque chose, il est tout mou",
    "le petit a trouvé mes médicaments et en a mangé",
    "ma fille de 3 ans a avalé du Tylenol",
    "mon garçon a mangé des jujubes au cannabis",
    "my roommate is on the floor and won't respond when i shake him",
    "my toddler swallowed a pill",
    "my kid ate one of my pills",
    "my son got into my methadone",
    "my daughter chewed on a fentanyl patch",
    "my baby swallowed something and is really sleepy",
    "my 4 year old ate some of my gummies",
]

# Questions and past news that name the same signs: no alarm.
ASKING_ABOUT_SIGNS = [
    "que faire si quelqu'un ne réagit pas quand on lui parle ?",
    "comment savoir si une personne respire encore quand on la secoue ?",
    "est-ce normal qu'il ronfle comme s'il dormait profondément ?",
    "comment faire un massage cardiaque ?",
    "comment faire des compressions thoraciques ?",
    "what should i do if he doesn't respond even when i shake him?",
    "qu'est-ce qui arrive si la naloxone fonctionne pas ?",
    "pourquoi la naloxone fonctionne pas sur la xylazine ?",
    "mon ami est mort l'an dernier, il ne respirait plus quand on l'a trouvé",
    "est-ce que le narcan fonctionne pas sur les benzos ?",
    "je pense qu'il est mort d'une overdose l'an passé, comment faire mon deuil",
    "quels sont les signes qu'une personne ne respire pas assez ?",
    "est-ce que je peux faire un massage cardiaque à quelqu'un qui fait une surdose ?",
    "on apprend à faire le massage cardiaque dans la formation ?",
    "si j'arrive pas à respirer après avoir fumé, c'est grave ?",
    "my son died, i found him on the floor last year",
]


# After real_dev2 arrived (third session): our own sentences for the families its misses
# showed (breathing gone bad, an ambulance needed, found lying there, about to pass out).
FAMILIES_FROM_DEV2 = [
    "his breathing got really bad all of a sudden",
    "we need an ambulance, my mom collapsed",
    "sa respiration devient difficile, il est tout pâle",
    "j'ai retrouvé mon chum allongé dans le salon, il est pas beau à voir",
    "elle a eu un malaise au volant, les yeux dans le vague",
    "il pique du nez, la tête dans son assiette",
    "je sens que je vais perdre connaissance",
    "ils sont tombés d'un coup tous les deux",
    "i'm about to pass out, i took too much",
    "he face planted and isn't getting up",
]
NOT_NOW = [
    "Votre enfant a avalé un médicament? Appelez le Centre antipoison",
    "ma vie est grise depuis l'hiver",
    "can you pass out from fentanyl?",
    "est-ce qu'on peut perdre connaissance avec la kétamine ?",
    "it just took over my life, my using",
]
SWALLOWED_SOMETHING_ELSE = [
    "ma fille de 4 ans a bu une gorgée d'eau de javel",
    "je l'ai retrouvée avec le pot de pilules ouvert à la main",
    "my son took a sip of bleach",
]

# FAQ headings and advice speaking to the reader, questions about calling 911, stories
# that ended ("...mais les ambulanciers l'ont réanimé", "last weekend"): no alarm.
PAGES_AND_STORIES = [
    "Vous pensez qu'une personne fait une surdose ?",
    "Votre ami ne respire plus ? Appelez le 911.",
    "Que faire devant une personne inconsciente ?",
    "Faut-il appeler le 911 si la personne se réveille après la naloxone ?",
    "La personne peut-elle faire une surdose à nouveau après la naloxone ?",
    "Est-ce que la naloxone peut réveiller quelqu'un qui a pris de l'alcool ?",
    "Une surdose peut survenir même avec une petite quantité.",
    "Comment savoir si mon ami fait une surdose ?",
    "Pourquoi la personne respire-t-elle lentement après avoir consommé ?",
    "Les lèvres bleues sont-elles un signe de surdose ?",
    "Que se passe-t-il si on donne de la naloxone à quelqu'un qui ne fait pas de surdose ?",
    "Mon fils a fait une surdose l'été passé, comment le soutenir ?",
    "Après sa surdose, mon frère est resté deux jours à l'hôpital.",
    "Il avait perdu connaissance, mais les ambulanciers l'ont réanimé.",
    "Ma sœur a été retrouvée inconsciente l'an dernier, elle va bien maintenant.",
    "Combien de temps dure l'effet de la naloxone ?",
    "Peut-on mourir d'une surdose de cocaïne ?",
    "Est-ce dangereux de mélanger l'alcool et les benzos ?",
    "La respiration lente est-elle un symptôme ?",
    "Dois-je rester avec la personne après avoir appelé le 911 ?",
    "Si quelqu'un tombe par terre après avoir consommé, que faire ?",
    "Qu'arrive-t-il au cerveau quand on manque d'oxygène ?",
    "Le témoin d'une surdose risque-t-il des accusations ?",
    "J'ai vu quelqu'un faire une surdose la semaine dernière et j'y pense encore.",
    "Je me suis évanouie une fois en consommant, est-ce normal ?",
    "Est-ce qu'une personne qui ronfle fort après avoir consommé est en danger ?",
    "Est-ce que je peux avoir des problèmes si j'appelle le 911 pour un ami qui fait une surdose ?",
    "Mon chum a fait une overdose pis je l'ai sauvé avec le narcan, il va ben astheure.",
    "Comment réagir si une personne a les lèvres bleues ?",
    "Il faut mettre la personne en position latérale de sécurité.",
    "Ne laissez jamais une personne inconsciente seule.",
    "What should I do if my friend stops breathing?",
    "Your friend isn't breathing? Call 911.",
    "He overdosed last year and survived.",
    "Can naloxone wake someone who took too much alcohol?",
    "My brother passed out at a party last weekend, should I worry?",
    "If someone is unresponsive, call 911 and give naloxone.",
    "Est-ce que je peux avoir des problèmes si j'appelle le 911 pour un ami qui fait une surdose ?",
    "Si j'appelle le 911 pour une surdose, est-ce que la police va venir ?",
    "Est-ce que je vais être arrêté si j'appelle le 911 pendant une overdose ?",
    "Can I get in trouble if I call 911 for a friend who is overdosing?",
    "If I call 911 for an overdose will the cops come?",
    "Will I get arrested if I call 911 when my friend overdoses?",
    "j'ai peur d'appeler le 911 quand quelqu'un fait une od à cause de la police",
    "Is it safe to call 911 if I have drugs on me?",
    "do paramedics call the police when you call 911 for an overdose",
    "is it normal to feel out of it after methadone?",
    "my lips look dry after smoking",
    "he just dropped out of school",
    "c'est quelque chose de trop fort pour moi, la coke?",
    "est-ce que c'est normal que je m'endorme après avoir pris ma méthadone?",
    "j'ai de la misère à garder les yeux ouverts au travail",
    "how do i get an ambulance in nunavut",
    "i took something for my headache, can i use tonight?",
    "mon ami a pris quelque chose hier, est-ce dangereux?",
]
# Afraid of the police while a person is in trouble now: still the emergency.
AFRAID_TO_CALL_NOW = [
    "my friend isn't breathing, will the cops come if i call?",
    "mon ami respire plus, est-ce que la police va venir?",
    "il respire plus mais j'ai peur d'appeler le 911 à cause de la police",
    "he's not breathing and i'm scared to call because of the cops",
]


@pytest.mark.parametrize("text", WITNESS_FR + WITNESS_EN + FAMILIES_FROM_DEV2 + AFRAID_TO_CALL_NOW)
def test_witness_battery_gets_the_emergency_answer(text: str) -> None:
    """A bystander's present description, with or without drug words: 911 first."""
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", CHILD_SWALLOWED)
def test_a_child_who_swallowed_something_gets_poison_centre_or_911(text: str) -> None:
    """Never the topic matcher's guess: the accidental-ingestion answer or the emergency."""
    assert route(text) in ("accidental_ingestion", "emergency")


@pytest.mark.parametrize("text", ASKING_ABOUT_SIGNS + NOT_NOW + PAGES_AND_STORIES)
def test_asking_about_the_same_signs_raises_no_alarm(text: str) -> None:
    """ "Quand on lui parle", "comme si", "massage cardiaque" in a question or past news."""
    assert route(text) != "emergency"


def test_a_signal_is_not_held_back_by_its_own_words(detector: EmergencyDetector) -> None:
    """ "Je crois qu'il est mort": its "est mort" is no past news, and the "je pense" of
    "je pense qu'il est mort" does not outweigh "l'an passé"."""
    assert detector.judge(fold("je crois qu'il est mort").split()).emergency
    past = detector.judge(fold("je pense qu'il est mort d'une overdose l'an passé").split())
    assert not past.emergency and past.held_back_by == "l an passe"
    since = detector.judge(fold("since she overdosed i just want to be with her").split())
    assert not since.emergency and since.held_back_by == "since she overdosed"


@pytest.mark.parametrize("text", SWALLOWED_SOMETHING_ELSE)
def test_bleach_or_an_open_pill_bottle_gets_the_poison_centre(text: str) -> None:
    """A sip of bleach, found with an open bottle in hand: the accidental-ingestion answer."""
    assert route(text) == "accidental_ingestion"


# Issue 11: stories told afterwards, "if it happens again", habits and worried families.
# Written for these tests (no evaluation message): each family also has a twin below in
# which a present sign follows, and that twin must still raise the alarm.
TOLD_AFTERWARDS_EN = [
    "last night my roommate overdosed and i gave her narcan, she woke up confused and threw up",
    "my cousin overdosed last month, we called 911 and now i'm scared of the cops",
    "my brother overdosed at a party last week and now i can't stop thinking about it",
    "he overdosed the other day and now he's in the hospital",
    "she passed out at my place the other night and now she won't talk to me about it",
    "my friend overdosed yesterday, he is home from the hospital now",
    "i sold him some pills and he overdosed, i called 911 and stayed, now i'm worried",
    "my buddy collapsed at work last week and now everyone is asking me questions",
    "my friend overdosed once at my place and i froze, if it happens again what do i say",
    "if it happens again and he stops breathing what should i tell the dispatcher",
    "if this happens again should i give a second dose of narcan",
    "everyone says carry narcan but what if they weren't actually overdosing",
    "i'm scared to use naloxone on someone if they aren't actually overdosing",
    "my daughter is using fentanyl and won't answer my calls",
    "our son is living on the street now and won't answer most of our calls",
    "my sister has been using again and doesn't answer my texts",
    "he won't answer his phone since he started using again",
    "we keep finding people passed out in the washroom at work, how do we get naloxone",
    "we keep finding guys nodding out behind the shelter, can we get training",
    "can you tell someone is overdosing by their breathing",
    "can you tell if someone is overdosing from their lips",
    "if they start breathing again do i still need an ambulance",
    "my roommate od'd last weekend and now she's mad at me for calling",
]
TOLD_AFTERWARDS_FR = [
    "hier soir mon coloc a fait une surdose, on lui a donné du narcan et il s'est réveillé",
    "mon ami a fait une surdose la semaine passée et maintenant j'ai peur de la police",
    "mon frère a fait une overdose le mois dernier et maintenant il est en thérapie",
    "ma blonde a perdu connaissance l'autre soir, maintenant elle va bien",
    "mon chum a fait une surdose une fois chez nous, si ça se reproduit je dis quoi au 911",
    "si ça se reproduit et qu'il respire plus, je fais quoi",
    "si ça arrive encore est-ce que je redonne du narcan",
    "ma fille consomme du fentanyl et répond pas à mes appels",
    "mon fils vit dans la rue maintenant et répond plus à mes textos",
    "ma soeur répond pas à nos appels depuis qu'elle a recommencé à consommer",
    "on trouve souvent des gens inconscients dans les toilettes, comment avoir de la naloxone",
    "est-ce qu'on peut savoir qu'une personne fait une surdose à sa respiration",
    "hier il a fait une surdose pis là il est à l'hôpital",
]
PRESENT_SIGN_FOLLOWS_EN = [
    "last night he used and now he won't wake up",
    "he overdosed last night and now he's not breathing",
    "she overdosed last week and she's overdosing again right now",
    "he overdosed the other day and now he's turning blue",
    "my friend overdosed last month, now he's passed out again and i can't wake him",
    "he overdosed yesterday and now he's really sleepy and his lips are blue",
    "my friend overdosed and isn't breathing",
    "he overdosed, what do i do",
    "she just od'd",
    "i think he's overdosing right now",
    "she won't answer my calls and now she's lying there not moving",
    "we keep finding people passed out and there's one in the bathroom now not breathing",
    "it's happening again, he's not breathing",
    "it happened before and it's happening again right now, he's not breathing",
    "can i use narcan on someone who's not breathing",
    "what should i do if i think someone is having an overdose",
    "how do i tell if my bf is oding or just nodding",
    "my friend did too much coke and is sweating and paranoid, what do i do",
    "i called 911 and stayed but he's still not breathing",
]
PRESENT_SIGN_FOLLOWS_FR = [
    "hier il a consommé pis là il respire pas",
    "il a fait une surdose hier soir et là il se réveille pas",
    "la semaine passée elle a fait une surdose et maintenant elle respire plus",
    "ça se reproduit, il est tout bleu",
    "c'est arrivé une fois et ça recommence maintenant, il respire plus",
    "ma fille répond pas à mes appels, je suis chez elle et elle respire pas",
    "mon ami a fait une surdose une fois, là il est inconscient aidez-moi",
    "il fait une surdose maintenant",
    "il répond pas quand je lui parle",
]


@pytest.mark.parametrize("text", TOLD_AFTERWARDS_EN + TOLD_AFTERWARDS_FR)
def test_stories_told_afterwards_and_worries_raise_no_alarm(text: str) -> None:
    """It already happened, may happen again, happens often, or is someone not calling back."""
    assert route(text) != "emergency"


@pytest.mark.parametrize("text", PRESENT_SIGN_FOLLOWS_EN + PRESENT_SIGN_FOLLOWS_FR)
def test_a_present_sign_after_the_story_is_the_emergency(text: str) -> None:
    """Never hold back a present sign: "last night he used and now he won't wake up"."""
    assert route(text) == "emergency"


# Issue 11 (fr-emerg): French present-tense emergencies the rules must name on their own,
# Québec and European registers, unaccented and SMS spellings. Written for these tests,
# not copied from any evaluation set.
FR_PRESENT_RULES = [
    "elle arrive pas à se réveiller",
    "il arrive pas à se réveiller, il est couché dans le salon",
    "j'arrive pas à le réveiller",
    "jarrive pas a le reveiller",
    "il se réveille pas",
    "elle se reveille pu",
    "je suis pas capable de la réveiller",
    "chu pas capable de le reveiller",
    "on réussit pas à le réveiller",
    "ils ne répondaient plus quand on est arrivés",
    "mon chum réagit pu",
    "elle réagit plus du tout",
    "il répond plus quand je lui parle",
    "il repond pu qd je lui parle",
    "mon coloc est tout bleu",
    "ses lèvres sont bleues",
    "il est gris pis froid",
    "elle est froide et elle bouge pas",
    "il respire bizarre pis je peux pas le réveiller",
    "il ronfle fort et je le réveille pas",
    "elle fait des bruits de ronflement et on peut pas la réveiller",
    "il est tombé pis y bouge pu",
    "elle s'est effondrée et elle bouge plus",
    "il est tombé par terre et il bouge pas",
    "il a de la mousse à la bouche",
    "il mousse de la bouche",
    "ses yeux sont révulsés",
    "il a les yeux dans la tête pis y répond pas",
    "je fais le massage cardiaque",
    "je lui fais la rcr",
    "on fait le RCR en ce moment",
    "j'ai donné le narcan pis rien",
    "jai donne le narcan pi rien",
    "je lui ai donné de la naloxone et il se réveille toujours pas",
    "deux doses de narcan et il réagit toujours pas",
    "venez vite il respire pu",
    "venez vite, mon ami est inconscient",
    "il faut une ambulance, il a fait une surdose",
    "envoyez une ambulance",
    "ça prend une ambulance au plus vite",
    "je me sens partir",
    "je me sens partir après avoir pris du fentanyl",
    "je pense que je fais une surdose",
    "je crois que je fais une overdose",
    "jpense que jfais une od",
    "j'arrive plus à respirer après avoir pris des pilules",
    "jarrive pu a respirer depuis que jai pris",
    "je n'arrive plus à respirer, j'ai trop pris",
    "il est inconscient dans la salle de bain",
    "elle a perdu connaissance et elle respire à peine",
    "y'a un gars à terre qui bouge pas",
    "il est tout mou et il respire pas",
    "je fais des manœuvres de réanimation sur mon coloc",
    "mon voisin faisait une surdose dans le corridor, je suis avec lui",
    "elle est glacée pis elle bouge pas",
    "ça gargouille quand il respire",
    "il fait des bruits bizarres en respirant",
    "il a les yeux à l'envers",
    "je me sens mourir",
    "appelez une ambulance",
    "je suis en train de faire une surdose",
    "je pense que j'ai trop pris",
]
FR_NOT_NOW = [
    "le café est tout froid, je le réchauffe",
    "je me sens mourir à petit feu depuis qu'il est parti",
    "si jamais ça arrive devant moi, qu'est-ce que je suis censé faire",
    "la dope est coupée avec des benzos maintenant… c'est quoi qu'on fait",
    "il était en sueur, le cœur qui débattait… c'est-tu une overdose",
    "quels sont les signes d'une surdose",
    "comment savoir si quelqu'un fait une surdose",
    "si jamais il se réveille pas, je fais quoi",
    "si jamais quelqu'un bouge pas après avoir consommé, j'appelle le 911?",
    "c'est quoi les signes quand quelqu'un réagit pas",
    "l'an passé mon ami est tombé pis y bougeait pu, maintenant il va bien",
    "hier soir il a fait une surdose, il va mieux maintenant",
    "je suis mort de fatigue",
    "chu morte de fatigue après ma shift",
    "ce film m'a assommé",
    "ça m'a assommé ce cours là",
    "c'est quoi tomber dans les pommes",
    "est-ce que tomber dans les pommes c'est grave?",
    "mon frère est mort d'une surdose il y a deux ans, je m'ennuie de lui",
    "je pense à ma mère qui est décédée d'une overdose",
]


@pytest.mark.parametrize("text", FR_PRESENT_RULES)
def test_french_present_emergency_is_named_by_the_rules(
    detector: EmergencyDetector, text: str
) -> None:
    """French bystanders and first-person statements: the rules catch them, not the matcher."""
    verdict = detector.judge(fold(text).split())
    assert verdict.emergency and verdict.signal is not None, verdict


@pytest.mark.parametrize("text", FR_NOT_NOW)
def test_french_questions_stories_and_idioms_raise_no_alarm(text: str) -> None:
    """ "Si jamais", signs asked about, a past story now over, an idiom, grief: no alarm."""
    assert route(text) != "emergency"


# Issue 11, English: our own battery (never an evaluation message). A person present
# who can't be roused, looks wrong, breathes wrong; CPR or naloxone under way; a 911
# call; a first-person statement; a child. No drug words needed.
EN_PRESENT_RULES = [
    "my boyfriend wont wake up no matter what i do",
    "cant get him to wake up, been shaking him for a minute",
    "shes not responding to anything, not even a sternum rub",
    "he won't respond when i yell his name",
    "guy slumped over in the stairwell and won't respond",
    "my brother is slumped in the car and i cant rouse him",
    "she face-planted into the couch and isnt moving",
    "he fell off the chair and hasn't moved since",
    "my roomate collapsed in the kitchen",
    "theres a man collapsed outside the shelter",
    "found my dad on the bathroom floor and hes not moving",
    "hes really pale and clammy and wont open his eyes",
    "her skin is cold and grey",
    "hes gone all grey and sweaty",
    "his lips have gone blue",
    "she looks blue around the mouth",
    "he's breathing really weird, like gasping",
    "he is making this awful snoring sound and i cant wake him",
    "she's gurgling and won't wake",
    "he's choking on his vomit",
    "he threw up and is choking on it and barely conscious",
    "theres foam coming out of his mouth",
    "he's foaming at the mouth",
    "her eyes rolled back and she went limp",
    "his eyes are rolled back in his head",
    "his pupils are tiny and he keeps nodding out, cant rouse him",
    "she's nodding off and we can't keep her awake",
    "we're doing chest compressions on him",
    "im doing compressions, what else",
    "started cpr on my friend",
    "gave him two narcans and nothing",
    "gave her narcan and she's still not responding",
    "i sprayed the naloxone and he still isn't waking",
    "we need an ambulance at the park",
    "send someone please hes not breathing",
    "please hurry she isn't breathing",
    "he's not breathing, sir",
    "ma'am she's not breathing",
    "my buddy is unconcious",
    "my frend is not breathin",
    "hes not breating",
    "she wont wake up omg",
    "I think I'm overdosing",
    "i think im od",
    "I took too much and can't feel my legs",
    "i cant breathe after using",
    "i used and now i can barely breathe",
    "i feel like im going to pass out and my chest is tight",
    "i did too much and i feel like im dying",
    "my heart is racing and i think im dying",
    "my toddler got into my pills and is sleepy",
    "my son got into the pill bottle and wont wake up",
    "the baby swallowed one of my patches and is really drowsy",
    "my daughter is really hard to wake up and her breathing is slow",
    "someone is passed out in the alley and is blue",
    "a guy just dropped on the sidewalk",
    "there's a woman on the ground who isnt breathing right",
    "hes breathing like once every ten seconds",
    "his breathing is really shallow",
    "my girlfriend is barely breathing",
    "he's ice cold and won't respond",
    "she's unrousable",
    "cant rouse him at all",
    "he's not coming to",
    "she's passing out on me",
    "ring an ambulance, hes gone floppy",
    "i think i'm overdosing, please",
    "my toddler is floppy and so drowsy",
    "two kids on the porch are in distress, hurry",
]

EN_NOT_NOW = [
    "what are the signs someone is overdosing",
    "how do i tell if someone is just sleeping or overdosing",
    "what if he stops breathing after i give narcan",
    "what does it mean if someone's lips turn blue",
    "is snoring a sign of an overdose",
    "should you do chest compressions during an overdose",
    "my friend overdosed last month, he's ok now",
    "last year i found my brother not breathing, he survived",
    "years ago i collapsed after using, i still think about it",
    "im dead tired after this shift",
    "this traffic is killing me",
    "i nearly died laughing at that video",
    "my phone died",
    "my laptop battery died again",
    "i miss my son who died of an overdose",
    "my mom passed away last year and i still cry",
    "that exam killed me",
    "im so tired i could pass out on my desk lol",
    "how long does naloxone take to work",
    "can you overdose on weed",
    "why do people foam at the mouth during an overdose",
    "should i call an ambulance if someone is just drunk",
    "is it normal for my kids to be drowsy after cold medicine",
    "people in distress can text the crisis line",
    "he keeps passing out drunk on weekends",
    "i'm an overdose survivor and i volunteer at a site",
    "i am an overdose prevention worker",
    "should i call an ambulance after giving naloxone",
    "they may have chest pain and a racing heart",
    "i'm in distress and need someone to talk to",
    "my son is lethargic all the time since he started using",
]


@pytest.mark.parametrize("text", EN_PRESENT_RULES)
def test_english_present_emergency_is_named_by_the_rules(
    detector: EmergencyDetector, text: str
) -> None:
    """English bystanders, 911 callers and first-person statements: the rules catch them
    on the words the dialogue reads (typo-corrected), and the dialogue answers 911."""
    words = bundled().dialogue.analyzer.analyse(text).words
    verdict = detector.judge(words)
    assert verdict.emergency and verdict.signal is not None, (words, verdict)
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", EN_NOT_NOW)
def test_english_questions_stories_and_idioms_raise_no_alarm(text: str) -> None:
    """Signs asked about, "what if", a past story now over, an idiom, grief: no alarm."""
    assert route(text) != "emergency"


# Fourth issue-11 session (safety3), written before tuning from general knowledge of how
# bystanders and people in crisis write (EN and Québec/European French, chat spellings, no
# punctuation): a present person not breathing or barely, not waking or responding, blue or
# grey, gurgling, snoring and not waking, collapsed or slumped, CPR under way, "I think I'm
# overdosing", pills taken to die, a child drowsy after swallowing pills. None comes from
# tests/eval.
FOURTH_SESSION_PRESENT = [
    "my friend isnt breathing what do i do",
    "bf not breathing pls help",
    "he aint breathing",
    "she's hardly breathing and her lips look blue",
    "his breathing is really shallow and he wont wake up",
    "hes breathing like every 10 seconds",
    "she takes a breath every now and then and then nothing",
    "he keeps stopping breathing",
    "my roommate is barely breathing after using",
    "i cant get my brother to wake up",
    "cant wake him up",
    "cant wake her",
    "he wont wake up no matter what i do",
    "she's not waking up even when i shake her",
    "i've been shaking him and he doesn't wake up",
    "he doesnt respond when i yell his name",
    "she's not responding to anything",
    "my husband is not responding and his lips are blue",
    "his lips are turning blue",
    "her lips r blue",
    "lips gone blue and hes cold",
    "his face is grey",
    "her face has gone all grey",
    "his fingertips are blue",
    "he's making this gurgling noise and won't wake",
    "she's gurgling",
    "hes making a weird snoring sound and i cant wake him",
    "snoring really loud and we cant wake him up",
    "he's snoring weird and not responding",
    "my friend collapsed after doing a line",
    "someone just collapsed in the bathroom at the bar",
    "there's a man slumped over in his car",
    "she's slumped on the toilet and won't answer",
    "he's slumped against the wall and his eyes are rolling back",
    "were doing cpr right now",
    "im doing cpr on my friend",
    "doing chest compressions on him now what",
    "my buddy is doing cpr while i text",
    "i think im overdosing",
    "i think i'm od'ing",
    "i think i took too much i feel like i'm going to pass out",
    "i think i od",
    "i feel like im overdosing help",
    "i took a bunch of pills to die",
    "i swallowed all my sleeping pills i want to die",
    "i already took the pills. i dont want to be here",
    "i took 30 pills an hour ago so i wouldnt wake up",
    "my 3 year old swallowed my methadone and is sleepy",
    "my kid got into my pills and is very sleepy",
    "the baby swallowed a pill and wont stay awake",
    "my daughter took my grandma's pills and is hard to wake",
    "he's unconscious on the floor",
    "found him on the floor not breathing",
    "found my mom unresponsive in her bed",
    "she's lying on the floor and won't move",
    "he is passed out and i can hear him gurgling",
    "my gf passed out and isnt breathing right",
    "he's turning grey and not breathing",
    "his lips are purple and he's not moving",
    "omg he's blue",
    "hes not breathing omg",
    "help my friend od",
    "my friend is od right now",
    "we gave narcan and hes still not breathing",
    "gave him narcan and he's still not waking up",
    "second dose of narcan and nothing",
    "he overdosed and isnt breathing",
    "he's fading fast",
    "he keeps nodding off and i cant keep him awake",
    "she's on the floor and her eyes are open but she's not responding",
    "he's cold and his lips are blue",
    "someone is down in the alley not breathing",
    "mon ami respire pu",
    "mon chum respire pas",
    "il respire presque pas",
    "elle respire a peine pis ses levres sont bleues",
    "il respire tres lentement et se reveille pas",
    "il respire genre une fois aux dix secondes",
    "il arrete pas darreter de respirer",
    "je suis pas capable de le reveiller",
    "j'arrive pas à la réveiller",
    "jarrive pas a le reveiller",
    "il se reveille pas meme quand je le secoue",
    "elle répond pas quand je lui parle",
    "il réagit pas du tout",
    "il repond plus",
    "ma blonde repond pu",
    "mon coloc réagit plus pis ses lèvres sont bleues",
    "ses lèvres sont bleues",
    "ses levres deviennent bleues",
    "il a les levres bleues",
    "elle a les lèvres grises",
    "son visage est gris",
    "il est tout gris",
    "il devient bleu",
    "il fait un bruit de gargouillement",
    "il gargouille",
    "elle ronfle fort pis on arrive pas a la reveiller",
    "il ronfle bizarre et il répond pas",
    "il s'est effondré dans les toilettes",
    "elle s'est écroulée par terre",
    "un gars est effondré dans son char",
    "il est affalé sur la table et bouge plus",
    "elle est avachie dans le bain pis repond pas",
    "on fait le massage cardiaque",
    "je fais la rcr",
    "on est en train de faire la RCR",
    "mon ami fait des compressions thoraciques",
    "je pense que je fais une overdose",
    "je crois que je fais une surdose",
    "jpense que je fais une od",
    "je pense que j'en ai trop pris je vais perdre connaissance",
    "j'ai pris toutes mes pilules pour mourir",
    "j'ai avalé tous mes somnifères je veux mourir",
    "jai pris une boite de cachets pour en finir",
    "je viens davaler tous mes médicaments",
    "mon petit a avalé de la méthadone et il dort",
    "ma fille de 2 ans a mangé des comprimés et elle est molle",
    "mon bébé a avalé un cachet et il est somnolent",
    "il est inconscient par terre",
    "je l'ai trouvé par terre qui respire pas",
    "je l'ai trouvée inconsciente dans son lit",
    "elle est couchée par terre et bouge pas",
    "il est tombé sans connaissance",
    "il est sans réaction",
    "on lui a donné du naloxone pis il respire toujours pas",
    "on a donné de la naloxone et il se réveille pas",
    "deuxième dose de narcan et rien",
    "il fait une surdose la",
    "elle fait une od",
    "il est en train de faire une surdose",
    "il a fait une overdose et il respire plus",
    "quelqu'un est étendu dans la ruelle et respire pas",
    "il a les yeux ouverts mais il répond pas",
    "il est froid et ses levres sont bleues",
    "aidez moi il respire plus",
    "il fait une overdose j'ai besoin d'aide",
]

# Questions about signs, stories told afterwards, devices, habits and figures of speech.
FOURTH_SESSION_NOT_NOW = [
    "what does it mean if someone's lips turn blue",
    "is gurgling a sign of overdose",
    "is snoring a sign of an overdose",
    "how do you know if someone is not breathing enough",
    "what are the signs someone is overdosing",
    "can you do cpr on someone who overdosed",
    "how do i do cpr",
    "my brother overdosed last year and survived",
    "i found my friend not breathing two years ago and i still think about it",
    "she collapsed at work last month from low blood sugar",
    "when he overdosed in 2019 his lips were blue",
    "i'm dying to see that movie",
    "this heat is killing me",
    "my phone is dead",
    "my car died on the highway",
    "i almost died laughing",
    "that exam killed me",
    "my laptop is not responding",
    "the app isn't responding",
    "my plants are dying",
    "i'm so tired i could sleep forever",
    "i could sleep for a week",
    "my cat sleeps all day",
    "he snores every night",
    "my husband snores so loud",
    "my grandmother is grey haired",
    "the sky is grey today",
    "what do i do if naloxone doesn't work",
    "should i do chest compressions during an overdose",
    "is it normal to be sleepy after methadone",
    "why do people turn blue when they overdose",
    "i took naloxone training last week",
    "que veut dire des lèvres bleues",
    "est-ce que ronfler est un signe de surdose",
    "comment savoir si quelqu'un respire pas assez",
    "quels sont les signes d'une surdose",
    "comment faire la rcr",
    "mon frère a fait une overdose l'an passé",
    "je l'ai trouvé inconscient il y a deux ans, j'y pense encore",
    "elle s'est effondrée au travail le mois passé",
    "je meurs de faim",
    "je suis mort de fatigue",
    "mon cell est mort",
    "mon char est mort sur l'autoroute",
    "je suis morte de rire",
    "ce travail me tue",
    "mon ordi répond plus",
    "l'application répond pas",
    "je pourrais dormir pour toujours",
    "mon chat dort toute la journée",
    "mon fils veut pas se lever pour l'école",
    "mon chum ronfle tous les soirs",
    "le ciel est gris aujourd'hui",
    "que faire si la naloxone marche pas",
    "est-ce normal d'être somnolent avec la méthadone",
    "pourquoi les gens deviennent bleus en surdose",
    "j'ai suivi une formation naloxone la semaine passée",
]

CHILD_DROWSY = [
    "my 3 year old swallowed my methadone and is sleepy",
    "the baby swallowed a pill and wont stay awake",
    "my toddler ate one of my oxys and he's really drowsy",
    "mon petit a avalé de la méthadone et il dort",
    "mon bébé a avalé un cachet et il est somnolent",
    "ma fille a mangé des pilules et elle est difficile à réveiller",
]


@pytest.mark.parametrize("text", FOURTH_SESSION_PRESENT + CHILD_DROWSY)
def test_fourth_session_present_signs_get_the_emergency_answer(text: str) -> None:
    """A present person with a sign, in either language and any spelling: 911 first."""
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", FOURTH_SESSION_NOT_NOW)
def test_fourth_session_questions_devices_and_habits_raise_no_alarm(text: str) -> None:
    """Asking about a sign, a story told afterwards, a frozen laptop, nightly snoring."""
    assert route(text) != "emergency"


@pytest.mark.parametrize("text", CHILD_DROWSY)
def test_drowsy_after_swallowing_is_the_rules_emergency(
    detector: EmergencyDetector, text: str
) -> None:
    """The facts: a child who swallowed pills is 911 when drowsy, the Poison Centre if not."""
    verdict = detector.judge(fold(text).split())
    assert verdict.emergency and verdict.signal is not None


@pytest.mark.parametrize(
    "text", ["my toddler swallowed one of my pills", "mon fils a avalé une pilule de méthadone"]
)
def test_swallowed_without_signs_stays_the_poison_centre(
    detector: EmergencyDetector, text: str
) -> None:
    verdict = detector.judge(fold(text).split())
    assert not verdict.emergency and verdict.route == "accidental_ingestion"


# Fourth session, second battery (families generalised from real_dev3's misses, written in
# our own words): breathing one cannot hear, choked, feeling one is dying, someone who
# cannot be woken, CPR asked for now, the ambulance awaited, not getting up; and next to
# them learning CPR, a page's "if you think someone is overdosing", someone who came back
# to, news about victims, a story told by the person found.
FOURTH_SESSION_FAMILIES = [
    "i can't hear him breathing anymore",
    "i dont hear her breathing at all",
    "cant hear them breathing help",
    "je l'entends plus respirer",
    "j'entends pas sa respiration",
    "he's choked on his vomit and he's blue",
    "my dad has choked and can't breathe",
    "il s'est étouffé pis il est bleu",
    "i did way too much and it feels like im dying",
    "i feel like im going to die i did too much",
    "j'ai pris des cachets et j'ai l'impression de mourir",
    "j'ai l'impression que je vais mourir j'en ai trop pris",
    "je réussis pas à réveiller mon chum",
    "j'arrive plus à réveiller ma mère",
    "je parviens pas à réveiller mon coloc",
    "can you walk me through cpr he isnt moving",
    "walk me through cpr please",
    "aidez moi à faire la rcr",
    "where is the ambulance he's still not breathing",
    "où est l'ambulance ça fait longtemps",
    "she isnt getting up off the floor",
    "il se relève pas",
    "elle se relève plus depuis tantôt",
    "nobody here knows cpr and he's blue",
    "personne ici sait faire le massage cardiaque il respire pu",
    "should i start cpr he's blue",
]
FOURTH_SESSION_FAMILIES_NOT_NOW = [
    "how do i do cpr on an adult",
    "how do you do chest compressions",
    "should i do chest compressions during an overdose",
    "que faire si vous pensez qu'une personne fait une surdose",
    "she passed out and i gave naloxone and she came back",
    "il a perdu connaissance mais il a repris connaissance tout seul",
    "he lost consciousness but came to after the second dose",
    "one night my roommate found me blue on the couch",
    "un soir mon frère m'a retrouvé inconscient",
    "les victimes ont fait des convulsions selon la santé publique",
    "the victims were found unresponsive in their homes",
    "i did cpr on my friend last year",
    "je lui ai fait la rcr l'an passé",
]


@pytest.mark.parametrize("text", FOURTH_SESSION_FAMILIES)
def test_fourth_session_families_are_named_by_the_rules(
    detector: EmergencyDetector, text: str
) -> None:
    """Caught by a signal of the rules, and answered with the emergency (911)."""
    verdict = detector.judge(fold(text).split())
    assert verdict.emergency and verdict.signal is not None
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", FOURTH_SESSION_FAMILIES_NOT_NOW)
def test_fourth_session_learning_cpr_and_stories_raise_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


# A person who may be dead now (asked, or believed), and Europe's SAMU; next to them a death
# told afterwards and "dead inside".
MAYBE_DEAD_NOW = [
    "is he dead he's not moving",
    "is she dead? she's so pale",
    "i think my uncle is dead he's cold",
    "je crois que mon chum est mort",
    "je pense que ma soeur est morte elle bouge pas",
    "est-ce qu'il est mort? il respire pas",
    "il est tu mort?",
    "on dirait qu'il est dans le coma, si on appelait le samu?",
]
DEAD_BEFORE_OR_INSIDE = [
    "mon grand-père est mort l'an passé",
    "i think my brother is dead inside after the breakup",
    "appelez le samu en cas de surdose",
    "je pense que mon frère est mort en dedans depuis sa rupture",
]


@pytest.mark.parametrize("text", MAYBE_DEAD_NOW)
def test_a_person_who_may_be_dead_now_is_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", DEAD_BEFORE_OR_INSIDE)
def test_a_death_told_afterwards_or_dead_inside_raises_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


# Said to the person while it happens (wake up, breathe, stay with me, don't die), fainting,
# and injuries one finds (hanging, wrists cut, a gunshot); next to them idioms ("open your
# eyes to", "died on me", "just breathe", "hanging out") and deaths told afterwards.
SAID_TO_THE_PERSON = [
    "wake up! wake up! come on wake up",
    "come on breathe, breathe damn it",
    "stay with me buddy, stay with me",
    "don't you die on me",
    "open your eyes please open your eyes",
    "she fainted and she's not coming around",
    "he fainted and isnt waking",
    "i found him hanging in the garage",
    "she cut her wrists and there's blood everywhere",
    "he shot himself",
    "he's foaming at the mouth",
    "she's stiff and cold",
    "he's shaking and foaming",
    "my baby isn't breathing",
    "he fell and hit his head and won't wake up",
    "réveille-toi! réveille-toi!",
    "respire, allez respire",
    "reste avec moi, reste avec moi",
    "meurs pas, meurs pas",
    "ouvre les yeux, ouvre les yeux svp",
    "elle s'est évanouie et reprend pas connaissance",
    "je l'ai trouvé pendu dans le garage",
    "elle s'est ouvert les veines",
    "il s'est tiré une balle",
    "il a de l'écume à la bouche",
    "mon bébé respire pas",
    "il est tombé, s'est cogné la tête et se réveille pas",
]
IDIOMS_AND_LATER = [
    "i need to wake up earlier for work",
    "open your eyes to what's happening in this city",
    "my phone died on me again",
    "just breathe and count to ten when you feel anxious",
    "stay with me tonight please",
    "mon frère s'est tiré une balle il y a deux ans et je m'en remets pas",
    "my uncle shot himself last year, how do i cope",
    "réveille-toi le Québec, la crise des opioïdes est partout",
    "mon cou est raide et froid depuis ce matin",
    "i found him hanging out with his old friends again",
]


@pytest.mark.parametrize("text", SAID_TO_THE_PERSON)
def test_words_said_to_the_person_and_injuries_found_are_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", IDIOMS_AND_LATER)
def test_idioms_and_deaths_told_later_raise_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


# What a witness sees and hears with no drug named: noises, a rattle, a chest that does not
# move, no blinking, barely moving, out for minutes; next to them phones, power cuts, asthma
# questions and "râler" (to grumble).
WHAT_A_WITNESS_SEES = [
    "he's making weird noises and won't answer",
    "his breathing sounds like snoring",
    "he's making a rattling sound when he breathes",
    "she's wheezing and can't talk",
    "he's all white and sweaty and won't talk",
    "she doesn't look good, she's barely moving",
    "i think he's gone",
    "i think she's gone, she's not moving",
    "his chest isn't moving",
    "her chest isn't rising",
    "he went limp",
    "he went still and his eyes are open",
    "he's just staring and not blinking",
    "he's been out for 20 minutes",
    "she can't talk and she keeps nodding off",
    "he's mumbling and can't stand up and his lips look weird",
    "she's not making sense and she's going in and out",
    "he won't talk and he's really pale",
    "my husband is slumped in his chair and won't answer",
    "she isn't speaking and her eyes are rolling",
    "he's not breathing right",
    "he's breathing really weird",
    "he's turning colors",
    "he stopped talking and fell over",
    "il fait des bruits bizarres pis il répond pas",
    "sa respiration ressemble à un ronflement",
    "il fait un râle",
    "elle siffle quand elle respire pis parle pas",
    "il est tout blanc pis il parle plus",
    "elle a pas l'air bien, elle bouge presque pas",
    "je pense qu'il est parti",
    "sa poitrine bouge plus",
    "il est devenu tout mou",
    "il fixe le vide et cligne pas des yeux",
    "ça fait 20 minutes qu'il est dans les vapes",
    "elle parle plus pis elle cogne des clous",
    "il marmonne pis il tient pas debout",
    "il parle pu pis il est blême",
    "mon mari est affaissé dans sa chaise et répond pas",
    "elle respire pas comme du monde",
    "il respire bizarre",
    "il est tombé d'un coup et il parle plus",
]

NOT_A_WITNESS = [
    "my kid is staring at his phone all day",
    "is wheezing a sign of asthma",
    "il râle tout le temps contre son boss",
    "my computer has been out for repair for a week",
    "the power has been out for two days",
    "le bébé cligne pas des yeux quand il dort, c'est normal?",
    "he's not with it in the mornings before coffee",
]


@pytest.mark.parametrize("text", WHAT_A_WITNESS_SEES)
def test_what_a_witness_sees_is_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", NOT_A_WITNESS)
def test_devices_habits_and_grumbling_raise_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


# Shouted for help by whoever is there (someone call 911, send help, we need a doctor here),
# foam at the mouth, vomiting and not waking; next to them questions about when to call and
# everyday requests.
SHOUTED_FOR_HELP = [
    "somebody call 911!",
    "someone call an ambulance he's not moving",
    "get help, get help now!",
    "we need a doctor here!",
    "is there a doctor here? she collapsed",
    "he needs an ambulance",
    "she needs help now she's not breathing",
    "hurry he's dying",
    "please hurry, she's turning blue",
    "send someone quick, my son took pills",
    "my dad is on the floor and there's foam coming out of his mouth",
    "there's foam coming out of her mouth",
    "he's frothing at the mouth",
    "he threw up and he's not waking",
    "appelez une ambulance!",
    "que quelqu'un appelle le 911!",
    "quelqu'un appelle une ambulance il bouge plus",
    "on a besoin d'un médecin ici!",
    "y a-t-il un médecin? elle s'est effondrée",
    "il a besoin d'une ambulance",
    "elle a besoin d'aide maintenant elle respire plus",
    "vite il est en train de mourir",
    "dépêchez-vous elle devient bleue",
    "il a de la mousse qui sort de la bouche",
    "elle vomit et elle est pas réveillée",
    "il a vomi et il se réveille pas",
]

ASKING_WHEN_TO_CALL = [
    "should i call an ambulance if someone is overdosing",
    "can someone call me back about the naloxone training",
    "je veux aller chercher de l'aide pour ma consommation",
    "my landlord sent someone to fix the heat",
    "j'ai besoin d'un médecin de famille, on en trouve pas ici",
    "when should you call an ambulance for an overdose",
]


@pytest.mark.parametrize("text", SHOUTED_FOR_HELP)
def test_help_shouted_for_now_is_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", ASKING_WHEN_TO_CALL)
def test_asking_when_to_call_raises_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


# Fifth round (real_dev4's families, in our own words): naloxone asked for at the scene, a
# handful of pills just swallowed, words said to the person; and stories told afterwards:
# once, a memory one cannot shake, someone now in hospital care, what others told the
# narrator, a dated night, "you can't OD on it", a worry about the future.
NALOXONE_AND_PILLS_NOW = [
    "she needs narcan",
    "go grab the narcan",
    "who has narcan? he's down",
    "where's the naloxone kit, he's not moving",
    "i just swallowed 20 tylenol",
    "i took a bunch of pills and i feel really sick",
    "you've got to wake up baby, please",
    "qui a de la naloxone, il respire pas",
    "does anybody have narcan, she's turning blue",
    "we need narcan for this woman, hurry",
]

TOLD_AFTERWARDS = [
    "i once overdosed by accident on cold medicine",
    "i still can't get the image of her blue face out of my head",
    "you can't od on that stuff",
    "my cousin overdosed on pills before prom and that changed everything for us",
    "i'm worried about him overdosing one day",
    "she's in intensive care after an overdose last night",
    "my friends told me i went blue",
    "on m'a dit que j'étais devenu bleu",
    "i was hospitalized for a week after overdosing",
    "on the night of may 3 i found my brother not breathing",
    "il est aux soins intensifs depuis sa surdose",
    "where can i get narcan",
    "does my son need to carry narcan at school",
    "she told me she had swallowed some pills the week before and was fine",
    "there's a bad batch going around downtown",
    "does anyone have narcan training near me",
]

# A present sign after a story still alarms.
STORY_THEN_NOW = [
    "i once overdosed on cold medicine, and now my brother is blue and not breathing",
    "my friends told me i went blue last time, now he's not waking up",
]


@pytest.mark.parametrize("text", NALOXONE_AND_PILLS_NOW + STORY_THEN_NOW)
def test_naloxone_asked_for_and_pills_just_swallowed_are_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", TOLD_AFTERWARDS)
def test_stories_told_afterwards_raise_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


@pytest.mark.parametrize("text", FIFTH_SESSION_BYSTANDER)
def test_fifth_session_bystanders_are_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", expect_false_alarms(FIFTH_SESSION_NOT_EMERGENCY))
def test_fifth_session_questions_and_stories_raise_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


def test_words_typed_out_are_read_again_joined(detector: EmergencyDetector) -> None:
    """ "i cannot wake him" is read again as "i cant wake him"; the joined reading only
    adds an emergency: what the message says as typed still decides when it is one."""
    verdict = detector.judge(fold("i cannot wake him up").split())
    assert verdict.emergency
    assert verdict.signal is not None and "cant" in verdict.signal
    assert detector.judge(fold("he is not breathing").split()).emergency
    assert not detector.judge(fold("i do not know where to get naloxone").split()).emergency


@pytest.mark.parametrize("text", REVIEW_EMERGENCY)
def test_a_sign_now_beside_a_panic_attack_a_story_or_a_question_is_the_emergency(
    text: str,
) -> None:
    """A reviewer's probes of safety5's exceptions: "i'm having a panic attack, my boyfriend
    won't wake up", "should i tell 911 he used fentanyl, he's not breathing"."""
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", expect_false_alarms(REVIEW_NOT_EMERGENCY))
def test_figures_of_speech_and_questions_about_calling_raise_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


@pytest.mark.parametrize(
    "text", ["i wish i would not wake up", "i really wish i would not wake up"]
)
def test_a_wish_typed_out_is_crisis_support_not_an_overdose(
    detector: EmergencyDetector, text: str
) -> None:
    """ "would not" read as "wouldnt" made "wish i wouldnt wake" the sign "wouldnt wake"."""
    assert not detector.judge(fold(text).split()).emergency
    assert route(text) == "crisis_support"


def test_a_contraction_key_of_three_words_or_none_is_a_clear_problem(tmp_path: Path) -> None:
    """A CONTRACTIONS key is one or two words: a longer or empty key is named for staff
    (and left out), never a silent no-op or a crash at load."""
    text = (RESOURCES / "emergency.yaml").read_text(encoding="utf-8")
    assert text.rstrip().endswith("i am: im"), "contractions must stay the file's last list"
    (tmp_path / "emergency.yaml").write_text(
        text.rstrip() + '\n  he can not: hecant\n  "": cant\n  may not: may not\n',
        encoding="utf-8",
    )
    found, problems = load_emergency(tmp_path)
    assert found is not None
    messages = [str(p) for p in problems]
    assert len(messages) == 3, messages
    assert "'he can not' must be one or two words" in messages[0]
    assert "'' must be one or two words" in messages[1]
    assert "'may not' must be read as one word" in messages[2]
    assert all(m.startswith("emergency.yaml:") and ":1:" not in m for m in messages)
    assert found.judge(fold("i cannot wake him up").split()).emergency


@pytest.mark.parametrize("text", SECOND_REVIEW_EMERGENCY)
def test_a_second_reviews_overdoses_next_to_exception_phrases_are_the_emergency(
    text: str,
) -> None:
    assert route(text) == "emergency"
