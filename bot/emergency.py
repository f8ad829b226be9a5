"""Emergency detection: runs before any topic matching and overrides it.

An overdose happening now ("he's turning blue", "il ne respire plus") must never miss;
a question about what to do *if* it happens, or one that already ended, is not an
emergency. The phrases live in ``emergency.yaml`` so staff can extend them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from bot.firstword import FirstWordIndex
from bot.knowledge import NO_PHRASES, PhrasesPerLanguage
from bot.layout import EMERGENCY_FILE
from bot.models import Strict
from bot.text import fold
from bot.yamlsource import Problem, ResourceError, line_of, load_yaml, validate_model

MAX_GAP = 2  # words allowed between the words of a signal phrase; other lists are exact
# A dose counted in tens ("took 25 tylenol", "a avalé 20 pilules") is a signal: the number
# follows a TOOK or TAKEN verb within COUNT_BEFORE words and a SUBSTANCE follows it within
# COUNT_AFTER words, unless a unit comes right after it ("took 30 mg of methadone").
MANY_PILLS = 10
COUNT_BEFORE = 3
COUNT_AFTER = 4
COUNT_UNITS = frozenset(
    {
        "mg", "mgs", "mcg", "ug", "g", "gr", "gram", "grams", "gramme", "grammes", "ml", "cc",
        "milligram", "milligrams", "milligramme", "milligrammes", "unit", "units", "iu",
        "minute", "minutes", "min", "mins", "hour", "hours", "heure", "heures", "day", "days",
        "jour", "jours", "week", "weeks", "semaine", "semaines", "month", "months", "mois",
        "year", "years", "an", "ans", "annee", "annees", "percent", "pour", "x",
    }
)  # fmt: skip
ACCIDENTAL_INGESTION = "accidental_ingestion"
# A STORY (see emergency.yaml) needs this many past verbs, one of them a past state.
STORY_VERBS = 4
STORY_WORDS = 18  # and this many words: a short report of what just happened is no story
STORY_STATE_BEFORE = 4  # a STORY_STATE word this many words before a signal puts it in the past
# Verbs of a change to come, in an IF_CLAUSE: "if he stops breathing", "si y devient bleu".
CHANGE = ("stop", "arret", "devien", "turns", "goes", "starts", "commenc")
IF_CLAUSE_BEFORE = 2  # at most this many words between an IF_CLAUSE word and the signal
# A rescue step that did nothing (see TRIED and NO_EFFECT in emergency.yaml): a NO_EFFECT
# phrase at most EFFECT_AFTER words after a TRIED step ("i gave him narcan and he didnt wake
# up"), or at most EFFECT_BEFORE words before one, a WHEN_TOLD phrase between ("she didnt
# wake up when i shook her").
EFFECT_AFTER = 10
EFFECT_BEFORE = 3
WHEN_STEP = 2  # at most this many words between a WHEN_TOLD phrase and its TRIED step
# The words that make a TRIED dose one given to the writer ("they gave me narcan"): the
# writer is awake to tell it, so it is no step of a rescue under way.
TO_THE_WRITER = frozenset({"me", "m", "moi", "myself", "us", "nous"})
# Grammar, not content: English regular past ("rolled", "walked"), French imperfect
# ("respirait", "bougeaient", "j'étais") and the French auxiliaries of a compound past ("j'ai vu",
# "elle est revenue"), with the small words that may stand between ("je l'ai pas vu").
PAST_ED = "ed"
NOT_PAST_ED = frozenset(
    {
        "speed", "bleed", "breed", "indeed", "greed", "hundred", "sacred", "naked", "wicked",
        "kindred", "embed", "infrared", "scared", "worried", "concerned", "confused", "tired",
        "stressed", "terrified", "interested", "supposed", "freaked", "blessed", "stoned",
        "wasted", "married", "related", "addicted", "needed", "embarrassed", "ashamed",
    }
)  # fmt: skip
IMPERFECT = ("ait", "aient", "ais")
NOT_IMPERFECT = frozenset(
    {
        "fait", "lait", "trait", "parfait", "souhait", "extrait", "portrait", "attrait",
        "distrait", "refait", "satisfait", "abstrait", "bienfait", "forfait", "defait",
        "surfait", "retrait", "plait", "await", "bait", "wait", "strait", "gait", "jamais",
        "vrais", "frais", "anglais", "francais", "mauvais", "desormais", "epais", "biais",
        "relais", "palais", "marais", "niais", "rabais", "balais", "polonais", "japonais",
        "portugais", "irlandais", "hollandais", "dorenavant", "quebecois", "montrealais",
    }
)  # fmt: skip
AUXILIARIES = frozenset(
    {"ai", "a", "as", "avons", "avez", "ont", "suis", "es", "est", "sommes", "etes", "sont"}
)
BETWEEN_AUX = frozenset(
    {
        "pas", "l", "lui", "y", "en", "leur", "me", "m", "te", "t", "se", "s", "ne", "n",
        "deja", "jamais", "tout", "tous", "toutes", "bien", "vraiment", "juste", "rien",
        "plus", "pu", "meme", "encore",
    }
)  # fmt: skip


class EmergencyRules(Strict):
    """The phrase lists of ``emergency.yaml`` (its header explains the rule)."""

    signals: PhrasesPerLanguage
    weak_signals: PhrasesPerLanguage = NO_PHRASES
    confirm: PhrasesPerLanguage = NO_PHRASES
    hypothetical: PhrasesPerLanguage = NO_PHRASES
    legal: PhrasesPerLanguage = NO_PHRASES
    conditional: PhrasesPerLanguage = NO_PHRASES
    question: PhrasesPerLanguage = NO_PHRASES
    present: PhrasesPerLanguage = NO_PHRASES
    past: PhrasesPerLanguage = NO_PHRASES
    over: PhrasesPerLanguage = NO_PHRASES
    negation: PhrasesPerLanguage = NO_PHRASES
    urgent: PhrasesPerLanguage = NO_PHRASES
    calling: PhrasesPerLanguage = NO_PHRASES
    not_urgent: PhrasesPerLanguage = NO_PHRASES
    self_harm: PhrasesPerLanguage = NO_PHRASES
    taken: PhrasesPerLanguage = NO_PHRASES
    took: PhrasesPerLanguage = NO_PHRASES
    amount: PhrasesPerLanguage = NO_PHRASES
    long_ago: PhrasesPerLanguage = NO_PHRASES
    swallow: PhrasesPerLanguage = NO_PHRASES
    substance: PhrasesPerLanguage = NO_PHRASES
    someone_else: PhrasesPerLanguage = NO_PHRASES
    not_a_sign: PhrasesPerLanguage = NO_PHRASES
    events: PhrasesPerLanguage = NO_PHRASES
    sequel: PhrasesPerLanguage = NO_PHRASES
    later: PhrasesPerLanguage = NO_PHRASES
    drowsy: PhrasesPerLanguage = NO_PHRASES
    taken_already: PhrasesPerLanguage = NO_PHRASES
    taken_what: PhrasesPerLanguage = NO_PHRASES
    taken_when: PhrasesPerLanguage = NO_PHRASES
    as_prescribed: PhrasesPerLanguage = NO_PHRASES
    recovered: PhrasesPerLanguage = NO_PHRASES
    relapse: PhrasesPerLanguage = NO_PHRASES
    story_past: PhrasesPerLanguage = NO_PHRASES
    story_state: PhrasesPerLanguage = NO_PHRASES
    story_participle: PhrasesPerLanguage = NO_PHRASES
    story_present: PhrasesPerLanguage = NO_PHRASES
    told_after: PhrasesPerLanguage = NO_PHRASES
    dated: PhrasesPerLanguage = NO_PHRASES
    scene: PhrasesPerLanguage = NO_PHRASES
    discovery: PhrasesPerLanguage = NO_PHRASES
    present_subject: PhrasesPerLanguage = NO_PHRASES
    if_clause: PhrasesPerLanguage = NO_PHRASES
    asking: PhrasesPerLanguage = NO_PHRASES
    whether: PhrasesPerLanguage = NO_PHRASES
    asked_whether: PhrasesPerLanguage = NO_PHRASES
    fear_if: PhrasesPerLanguage = NO_PHRASES
    not_conditional: PhrasesPerLanguage = NO_PHRASES
    tried: PhrasesPerLanguage = NO_PHRASES
    no_effect: PhrasesPerLanguage = NO_PHRASES
    when_told: PhrasesPerLanguage = NO_PHRASES
    came_round: PhrasesPerLanguage = NO_PHRASES
    turn: PhrasesPerLanguage = NO_PHRASES
    anger: PhrasesPerLanguage = NO_PHRASES
    anyone: PhrasesPerLanguage = NO_PHRASES
    next_time: PhrasesPerLanguage = NO_PHRASES
    contractions: dict[str, str] = Field(default_factory=dict)


Pattern = tuple[str, ...]
# Negations typed as one word once folded ("don't" -> "dont"): NEGATION's "nt" only meets
# "don t". Grammar, not content, so not in emergency.yaml.
CONTRACTED_NOT = frozenset(
    {
        "dont",
        "doesnt",
        "didnt",
        "cant",
        "wont",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "havent",
        "hasnt",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "aint",
        "nope",
    }
)


def _compile(phrases: Iterable[str]) -> tuple[Pattern, ...]:
    out = []
    for phrase in phrases:
        # Keep the trailing '*' wildcard through folding, which drops punctuation.
        parts = tuple(
            fold(w.rstrip("*")) + ("*" if w.endswith("*") else "") for w in phrase.split()
        )
        parts = tuple(p for p in parts if p.strip("*"))
        if parts:
            out.append(parts)
    return tuple(out)


def _word_matches(pattern_word: str, word: str) -> bool:
    if pattern_word.endswith("*"):
        return word.startswith(pattern_word[:-1])
    return word == pattern_word


def _match_span(
    pattern: Pattern, words: Sequence[str], gap: int = MAX_GAP
) -> tuple[int, int] | None:
    """Where the pattern's first occurrence starts and ends (its words in order, at most
    ``gap`` words apart), or None."""
    first = pattern[0]
    for start, word in enumerate(words):
        if not _word_matches(first, word):
            continue
        pos = start
        for part in pattern[1:]:
            for nxt in range(pos + 1, min(pos + 2 + gap, len(words))):
                if _word_matches(part, words[nxt]):
                    pos = nxt
                    break
            else:
                break
        else:
            return start, pos
    return None


def _match_end(pattern: Pattern, words: Sequence[str], gap: int = MAX_GAP) -> int | None:
    """Where the pattern's first occurrence ends, or None."""
    span = _match_span(pattern, words, gap)
    return span[1] if span is not None else None


