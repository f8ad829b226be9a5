"""``make eval``: matcher quality on the held-out set (and the dev set with --set dev).

Prints top-1 accuracy, emergency recall and the emergency false-alarm rate, next to a
plain rapidfuzz ``extractOne`` baseline over the same example phrases.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.reply import Language
from bot.resources import Resources, load_resources
from bot.session import Session

HERE = Path(__file__).parent


@dataclass
class Score:
    """Counts for one evaluation run."""

    total: int = 0
    correct: int = 0
    emergencies: int = 0
    caught: int = 0
    non_emergencies: int = 0
    false_alarms: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    per_intent: Counter[str] = field(default_factory=Counter)
    per_intent_ok: Counter[str] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def recall(self) -> float:
        return self.caught / self.emergencies if self.emergencies else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.non_emergencies if self.non_emergencies else 0.0


def load_set(name: str) -> list[dict[str, str]]:
    """The labelled messages of ``tests/eval/<name>.yaml``."""
    data = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))
    return [dict(row) for row in data]


def unseen(resources: Resources, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows that are not, letter for letter, a knowledge-base example phrase."""
    examples = {
        phrase.strip().lower()
        for intent in resources.kb.intents.values()
        for _, phrase in intent.examples.all()
    }
    return [r for r in rows if r["text"].strip().lower() not in examples]


def evaluate(resources: Resources, rows: list[dict[str, str]]) -> Score:
    """Run every message through the real dialogue, each in a fresh session."""
    score = Score()
    for row in rows:
        lang: Language = "fr" if row.get("lang") == "fr" else "en"
        reply = resources.dialogue.respond(row["text"], Session(language=lang))
        label = row["intent"]
        got = "emergency" if reply.emergency else reply.intent
        if got not in resources.kb.intents:
            got = "out_of_scope"
        score.total += 1
        score.per_intent[label] += 1
        if label == "emergency":
            score.emergencies += 1
            score.caught += reply.emergency
        else:
            score.non_emergencies += 1
            score.false_alarms += reply.emergency
        if got == label:
            score.correct += 1
            score.per_intent_ok[label] += 1
        else:
            score.misses.append((label, got, row["text"]))
    return score


def baseline(resources: Resources, rows: list[dict[str, str]]) -> float:
    """Top-1 accuracy of plain ``extractOne`` over the example phrases (default scorer)."""
    choices: list[str] = []
    labels: list[str] = []
    for intent in resources.kb.intents.values():
        for _, phrase in intent.examples.all():
            choices.append(phrase)
            labels.append(intent.id)
    correct = 0
    for row in rows:
        found = process.extractOne(row["text"], choices, scorer=fuzz.WRatio)
        got = labels[found[2]] if found and found[1] >= 60 else "out_of_scope"
        correct += got == row["intent"]
    return correct / len(rows)


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", default="heldout", choices=("heldout", "dev", "blind", "final"))
    parser.add_argument("--misses", action="store_true", help="list every wrong answer")
    args = parser.parse_args(argv)
    resources = load_resources()
    rows = load_set(args.set)
    score = evaluate(resources, rows)
    print(f"evaluation set: tests/eval/{args.set}.yaml ({score.total} messages)")
    print(f"{'metric':<34}{'value':>8}  target")
    print(f"{'top-1 accuracy':<34}{score.accuracy:>8.3f}  >= 0.90")
    print(f"{'emergency recall':<34}{score.recall:>8.3f}  1.00 "
          f"({score.caught}/{score.emergencies})")
    print(f"{'emergency false-alarm rate':<34}{score.false_alarm_rate:>8.3f}  <= 0.02 "
          f"({score.false_alarms}/{score.non_emergencies})")
    fresh = unseen(resources, rows)
    print(f"{'top-1, never-seen messages only':<34}{evaluate(resources, fresh).accuracy:>8.3f}"
          f"  >= 0.90 ({len(fresh)} of {len(rows)} are not copies of examples)")
    print(f"{'baseline: rapidfuzz extractOne':<34}{baseline(resources, rows):>8.3f}")
    print("\nper intent:")
    for intent, n in sorted(score.per_intent.items()):
        print(f"  {intent:<22}{score.per_intent_ok[intent]:>4}/{n}")
    if args.misses:
        print("\nmisses (expected -> got: text):")
        for label, got, text in score.misses:
            print(f"  {label} -> {got}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
