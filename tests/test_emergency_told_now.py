"""Overdoses happening now told as a story ("we found him, he was blue, I gave narcan, he
didn't wake up"), and stories told afterwards. Written on 2026-12-02 by a reviewer who
never read the evaluation sets, to probe a rule that held back past-tense narratives:
every rescue told in the past that today's rules catch must stay the alarm. The messages
are in tests/data/told_now.yaml (long lines)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.test_emergency import route

PROBES: dict[str, list[str]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "told_now.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("text", PROBES["told_now"] + PROBES["asked_during"])
def test_a_rescue_told_in_the_past_tense_is_the_emergency(text: str) -> None:
    """A panicking bystander tells what happened; the person is still down (or the next
    step is asked about a scene under way: "i gave him narcan, if he doesnt wake up...")."""
    assert route(text) == "emergency"


@pytest.mark.parametrize("text", PROBES["told_after"])
def test_a_story_told_afterwards_is_no_alarm(text: str) -> None:
    """A time long gone or an outcome (awake, fine, died): no alarm."""
    assert route(text) != "emergency"


@pytest.mark.xfail(strict=True, reason="a gap: the rules miss these rescues today")
@pytest.mark.parametrize("text", PROBES["missed_today"])
def test_rescues_the_rules_still_miss(text: str) -> None:
    """A dose that did nothing ("he didnt come back", "il a pas réagi"), "when I shook him"
    read as a past time, "woke up" and then out again (2026-12-02)."""
    assert route(text) == "emergency"
