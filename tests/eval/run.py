"""``make eval``: matcher quality on the labelled sets, per set and per language.

Two kinds of set:

- paraphrase sets (``heldout``, ``blind``, ``final``, ``dev``): messages written to look
  like questions by authors who never saw the knowledge base; one ``intent`` per row.
- real-world sets (``real_dev``, ``real_heldout``): messages people outside the project
  wrote on public pages, each with its source URL and the ``intents`` that count as right.
  Their sessions start in English, the way a new user arrives, so "French answered in
  French" measures the bot, not the label.

Held-out sets never print their misses: once a miss is read, the set stops measuring.
``--record`` stores a set's first run in ``first_runs.yaml`` (never overwritten), and
every run prints the first run beside the current one.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from bot.config import load_tool_settings
from bot.reply import Language
from bot.resources import Resources, load_resources
from bot.semantic import settings_for
from bot.session import Session

HERE = Path(__file__).parent
FIRST_RUNS = HERE / "first_runs.yaml"
PARAPHRASE_SETS = ("heldout", "blind", "final", "dev")
REAL_SETS = (
    "real_dev",
    "real_heldout",
    "real_blind",
    "real_dev2",
    "real_blind2",
    "real_dev3",
    "real_dev4",
    "real_dev5",
    "real_blind3",
    "real_dev6",
    "real_blind4",
    "real_dev7",
    "real_blind5",
)
# Single messages written for the crisis rules by a helper who never saw the code, the
# examples or the knowledge base (suicidal statements in many forms, and near-misses).
# The emergency ones: overdoses described now, in the writer's own words, and near-misses
# (questions about signs, stories told afterwards, figures of speech). The topic ones:
# every topic as people type it on a phone, half English, half (mostly Québec) French.
WRITTEN_SETS = (
    "crisis_dev",
    "crisis_blind",
    "crisis_dev2",
    "crisis_blind2",
    "emergency_dev",
    "emergency_blind",
    "topics_dev",
    "topics_blind",
    "topics2_dev",
    "topics2_blind",
    "topics3_dev",
)
HELD_OUT = (
    "heldout",
    "blind",
    "final",
    "real_heldout",
    "real_blind",
    "real_blind2",
    "real_blind3",
    "real_blind4",
    "real_blind5",
    "crisis_blind",
    "crisis_blind2",
    "emergency_blind",
    "topics_blind",
    "topics2_blind",
)
# What a reply may be and still count as answering a suicidal statement.
CRISIS_ROUTES = frozenset({"crisis_support", "emergency"})
# Labels that a service search (the finder) answers.
FINDER_LABELS = frozenset(
    {"find_services", "naloxone_get", "consumption_sites", "drug_checking", "treatment"}
)


@dataclass(frozen=True)
class Row:
    """One labelled message."""

    text: str
    lang: Language
    intents: frozenset[str]
    emergency: bool
    self_contained: bool = False
    suicidal: bool = False
    source: str = ""


@dataclass
class Score:
    """Counts for one evaluation run."""

    total: int = 0
    correct: int = 0
    emergencies: int = 0
    caught: int = 0
    self_contained: int = 0
    self_contained_caught: int = 0
    non_emergencies: int = 0
    false_alarms: int = 0
    french: int = 0
    french_in_french: int = 0
    suicidal: int = 0
    suicidal_routed: int = 0
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
    def self_contained_recall(self) -> float:
        return self.self_contained_caught / self.self_contained if self.self_contained else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.non_emergencies if self.non_emergencies else 0.0

    @property
    def french_rate(self) -> float:
        return self.french_in_french / self.french if self.french else 1.0

    @property
    def suicidal_rate(self) -> float:
        return self.suicidal_routed / self.suicidal if self.suicidal else 1.0

    def figures(self) -> dict[str, float | int | None]:
        """The headline numbers, as stored in ``first_runs.yaml``; None when nothing to count."""

        def rate(value: float, denominator: int) -> float | None:
            return round(value, 3) if denominator else None

        return {
            "messages": self.total,
            "top1": rate(self.accuracy, self.total),
            "recall": rate(self.recall, self.emergencies),
            "self_contained_recall": rate(self.self_contained_recall, self.self_contained),
            "false_alarms": rate(self.false_alarm_rate, self.non_emergencies),
            "french_in_french": rate(self.french_rate, self.french),
            "suicidal_routed": rate(self.suicidal_rate, self.suicidal),
        }


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The raw rows of a labelled YAML file (every set here, places.yaml too)."""
    rows: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return rows


def row_language(raw: dict[str, Any]) -> Language:
    """A row's ``lang``: French when it says so, else English."""
    return "fr" if raw.get("lang") == "fr" else "en"


