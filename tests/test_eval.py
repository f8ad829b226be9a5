"""Quality gate: the matcher meets issue 11's targets on the labelled evaluation sets.

Targets not met yet are strict xfails naming today's number: the gate fails the day one
is met (so the xfail is removed and the target becomes a hard gate) and the day a
result falls below its floor.
"""

from __future__ import annotations

from functools import cache

import pytest

from bot.resources import Resources
from tests.eval.run import (
    HERE,
    REAL_SETS,
    WRITTEN_SETS,
    Score,
    evaluate,
    first_runs,
    load_set,
    set_path,
    unseen,
)
from tests.helpers.bundled import bundled

PARAPHRASE = ["heldout", "blind", "final"]
PRESENT_REAL = [n for n in REAL_SETS if (HERE / "real" / f"{n[5:]}.yaml").exists()]
PRESENT_WRITTEN = [n for n in WRITTEN_SETS if set_path(n).exists()]


@cache
def resources() -> Resources:
    return bundled()


@cache
def score(name: str, lang: str = "all") -> Score:
    rows = load_set(name)
    if lang != "all":
        rows = [r for r in rows if r.lang == lang]
    return evaluate(resources(), rows, name)


@pytest.mark.parametrize("name", PARAPHRASE)
def test_paraphrase_targets(name: str) -> None:
    """Top-1 >= 0.95, every emergency caught, false alarms <= 2%, on each paraphrase set."""
    result = score(name)
    assert result.total >= 200
    assert result.recall == 1.0, [m for m in result.misses if m[0] == "emergency"]
    assert result.false_alarm_rate <= 0.02
    assert result.accuracy >= 0.95


@pytest.mark.parametrize("name", PARAPHRASE)
def test_accuracy_holds_without_copies_of_examples(name: str) -> None:
    """Messages that happen to equal a knowledge-base example are not what carries the score.

    (0.90, as before issue 11: the never-seen part of final scores 0.94 today.)
    """
    rows = load_set(name)
    fresh = unseen(resources(), rows)
    assert len(fresh) >= 0.8 * len(rows)
    assert evaluate(resources(), fresh).accuracy >= 0.90


@pytest.mark.parametrize("name", PARAPHRASE + PRESENT_REAL)
def test_french_is_answered_in_french(name: str) -> None:
    """Real-world sessions start in English: the language must follow the message.

    One real French message ("Dosages") is the same word in English and stays English.
    """
    result = score(name)
    assert result.french - result.french_in_french <= 1


@pytest.mark.parametrize("name", [*PARAPHRASE, "real_dev"])
def test_every_suicidal_statement_reaches_crisis_or_911(name: str) -> None:
    """Zero suicidal misses on the sets that label them (a held-out set: see below)."""
    if name not in PRESENT_REAL and name in REAL_SETS:
        pytest.skip("set not present")
    result = score(name)
    assert result.suicidal_routed == result.suicidal


@pytest.mark.parametrize("name", PRESENT_REAL + PRESENT_WRITTEN)
def test_real_sets_never_fall_below_their_first_run(name: str) -> None:
    """The floor: every headline number at least as good as the recorded first run."""
    first = first_runs()[name]["all"]
    now = score(name).figures()
    for key in ("top1", "recall", "self_contained_recall", "suicidal_routed", "french_in_french"):
        assert float(now[key] or 0) >= float(first[key] or 0), key
    assert float(now["false_alarms"] or 0) <= float(first["false_alarms"] or 0) + 0.01


REAL_TARGETS_NOT_MET = pytest.mark.xfail(
    strict=True,
    reason="issue 11 target not met yet on the real held-out set (README: numbers)",
)


@pytest.mark.skipif("real_heldout" not in PRESENT_REAL, reason="set not present")
@REAL_TARGETS_NOT_MET
def test_real_heldout_top1_target() -> None:
    """Top-1 >= 0.85 on messages people wrote on public pages."""
    assert score("real_heldout").accuracy >= 0.85


@pytest.mark.skipif("real_heldout" not in PRESENT_REAL, reason="set not present")
@REAL_TARGETS_NOT_MET
def test_real_heldout_emergency_target() -> None:
    """Emergency recall >= 0.95 (1.00 self-contained), false alarms <= 3%."""
    result = score("real_heldout")
    assert result.recall >= 0.95
    assert result.self_contained_recall == 1.0
    assert result.false_alarm_rate <= 0.03


# The written crisis sets' read halves, a little under 2026-12-02's figures (0.954 and
# 0.960; first runs 0.687 and 0.720): the crisis rules must not silently come undone.
CRISIS_DEV_FLOORS = {"crisis_dev": 0.94, "crisis_dev2": 0.94}