def _matches(pattern: Pattern, words: Sequence[str], gap: int = MAX_GAP) -> bool:
    """True when the pattern's words appear in order, at most ``gap`` words apart."""
    return _match_end(pattern, words, gap) is not None


class PhraseList:
    """One list's patterns, indexed by their first word.

    A message only tries the patterns whose first word (or first-word prefix, for ``*``)
    it contains: most messages contain none, so judging costs a few dictionary look-ups
    per word instead of every pattern against every word. The first pattern *in list
    order* that matches is returned, as the plain scan did, so verdicts name the same
    phrase.
    """

    def __init__(self, patterns: tuple[Pattern, ...]) -> None:
        self.patterns = patterns
        self._names = tuple(" ".join(p) for p in patterns)
        # Every exact word a pattern needs: a message lacking one cannot match it.
        self._needs = tuple(frozenset(w for w in p if not w.endswith("*")) for p in patterns)
        self._index = FirstWordIndex(
            (p[0][:-1], True) if p[0].endswith("*") else (p[0], False) for p in patterns
        )

    def first(self, words: Sequence[str], distinct: frozenset[str], gap: int = 0) -> str | None:
        """The first pattern (in list order) found in ``words``; ``distinct`` is their set."""
        for index in self._index.candidates(distinct):
            if self._needs[index] <= distinct and _matches(self.patterns[index], words, gap):
                return self._names[index]
        return None

    def end(self, name: str, words: Sequence[str], gap: int = 0) -> int | None:
        """Where the pattern called ``name`` (as ``first`` returned it) ends in ``words``."""
        return _match_end(self.patterns[self._names.index(name)], words, gap)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def span(self, name: str, words: Sequence[str], gap: int = 0) -> tuple[int, int] | None:
        """Where the pattern called ``name`` starts and ends in ``words``."""
        return _match_span(self.patterns[self._names.index(name)], words, gap)


