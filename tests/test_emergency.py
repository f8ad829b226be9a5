"""Emergency detection on the bundled phrase lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.emergency import EmergencyDetector, PhraseList, _compile, _matches, load_emergency
from bot.text import fold

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