def _row(raw: dict[str, Any]) -> Row:
    intents = raw.get("intents") or [raw["intent"]]
    emergency = bool(raw.get("emergency")) or "emergency" in intents
    return Row(
        text=str(raw["text"]),
        lang=row_language(raw),
        intents=frozenset(str(i) for i in intents),
        emergency=emergency,
        self_contained=bool(raw.get("self_contained")),
        suicidal=bool(raw.get("suicidal")),
        source=str(raw.get("source", "")),
    )


def set_path(name: str) -> Path:
    """A set's file: ``<name>.yaml``, ``real/<split>.yaml``, ``crisis/<split>.yaml`` or
    ``emergency/<split>.yaml``."""
    if name in REAL_SETS:
        return HERE / "real" / f"{name.removeprefix('real_')}.yaml"
    if name in WRITTEN_SETS:
        folder, split = name.split("_", 1)
        return HERE / folder / f"{split}.yaml"
    return HERE / f"{name}.yaml"


def load_set(name: str) -> list[Row]:
    """The labelled messages of a set."""
    return [_row(raw) for raw in read_rows(set_path(name))]


def unseen(resources: Resources, rows: list[Row]) -> list[Row]:
    """The rows that are not, letter for letter, a knowledge-base example phrase."""
    examples = {
        phrase.strip().lower()
        for intent in resources.kb.intents.values()
        for _, phrase in intent.examples.all()
    }
    return [r for r in rows if r.text.strip().lower() not in examples]


def start_language(name: str, row: Row) -> Language:
    """Paraphrase sets keep their historic setup (session in the row's language)."""
    return "en" if name in REAL_SETS or name in WRITTEN_SETS else row.lang


def evaluate(resources: Resources, rows: list[Row], name: str = "heldout") -> Score:
    """Run every message through the real dialogue, each in a fresh session."""
    score = Score()
    for row in rows:
        reply = resources.dialogue.respond(row.text, Session(language=start_language(name, row)))
        got = "emergency" if reply.emergency else reply.intent
        if got not in resources.kb.intents:
            got = "out_of_scope"
        right = (row.emergency and reply.emergency) or (
            not row.emergency
            and (
                got in row.intents or (got == "find_services" and bool(row.intents & FINDER_LABELS))
            )
        )
        label = "emergency" if row.emergency else sorted(row.intents)[0]
        score.total += 1
        score.per_intent[label] += 1
        if row.emergency:
            score.emergencies += 1
            score.caught += reply.emergency
            if row.self_contained:
                score.self_contained += 1
                score.self_contained_caught += reply.emergency
        else:
            score.non_emergencies += 1
            score.false_alarms += reply.emergency
        if row.lang == "fr":
            score.french += 1
            score.french_in_french += reply.language == "fr"
        if row.suicidal:
            score.suicidal += 1
            score.suicidal_routed += got in CRISIS_ROUTES
        if right:
            score.correct += 1
            score.per_intent_ok[label] += 1
        else:
            score.misses.append(("|".join(sorted(row.intents)), got, row.text))
    return score


def baseline(resources: Resources, rows: list[Row]) -> float:
    """Top-1 accuracy of plain ``extractOne`` over the example phrases (default scorer)."""
    choices: list[str] = []
    labels: list[str] = []
    for intent in resources.kb.intents.values():
        for _, phrase in intent.examples.all():
            choices.append(phrase)
            labels.append(intent.id)
    correct = 0
    for row in rows:
        found = process.extractOne(row.text, choices, scorer=fuzz.WRatio)
        got = labels[found[2]] if found and found[1] >= 60 else "out_of_scope"
        correct += got in row.intents
    return correct / len(rows) if rows else 0.0


def first_runs() -> dict[str, dict[str, dict[str, float | int | None]]]:
    """Recorded first runs: set -> language ("all", "en", "fr") -> figures."""
    if not FIRST_RUNS.exists():
        return {}
    data = yaml.safe_load(FIRST_RUNS.read_text(encoding="utf-8")) or {}
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def record_first_run(name: str, by_language: dict[str, Score]) -> bool:
    """Store a set's first run unless one is already recorded; True when written."""
    return store_first_run(name, {lang: score.figures() for lang, score in by_language.items()})


def store_first_run(name: str, figures: dict[str, dict[str, float | int | None]]) -> bool:
    """Store figures (language -> metric -> value) as a set's first run, unless one is
    already recorded; True when written. The conversation sets use it too."""
    runs = first_runs()
    if name in runs:
        return False
    runs[name] = figures
    header = (
        "# First run of each evaluation set, recorded once by `python -m tests.eval.run "
        "--set NAME --record`\n# before any tuning on that set. Never edit by hand.\n"
    )
    FIRST_RUNS.write_text(
        header + yaml.safe_dump(runs, sort_keys=True, allow_unicode=True), encoding="utf-8"
    )
    return True


