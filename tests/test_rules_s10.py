"""Tenth session, on merging: rules added when helpers' branches met (our own sentences)."""

from __future__ import annotations

import pytest

from tests.eval.run import CRISIS_ROUTES
from tests.test_emergency import route

# Someone who vomits and is not awake is the emergency; a teen not awake yet on a Sunday
# is asleep; a year or a memory makes what reads like an emergency a story.
NOW = [
    "elle vomit et elle est pas réveillée",
    # A sign said now, then asked about: the question keeps the scene real.
    "il respire pu, ça veut tu dire qu'il fait une od?",
    "ses lèvres sont bleues ça veut tu dire qu'il fait une od",
    "il a les levres bleues, ça veut tu dire une od? y repond pas",
    "his lips are blue does that mean he is overdosing",
    "il est toujours pas réveillé pis il respire bizarre",
]
NOT_NOW = [
    "mon phone est en train de mourir",
    "les levres bleues ca veut tu dire que c une od",
    "how do you know if his lips are blue because of an od",
    "mon ado est pas réveillé encore, il dort tard le dimanche",
    "je me souviens de l'avoir vu devenir bleu en 2021",
    "back in 2019 he was blue and not breathing, we saved him",
]


@pytest.mark.parametrize("text", NOW)
def test_not_awake_and_unwell_is_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", NOT_NOW)
def test_asleep_or_dated_is_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


@pytest.mark.parametrize(
    "text", ["j'ai tout vécu, je peux partir en paix", "je suis prête à partir en paix"]
)
def test_ready_to_go_in_peace_reaches_crisis_support(text: str) -> None:
    assert route(text) in CRISIS_ROUTES