@dataclass(frozen=True, slots=True)
class EmergencyVerdict:
    """Why a message was or was not judged an emergency (for tests and staff tools)."""

    emergency: bool
    signal: str | None = None
    held_back_by: str | None = None  # the hypothetical/past phrase that vetoed a signal
    route: str | None = None  # not an emergency, but this intent must answer (never the matcher)


class EmergencyDetector:
    """Decides whether a message describes an overdose happening now."""

    def __init__(self, rules: EmergencyRules) -> None:
        def both(p: PhrasesPerLanguage) -> PhraseList:
            return PhraseList(_compile(p.en + p.fr))

        self._signals = both(rules.signals)
        self._weak = both(rules.weak_signals)
        self._confirm = both(rules.confirm)
        self._hypothetical = both(rules.hypothetical)
        self._legal = both(rules.legal)
        self._conditional = both(rules.conditional)
        self._question = both(rules.question)
        self._present = both(rules.present)
        self._past = both(rules.past)
        self._over = both(rules.over)
        self._negation = frozenset(fold(w) for w in rules.negation.en + rules.negation.fr)
        self._urgent = both(rules.urgent)
        self._calling = both(rules.calling)
        self._not_urgent = both(rules.not_urgent)
        self._self_harm = both(rules.self_harm)
        self._taken = both(rules.taken)
        self._took = both(rules.took)
        self._amount = both(rules.amount)
        self._taken_already = both(rules.taken_already)
        self._taken_what = both(rules.taken_what)
        self._taken_when = both(rules.taken_when)
        self._as_prescribed = both(rules.as_prescribed)
        self._recovered = both(rules.recovered)
        self._relapse = both(rules.relapse)
        self._long_ago = both(rules.long_ago)
        self._swallow = both(rules.swallow)
        self._substance = both(rules.substance)
        self._someone_else = both(rules.someone_else)
        self._not_a_sign = both(rules.not_a_sign)
        self._events = both(rules.events)
        self._sequel = both(rules.sequel)
        self._later = both(rules.later)
        self._drowsy = both(rules.drowsy)
        self._story_past = frozenset(fold(w) for w in rules.story_past.en + rules.story_past.fr)
        self._story_state = both(rules.story_state)
        self._participles = _compile(rules.story_participle.en + rules.story_participle.fr)
        self._story_present = both(rules.story_present)
        self._told_after = both(rules.told_after)
        self._dated = both(rules.dated)
        self._scene = both(rules.scene)
        self._discovery = both(rules.discovery)
        self._present_subject = both(rules.present_subject)
        self._if_clause = both(rules.if_clause)
        self._asking = both(rules.asking)
        self._whether = both(rules.whether)
        self._asked_whether = both(rules.asked_whether)
        self._fear_if = both(rules.fear_if)
        self._not_conditional = both(rules.not_conditional)
        self._tried = both(rules.tried)
        self._no_effect = both(rules.no_effect)
        self._when_told = both(rules.when_told)
        self._came_round = both(rules.came_round)
        self._turn = both(rules.turn)
        self._anger = both(rules.anger)
        self._anyone = both(rules.anyone)
        self._next_time = both(rules.next_time)
        # "cannot wake him" read again as "cant wake him": word pairs typed out, by first word.
        # Keys of one or two words only (``contraction_problems`` reports the others).
        self._contractions: dict[str, dict[str, str]] = {}
        for typed, meant in rules.contractions.items():
            words = fold(typed).split()
            if 1 <= len(words) <= 2:
                self._contractions.setdefault(words[0], {})[" ".join(words[1:])] = fold(meant)

    def judge(self, words: Sequence[str]) -> EmergencyVerdict:
        """Judge a message given its folded (and typo-corrected) words; when that finds no
        emergency, judge it once more with its CONTRACTIONS joined ("i cannot wake him" as
        "i cant wake him"), which can only add an emergency, never take one away."""
        verdict = self._judge(words)
        if verdict.emergency:
            return verdict
        joined = self._joined(words)
        if joined is None:
            return verdict
        again = self._judge(joined)
        return again if again.emergency else verdict

    def _joined(self, words: Sequence[str]) -> list[str] | None:
        """The words with each CONTRACTIONS pair as one word, or None when there is none."""
        out: list[str] = []
        changed = False
        i = 0
        while i < len(words):
            pairs = self._contractions.get(words[i])
            meant = pairs.get(words[i + 1] if i + 1 < len(words) else "") if pairs else None
            if meant is None and pairs and "" in pairs:
                meant, step = pairs[""], 1
            else:
                step = 2
            if meant is None:
                out.append(words[i])
                i += 1
                continue
            out.append(meant)
            changed = True
            i += step
        return out if changed else None

    def _judge(self, words: Sequence[str]) -> EmergencyVerdict:
        message = _blank_all(self._not_a_sign, _Message(tuple(words), frozenset(words)), MAX_GAP)
        deliberate = self._deliberate(message)
        if deliberate is not None:
            return EmergencyVerdict(True, deliberate)
        verdict = self._overdose_now(message)
        if not verdict.emergency and self._swallowed(message):
            # Drowsy after swallowing it: 911 (the facts say so), not the Poison Centre.
            drowsy = message.first(self._drowsy, MAX_GAP)
            if drowsy is not None:
                return EmergencyVerdict(True, drowsy)
            # Someone swallowed pills, methadone or a patch: the Poison Centre answer,
            # whatever the matcher would say ("methadone" alone reads like treatment).
            return dataclasses.replace(verdict, route=ACCIDENTAL_INGESTION)
        return verdict

    def _deliberate(self, m: _Message) -> str | None:
        """'I took pills to kill myself': an overdose already taken, so 911 comes first."""
        harm = m.first(self._self_harm, MAX_GAP)
        if harm is None or not self._dose_taken(m):
            return None
        # Only an explicit "years ago" holds it back: "lost" or "died" may be the reason why.
        if m.first(self._long_ago) and not m.first(self._urgent):
            return None
        return harm

    def taken(self, words: Sequence[str]) -> bool:
        """A dose already taken, said in a crisis conversation ("i already took some", "j'en
        ai déjà pris"): what was taken is what the conversation was about. Not what is
        taken as prescribed, nor "i took them to school" or "j'en ai pris soin": a
        TAKEN_ALREADY phrase counts when it ends the message or TAKEN_WHAT follows it."""
        m = _Message(tuple(words), frozenset(words))
        if m.first(self._long_ago) or m.first(self._as_prescribed):
            return False
        # "took" needs an AMOUNT ("i took all my meds") or a quantity of a medicine ("took
        # 20 of my pills", "a few of my sleeping pills"): "i took my meds this morning"
        # and "i took a few deep breaths" are no overdose, whatever the conversation.
        quantity = m.first(self._taken_what, MAX_GAP) or any(w.isdigit() for w in m.words)
        measured = m.first(self._amount) or (quantity and m.first(self._substance))
        if m.first(self._taken, MAX_GAP) or (m.first(self._took) and measured):
            return True
        name = m.first(self._taken_already, MAX_GAP)
        end = self._taken_already.end(name, m.words, MAX_GAP) if name else None
        if end is None:
            return False
        tail = m.words[end + 1 :]
        if not tail or tail[0].isdigit():
            return True
        rest = _Message(tuple(tail[:2]), frozenset(tail[:2]))
        follows = (self._taken_what, self._taken_when, self._substance)
        return any(rest.first(phrases) for phrases in follows)

    def negated(self, words: Sequence[str]) -> bool:
        """The message says "not", "no", "pas"... (the NEGATION words, or "don't")."""
        return not (self._negation.isdisjoint(words) and CONTRACTED_NOT.isdisjoint(words))

    def recovered(self, words: Sequence[str]) -> bool:
        """In a conversation about an overdose: the person came round ("he's awake"); never
        with a negation ("he's not awake") or a RELAPSE phrase ("woke up but went out")."""
        m = _Message(tuple(words), frozenset(words))
        if self.negated(words) or self.relapse(words):
            return False
        return bool(m.first(self._recovered, MAX_GAP))

    def relapse(self, words: Sequence[str]) -> bool:
        """In a conversation about an overdose: it is coming back ("nodding off again")."""
        return bool(_Message(tuple(words), frozenset(words)).first(self._relapse, MAX_GAP))

    def _dose_taken(self, m: _Message) -> bool:
        """ "Swallowed", "shot up", or "took" with what was taken (pills, all, a bottle)."""
        if m.first(self._taken, MAX_GAP):
            return True
        return bool(m.first(self._took) and (m.first(self._substance) or m.first(self._amount)))

    def _swallowed(self, m: _Message) -> bool:
        return bool(
            m.first(self._swallow, MAX_GAP)
            and m.first(self._substance)
            and m.first(self._someone_else)
        )

    def _counted(self, m: _Message) -> str | None:
        """ "took 25 tylenol", "swallowed 30 of her sleeping pills", "a avalé 20 pilules": a
        number of pills in tens right after a TOOK or TAKEN verb (see MANY_PILLS)."""
        for i, word in enumerate(m.words):
            if not (word.isdigit() and int(word) >= MANY_PILLS) or word in ("911", "112"):
                continue
            after = m.words[i + 1 : i + 1 + COUNT_AFTER]
            if not after or after[0] in COUNT_UNITS:
                continue
            before = m.words[max(0, i - COUNT_BEFORE) : i]
            said = _Message(before, frozenset(before))
            verb = said.first(self._took) or said.first(self._taken)
            what = _Message(after, frozenset(after)).first(self._substance) if verb else None
            if what is not None:
                return f"{verb} {word} {what}"
        return None

    def _failed_steps(self, m: _Message) -> list[tuple[int, int, str]]:
        """Where a rescue step did nothing: each NO_EFFECT phrase (start, end, its name with
        the step's) at most EFFECT_AFTER words after a TRIED step ("gave him narcan, he didnt
        wake up", "j'ai donné le narcan il a pas bougé") or EFFECT_BEFORE words before one
        with a WHEN_TOLD phrase between ("she didnt wake up when i shook her"; not "he didnt
        come back after i gave him..."). A dose given to the writer ("they gave me narcan")
        is no step (TO_THE_WRITER); a RECOVERED phrase after the NO_EFFECT one, not negated,
        says the step worked after all ("...didnt wake up at first, now hes awake")."""
        if m.first(self._tried, MAX_GAP) is None:
            return []  # the first-word index first: most messages name no step at all
        steps = [
            (start, end)
            for start, end in _all_spans(self._tried, m.words, MAX_GAP)
            if TO_THE_WRITER.isdisjoint(m.words[start : end + 1])
        ]
        if not steps:
            return []
        whens = [start for start, _ in _all_spans(self._when_told, m.words)]
        came_round = [
            start
            for start, _ in _all_spans(self._recovered, m.words)
            if not (start and self.negated(m.words[start - 1 : start]))
        ]
        found = []
        for start, end in _all_spans(self._no_effect, m.words):
            if any(at > end for at in came_round):
                continue  # "he didnt wake up at first, now hes awake": it worked after all
            for s_start, s_end in steps:
                after = s_end < start and start - s_end - 1 <= EFFECT_AFTER
                before = end < s_start and s_start - end - 1 <= EFFECT_BEFORE
                before = before and any(end < w < s_start for w in whens)
                if after or before:
                    step = " ".join(m.words[s_start : s_end + 1])
                    found.append((start, end, f"{step}: {' '.join(m.words[start : end + 1])}"))
                    break
        return found

    def _failed_step(self, m: _Message) -> str | None:
        """The first rescue step that did nothing (see ``_failed_steps``), as a signal."""
        steps = self._failed_steps(m)
        return steps[0][2] if steps else None

    def _told_when(self, m: _Message) -> _Message:
        """A WHEN_TOLD phrase ("when i", "quand on") with a TRIED step at most WHEN_STEP words
        after it ("he didnt respond when i shook him", "elle a pas bougé quand on l'a
        brassée") tells when the sign was seen: no condition on the scene, so its first word
        is blanked. Not "when i texted him" nor "quand je me suis réveillé": no rescue step."""
        spans = _all_spans(self._when_told, m.words)
        steps = [start for start, _ in _all_spans(self._tried, m.words, MAX_GAP)] if spans else []
        if not steps:
            return m
        words = list(m.words)
        for start, end in spans:
            if any(0 <= step - end - 1 <= WHEN_STEP for step in steps):
                words[start] = "_"
        return _Message(tuple(words), frozenset(words))

    def _relapsed(self, m: _Message) -> _Message:
        """The message with each CAME_ROUND phrase blanked ("woke up", "was fine", "s'est
        réveillé") that a TURN word and then a signal follow ("he woke up for a second then
        he stopped breathing"): the latest news is the relapse, the recovery no past news
        that holds it back. A state, not an EVENT: "he was fine for years, then he
        overdosed" is a story."""
        rounds = _all_spans(self._came_round, m.words)
        if not rounds:
            return m
        turns = [start for start, _ in _all_spans(self._turn, m.words)]
        signals = [start for start, _, event in self._signal_spans(m) if not event]
        words = list(m.words)
        for start, end in rounds:
            turn = next((t for t in turns if t > end), None)
            if turn is not None and any(s > turn for s in signals):
                words[start : end + 1] = ["_"] * (end + 1 - start)
        return m if tuple(words) == m.words else _Message(tuple(words), frozenset(words))

    def _general(self, m: _Message, first_if: int) -> bool:
        """A PAST or TOLD_AFTER phrase, NEXT_TIME, or ANYONE inside the "if" clause (after
        the ``first_if`` word): a dose given before an "if" is then no scene under way ("we
        gave narcan at a party last month, if he stops breathing again...", "i gave narcan
        once, if someone isnt breathing..."). Not ANYONE before it: "quelqu'un lui a donné
        du narcan, s'il se réveille pas" is this scene, given by someone else."""
        if m.first(self._past) or m.first(self._told_after) or m.first(self._next_time):
            return True
        return any(start > first_if for start, _ in _all_spans(self._anyone, m.words))

    def _next_step(self, m: _Message) -> bool:
        """A SCENE phrase (a dose given, a person down) before the first IF_CLAUSE word, and
        a signal said as a present state ("we sprayed narcan, if she doesnt start breathing
        should i do cpr", "on y a mis le narcan s'il se réveille pas"): the "if" asks the
        next step of this scene, not about a supposed one; not ``_general``."""
        opened = _all_spans(self._if_clause, _blank_all(self._not_conditional, m).words)
        if not opened:
            return False
        first_if = min(start for start, _ in opened)
        if self._general(m, first_if):
            return False
        if not any(end < first_if for _, end in _all_spans(self._scene, m.words)):
            return False
        return self._present_state(m)

    def _overdose_now(self, m: _Message) -> EmergencyVerdict:
        signal = m.first(self._signals, MAX_GAP) or self._counted(m) or self._failed_step(m)
        urgent = self._urgent_word(m)
        present = m.first(self._present)
        if signal is None:
            signal = m.first(self._weak, MAX_GAP)
            if signal is None or not (urgent or present or m.first(self._confirm)):
                # A general question also holds back the matcher's "reads like an emergency".
                question = None if urgent or present else m.first(self._question)
                return EmergencyVerdict(False, held_back_by=question)
        unnegated = self._unnegated(m)
        over = unnegated.first(self._over)
        if over is not None:
            # "passed out last night but he's fine now": the "now" does not make it urgent.
            # What follows the phrase is the latest news, though: "he was ok now but he
            # stopped breathing" is judged on its own.
            end = self._over.end(over, unnegated.words)
            tail = m.words[end + 1 :] if end is not None else ()
            later = self._overdose_now(_Message(tail, frozenset(tail))) if tail else None
            return later if later and later.emergency else EmergencyVerdict(False, signal, over)
        # "si tu lis ça, ..." addresses the reader, "asking if he could hear me" is a
        # whether: no condition on the scene.
        scene = _blank_all(self._asked_whether, _blank_all(self._not_conditional, m))
        scene = self._fear_after(self._told_when(scene))
        conditional = scene.first(self._conditional)
        legal = m.first(self._legal)
        if legal and present is None and (conditional or m.first(self._question)):
            return EmergencyVerdict(False, signal, legal)  # asking whether calling is safe
        story = self._story(m)
        if story is not None:
            return EmergencyVerdict(False, signal, story)
        relapsed = self._relapsed(m)
        past = relapsed.first(self._past)
        past = past and self._outside(relapsed, signal, self._past, past)
        if past and self._present_state(m):
            past = None  # "last year he quit and he's not breathing": the state is now
        if (
            urgent is not None
            and self._outside(m, signal, self._urgent, urgent, overlap=True)
            and not (past and self._told_afterwards(m))
        ):
            return EmergencyVerdict(True, signal)
        veto = m.first(self._hypothetical) or past
        if veto is None and (sequel := m.first(self._sequel)) and self._only_events(m):
            veto = sequel  # "she overdosed, and a week later she was using again"
        if veto is None and present is None:
            veto = (None if conditional and self._next_step(m) else conditional) or self._asked(m)
        if veto is None and present is not None:
            veto = self._if_question(m)
        if veto is not None:
            return EmergencyVerdict(False, signal, veto)
        return EmergencyVerdict(True, signal)

    def _fear_after(self, m: _Message) -> _Message:
        """A FEAR_IF after every signal ("she stopped breathing, what if she dies"), or after
        a signal said as a present state ("y respire pu, et si y meurt?"), is a fear about
        what comes next, no condition on the scene: blanked."""
        fears = _all_spans(self._fear_if, m.words)
        spans = self._signal_spans(m) if fears else []
        if not spans:
            return m
        after = spans[0][1] if self._present_state(m) else spans[-1][1]
        words = list(m.words)
        for start, end in fears:
            if start > after:
                words[start : end + 1] = ["_"] * (end + 1 - start)
        return _Message(tuple(words), frozenset(words))

    def _signal_spans(self, m: _Message) -> list[tuple[int, int, bool]]:
        """Every signal (SIGNALS and WEAK_SIGNALS) in the message: start, end, and whether
        it is an EVENT ("overdosed"), found left to right without overlaps."""
        spans: list[tuple[int, int, bool]] = []
        for phrases, event in ((self._events, True), (self._signals, False), (self._weak, False)):
            for start, end in _all_spans(phrases, m.words, MAX_GAP):
                if not any(start <= e and s <= end for s, e, _ in spans):
                    spans.append((start, end, event))
        # A rescue step that did nothing ("gave narcan, he didnt wake up"): a state, no event.
        for start, end, _ in self._failed_steps(m):
            if not any(start <= e and s <= end for s, e, _ in spans):
                spans.append((start, end, False))
        return sorted(spans)

    def _compound_past(self, words: Sequence[str]) -> set[int]:
        """The positions of a French compound past: an auxiliary and its participle, at
        most two small words apart ("j'ai vu", "elle est revenue", "je l'ai pas vu")."""
        found: set[int] = set()
        for i, word in enumerate(words):
            if not any(p[0] and _word_matches(p[0], word) for p in self._participles):
                continue
            for j in range(i - 1, max(-1, i - 4), -1):
                if words[j] in AUXILIARIES:
                    found.update((j, i))
                    break
                if words[j] not in BETWEEN_AUX:
                    break
        return found

    def _past_at(self, words: Sequence[str]) -> tuple[set[int], set[int], set[int]]:
        """The positions of past verbs, of past STATES (STORY_STATE, the imperfect), and of
        the French compound pasts (auxiliary and participle, see ``_compound_past``)."""
        states = {end for _, end in _all_spans(self._story_state, words)}
        states |= {i for i, w in enumerate(words) if _imperfect(w)}
        compound = self._compound_past(words)
        verbs = set(states) | {i for i in compound if words[i] not in AUXILIARIES}
        for i, word in enumerate(words):
            regular = word.endswith(PAST_ED) and len(word) >= 5 and word not in NOT_PAST_ED
            if word in self._story_past or regular:
                verbs.add(i)
        return verbs, states, compound

    def _story(self, m: _Message) -> str | None:
        """A past event told as a STORY (see emergency.yaml): at least STORY_WORDS words,
        every signal in the past, at least STORY_VERBS past verbs with a past state and an
        action among them, no DISCOVERY, no STORY_PRESENT word, no URGENT word but a
        LATER one, and a TOLD_AFTER phrase. Its name ("story: was, went, ...") or None."""
        if len(m.words) < STORY_WORDS:
            return None
        if self._urgent_word(_blank_all(self._later, m)) is not None:
            return None
        # Past tense alone does not date a scene: a panicking bystander tells a rescue
        # minutes old that way ("she was unresponsive, i gave naloxone, she didnt respond").
        if m.first(self._told_after) is None and m.first(self._dated) is None:
            return None
        # Pills or a drink swallowed act for hours: a story about them may not be over.
        if m.first(self._swallow, MAX_GAP) and m.first(self._substance):
            return None
        verbs, states, compound = self._past_at(m.words)
        # Something happens in a story ("walked in", "rolled her over"): only how someone
        # was ("he was unconscious, his breathing was shallow") is a description.
        if len(verbs) < STORY_VERBS or not states or not verbs - states:
            return None
        said = tuple("_" if i in compound else w for i, w in enumerate(m.words))
        if _Message(said, frozenset(said)).first(self._story_present) is not None:
            return None
        if m.first(self._discovery) is not None:
            return None
        spans = self._signal_spans(m)
        for start, end, event in spans:
            before = range(max(0, start - STORY_STATE_BEFORE), end + 1)
            if not event and not any(i in states for i in before):
                return None
        if not spans:
            return None
        return "story: " + ", ".join(m.words[i] for i in sorted(verbs)[:STORY_VERBS])

    def _present_state(self, m: _Message) -> bool:
        """A signal said as a present state: not an EVENT, no past verb in it or a past
        state just before it, and a PRESENT_SUBJECT at most two words before it or opening
        it ("he's not breathing", "isn't breathing", "y respire pu"; not "he wasn't
        breathing", "il est tombé")."""
        verbs, states, compound = self._past_at(m.words)
        # A PAST phrase touching the signal is a figure of speech ("i'm feeling blue
        # today", "je meurs de rire", "he's not breathing lol"), never a time.
        pasts = _all_spans(self._past, m.words)
        for start, end, event in self._signal_spans(m):
            if event or any(i in verbs for i in range(start, end + 1)):
                continue
            # ... or the signal is itself a PAST phrase ("in a coma": in hospital).
            if any(s <= end + 1 and start - 1 <= e for s, e in pasts):
                continue
            if any(i in states for i in range(max(0, start - STORY_STATE_BEFORE), start)):
                continue
            near = tuple(
                "_" if i in compound else m.words[i] for i in range(max(0, start - 2), start + 1)
            )
            if _Message(near, frozenset(near)).first(self._present_subject) is not None:
                return True
        return False

    def _asked(self, m: _Message) -> str | None:
        """The QUESTION phrase, unless a sign was said as a state now before it: "il respire
        pu, ça veut-tu dire une od?" asks about a scene; "can you tell someone is overdosing
        by their breathing" does not."""
        asked = m.first(self._question)
        if asked is None:
            return None
        start = min(a for a, _ in _all_spans(self._question, m.words))
        before = m.words[:start]
        return (
            None if before and self._present_state(_Message(before, frozenset(before))) else asked
        )

    def _if_question(self, m: _Message) -> str | None:
        """ "si y se réveille pas après le narcan on fait quoi": every signal negated (or a
        CHANGE: "if he stops breathing") inside
        an IF_CLAUSE opened at most IF_CLAUSE_BEFORE words before it, and the message ASKING
        what to do, and no SCENE said before it. The IF_CLAUSE word, or None. See
        emergency.yaml."""
        if m.first(self._asking) is None:
            return None
        words = _blank_all(self._not_conditional, m).words
        whether = {end for _, end in _all_spans(self._whether, words)}
        opened = [
            (end, " ".join(words[start : end + 1]))
            for start, end in _all_spans(self._if_clause, words)
            if end not in whether
        ]
        spans = self._signal_spans(m)
        if not spans or not opened:
            return None
        found = None
        for start, end, _ in spans:
            said = words[max(0, start - 1) : end + 1]
            # "plus" too: the corrector reads "respire pu" as "respire plus". A change
            # ("stops breathing", "arrête de respirer", "devient bleu") is one to come.
            changes = any(w.startswith(CHANGE) for w in said)
            if not self.negated(said) and "plus" not in said and not changes:
                return None
            inside = [name for at, name in opened if 0 <= start - at - 1 <= IF_CLAUSE_BEFORE]
            if not inside:
                return None
            found = found or inside[-1]
        # A dose given or a person down, said before the "if": the next step of this scene
        # (not one long gone, nor about anyone: see ``_general``).
        first_if = min(at for at, _ in opened)
        if any(end < first_if for _, end in _all_spans(self._scene, words)):
            return found if self._general(m, first_if) else None
        return found

    def _told_afterwards(self, m: _Message) -> bool:
        """Only EVENT signals ("overdosed") and only LATER urgent words ("now i'm scared"):
        a story told afterwards, which a PAST phrase holds back. Any other sign or urgent
        word ("now he won't wake up", "help") is the present, and stays the emergency."""
        if not self._only_events(m):
            return False
        return self._urgent_word(_blank_all(self._later, m)) is None

    def _only_events(self, m: _Message) -> bool:
        """Every signal is an EVENT ("overdosed", "passed out"), none a present state."""
        rest = _blank_all(self._events, m, MAX_GAP)
        return not (rest.first(self._signals, MAX_GAP) or rest.first(self._weak, MAX_GAP))

    def _urgent_word(self, m: _Message) -> str | None:
        """The URGENT word, unless it is only the "911" of a CALLING phrase ("call 911")."""
        urgent = m.first(self._urgent)
        calling = m.first(self._calling) if urgent else None
        if calling is None:
            return urgent
        span = self._calling.span(calling, m.words)
        if span is None:
            return urgent
        words = (*m.words[: span[0]], "_", *m.words[span[1] + 1 :])
        return _Message(words, frozenset(words)).first(self._urgent)

    def not_now(self, words: Sequence[str]) -> str | None:
        """For a message with no signal that the topic matcher reads as an emergency: the
        phrase saying it is not about now (a question, a hypothetical, a past event, a year or
        a memory, a worry about calling: "j'ai vu une surdose la semaine passée"), unless an
        URGENT word or a PRESENT person is named; the URGENT word of a NOT_URGENT phrase
        ("que dire au 911 en cas d'urgence") does not count. A NOT_A_SIGN phrase also says
        it. Asked only then, so most messages never pay for it. An ANGER phrase says it
        before anything else, whatever URGENT or PRESENT words: "im so mad at my roommate
        right now" is a feeling, not a scene."""
        m = _Message(tuple(words), frozenset(words))
        anger = m.first(self._anger)
        if anger is not None:
            return anger
        if self._urgent_word(_blank_all(self._not_urgent, m)) or m.first(self._present):
            return None
        lists = (
            *(self._question, self._hypothetical, self._past, self._sequel, self._legal),
            self._dated,
        )
        found = next((found for p in lists if (found := m.first(p)) is not None), None)
        # What reads like the emergency may be a NOT_A_SIGN phrase ("so the baby won't wake
        # up" while a parent uses): the words the rules already set aside as no sign.
        return found or m.first(self._not_a_sign, MAX_GAP)

    def _outside(
        self, m: _Message, signal: str, phrases: PhraseList, found: str, overlap: bool = False
    ) -> str | None:
        """``found`` (from ``phrases``), unless it is a part of the signal itself (inside
        it, or with ``overlap`` sharing a word): the "je pense" and "est mort" of "je pense
        qu'il est mort" neither make it urgent nor hold it back as past news. Then another
        phrase of the list away from the signal, or None."""
        signals = self._signals if signal in self._signals else self._weak
        if signal not in signals:
            return found  # a counted dose ("took 25 tylenol") holds no phrase of the lists
        inside = signals.span(signal, m.words, MAX_GAP)
        where = phrases.span(found, m.words)
        if inside is None or where is None:
            return found
        shares = where[0] <= inside[1] and inside[0] <= where[1]
        within = inside[0] <= where[0] and where[1] <= inside[1]
        if not (shares if overlap else within):
            return found
        if overlap:
            inside = (min(inside[0], where[0]), max(inside[1], where[1]))
        words = (*m.words[: inside[0]], "_", *m.words[inside[1] + 1 :])
        return _Message(words, frozenset(words)).first(phrases)

    def _unnegated(self, m: _Message) -> _Message:
        """The message with each negated word blanked: "pas mieux maintenant" is not over."""
        words = tuple(
            "_" if i and m.words[i - 1] in self._negation else word
            for i, word in enumerate(m.words)
        )
        return _Message(words, frozenset(words))

    def phrases(self) -> list[str]:
        """Every signal phrase, for teaching the typo corrector these words."""
        lists = (
            self._signals,
            self._weak,
            self._urgent,
            self._present,
            self._self_harm,
            self._swallow,
            self._substance,
        )
        return [" ".join(p).replace("*", "") for found in lists for p in found.patterns]