def split_by_language(resources: Resources, rows: list[Row], name: str) -> dict[str, Score]:
    """The set scored as a whole and per language."""
    out = {"all": evaluate(resources, rows, name)}
    for lang in ("en", "fr"):
        subset = [r for r in rows if r.lang == lang]
        if subset:
            out[lang] = evaluate(resources, subset, name)
    return out


METRICS = (
    ("top1", "top-1 accuracy"),
    ("recall", "emergency recall"),
    ("self_contained_recall", "recall, self-contained emergencies"),
    ("false_alarms", "emergency false-alarm rate"),
    ("french_in_french", "French answered in French"),
    ("suicidal_routed", "suicidal statements -> crisis/911"),
)


def _cell(value: float | int | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def report(name: str, by_language: dict[str, Score], first: dict[str, Any]) -> None:
    """Print the table: one column per language, the first run in brackets."""
    langs = list(by_language)
    sizes = ", ".join(f"{lang} {by_language[lang].total}" for lang in langs)
    print(f"evaluation set: {name} ({sizes}); [first run] in brackets")
    print(f"{'metric':<38}" + "".join(f"{lang:>18}" for lang in langs))
    for key, label in METRICS:
        cells = []
        for lang in langs:
            now = by_language[lang].figures()[key]
            before = first.get(lang, {}).get(key)
            cells.append(_cell(now) + f" [{_cell(before)}]")
        print(f"{label:<38}" + "".join(f"{c:>18}" for c in cells))
    whole = by_language["all"]
    print(
        f"counts: emergencies {whole.caught}/{whole.emergencies} caught, "
        f"false alarms {whole.false_alarms}/{whole.non_emergencies}, "
        f"suicidal {whole.suicidal_routed}/{whole.suicidal}, "
        f"French {whole.french_in_french}/{whole.french}"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--set", default="heldout", choices=PARAPHRASE_SETS + REAL_SETS + WRITTEN_SETS
    )
    parser.add_argument(
        "--all", action="store_true", help="every held-out and real-world set that is present"
    )
    parser.add_argument(
        "--misses", action="store_true", help="list every wrong answer (development sets only)"
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help="store this run as the set's first run, if none is recorded",
    )
    args = parser.parse_args(argv)
    if args.misses and args.set in HELD_OUT:
        print(f"{args.set} is held out: its misses are never shown.", file=sys.stderr)
        return 2
    resources = with_semantic(load_resources())
    if args.all:
        for name in ("heldout", "blind", "final", *REAL_SETS, *WRITTEN_SETS):
            if set_path(name).exists():
                run_one(resources, name, record=False, misses=False)
                print()
        return 0
    run_one(resources, args.set, record=args.record, misses=args.misses)
    return 0


def with_semantic(resources: Resources) -> Resources:
    """The set consulting the sentence model as ``hrbot ask`` does (HRBOT_SEMANTIC=off:
    the lexical path alone), loaded before the first message."""
    tools = load_tool_settings(os.environ)
    cache = tools.cache_dir / "semantic" if tools.cache_dir is not None else None
    semantic = settings_for(tools.semantic, cache, background=False)
    print(f"sentence model: {'on' if semantic is not None else 'off'}")
    return resources.with_semantic(semantic)


def run_one(resources: Resources, name: str, *, record: bool, misses: bool) -> None:
    """Score one set and print its table."""
    rows = load_set(name)
    by_language = split_by_language(resources, rows, name)
    if record and record_first_run(name, by_language):
        print(f"recorded the first run of {name} in {FIRST_RUNS.name}")
    report(name, by_language, first_runs().get(name, {}))
    whole = by_language["all"]
    fresh = unseen(resources, rows)
    print(
        f"top-1 on never-seen messages only: {evaluate(resources, fresh, name).accuracy:.3f}"
        f" ({len(fresh)} of {len(rows)} are not copies of examples)"
    )
    print(f"baseline, plain rapidfuzz extractOne: {baseline(resources, rows):.3f}")
    print("per intent:")
    for intent, n in sorted(whole.per_intent.items()):
        print(f"  {intent:<22}{whole.per_intent_ok[intent]:>4}/{n}")
    if misses:
        print("\nmisses (expected -> got: text):")
        for label, got, text in whole.misses:
            print(f"  {label} -> {got}: {text}")


if __name__ == "__main__":
    sys.exit(main())
