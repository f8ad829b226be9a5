"""The eleventh session's batteries (tests/data/battery_s11.yaml): suicidal statements and
their near-misses, overdoses happening now and theirs, written by two helpers who never
saw the code, the rules, the examples or any evaluation set. What main answered right
must stay right; what it got wrong is a strict xfail each, so a fix shows as XPASS and
the message moves to its list."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.test_emergency import route

BATTERY: dict[str, list[str]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "battery_s11.yaml").read_text(encoding="utf-8")
)
CRISIS_ROUTES = ("crisis_support", "emergency")


@pytest.mark.parametrize("text", BATTERY["suicidal"])
def test_a_suicidal_statement_reaches_crisis_support(text: str) -> None:
    assert route(text) in CRISIS_ROUTES


@pytest.mark.parametrize("text", BATTERY["not_suicidal"])
def test_a_near_miss_is_not_crisis_support(text: str) -> None:
    """Figures of speech, grief without a wish to die, work and school questions."""
    assert route(text) not in CRISIS_ROUTES


@pytest.mark.parametrize("text", BATTERY["now"])
def test_an_overdose_now_is_the_emergency(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", BATTERY["not_now"])
def test_a_question_or_a_story_is_no_alarm(text: str) -> None:
    assert route(text) != "emergency"


@pytest.mark.xfail(strict=True, reason="a gap: missed on 2026-12-02")
@pytest.mark.parametrize("text", BATTERY["suicidal_missed_today"])
def test_suicidal_statements_still_missed(text: str) -> None:
    assert route(text) in CRISIS_ROUTES


@pytest.mark.xfail(strict=True, reason="a gap: sent to crisis support on 2026-12-02")
@pytest.mark.parametrize("text", BATTERY["not_suicidal_crisis_today"])
def test_near_misses_still_sent_to_crisis_support(text: str) -> None:
    assert route(text) not in CRISIS_ROUTES


@pytest.mark.xfail(strict=True, reason="a gap: missed on 2026-12-02")
@pytest.mark.parametrize("text", BATTERY["now_missed_today"])
def test_overdoses_now_still_missed(text: str) -> None:
    assert route(text) == "emergency"


@pytest.mark.xfail(strict=True, reason="a gap: raised the alarm on 2026-12-02")
@pytest.mark.parametrize("text", BATTERY["not_now_alarm_today"])
def test_near_misses_still_raising_the_alarm(text: str) -> None:
    assert route(text) != "emergency"
