"""Ninth session (ex9b): topic examples for the informational intents (overdose, naloxone,
substances, use, services, safer use). Our own sentences, not copied from any evaluation set.
Each message below is answered with the topic named beside it (not the alarm)."""

from __future__ import annotations

import pytest

from tests.test_emergency import route

# (message, topic); English sessions, as the real-world sets start.
TOPICS = [
    # "nearest" tied consumption sites ("where is the nearest scs") with getting naloxone.
    ("where is the nearest naloxone", "naloxone_get"),
    ("where is the closest naloxone", "naloxone_get"),
    ("naloxone kit near me", "naloxone_get"),
    ("how much does narcan cost", "naloxone_get"),
    ("faut-il une ordonnance pour le narcan", "naloxone_get"),
    ("où je peux trouver du narcan à laval", "naloxone_get"),
    ("can narcan be addictive", "naloxone_about"),
    ("which medication reverses an opioid overdose", "naloxone_about"),
    ("how many times can i give someone narcan", "naloxone_use"),
    ("est-ce que la naloxone marche encore après la date de péremption", "naloxone_storage"),
    ("est-ce légal de traîner de la naloxone dans son sac", "naloxone_storage"),
    ("do people who call about an overdose get legal immunity", "good_samaritan"),
    ("should i make him vomit if he swallowed a cleaning product", "accidental_ingestion"),
    ("faut-il faire vomir mon fils s'il a avalé un produit ménager", "accidental_ingestion"),
    ("why is it safer to use when someone else is there", "using_alone"),
    ("how does it feel when an overdose starts", "overdose_signs"),
    ("how do you know when someone is overdosing", "overdose_signs"),
    ("will naloxone work on a person who is already dead", "naloxone_about"),
    ("est-ce légal d'avoir de la naloxone sur moi", "naloxone_storage"),
]

# Not the topic: a French legal question must not read as storing naloxone.
NOT_TOPIC = [
    ("est-il légal de conduire après avoir fumé du cannabis", "naloxone_storage"),
    ("est-il légal de fumer un joint dans un parc", "naloxone_storage"),
    ("how much does a gram of coke cost", "naloxone_get"),
    # naloxone_get's French keywords no longer hold "où trouver" alone.
    ("où trouver du bon hasch en ville", "naloxone_get"),
    ("où trouver des champignons magiques", "naloxone_get"),
]


@pytest.mark.parametrize(("text", "topic"), TOPICS, ids=[t for t, _ in TOPICS])
def test_the_question_reaches_its_topic(text: str, topic: str) -> None:
    assert route(text) == topic


@pytest.mark.parametrize(("text", "topic"), NOT_TOPIC, ids=[t for t, _ in NOT_TOPIC])
def test_the_question_does_not_reach_the_topic(text: str, topic: str) -> None:
    assert route(text) not in (topic, "emergency")
