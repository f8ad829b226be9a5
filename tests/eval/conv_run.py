"""``make eval`` (conversations): does the bot keep the thread of a conversation?

tests/eval/conversations/ holds whole conversations, message after message, written by a
helper who never saw the bot's code, examples or evaluation sets (dev.yaml may be read;
heldout.yaml is held out: its misses are never printed). Most start with an overdose
happening now or with suicidal thinking, then go on in fragments ("still nothing", "not
yet", "je sais pas"), as people write in the worst minutes. Each conversation runs
through the real dialogue in one session that starts in English, like a new user. Each
turn lists the replies that are right in that context (``expect``); ``emergency`` there
means a reply that is the emergency answer (``Reply.emergency``). Scored per turn:

- first turns, follow-ups (every later turn), and follow-ups that need the earlier turns;
- follow-ups of an emergency that still need guiding which get an urgent reply;
- follow-ups of a crisis conversation that stay with crisis support (or 911);
- follow-ups answered with "I'm not sure I understood" (the fallback);
- French turns answered in French.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.reply import Language, Reply
from bot.resources import Resources, load_resources
from bot.session import Session
from tests.eval.run import (
    FIRST_RUNS,
    first_runs,
    read_rows,
    row_language,
    store_first_run,
    with_semantic,
)

HERE = Path(__file__).parent / "conversations"
SETS = ("conv_dev", "conv_heldout", "conv_blind", "conv_blind2")
HELD_OUT = frozenset({"conv_heldout", "conv_blind", "conv_blind2"})
CRISIS_ROUTES = frozenset({"crisis_support", "emergency"})
# What the fallback and small talk reply with: never a right answer to a follow-up
# unless the turn's label says so ("thanks").
NOT_AN_ANSWER = frozenset({"out_of_scope", "help", "greeting"})


@dataclass(frozen=True)
class Turn:
    """One message of a conversation and the replies that are right for it."""

    text: str
    expect: frozenset[str]
    needs_context: bool


@dataclass(frozen=True)
class Conversation:
    """One labelled conversation."""

    id: str
    lang: Language
    kind: str
    turns: tuple[Turn, ...]


@dataclass
class Counts:
    """Right out of all, for one kind of turn."""

    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += ok

    @property
    def rate(self) -> float | None:
        return round(self.right / self.total, 3) if self.total else None


@dataclass
class Tally:
    """The counts of one run."""

    first: Counts = field(default_factory=Counts)
    followup: Counts = field(default_factory=Counts)
    in_context: Counts = field(default_factory=Counts)
    urgent: Counts = field(default_factory=Counts)
    crisis: Counts = field(default_factory=Counts)
    no_fallback: Counts = field(default_factory=Counts)
    french: Counts = field(default_factory=Counts)
    misses: list[tuple[str, int, str, str, str]] = field(default_factory=list)

    def figures(self) -> dict[str, float | int | None]:
        return {
            "turns": self.first.total + self.followup.total,
            "first_turn": self.first.rate,
            "followup": self.followup.rate,
            "followup_in_context": self.in_context.rate,
            "emergency_kept_urgent": self.urgent.rate,
            "crisis_kept": self.crisis.rate,
            "followup_not_fallback": self.no_fallback.rate,
            "french_in_french": self.french.rate,
        }


METRICS = (
    ("first_turn", "first turns right"),
    ("followup", "follow-ups right"),
    ("followup_in_context", "follow-ups needing context, right"),
    ("emergency_kept_urgent", "emergency follow-ups kept urgent"),
    ("crisis_kept", "crisis follow-ups kept on crisis/911"),
    ("followup_not_fallback", "follow-ups not answered by the fallback"),
    ("french_in_french", "French turns answered in French"),
)


def load(name: str) -> list[Conversation]:
    """The conversations of one set."""
    return [_conversation(raw) for raw in read_rows(HERE / f"{name[5:]}.yaml")]


def _conversation(raw: dict[str, Any]) -> Conversation:
    turns = tuple(
        Turn(str(t["text"]), frozenset(str(e) for e in t["expect"]), bool(t.get("needs_context")))
        for t in raw["turns"]
    )
    return Conversation(str(raw["id"]), row_language(raw), str(raw.get("kind", "")), turns)


def got(resources: Resources, reply: Reply) -> str:
    """What a reply counts as: the emergency, an intent, or the fallback."""
    if reply.emergency:
        return "emergency"
    return reply.intent if reply.intent in resources.kb.intents else "out_of_scope"


def score(resources: Resources, conversations: Iterable[Conversation]) -> Tally:
    """Run every conversation through the real dialogue, each in one fresh session."""
    tally = Tally()
    for conv in conversations:
        session = Session(language="en")
        for n, turn in enumerate(conv.turns):
            reply = resources.dialogue.respond(turn.text, session)
            answer = got(resources, reply)
            ok = answer in turn.expect
            if conv.lang == "fr":
                tally.french.add(reply.language == "fr")
            if n == 0:
                tally.first.add(ok)
            else:
                tally.followup.add(ok)
                if turn.needs_context:
                    tally.in_context.add(ok)
                if "emergency" in turn.expect:
                    tally.urgent.add(reply.emergency)
                if conv.kind == "crisis" and turn.expect & CRISIS_ROUTES:
                    tally.crisis.add(answer in CRISIS_ROUTES)
                if not turn.expect & NOT_AN_ANSWER:
                    tally.no_fallback.add(answer not in NOT_AN_ANSWER)
            if not ok:
                tally.misses.append(
                    (conv.id, n + 1, "|".join(sorted(turn.expect)), answer, turn.text)
                )
    return tally


def by_language(resources: Resources, conversations: list[Conversation]) -> dict[str, Tally]:
    """The set scored as a whole and per language."""
    out = {"all": score(resources, conversations)}
    for lang in ("en", "fr"):
        subset = [c for c in conversations if c.lang == lang]
        if subset:
            out[lang] = score(resources, subset)
    return out


def record(name: str, tallies: dict[str, Tally]) -> bool:
    """Store a set's first run beside the others unless one is recorded; True when written."""
    return store_first_run(name, {lang: t.figures() for lang, t in tallies.items()})


