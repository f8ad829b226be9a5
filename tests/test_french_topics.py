"""French topic questions as people write them, in our own words: the formal FAQ register
(Canada, France, Belgium, Switzerland), Quebec chat and SMS spellings. Each must reach its
topic, in French, from a session that started in English. None comes from an evaluation set."""

from __future__ import annotations

import pytest

from bot.session import Session
from tests.helpers.bundled import bundled

QUESTIONS: dict[str, tuple[str, ...]] = {
    "accidental_ingestion": (
        "Mon enfant a avalé une pilule de méthadone, que faire?",
        "Mon chien a mangé des comprimés",
    ),
    "alerts_current": (
        "Y a-t-il des alertes sur des drogues contaminées en ce moment?",
        "Y a tu une mauvaise batch qui circule",
    ),
    "benzos_xylazine": (
        "Qu'est-ce que la xylazine?",
        "Pourquoi la naloxone ne fonctionne-t-elle pas sur les benzodiazépines?",
        "Les benzos mélangés aux opioïdes, c'est dangereux?",
        "pk le narcan marche pas sur les benzos",
        "Est-il dangereux d'associer benzodiazépines et opioïdes ?",
    ),
    "calling_911": (
        "Faut-il appeler le 911 lors d'une surdose?",
        "Qu'est-ce que je dois dire au répartiteur du 911?",
    ),
    "consumption_sites": (
        "Faut-il apporter sa drogue au site de consommation ?",
        "Qu'est-ce qu'un site de consommation supervisée?",
        "Où se trouve le site d'injection supervisée le plus proche?",
        "C'est quoi une piquerie légale?",
        "Les services d'injection supervisée sont-ils légaux au Canada?",
        "Qu'est-ce qu'une salle de consommation à moindre risque ?",
        "Où se trouvent les haltes soins addictions ?",
    ),
    "crisis_support": (
        "Je pense au suicide.",
        "J'ai besoin de parler à quelqu'un, ça va vraiment pas",
    ),
    "drug_checking": (
        "Où peut-on faire analyser ses drogues?",
        "Comment fonctionnent les bandelettes de détection du fentanyl?",
        "Les tests de dépistage du fentanyl sont-ils fiables?",
        "jveux tester ma dope avant de la prendre",
        "jveux tester ma dope avant",
        "Où faire analyser ses produits ?",
        "L'analyse de produits est-elle anonyme et gratuite ?",
    ),
    "family_support": (
        "Mon fils refuse toute aide pour sa consommation, que faire ?",
        "Existe-t-il des groupes de soutien pour les conjoints de consommateurs ?",
        "Mon conjoint dépense notre argent pour consommer, comment réagir ?",
        "Comment aider un proche qui consomme des drogues?",
        "Mon fils consomme des opioïdes, que puis-je faire?",
        "Comment parler de drogue avec mon ado?",
        "ma blonde consomme pis je sais pu quoi faire",
        "jsais pu koi faire avec mon fils qui consomme",
        "Comment aider un proche dépendant à l'héroïne ?",
        "Mon fils consomme de la cocaïne, que faire ?",
    ),
    "fentanyl_about": (
        "Qu'est-ce que le fentanyl et pourquoi est-il si dangereux?",
        "Le fentanyl peut-il se trouver dans d'autres drogues?",
        "Est-ce qu'on peut faire une surdose en touchant du fentanyl?",
        "ma coke peut tu etre coupée au fent",
        "Pourquoi le fentanyl est-il plus puissant que l'héroïne?",
        "Le fentanyl circule-t-il en Europe ?",
        "Pourquoi les opioïdes de synthèse sont-ils si dangereux ?",
    ),
    "find_services": ("Quels services sont offerts près de chez moi?",),
    "good_samaritan": (
        "La loi protège-t-elle la personne qui appelle les secours lors d'une surdose ?",
        "Est-ce que je peux être arrêté si j'appelle les secours pendant une surdose?",
        "La Loi sur les bons samaritains protège-t-elle les personnes qui consomment?",
        "jai peur que la police m'arrête si j'appelle le 911 pour mon chum",
        "Suis-je protégé contre les accusations de possession si j'appelle à l'aide?",
        "Risque-t-on des poursuites si on appelle les secours pour une overdose ?",
    ),
    "grief_support": (
        "Comment faire son deuil après la surdose de mon frère ?",
        "J'ai perdu mon frère à cause d'une surdose, où trouver du soutien?",
        "Comment vivre le deuil après une surdose?",
        "Groupes de soutien pour les familles endeuillées par une surdose",
    ),
    "how_much": ("Combien je peux en prendre sans faire une od",),
    "naloxone_about": (
        "Qu'arrive-t-il si on donne de la naloxone à une personne qui n'a pas consommé d'opioïdes?",
        "la naloxone c tu dangereux",
        "Combien de temps la naloxone reste-t-elle efficace dans le corps?",
        "Est-ce que la naloxone fonctionne contre le fentanyl?",
        "c koi la naloxone",
        "Quels sont les effets indésirables de la naloxone ?",
        "Combien de temps agit la naloxone ?",
    ),
    "naloxone_get": (
        "Où peut-on se procurer une trousse de naloxone gratuitement?",
        "Est-ce que je dois payer pour avoir de la naloxone en pharmacie?",
        "jpeux tu avoir du narcan sans prescription",
        "Faut-il une ordonnance pour obtenir de la naloxone au Québec?",
        "ou est ce que jpeux trouver une trousse de naloxone proche de chez nous",
        "Les pharmacies distribuent-elles la naloxone sans frais?",
        "Qui peut recevoir une trousse de naloxone?",
        "on peut en avoir ou de la naloxone",
        "jpeux avoir du narcan ou",
        "Où se procurer de la naloxone en France ?",
        "La naloxone est-elle remboursée par la sécurité sociale ?",
        "Peut-on obtenir du Nyxoid sans ordonnance en pharmacie ?",
    ),
    "naloxone_storage": (
        "À quelle température faut-il conserver la trousse de naloxone?",
        "Est-ce que ma naloxone est encore bonne après la date d'expiration?",
        "jpeux tu laisser mon narcan dans le char l'hiver",
        "La naloxone craint-elle le gel?",
    ),
    "naloxone_use": (
        "Comment administrer la naloxone par voie nasale?",
        "Comment fait-on une injection de naloxone dans le muscle?",
        "chu pas sur de savoir comment donner le narcan",
        "Combien de vaporisations faut-il donner?",
        "Dans quel muscle injecte-t-on la naloxone?",
        "Quelle est la marche à suivre pour utiliser une trousse de naloxone?",
        "faut tu que je pique dans la cuisse ou dans le bras",
        "cmt donner le narcan",
        "Comment administrer le Prenoxad ?",
        "Comment utiliser un spray nasal de naloxone en cas d'overdose ?",
    ),
    "needles": (
        "Où jeter une seringue usagée?",
        "J'ai trouvé une aiguille dans le parc, que faire?",
        "Que faire si je me suis piqué avec une seringue trouvée?",
    ),
    "out_of_scope": ("Quelle est la météo demain?",),
    "overdose_aftercare": (
        "Faut-il aller à l'hôpital après avoir reçu de la naloxone ?",
        "Que se passe-t-il une fois que la personne se réveille après la naloxone?",
        "Faut-il rester avec la personne après lui avoir donné de la naloxone?",
    ),
    "overdose_myths": (
        "Est-ce que mettre quelqu'un dans un bain froid aide lors d'une surdose?",
        "Faut-il faire vomir une personne en surdose?",
    ),
    "overdose_response": (
        "Que faire face à une surdose?",
        "Quels gestes poser si une personne fait une surdose?",
        "Comment réagir lorsqu'une personne fait une overdose?",
        "koi faire si mon ami fait une od",
        "Quelles sont les étapes pour intervenir lors d'une surdose?",
        "koi faire si qqn fait une od",
        "Que faire face à une personne en overdose ?",
        "Quels sont les gestes de premiers secours en cas d'overdose ?",
    ),
    "overdose_signs": (
        "Que ressent-on pendant une surdose ?",
        "Quels sont les symptômes d'une surdose d'opioïdes?",
        "Comment reconnaître une personne en surdose?",
        "c koi les signes d'une od",
        "Comment savoir si quelqu'un fait une overdose ou s'il dort simplement?",
        "Les lèvres bleues, est-ce un signe de surdose?",
        "Comment reconnaître une overdose aux opiacés ?",
        "Quels sont les signes d'un surdosage ?",
    ),
    "safer_use": (
        "Comment réduire les risques quand on consomme?",
        "Où trouver du matériel de consommation stérile?",
        "Comment fumer de façon plus sécuritaire?",
        "Conseils pour consommer de façon moins risquée",
        "jfume du crack, cmt reduire les risques",
        "Où trouver un Stéribox ?",
        "Comment limiter les risques lors d'une injection ?",
        "Qu'est-ce que la réduction des risques en addictologie ?",
    ),
    "stimulant_overdose": (
        "Quels sont les signes d'une surdose de cocaïne?",
        "Que faire si quelqu'un a trop pris de speed et a chaud?",
        "Peut-on faire une surdose de méthamphétamine?",
    ),
    "tolerance": (
        "Est-ce que la tolérance baisse après une période d'abstinence?",
        "Pourquoi le risque d'overdose augmente-t-il après un sevrage ?",
    ),
    "treatment": (
        "Puis-je voyager avec mes doses de méthadone ?",
        "Comment arrêter de consommer des opioïdes?",
        "Où trouver de l'aide pour une dépendance aux opioïdes?",
        "C'est quoi le traitement par agonistes opioïdes?",
        "je veux arrêter la dope, par ou commencer",
        "Comment commencer un traitement à la méthadone?",
        "Existe-t-il des centres de désintoxication gratuits?",
        "jveux arreter de consommer",
        "Qu'est-ce qu'un traitement de substitution aux opiacés ?",
        "Comment se passe un sevrage à la méthadone ?",
        "Où trouver un CSAPA près de chez moi ?",
        "Le Subutex peut-il être prescrit par un médecin généraliste ?",
    ),
    "using_alone": (
        "Existe-t-il un service à appeler quand on consomme seul?",
        "jconsomme tout seul chez nous, c tu dangereux",
        "jconsomme tjrs tout seul",
    ),
    "wound_care": (
        "J'ai une bosse rouge et chaude au point d'injection",
        "Comment soigner un abcès au point d'injection?",
        "Ma plaie est rouge et enflée, est-ce infecté?",
    ),
}


@pytest.mark.parametrize(
    ("intent", "text"), [(i, t) for i, texts in QUESTIONS.items() for t in texts]
)
def test_a_french_question_reaches_its_topic_in_french(intent: str, text: str) -> None:
    reply = bundled().dialogue.respond(text, Session(language="en"))
    assert (reply.intent, reply.language, reply.emergency) == (intent, "fr", False)