@dataclass(frozen=True, slots=True)
class _Message:
    words: tuple[str, ...]
    distinct: frozenset[str]

    def first(self, phrases: PhraseList, gap: int = 0) -> str | None:
        # Gaps only widen signals: a veto must be the exact phrase, so misses stay rare.
        return phrases.first(self.words, self.distinct, gap)


def _imperfect(word: str) -> bool:
    """A French imperfect ("respirait", "bougeaient"), by its ending (see IMPERFECT)."""
    return len(word) >= 5 and word.endswith(IMPERFECT) and word not in NOT_IMPERFECT


def _all_spans(phrases: PhraseList, words: Sequence[str], gap: int = 0) -> list[tuple[int, int]]:
    """Where every occurrence of the phrases starts and ends, without overlaps."""
    spans = []
    words = tuple(words)
    while (found := _Message(words, frozenset(words)).first(phrases, gap)) is not None:
        span = phrases.span(found, words, gap)
        if span is None:
            break
        spans.append(span)
        words = (
            *words[: span[0]],
            *("_" for _ in range(span[0], span[1] + 1)),
            *words[span[1] + 1 :],
        )
    return spans


def _blank_all(phrases: PhraseList, m: _Message, gap: int = 0) -> _Message:
    """The message with every occurrence of the phrases blanked (from first word to last)."""
    words = m.words
    while (found := _Message(words, frozenset(words)).first(phrases, gap)) is not None:
        span = phrases.span(found, words, gap)
        if span is None:
            break
        words = (
            *words[: span[0]],
            *("_" for _ in range(span[0], span[1] + 1)),
            *words[span[1] + 1 :],
        )
    return m if words is m.words else _Message(words, frozenset(words))


