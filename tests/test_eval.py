"""Quality gate: the matcher meets its targets on the labelled evaluation sets."""

from __future__ import annotations

from functools import cache

import pytest

from bot.resources import Resources, load_resources
from tests.eval.run import evaluate, load_set, unseen


@cache
def resources() -> Resources:
    return load_resources()


@pytest.mark.parametrize("name", ["heldout", "blind", "final"])
def test_targets_hold_on_unseen_style_messages(name: str) -> None:
    """Top-1 >= 0.90, every emergency caught, false alarms <= 2%, on each evaluation set."""
    score = evaluate(resources(), load_set(name))
    assert score.total >= 200
    assert score.recall == 1.0, [m for m in score.misses if m[0] == "emergency"]
    assert score.false_alarm_rate <= 0.02
    assert score.accuracy >= 0.90


@pytest.mark.parametrize("name", ["heldout", "blind", "final"])
def test_accuracy_holds_without_copies_of_examples(name: str) -> None:
    """Messages that happen to equal a knowledge-base example are not what carries the score."""
    rows = load_set(name)
    fresh = unseen(resources(), rows)
    assert len(fresh) >= 0.8 * len(rows)
    assert evaluate(resources(), fresh).accuracy >= 0.90