def report(name: str, tallies: dict[str, Tally]) -> None:
    """One column per language, the first run in brackets."""
    first = first_runs().get(name, {})
    langs = list(tallies)
    whole = tallies["all"]
    print(
        f"conversation set: {name} (turns {whole.figures()['turns']}: first "
        f"{whole.first.total}, follow-ups {whole.followup.total}); [first run] in brackets"
    )
    print(f"{'metric':<42}" + "".join(f"{lang:>18}" for lang in langs))
    for key, label in METRICS:
        cells = []
        for lang in langs:
            now = tallies[lang].figures()[key]
            before = first.get(lang, {}).get(key)
            cells.append(f"{_cell(now)} [{_cell(before)}]")
        print(f"{label:<42}" + "".join(f"{c:>18}" for c in cells))
    print(
        f"counts: follow-ups {whole.followup.right}/{whole.followup.total}, urgent "
        f"{whole.urgent.right}/{whole.urgent.total}, crisis {whole.crisis.right}/"
        f"{whole.crisis.total}, not fallback {whole.no_fallback.right}/{whole.no_fallback.total}"
    )


def _cell(value: object) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def main(argv: list[str] | None = None) -> int:
    """Print the conversation tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=SETS, help="one set (default: every set present)")
    parser.add_argument("--misses", action="store_true", help="wrong turns (dev set only)")
    parser.add_argument("--record", action="store_true", help="store the first run")
    args = parser.parse_args(argv)
    if args.misses and args.set in HELD_OUT:
        print(f"{args.set} is held out: its misses are never shown.", file=sys.stderr)
        return 2
    if args.misses and args.set is None:
        print("--misses needs --set conv_dev", file=sys.stderr)
        return 2
    resources = with_semantic(load_resources())
    names = [args.set] if args.set else [n for n in SETS if (HERE / f"{n[5:]}.yaml").exists()]
    for name in names:
        tallies = by_language(resources, load(name))
        if args.record and record(name, tallies):
            print(f"recorded the first run of {name} in {FIRST_RUNS.name}")
        report(name, tallies)
        if args.misses:
            print("\nmisses (conversation turn: expected -> got: text):")
            for conv_id, n, expect, answer, text in tallies["all"].misses:
                print(f"  {conv_id} {n}: {expect} -> {answer}: {text}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
