"""Turns raw text into the words the matcher compares: folded, de-stretched, slang expanded,
typos corrected against the knowledge base's own vocabulary, then stemmed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.reply import Language
from bot.text import fold, stem, unstretch

MIN_TYPO_LEN = 5
TYPO_CUTOFF = 80.0  # rapidfuzz ratio for words of 6+ letters: about one slip in five
SHORT_TYPO_CUTOFF = 85.0  # short words: one inserted or dropped letter at most
_CONSONANTS = frozenset("bcdfghklmnpqrstvwxz")
# Verb and adjective endings, longest first ("-erait" before "-ait"), folded.
_DERIVED = frozenset({"eur", "eurs", "euse", "euses", "ement"})
_FRENCH_ENDINGS = (
    *("eraient", "erions", "eriez", "erais", "erait", "erons", "eront", "aient", "ement"),
    *("euses", "ions", "iez", "ais", "ait", "ant", "ent", "ons", "eur", "eurs", "euse"),
    *("erai", "eras", "erez", "era", "ees", "ez", "er", "es", "ee", "ir", "is", "it", "e", "s"),
)


@dataclass(frozen=True, slots=True)
class Analysis:
    """A message as the matcher sees it."""

    words: tuple[str, ...]  # folded words after slang and typo correction
    stems: tuple[str, ...]  # content stems (stop words removed)

    @property
    def text(self) -> str:
        """The corrected words joined by spaces."""
        return " ".join(self.words)


class Analyzer:
    """Normalises text the same way for knowledge-base phrases and user messages."""

    def __init__(
        self,
        synonyms: Mapping[str, Iterable[str]],
        stopwords: Mapping[Language, Iterable[str]],
        vocabulary: Iterable[str] = (),
        common_words: Iterable[str] = (),
    ) -> None:
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in synonyms.items():
            target = tuple(fold(canonical).split())
            for variant in variants:
                key = tuple(fold(variant).split())
                if key and key != target:
                    self._phrases[key] = target
        self._longest = max((len(k) for k in self._phrases), default=1)
        self._heads = frozenset(k[0] for k in self._phrases)  # words that start a variant
        self._stop_by_lang = {
            lang: frozenset(fold(w) for w in words) for lang, words in stopwords.items()
        }
        self._stop = frozenset().union(*self._stop_by_lang.values())
        # Real words the corrector must leave alone even though the knowledge base
        # never uses them ("infection" is not a typo of "injection").
        self._common = frozenset(common_words)
        self._everyday = self._common | self._stop  # for the unmatched-question scrubber
        vocab = {w for phrase in self._phrases for w in phrase}
        vocab |= {w for target in self._phrases.values() for w in target}
        self._vocab: set[str] = vocab
        self._by_length: dict[int, list[str]] = {}
        self.extend_vocabulary(vocabulary)
        self._correct = lru_cache(maxsize=20_000)(self._correct_uncached)

    def __getstate__(self) -> dict[str, object]:
        # The per-instance memo is a speed-up, not state: pickle (bot.rescache) without it.
        state = dict(self.__dict__)
        del state["_correct"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._correct = lru_cache(maxsize=20_000)(self._correct_uncached)

    def extend_vocabulary(self, words: Iterable[str]) -> None:
        """Teach the typo corrector more known words (the knowledge base's own)."""
        for word in words:
            for w in fold(word).split():
                self._vocab.add(w)
        self._by_length = {}
        # Sorted: extractOne keeps the first of equally close candidates, and a set's order
        # changes with every process's hash seed (one message was corrected two ways).
        for w in sorted(self._vocab):
            if len(w) >= MIN_TYPO_LEN - 1:
                self._by_length.setdefault(len(w), []).append(w)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every word the corrector knows."""
        return frozenset(self._vocab)

    @property
    def everyday_words(self) -> frozenset[str]:
        """The frequent-word lists and the stop words of both languages (folded)."""
        return self._everyday

    @property
    def stopwords(self) -> frozenset[str]:
        """The stop words of both languages (folded)."""
        return self._stop

    def analyse(
        self,
        text: str,
        correct: bool = True,
        lang: Language | None = None,
        folded: Sequence[str] | None = None,
    ) -> Analysis:
        """Fold, fix and expand ``text``; ``correct=False`` for trusted knowledge-base text.

        With ``lang`` only that language's stop words are dropped (English "son" is not
        French "son"); without it, both languages' are. ``folded`` is ``fold(text).split()``
        when the caller already has it.
        """
        joined = fold(text) if folded is None else " ".join(folded)
        raw = joined.split() if folded is None else list(folded)
        if "j" in joined:  # only a word starting with "j" can have lost its "'" ("jveux")
            raw = [part for word in raw for part in self._unclitic(word)]
        words = [self._fix(w, lang) for w in raw] if correct else raw
        words = self._expand(words)
        stop = self._stop_by_lang.get(lang, self._stop) if lang else self._stop
        stems = tuple(stem(w) for w in words if w not in stop)
        return Analysis(tuple(words), stems)

    def _unclitic(self, word: str) -> tuple[str, ...]:
        """Quebec chat drops the apostrophe of "j'": "jveux" -> "j veux" (no French word
        starts with j and a consonant), when the rest is a word we know."""
        if len(word) > 2 and word[0] == "j" and word[1] in _CONSONANTS:
            rest = word[1:]
            if rest in self._vocab or rest in self._common:
                return ("j", rest)
        return (word,)

    def _fix(self, word: str, lang: Language | None = None) -> str:
        if word in self._vocab or word in self._common or word.isdigit():
            return word
        for candidate in unstretch(word):
            if candidate in self._vocab or candidate in self._common:
                return candidate
        word = unstretch(word)[0]
        if len(word) < MIN_TYPO_LEN:
            return word
        return self._correct(word, lang != "en")

    def _lemmas(self, word: str) -> frozenset[str]:
        """The everyday French words ``word`` may be a conjugated or derived form of
        ("fumais": "fumer"; "regrettera": "regretter"). Everyday words only: the knowledge
        base's vocabulary also holds misspellings ("fentanil")."""
        found: set[str] = set()
        for ending in _FRENCH_ENDINGS:
            root = word[: -len(ending)]
            if word.endswith(ending) and len(root) >= 3:
                # A derived noun is another word than its verb ("piqueur" is not "piquer").
                kind = "noun:" if ending in _DERIVED else ""
                found.update(
                    kind + lemma
                    for lemma in (root + "er", root + "ir", root + "re", root + "e")
                    if lemma in self._common
                )
        return frozenset(found)

    def _correct_uncached(self, word: str, french: bool) -> str:
        found = self._closest(word)
        if french and found != word:
            # A form of a French word is no typo of another word, however close the letters
            # ("fumais" is not "fais", "paniquée" not "piquée", "piquerait" not "piquerie");
            # another form of the same word is fine ("regretterait" -> "regrettera").
            lemmas = self._lemmas(word)
            if lemmas and not lemmas & self._lemmas(found):
                return word
        return found

    def _closest(self, word: str) -> str:
        candidates: list[str] = []
        for length in range(len(word) - 2, len(word) + 3):
            candidates.extend(self._by_length.get(length, ()))
        # Typos rarely change the first letter; requiring it stops "shot" -> "hot".
        candidates = [c for c in candidates if c[0] == word[0]]
        cutoff = TYPO_CUTOFF if len(word) > 5 else SHORT_TYPO_CUTOFF
        found = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff)
        return found[0] if found else word

    def _expand(self, words: list[str]) -> list[str]:
        if self._heads.isdisjoint(words):
            return words  # most texts: no slang to expand, so no word-by-word walk
        out: list[str] = []
        i = 0
        while i < len(words):
            if words[i] not in self._heads:
                out.append(words[i])
                i += 1
                continue
            for size in range(min(self._longest, len(words) - i), 0, -1):
                target = self._phrases.get(tuple(words[i : i + size]))
                if target is not None:
                    out.extend(target)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out
