"""Suicidal thinking: an explainable rule layer that runs right after overdose detection.

People rarely write "suicide": they write "I don't want to wake up tomorrow" or "j'ai plus
envie de vivre". Those words are too few and too common for the topic matcher to be
trusted with, so a staff-editable phrase list (``crisis.yaml``, its header states the rule)
routes them to crisis support, or to the emergency answer when pills are already taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from bot.firstword import FirstWordIndex
from bot.knowledge import NO_PHRASES, PhrasesPerLanguage
from bot.layout import CRISIS_FILE
from bot.models import Strict
from bot.text import fold
from bot.yamlsource import Problem, read_model

SIGNAL_GAP = 1  # other words allowed between the words of a signal phrase
PAIR_WINDOW = 6  # default: other words allowed between the two halves of a pair


class CrisisPair(Strict):
    """Two lists whose phrases, near each other, are a signal: a means and a thought ("the
    bridge" ... "keep thinking about it"), a self-harm verb and a body part. People say
    these in more ways than a list of whole phrases can hold."""

    name: str = Field(min_length=1)
    first: PhrasesPerLanguage
    second: PhrasesPerLanguage
    window: int = Field(default=PAIR_WINDOW, ge=0, le=20)


class ForTreatment(Strict):
    """A day fixed or a decision said ("i picked the day", "c'est décidé") is a signal, but
    also how people announce going to treatment ("i picked the day, i'm going to rehab").
    With a ``treatment`` phrase in the message and no ``unless`` phrase (a death word, a
    treatment said to fail), the ``decided`` phrases are blanked out: any other signal in the
    message still counts."""

    decided: PhrasesPerLanguage
    treatment: PhrasesPerLanguage
    unless: PhrasesPerLanguage = NO_PHRASES


class CrisisRules(Strict):
    """The phrase lists of ``crisis.yaml``."""

    signals: PhrasesPerLanguage
    pairs: tuple[CrisisPair, ...] = ()
    not_when: PhrasesPerLanguage = NO_PHRASES
    overdose: PhrasesPerLanguage = NO_PHRASES
    past: PhrasesPerLanguage = NO_PHRASES
    spellings: dict[str, str] = Field(default_factory=dict)
    fillers: PhrasesPerLanguage = NO_PHRASES
    # Whole messages for the sentence model (bot.crisis_model), accents and all.
    sentences: PhrasesPerLanguage = NO_PHRASES
    near_misses: PhrasesPerLanguage = NO_PHRASES
    for_treatment: ForTreatment | None = None


@dataclass(frozen=True, slots=True)
class CrisisVerdict:
    """What the rule layer concluded, and which phrase decided it (for staff and tests)."""

    crisis: bool
    overdose: bool = False  # an overdose may be under way: answer with the emergency
    signal: str | None = None
    reason: str | None = None  # the not_when or overdose phrase that changed the outcome


class _Phrase:
    """One phrase and its regex, written and compiled on first use: a message only ever
    tries the few phrases its words point at, and compiling all ~900 at load was a third
    of ``hrbot ask``'s start-up (writing all ~2,800 sources, a twentieth of the load).
    ``re.escape`` makes every source valid, so deferring cannot hide a load error."""

    __slots__ = ("_compiled", "_gap", "_words", "first", "needs", "text", "wildcard")

    def __init__(self, text: str, words: Sequence[tuple[str, bool]], gap: int) -> None:
        self.text = text  # as staff wrote it, for verdicts
        self._words = words  # folded, and whether it ends in ``*`` (a prefix)
        self._gap = gap
        first, star = words[0]
        # "quelqu'un" folds to two words: the first of them starts the phrase.
        self.first = first.split()[0]  # a prefix when ``wildcard``
        self.wildcard = star and self.first == first
        # Folded texts are words joined by spaces, so each word of the phrase is a whole
        # word of any text it matches (the last one of a ``*`` part is only a prefix).
        self.needs = frozenset(
            w for part, prefix in words for w in part.split()[: -1 if prefix else None]
        )
        self._compiled: re.Pattern[str] | None = None

    @property
    def source(self) -> str:
        """The regex, over space-joined folded words."""
        gap = self._gap
        between = rf" (?:\w+ ){{0,{gap}}}" if gap else " "
        parts = (re.escape(folded) + (r"\w*" if star else "") for folded, star in self._words)
        return r"\b" + between.join(parts) + r"\b"

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled


def _words_of(texts: Sequence[str]) -> set[str]:
    return {w for text in texts for w in text.split()}


def _regex(phrase: str, gap: int) -> _Phrase | None:
    """A phrase as a regex over space-joined folded words; ``*`` ends a prefix."""
    words = [(fold(w.rstrip("*")), w.endswith("*")) for w in phrase.split()]
    words = [(folded, star) for folded, star in words if folded]
    return _Phrase(phrase, words, gap) if words else None


class _PhraseSet:
    """One list's phrases, indexed by first word.

    A message only tries the phrases whose first word (or prefix, for ``*``) it contains:
    with hundreds of phrases, one regex per candidate is far cheaper than one alternation
    of all of them. The first phrase *in list order* that matches is returned.
    """

    def __init__(self, lists: PhrasesPerLanguage, gap: int) -> None:
        found = (_regex(p, gap) for p in lists.en + lists.fr)
        self.phrases = tuple(f for f in found if f is not None)
        self._index = FirstWordIndex((p.first, p.wildcard) for p in self.phrases)

    def first(self, texts: list[str], present: Set[str] | None = None) -> str | None:
        """The first phrase (in list order) found in any of ``texts``; ``present``: their
        words, when the caller has them."""
        if present is None:
            present = _words_of(texts)
        for index in self._index.candidates(present):
            phrase = self.phrases[index]
            # A regex only where all its words are present: most candidates lack one.
            if phrase.needs <= present and any(phrase.pattern.search(text) for text in texts):
                return phrase.text
        return None

    def blanked(self, texts: list[str]) -> list[str]:
        """``texts`` with every phrase (in list order) replaced by a comma. Only candidates
        with all their words present are tried: blanking removes words, never adds one."""
        present = _words_of(texts)
        for index in self._index.candidates(present):
            phrase = self.phrases[index]
            if phrase.needs <= present:
                texts = [phrase.pattern.sub(" , ", text) for text in texts]
        return texts

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the phrases occur in ``text``: (first word, word after the last)."""
        present = set(text.split())
        found: list[tuple[int, int]] = []
        for index in self._index.candidates(present):
            phrase = self.phrases[index]
            if phrase.needs <= present:
                for m in phrase.pattern.finditer(text):
                    # Counted in words, not spaces: not_when blanking leaves double spaces.
                    start = len(text[: m.start()].split())
                    found.append((start, start + len(m.group(0).split())))
        return found


class _Pair:
    """A pair rule: a phrase of each list, in either order, at most ``window`` words apart."""

    def __init__(self, pair: CrisisPair) -> None:
        self.name = pair.name
        self._first = _PhraseSet(pair.first, 0)
        self._second = _PhraseSet(pair.second, 0)
        self._window = pair.window

    def found(self, texts: list[str]) -> bool:
        """Whether the pair occurs in one of ``texts``."""
        for text in texts:
            firsts = self._first.spans(text)
            if not firsts:
                continue
            for b_start, b_end in self._second.spans(text):
                for a_start, a_end in firsts:
                    gap = b_start - a_end if b_start >= a_end else a_start - b_end
                    if 0 <= gap <= self._window:
                        return True
        return False

    def phrases(self) -> list[str]:
        return [p.text for p in self._first.phrases + self._second.phrases]

    def halves(self) -> tuple[tuple[_Phrase, ...], tuple[_Phrase, ...]]:
        return self._first.phrases, self._second.phrases


class _Pairs:
    """Every pair rule, behind one first-word index of all their halves' phrases: a
    message tries only the pairs whose two halves both have a phrase with all its words
    present (most messages: none), in list order, so a verdict names the same pair."""

    def __init__(self, pairs: Sequence[CrisisPair]) -> None:
        self.pairs = tuple(_Pair(pair) for pair in pairs)
        self._halves = tuple(
            (number, half, phrase)
            for number, pair in enumerate(self.pairs)
            for half, phrases in enumerate(pair.halves())
            for phrase in phrases
        )
        self._index = FirstWordIndex((p.first, p.wildcard) for _, _, p in self._halves)

    def found(self, texts: list[str], present: Set[str]) -> str | None:
        """The name of the first pair found in ``texts`` (``present``: their words)."""
        halves: set[tuple[int, int]] = set()
        for index in self._index.candidates(present):
            number, half, phrase = self._halves[index]
            if phrase.needs <= present:
                halves.add((number, half))
        for number, pair in enumerate(self.pairs):
            if (number, 0) in halves and (number, 1) in halves and pair.found(texts):
                return pair.name
        return None


class CrisisDetector:
    """Decides whether a message expresses suicidal thinking."""

    def __init__(self, rules: CrisisRules) -> None:
        self._signals = _PhraseSet(rules.signals, SIGNAL_GAP)
        self._pairs = _Pairs(rules.pairs)
        self._not_when = _PhraseSet(rules.not_when, 0)
        self._overdose = _PhraseSet(rules.overdose, 0)
        self._past = _PhraseSet(rules.past, 0)
        spellings = {fold(typed): fold(meant) for typed, meant in rules.spellings.items()}
        self._spellings = {typed: meant for typed, meant in spellings.items() if " " not in typed}
        # Several words typed out ("i am", "do not") read as the one word phrases use ("im").
        self._joined = {typed: meant for typed, meant in spellings.items() if " " in typed}
        self._joined_re = (
            re.compile(
                r"\b(?:" + "|".join(map(re.escape, sorted(self._joined, key=len)[::-1])) + r")\b"
            )
            if self._joined
            else None
        )
        self._fillers = frozenset(fold(w) for w in rules.fillers.en + rules.fillers.fr)
        treatment = rules.for_treatment
        self._decided = _PhraseSet(treatment.decided if treatment else NO_PHRASES, SIGNAL_GAP)
        self._treatment = _PhraseSet(treatment.treatment if treatment else NO_PHRASES, 0)
        self._unless = _PhraseSet(treatment.unless if treatment else NO_PHRASES, 0)
        self.sentences = rules.sentences.en + rules.sentences.fr
        self.near_misses = rules.near_misses.en + rules.near_misses.fr

    def _readings(self, readings: Sequence[Sequence[str]]) -> list[str]:
        """Each reading as text, then with its chat spellings spelled out ("chu pu" -> "je
        suis plus", "i am" -> "im"), then also without fillers ("je veux vraiment juste
        mourir"), so one phrase covers the ways people type it."""
        texts = [" ".join(words) for words in readings]
        for words in readings:
            spelled = [self._spellings.get(w, w) for w in words]
            variants = [spelled]
            if self._joined_re is not None:
                # Besides, not instead: a phrase written in full ("there is nothing left")
                # must still match the spelled reading, fillers and all.
                joined = self._joined_re.sub(lambda m: self._joined[m.group(0)], " ".join(spelled))
                variants.append(joined.split())
            for variant in variants:
                texts.append(" ".join(variant))
                texts.append(" ".join(w for w in variant if w not in self._fillers))
        return list(dict.fromkeys(texts))

    def judge(self, *readings: Sequence[str]) -> CrisisVerdict:
        """Judge a message from one or more word sequences (as typed, as corrected)."""
        texts = self._readings(readings)
        signal = self._signal(texts)
        if signal is None:
            return CrisisVerdict(False)
        treatment = self._for_treatment(texts)
        if treatment is not None:
            # "i picked the day, i'm going to rehab": the day fixed is for treatment.
            texts = self._decided.blanked(texts)
            signal = self._signal(texts)
            if signal is None:
                return CrisisVerdict(False, reason=treatment)
        # A not_when phrase blanks out only its own words: "tired of living like this"
        # is not a signal, but "... like this, i want to die" still is.
        veto = self._not_when.first(texts)
        if veto is not None:
            texts = self._not_when.blanked(texts)
            signal = self._signal(texts)
            if signal is None:
                return CrisisVerdict(False, reason=veto)
        overdose = self._overdose.first(texts)
        if overdose is not None and self._past.first(texts) is not None:
            overdose = None  # "took pills years ago": the thoughts are the crisis, not an OD now
        return CrisisVerdict(True, overdose=overdose is not None, signal=signal, reason=overdose)

    def _for_treatment(self, texts: list[str]) -> str | None:
        """The treatment phrase that makes a day fixed or a decision said no signal: only
        with such a phrase in the message too, and no death word or failed treatment."""
        treatment = self._treatment.first(texts)
        if treatment is None or self._decided.first(texts) is None:
            return None
        return treatment if self._unless.first(texts) is None else None

    def _signal(self, texts: list[str]) -> str | None:
        """The signal phrase found, or the name of the pair rule found, if any."""
        present = _words_of(texts)
        signal = self._signals.first(texts, present)
        if signal is not None:
            return signal
        pair = self._pairs.found(texts, present)
        return f"pair: {pair}" if pair is not None else None

    def vetoed(self, *readings: Sequence[str]) -> str | None:
        """The not_when phrase in a message, if any: its figure of speech ("je meurs de
        faim") must not reach crisis support or the emergency through the topic matcher."""
        return self._not_when.first(self._readings(readings))

    def phrases(self) -> list[str]:
        """Every signal phrase, so the typo corrector learns their words."""
        texts = [phrase.text for phrase in self._signals.phrases]
        texts += [text for pair in self._pairs.pairs for text in pair.phrases()]
        return [text.replace("*", "") for text in texts]


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
