"""Suicidal statements said in many ways (goodbyes, a date chosen, pills saved, "what's the
point"), and near-misses (figures of speech, a date for detox, school projects about
9-8-8). Written on 2026-12-02 by a reviewer who never read the evaluation sets; the
messages are in tests/data/crisis_probes.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.eval.run import CRISIS_ROUTES
from tests.test_emergency import route

PROBES: dict[str, list[str]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "crisis_probes.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("text", PROBES["suicidal"])
def test_a_suicidal_statement_reaches_crisis_support_or_911(text: str) -> None:
    assert route(text) in CRISIS_ROUTES


@pytest.mark.parametrize("text", PROBES["near"])
def test_a_near_miss_is_not_sent_to_crisis_support(text: str) -> None:
    assert route(text) not in CRISIS_ROUTES


@pytest.mark.xfail(strict=True, reason="a gap: statements the crisis rules miss today")
@pytest.mark.parametrize("text", PROBES["suicidal_missed_today"])
def test_suicidal_statements_still_missed(text: str) -> None:
    assert route(text) in CRISIS_ROUTES


@pytest.mark.xfail(strict=True, reason="a gap: near-misses still sent to crisis support")
@pytest.mark.parametrize("text", PROBES["near_wrong_today"])
def test_near_misses_still_sent_to_crisis(text: str) -> None:
    assert route(text) not in CRISIS_ROUTES
