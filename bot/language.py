"""Which language a message is written in, English or French, from the message alone.

A French message must get a French answer however short ("narcan svp", "où en trouver"),
and a conversation that switches language follows the message. Each word votes: function
words (strongly), accents (French), and how much more frequent the word is in one
language's frequent-word list than in the other's. Words neither language claims
("naloxone", "qwertyuiop") do not vote, so the conversation's language stands.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from bot.reply import Language
from bot.text import MAX_CHARS, fold

MARKER_VOTE = 2.0  # a function word ("je", "the") outweighs any frequency hint
ACCENT_VOTE = 2.0  # "où", "réveille": accents are French here
MAX_FREQUENCY_VOTE = 1.5  # a word 4.5x likelier in one list; capped so no rare word decides
MIN_FREQUENCY_VOTE = 0.7  # below this the word is shared (site, cocaine) and stays silent
KB_VOTE = 1.0  # a word only one language's knowledge-base examples use ("surdose", "how")
DECIDE = 1.0  # total evidence needed to switch away from the conversation's language
_UNRANKED = 40_000.0  # rank given to a word outside a list (the lists hold ~22,000 words)
_ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœ]")

# Function words and chat words only one of the two languages uses.
FR_MARKERS = frozenset(
    (
        "je",
        "j",
        "tu",
        "il",
        "elle",
        "nous",
        "vous",
        "ils",
        "elles",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "au",
        "aux",
        "et",
        "est",
        "sont",
        "pas",
        "ne",
        "plus",
        "quoi",
        "que",
        "qui",
        "ou",
        "comment",
        "pourquoi",
        "quand",
        "combien",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "son",
        "sa",
        "avec",
        "pour",
        "dans",
        "sur",
        "chez",
        "svp",
        "stp",
        "merci",
        "bonjour",
        "bonsoir",
        "salut",
        "allo",
        "oui",
        "faire",
        "fait",
        "peut",
        "peux",
        "suis",
        "etre",
        "avoir",
        "ai",
        "quelqu",
        "quelque",
        "ca",
        "c",
        "qu",
        "moi",
        "toi",
        "lui",
        "leur",
        "mais",
        "donc",
        "aussi",
        "tres",
        "sans",
        "veux",
        "faut",
        "pis",
        "chu",
        "jsuis",
        "tsé",
        "tse",
        "ben",
        "cest",
        "jai",
        "jpeux",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "ce",
        "cette",
        "y",
        "en",
        "se",
        "si",
        "trop",
        "bcp",
        "rien",
        "encore",
        "ami",
        "amie",
        "chum",
        "blonde",
        "aide",
        "aidez",
        "loi",
        "bon",
        "mal",
        "pu",
        "non",
        "gars",
        "fille",
        "mere",
        "pere",
        # What French elisions leave once folded ("l'antidote" -> "l antidote").
        "l",
        "d",
        "n",
        "m",
        "s",
        "t",
    )
)
EN_MARKERS = frozenset(
    (
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "the",
        "an",
        "and",
        "is",
        "are",
        "not",
        "no",
        "what",
        "how",
        "why",
        "where",
        "when",
        "who",
        "my",
        "your",
        "his",
        "her",
        "with",
        "for",
        "in",
        "at",
        "to",
        "of",
        "do",
        "does",
        "did",
        "can",
        "cant",
        "wont",
        "dont",
        "get",
        "got",
        "need",
        "help",
        "please",
        "thanks",
        "thank",
        "hi",
        "hello",
        "hey",
        "yes",
        "im",
        "hes",
        "shes",
        "its",
        "there",
        "this",
        "that",
        "sup",
        "tysm",
        "thx",
        "ty",
        "pls",
        "plz",
        "u",
        "ur",
        "omg",
        "wtf",
        "whats",
        "wheres",
        "hows",
        "should",
        "would",
        "could",
        "be",
        "was",
        "were",
        "have",
        "has",
        "any",
        "some",
        "from",
        "about",
        "or",
        "if",
        "so",
        "up",
    )
)


class LanguageGuesser:
    """Tells English from French per message; built once per resource set."""

    def __init__(self, english: Sequence[str] = (), french: Sequence[str] = ()) -> None:
        # The lists are ordered by frequency, so a word's rank stands in for its frequency.
        en_rank = {w: i + 1 for i, w in enumerate(english)}
        fr_rank = {w: i + 1 for i, w in enumerate(french)}
        # One pass over each list, not their union: ~45,000 words, a tenth of the load.
        ratios = [(w, math.log(r / fr_rank.get(w, _UNRANKED))) for w, r in en_rank.items()]
        ratios += [(w, math.log(_UNRANKED / r)) for w, r in fr_rank.items() if w not in en_rank]
        votes = {
            word: max(-MAX_FREQUENCY_VOTE, min(MAX_FREQUENCY_VOTE, ratio))
            for word, ratio in ratios
            if abs(ratio) >= MIN_FREQUENCY_VOTE
        }
        # Positive votes say French. Markers override the frequency lists.
        for word in FR_MARKERS:
            votes[word] = MARKER_VOTE
        for word in EN_MARKERS:
            votes[word] = -MARKER_VOTE if word not in FR_MARKERS else 0.0
        self._votes = votes

    def teach(self, lang: Language, words: Iterable[str], other: Iterable[str]) -> None:
        """Let words that only ``lang``'s example phrases use vote, unless they already do."""
        vote = KB_VOTE if lang == "fr" else -KB_VOTE
        for word in set(words) - set(other):
            if len(word) > 2 and not word.isdigit():
                self._votes.setdefault(word, vote)

    def evidence(self, text: str) -> float:
        """Positive when the message reads French, negative when English, 0 when silent."""
        total = 0.0
        for raw in text[:MAX_CHARS].lower().split():
            words, accented = _token(raw)
            for word in words:
                total += self._votes.get(word, 0.0)
            if accented:
                total += ACCENT_VOTE
        return total

    def detect(self, text: str, fallback: Language) -> Language:
        """The message's language; ``fallback`` (the conversation's) when it does not say."""
        evidence = self.evidence(text)
        if evidence >= DECIDE:
            return "fr"
        if evidence <= -DECIDE:
            return "en"
        return fallback


@lru_cache(maxsize=50_000)
def _token(raw: str) -> tuple[tuple[str, ...], bool]:
    """One whitespace-separated token: its folded words, and whether it has an accent.
    Kept: the same few thousand words come back in every conversation."""
    accented = bool(_ACCENTED.search(unicodedata.normalize("NFC", raw)))
    return tuple(fold(raw).split()), accented


def from_word_lists(common: Iterable[tuple[str, str]]) -> LanguageGuesser:
    """A guesser from ``(language, word)`` pairs in frequency order per language."""
    english: list[str] = []
    french: list[str] = []
    for lang, word in common:
        (french if lang == "fr" else english).append(word)
    return LanguageGuesser(english, french)
