"""Content checks for staff: phone numbers nobody listed, and examples the answer ignores.

Both are warnings (``hrbot validate --strict`` turns them into failures):
- an answer, protocol or interface text names a phone number that is in no helpline or
  region file, so nobody recorded where it came from or when it was checked;
- an intent's example phrases keep asking about a word its answer never mentions: the bot
  then answers those questions confidently and off-target ("examples keep their promises").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.knowledge import NO_SOURCE_INTENTS
from bot.layout import HELPLINES_FILE, PROTOCOLS_FILE, REGIONS_DIR, UI_FILE
from bot.reply import LANGUAGES, Language
from bot.yamlsource import Problem

if TYPE_CHECKING:
    from bot.analyzer import Analyzer
    from bot.knowledge import KnowledgeBase

EMERGENCY_NUMBERS = frozenset({"911"})  # universal; Nunavut's exception is stated in answers
_KEYPAD = {
    c: d
    for d, letters in {
        "2": "ABC",
        "3": "DEF",
        "4": "GHI",
        "5": "JKL",
        "6": "MNO",
        "7": "PQRS",
        "8": "TUV",
        "9": "WXYZ",
    }.items()
    for c in letters
}
_PHONES = re.compile(
    r"(?<![\w-])(?:"
    r"1-8\d\d-[A-Z]{4,7}(?:-[A-Z]{1,3})?"  # vanity: 1-844-POISON-X
    r"|(?:1[-. ])?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}"  # 1-800-668-6868, 604 555 0100
    r"|\d{3}-\d{4}"  # 310-6789
    r"|\d-\d-\d"  # 9-8-8, 8-1-1
    r"|\d{5,6}"  # text short codes: 686868
    r")(?![\w-])"
)
MIN_EXAMPLES = 3  # a word must come back in this many examples to count as a promise
MAX_INTENTS = 2  # ...and be this specific: used by the examples of at most this many intents
MIN_STEM = 4  # shorter stems are mostly function words ("has", "way")
SAME_WORD = 5  # stems sharing this many first letters are one word (pharmacy / pharmacies)
SHOWN = 4  # words named per warning
# Words that say who is asking or how, never what the answer must cover.
NOT_PROMISES = frozenset(
    {
        "anymor",
        "anyon",
        "anyth",
        "everyth",
        "someth",
        "nobody",
        "someon",
        "somebody",
        "myself",
        "yourself",
        "themselv",
        "didnt",
        "dont",
        "cant",
        "wont",
        "isnt",
        "doesnt",
        "wasnt",
        "really",
        "actually",
        "still",
        "again",
        "brother",
        "sister",
        "husband",
        "wife",
        "partner",
        "boyfriend",
        "girlfriend",
        "daughter",
        "mother",
        "father",
        "friend",
        "cousin",
        "nephew",
        "niece",
        "roommat",
        "famil",
        "parent",
        "enfant",
        "frer",
        "soeur",
        "fille",
        "fils",
        "mere",
        "pere",
        "chum",
        "blonde",
        "conjoint",
        "ami",
        "amie",
        "quelqu",
        "rien",
        "person",
        "gen",
        "monde",
    }
)


def phone_numbers(text: str) -> Iterator[tuple[str, str]]:
    """(as written, digits) for every phone-like number in ``text``."""
    for match in _PHONES.finditer(text):
        written = match.group(0)
        digits = "".join(_KEYPAD.get(c, c) for c in written.upper() if c.isalnum())
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        yield written, digits


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, int):
        yield str(node)


def known_numbers(root: Path) -> frozenset[str]:
    """Every number written anywhere in helplines.yaml and regions/*.yaml."""
    files = [root / HELPLINES_FILE, *sorted((root / REGIONS_DIR).glob("*.yaml"))]
    numbers: set[str] = set(EMERGENCY_NUMBERS)
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # the loader already reports broken files with their line
        for text in _strings(data):
            numbers.update(digits for _, digits in phone_numbers(text))
    return frozenset(numbers)


def _texts(kb: KnowledgeBase) -> Iterator[tuple[str, int, str, str]]:
    """(file, line, what, text) for everything the bot can say."""
    for intent in kb.intents.values():
        file, line = kb.locations.get(intent.id, ("intents/", 1))
        for lang in LANGUAGES:
            yield file, line, intent.id, intent.answer.get(lang)
            if intent.followup is not None:
                yield file, line, f"{intent.id} follow-up", intent.followup.get(lang)
    for name, protocol in kb.protocols.items():
        for lang in LANGUAGES:
            yield PROTOCOLS_FILE, 1, f"protocol {name}", protocol.get(lang)
    for key, message in kb.messages.items():
        for lang in LANGUAGES:
            yield UI_FILE, 1, f"message {key}", message.get(lang)


def unlisted_phone_problems(kb: KnowledgeBase) -> list[Problem]:
    """Warn once per (text, number) for numbers no helpline or region file lists."""
    known = known_numbers(kb.root)
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for file, line, what, text in _texts(kb):
        for written, digits in phone_numbers(text):
            if digits in known or (what, digits) in seen:
                continue
            seen.add((what, digits))
            problems.append(
                Problem(
                    file,
                    line,
                    f"{what}: the answer mentions {written}, which is in no helpline or region "
                    "file: add it to helplines.yaml or the region with its source, or fix it",
                    "warning",
                )
            )
    return problems


def _stems(analyzer: Analyzer, text: str, lang: Language) -> frozenset[str]:
    return frozenset(analyzer.analyse(text, correct=False, lang=lang).stems)


def unkept_promise_problems(kb: KnowledgeBase, analyzer: Analyzer) -> list[Problem]:
    """Warn when several examples of an intent use a specific word its answer never uses."""
    protocols = {lang: " ".join(p.get(lang) for p in kb.protocols.values()) for lang in LANGUAGES}
    examples: dict[tuple[str, Language], list[tuple[str, frozenset[str]]]] = defaultdict(list)
    spread: Counter[str] = Counter()
    for intent in kb.intents.values():
        bag: set[str] = set()
        for lang, phrase in intent.examples.all():
            stems = _stems(analyzer, phrase, lang)
            examples[(intent.id, lang)].append((phrase, stems))
            bag |= stems
        spread.update(bag)
    problems: list[Problem] = []
    for intent in kb.intents.values():
        if intent.id in NO_SOURCE_INTENTS:
            continue  # small talk and the fallback promise no content
        file, line = kb.locations.get(intent.id, ("intents/", 1))
        for lang in LANGUAGES:
            said = intent.answer.get(lang) + " " + intent.title.get(lang)
            if "{protocol}" in said:
                said += " " + protocols[lang]
            covered = _stems(analyzer, said, lang)
            problems += _promises(
                intent.id, lang, examples[(intent.id, lang)], covered, spread, file, line
            )
    return problems


def _promises(
    intent_id: str,
    lang: Language,
    phrases: Iterable[tuple[str, frozenset[str]]],
    covered: frozenset[str],
    spread: Counter[str],
    file: str,
    line: int,
) -> list[Problem]:
    asked: Counter[str] = Counter()
    first: dict[str, str] = {}
    prefixes = {c[:SAME_WORD] for c in covered}
    for phrase, stems in phrases:
        for s in stems - covered:
            if (
                len(s) >= MIN_STEM
                and s not in NOT_PROMISES
                and spread[s] <= MAX_INTENTS
                and s[:SAME_WORD] not in prefixes
            ):
                asked[s] += 1
                first.setdefault(s, phrase)
    unkept = sorted(
        (s for s, n in asked.items() if n >= MIN_EXAMPLES), key=lambda s: (-asked[s], s)
    )
    if not unkept:
        return []
    words = ", ".join(f"'{s}' ({asked[s]} examples, e.g. '{first[s]}')" for s in unkept[:SHOWN])
    more = f" and {len(unkept) - SHOWN} more" if len(unkept) > SHOWN else ""
    return [
        Problem(
            file,
            line,
            f"{intent_id} ({lang}): examples ask about {words}{more}, but the answer never "
            "mentions it: add a line to the answer, or move those examples to the intent "
            "that answers them",
            "warning",
        )
    ]