@pytest.mark.parametrize("name", [n for n in CRISIS_DEV_FLOORS if n in PRESENT_WRITTEN])
def test_written_crisis_dev_sets_keep_their_suicidal_routing(name: str) -> None:
    assert score(name).suicidal_rate >= CRISIS_DEV_FLOORS[name]


@pytest.mark.skipif("crisis_blind" not in PRESENT_WRITTEN, reason="set not present")
@pytest.mark.xfail(strict=True, reason="issue 11: zero suicidal misses not met (README: numbers)")
def test_written_crisis_blind_sets_route_every_suicidal_statement() -> None:
    """Zero misses on the blind halves of the written crisis sets (0.81 and 0.73 at the
    end of the tenth session, 2026-12-02)."""
    for name in ("crisis_blind", "crisis_blind2"):
        result = score(name)
        assert result.suicidal_routed == result.suicidal, name


@pytest.mark.skipif("emergency_blind" not in PRESENT_WRITTEN, reason="set not present")
@pytest.mark.xfail(strict=True, reason="issue 11: emergency targets not met (README: numbers)")
def test_written_emergency_blind_set_meets_the_emergency_targets() -> None:
    """Every self-contained overdose caught, recall >= 0.95 and false alarms <= 3% on the
    blind half of the written emergency set (first run: 0.927, 0.829 and 0.067)."""
    result = score("emergency_blind")
    assert result.self_contained_recall == 1.0
    assert result.recall >= 0.95
    assert result.false_alarm_rate <= 0.03


@pytest.mark.parametrize(
    "name", [n for n in ("topics_blind", "topics2_blind") if n in PRESENT_WRITTEN]
)
@pytest.mark.xfail(strict=True, reason="issue 11: top-1 target not met (README: numbers)")
def test_written_topic_blind_sets_meet_the_real_targets(name: str) -> None:
    """The held-out real set's targets on the blind halves of the written topic sets:
    top-1 >= 0.85, every self-contained overdose caught, recall >= 0.95, false alarms <= 3%
    (first runs: top-1 0.685 and 0.720, self-contained 0.857 and 0.875, recall 0.867 and
    0.875, false alarms 0.032 and 0.054)."""
    result = score(name)
    assert result.accuracy >= 0.85
    assert result.self_contained_recall == 1.0
    assert result.recall >= 0.95
    assert result.false_alarm_rate <= 0.03


@pytest.mark.skipif("real_heldout" not in PRESENT_REAL, reason="set not present")
@REAL_TARGETS_NOT_MET
def test_real_heldout_suicidal_target() -> None:
    """Zero suicidal misses on the real held-out set."""
    result = score("real_heldout")
    assert result.suicidal_routed == result.suicidal


# Floors of the conversation sets (tests/eval/conv_run.py), a little under the figures of
# 2026-12-02 (blind: follow-ups 0.840, urgent 0.612, crisis 0.862, not fallback 0.986;
# first run 0.543 / 0.182 / 0.426 / 0.839): the thread must not silently come undone.
CONVERSATION_FLOORS = {
    "conv_dev": {"followup": 0.83, "urgent": 0.66, "crisis": 0.88, "no_fallback": 0.97},
    "conv_heldout": {"followup": 0.80, "urgent": 0.60, "crisis": 0.68, "no_fallback": 0.97},
    "conv_blind": {"followup": 0.80, "urgent": 0.57, "crisis": 0.82, "no_fallback": 0.97},
    # Written after the thread was built (last look: 0.833 / 0.648 / 0.808 / 0.950).
    "conv_blind2": {"followup": 0.80, "urgent": 0.60, "crisis": 0.78, "no_fallback": 0.92},
}


@pytest.mark.parametrize("name", sorted(CONVERSATION_FLOORS))
def test_conversations_keep_their_thread(name: str) -> None:
    """Fragments after the emergency answer or crisis support are read in that thread."""
    from tests.eval import conv_run

    tally = conv_run.score(resources(), conv_run.load(name))
    floors = CONVERSATION_FLOORS[name]
    assert tally.followup.total >= 140
    for key, floor in floors.items():
        rate = getattr(tally, key).rate
        assert rate is not None and rate >= floor, (key, rate)
    assert tally.french.rate == 1.0


@pytest.mark.slow  # three interpreters each load the resources (make test-all)
def test_results_do_not_depend_on_the_hash_seed() -> None:
    """Typo correction once broke ties by set order, which changes with every process's
    hash seed: the same message could be corrected, and answered, two ways."""
    import os
    import subprocess
    import sys

    script = (
        "from bot.resources import load_resources\n"
        "from tests.eval.run import load_set\n"
        "r = load_resources()\n"
        "texts = [row.text for row in load_set('real_dev') + load_set('dev')]\n"
        "for text in texts + ['adress', 'arrivai', 'breah']:  # two candidates tie\n"
        "    print(r.analyzer.analyse(text).text)\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
