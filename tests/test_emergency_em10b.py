"""Tenth session (em10b): false alarms. A question about a sign or a myth asked with the
Québec particle "-tu" ("ça veut-tu dire", "ça marche-tu"), what to watch for in someone
who "aurait pris" something, a person said NOT to be in an overdose, a figure of speech
("une overdose de chips", "tombé dans le down" = started using), a habit told in despair
("i can't keep coming home and finding him..."). None is an overdose happening now; the
real scene written next to each stays the emergency. Our own sentences, not copied from
any evaluation set."""

from __future__ import annotations

import pytest

from tests.test_emergency import route

NOT_NOW = [
    # The "-tu" question particle on a sign or a myth.
    "les ongles bleus ca veut-tu dire qu'y fait une od",
    "le ronflement bizarre ça veut tu dire que c'est une surdose",
    "la glace dans les culottes ca les reveille tu",
    "le lait ça marche tu vraiment pour une od",
    "c tu vrai que le sel ca reveille qqun en surdose",
    "est-ce que ça peut faire du mal de donner du narcan à qqun qui est pas en surdose",
    "le narcan ça peut tu blesser quelqu'un qui fait pas de surdose",
    # What to watch for, a person supposed.
    "quoi surveiller chez un ado qui aurait pris une pilule pas sure",
    "qu'est ce que je dois surveiller si mon gars aurait consommé du fent",
    "does blue lips always mean an overdose",
    "what should i watch for in a teen who might have taken something",
    "can narcan hurt someone who isnt overdosing",
    "je suis prof, est ce que le narcan peut blesser un eleve qui est pas en overdose",
    "im a teacher, can narcan hurt a kid who isnt overdosing",
    "je suis intervenante, c'est quoi les signes chez un ado qui aurait pris du fent",
    # Figures of speech.
    "j'ai fait une overdose de bonbons à l'halloween lol",
    "on a fait une od de sucre au party de fête",
    "i totally overdosed on candy tonight lol",
    "mon frère est tombé dans la drogue l'an passé, comment l'aider",
    "ma soeur est tombee dans le down depuis son divorce, je fais quoi",
    # A habit told in despair.
    "im so tired of finding him passed out on the couch, how do i set boundaries",
    "every time i come home he's passed out on the floor and i dont know how to cope",
    "chu tannée de le retrouver gelé ben raide sur le sofa, comment je fais pour tenir",
]

NOW = [
    "mon chum a les levres bleues pis y respire pu",
    "mon chum repond pas pis y a les levres bleues, ca veut tu dire une od",
    "ma blonde respire pu, le sel ca la reveille tu?",
    "he's not breathing and his lips are blue",
    "my bf is passed out on the floor and wont wake up",
    "he's passed out and wont wake up, what should i look for",
    "mon ami est tombé pis y respire pu",
    "il est tombé dans le down pis la y respire pu",
    "je viens de rentrer pis je le retrouve gele sur le plancher, y respire pas",
    "i just came home and found him passed out, he isnt breathing",
    "mon coloc a pris du fent, y est bleu pis y se reveille pas",
    "je suis enseignante pis un eleve respire pu dans les toilettes",
    "im a teacher and a student collapsed in the bathroom, he isnt breathing",
    "mon chum qui est pas en surdose d'habitude, là y respire pu",
    "il aurait pris quelque chose pis y se reveille pas",
    "je suis educatrice, un jeune qui aurait pris qqchose est bleu pis y respire pas",
]


@pytest.mark.parametrize("text", NOT_NOW)
def test_a_question_a_figure_or_a_habit_is_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


@pytest.mark.parametrize("text", NOW)
def test_the_scene_next_to_it_is_the_emergency(text: str) -> None:
    assert route(text) == "emergency"
