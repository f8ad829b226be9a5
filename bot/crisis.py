"""Suicidal thinking: an explainable rule layer that runs right after overdose detection.

People rarely write "suicide": they write "I don't want to wake up tomorrow" or "j'ai plus
envie de vivre". Those words are too few and too common for the topic matcher to be
trusted with, so a staff-editable phrase list (``crisis.yaml``, its header states the rule)
routes them to crisis support, or to the emergency answer when pills are already taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge import PhrasesPerLanguage
from bot.layout import CRISIS_FILE
from bot.models import Strict
from bot.text import fold
from bot.yamlsource import Problem, read_model

SIGNAL_GAP = 1  # other words allowed between the words of a signal phrase


class CrisisRules(Strict):
    """The phrase lists of ``crisis.yaml``."""

    signals: PhrasesPerLanguage
    not_when: PhrasesPerLanguage = PhrasesPerLanguage()
    overdose: PhrasesPerLanguage = PhrasesPerLanguage()
    past: PhrasesPerLanguage = PhrasesPerLanguage()


@dataclass(frozen=True, slots=True)
class CrisisVerdict:
    """What the rule layer concluded, and which phrase decided it (for staff and tests)."""

    crisis: bool
    overdose: bool = False  # an overdose may be under way: answer with the emergency
    signal: str | None = None
    reason: str | None = None  # the not_when or overdose phrase that changed the outcome


def _regex(phrase: str, gap: int) -> tuple[str, re.Pattern[str]] | None:
    """A phrase as a regex over space-joined folded words; ``*`` ends a prefix."""
    parts = []
    for word in phrase.split():
        folded = fold(word.rstrip("*"))
        if folded:
            parts.append(re.escape(folded) + (r"\w*" if word.endswith("*") else ""))
    if not parts:
        return None
    between = rf" (?:\w+ ){{0,{gap}}}" if gap else " "
    return phrase, re.compile(r"\b" + between.join(parts) + r"\b")


def _compile(lists: PhrasesPerLanguage, gap: int) -> tuple[tuple[str, re.Pattern[str]], ...]:
    found = (_regex(p, gap) for p in lists.en + lists.fr)
    return tuple(f for f in found if f is not None)


class CrisisDetector:
    """Decides whether a message expresses suicidal thinking."""

    def __init__(self, rules: CrisisRules) -> None:
        self._signals = _compile(rules.signals, SIGNAL_GAP)
        # One alternation answers "any signal at all?" in a single pass (most messages: no).
        self._any = re.compile("|".join(f"(?:{p.pattern})" for _, p in self._signals))
        self._not_when = _compile(rules.not_when, 0)
        self._overdose = _compile(rules.overdose, 0)
        self._past = _compile(rules.past, 0)

    def judge(self, *readings: Sequence[str]) -> CrisisVerdict:
        """Judge a message from one or more word sequences (as typed, as corrected)."""
        texts = [" ".join(words) for words in readings]
        if not any(self._any.search(text) for text in texts):
            return CrisisVerdict(False)
        signal = _first(self._signals, texts)
        if signal is None:
            return CrisisVerdict(False)
        # A not_when phrase blanks out only its own words: "tired of living like this"
        # is not a signal, but "... like this, i want to die" still is.
        veto = _first(self._not_when, texts)
        if veto is not None:
            for _, pattern in self._not_when:
                texts = [pattern.sub(" , ", text) for text in texts]
            signal = _first(self._signals, texts)
            if signal is None:
                return CrisisVerdict(False, reason=veto)
        overdose = _first(self._overdose, texts)
        if overdose is not None and _first(self._past, texts) is not None:
            overdose = None  # "took pills years ago": the thoughts are the crisis, not an OD now
        return CrisisVerdict(True, overdose=overdose is not None, signal=signal, reason=overdose)

    def phrases(self) -> list[str]:
        """Every signal phrase, so the typo corrector learns their words."""
        return [phrase.replace("*", "") for phrase, _ in self._signals]


def _first(patterns: Iterable[tuple[str, re.Pattern[str]]], texts: list[str]) -> str | None:
    for phrase, pattern in patterns:
        if any(pattern.search(text) for text in texts):
            return phrase
    return None


def load_crisis(root: Path) -> tuple[CrisisDetector | None, list[Problem]]:
    """Load ``crisis.yaml``; a missing file is a warning (the layer is then off)."""
    path = root / CRISIS_FILE
    if not path.exists():
        return None, [
            Problem(
                CRISIS_FILE,
                1,
                "file is missing: suicidal statements are left to the topic matcher",
                "warning",
            )
        ]
    problems: list[Problem] = []
    rules = read_model(path, root, CrisisRules, problems)
    if rules is None:
        return None, problems
    if not rules.signals.en or not rules.signals.fr:
        return None, [
            *problems,
            Problem(CRISIS_FILE, 1, "signals need English and French phrases"),
        ]
    return CrisisDetector(rules), problems
