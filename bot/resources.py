"""Loading the whole resource set (knowledge base, emergency phrases, service directory)
as one validated, immutable unit, so a reload can swap it in atomically.

Loading refuses what cannot be served; the deeper checks ``hrbot validate`` runs (staff
test phrases, stale dates, alert files) live in ``bot.validation``, which imports this
module, never the reverse."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from bot.analyzer import Analyzer
from bot.crisis import load_crisis
from bot.dialogue import Dialogue
from bot.emergency import EmergencyDetector, load_emergency
from bot.families import load_families
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.language import LanguageGuesser, from_word_lists
from bot.layout import BUNDLED, CATEGORIES_FILE
from bot.locator import Locator
from bot.matcher import Matcher
from bot.reply import Language
from bot.text import FOLDS, fold
from bot.wordlists import WORD_LISTS, read_word_list, word_list_files
from bot.yamlsource import PARSED, Problem, ResourceError

if TYPE_CHECKING:  # at run time only the bot with a store hands alerts in
    from bot.alerts import AlertBoard
    from bot.semantic import SemanticSettings


def default_resources_dir() -> Path:
    """The resources bundled with the package or checkout (RESOURCES_DIR is read by
    ``bot.config``, which the commands consult first)."""
    return BUNDLED


@dataclass(frozen=True, slots=True)
class Resources:
    """One validated resource set and the objects built from it."""

    root: Path
    kb: KnowledgeBase
    analyzer: Analyzer
    matcher: Matcher
    emergency: EmergencyDetector
    locator: Locator | None
    dialogue: Dialogue
    warnings: tuple[Problem, ...]

    def with_alerts(self, alerts: AlertBoard | None) -> Resources:
        """The same set, its dialogue answering "any alerts?" from ``alerts``."""
        return dataclasses.replace(self, dialogue=self.dialogue.with_alerts(alerts))

    def with_semantic(self, settings: SemanticSettings | None) -> Resources:
        """The same set, its dialogue consulting the sentence model (None: lexical only)."""
        return dataclasses.replace(self, dialogue=self.dialogue.with_semantic(settings))


def load_common_words(root: Path) -> list[str]:
    """The everyday words of ``words/common-*.txt``; raise ResourceError if unreadable."""
    return [word for _, word in load_common_words_by_language(root)]


def load_common_words_by_language(root: Path) -> list[tuple[str, str]]:
    """``(language, word)`` from ``words/common-<language>.txt``, most frequent first."""
    common: list[tuple[str, str]] = []
    for path in word_list_files(root):
        lang = path.stem.removeprefix("common-")
        try:
            words = read_word_list(path)
        except (OSError, UnicodeDecodeError):
            raise ResourceError(
                [
                    Problem(
                        f"words/{path.name}",
                        1,
                        "cannot read this word list as UTF-8 text; "
                        "rebuild it with scripts/build_wordlist.py",
                    )
                ]
            ) from None
        common.extend(zip(repeat(lang), words))
    return common


def build_analyzer(
    kb: KnowledgeBase, emergency: EmergencyDetector | None, common: list[str] | None = None
) -> Analyzer:
    """An analyzer that knows every word the knowledge base and emergency phrases use."""
    lex = kb.lexicon
    if common is None:
        common = load_common_words(kb.root)
    stopwords: dict[Language, tuple[str, ...]] = {"en": lex.stopwords.en, "fr": lex.stopwords.fr}
    analyzer = Analyzer(lex.synonyms, stopwords, common_words=common)
    words: list[str] = []
    for intent in kb.intents.values():
        for _, phrase in intent.examples.all() + intent.keywords.all():
            words.extend(fold(phrase).split())
    if emergency is not None:
        for phrase in emergency.phrases():
            words.extend(fold(phrase).split())
    analyzer.extend_vocabulary(dict.fromkeys(words))  # each word once (they repeat ~7x)
    return analyzer


def build_language_guesser(kb: KnowledgeBase, common: list[tuple[str, str]]) -> LanguageGuesser:
    """The frequent-word lists, plus the words only one language's examples use."""
    guesser = from_word_lists(common)
    used: dict[Language, set[str]] = {"en": set(), "fr": set()}
    for intent in kb.intents.values():
        for lang, phrase in intent.examples.all():
            used[lang].update(fold(phrase).split())
    guesser.teach("fr", used["fr"], used["en"])
    guesser.teach("en", used["en"], used["fr"])
    return guesser


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A load builds ~10^5 objects that outlive it and makes no garbage cycles: the cyclic
    collector's ~200 passes over them were ~15% of the load. It sees them again after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The builders below fold the same text, and the locator parses the same files, more than
# once: within one load each is done once (bot.memo).
@FOLDS.active()
@PARSED.active()
@WORD_LISTS.active()
@_collector_paused()
def load_resources(
    root: Path | None = None,
    *,
    default_region: str | None = None,
    today: dt.date | None = None,
    alerts: AlertBoard | None = None,
    stale_days: int = 365,
) -> Resources:
    """Load and validate everything under ``root``; raise ResourceError listing all errors.

    Directory entries verified more than ``stale_days`` ago are warnings."""
    root = root or default_resources_dir()
    if not root.is_dir():
        raise ResourceError([Problem(str(root), 1, "resources directory does not exist")])
    kb, problems = load_knowledge(root)
    emergency, found = load_emergency(root)
    problems += found
    crisis, found = load_crisis(root)
    problems += found
    families, found = load_families(root, kb.intents if kb is not None else ())
    problems += found
    locator: Locator | None = None
    locator_warnings: list[Problem] = []
    if (root / CATEGORIES_FILE).exists():
        try:
            locator = Locator.load(
                root, today=today, default_region=default_region, stale_days=stale_days
            )
            locator_warnings = list(locator.warnings)
        except ResourceError as exc:
            problems += exc.problems
            locator_warnings = exc.warnings
    errors = [p for p in problems if p.severity == "error"]
    if errors or kb is None or emergency is None:
        raise ResourceError(errors or problems, locator_warnings)
    common = load_common_words_by_language(kb.root)
    analyzer = build_analyzer(kb, emergency, [word for _, word in common])
    matcher = Matcher(kb.intents, analyzer)
    if crisis is not None:
        analyzer.extend_vocabulary(crisis.phrases())
    dialogue = Dialogue(
        kb,
        analyzer,
        matcher,
        emergency,
        locator,
        language=build_language_guesser(kb, common),
        crisis=crisis,
        families=families,
        alerts=alerts,
    )
    warnings = tuple(p for p in problems if p.severity == "warning")
    return Resources(root, kb, analyzer, matcher, emergency, locator, dialogue, warnings)