def load_emergency(root: Path) -> tuple[EmergencyDetector | None, list[Problem]]:
    """Load ``emergency.yaml``; a missing or broken file is an error, never a silent skip."""
    path = root / EMERGENCY_FILE
    if not path.exists():
        return None, [Problem(EMERGENCY_FILE, 1, "file is missing")]
    try:
        data = load_yaml(path, root)
    except ResourceError as exc:
        return None, exc.problems
    rules, problems = validate_model(
        EmergencyRules, data, EMERGENCY_FILE, list(EmergencyRules.model_fields)
    )
    if rules is None:
        return None, problems
    if not rules.signals.en or not rules.signals.fr:
        return None, [Problem(EMERGENCY_FILE, 1, "signals need English and French phrases")]
    problems += contraction_problems(rules.contractions, data)
    return EmergencyDetector(rules), problems


def contraction_problems(contractions: dict[str, str], data: object) -> list[Problem]:
    """A CONTRACTIONS key must be one or two words and its value one word: the joined
    reading replaces a word or a pair of words by one word, nothing else."""
    problems = []
    for typed, meant in contractions.items():
        line = line_of(data, ["contractions", typed])
        if not 1 <= len(fold(typed).split()) <= 2:
            problems.append(
                Problem(
                    EMERGENCY_FILE,
                    line,
                    f"contractions: {typed!r} must be one or two words typed out "
                    "(like 'cannot' or 'will not'); it is not used",
                )
            )
        elif len(fold(meant).split()) != 1:
            problems.append(
                Problem(
                    EMERGENCY_FILE,
                    line,
                    f"contractions: {typed!r} must be read as one word (like 'cant'), "
                    f"not {meant!r}; it is not used",
                )
            )
    return problems
