"""The knowledge base: intents, slang lexicon and interface texts, loaded from YAML.

Layout under the resources directory:
- ``intents/*.yaml``: ``intents:`` list of Intent records (see ``Intent``).
- ``lexicon.yaml``: ``synonyms:`` canonical word -> slang/misspellings, and ``stopwords``.
- ``emergency.yaml``: phrases that signal an overdose happening now (see ``bot.emergency``).
- ``ui.yaml``: ``messages:`` interface texts per language (fallback, welcome, ...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator

from bot.layout import INTENTS_DIR, LEXICON_FILE, PROTOCOLS_FILE, UI_FILE
from bot.models import Bilingual, SourceUrls, Strict
from bot.reply import LANGUAGES, Language
from bot.yamlsource import (
    LineDict,
    Problem,
    ResourceError,
    line_of,
    load_yaml,
    read_model,
    validate_model,
)

IntentId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]

REQUIRED_INTENTS = (
    "emergency",
    "overdose_response",
    "naloxone_about",
    "naloxone_use",
    "naloxone_get",
    "overdose_signs",
    "stimulant_overdose",
    "benzos_xylazine",
    "fentanyl_about",
    "drug_checking",
    "consumption_sites",
    "good_samaritan",
    "treatment",
    "crisis_support",
    "using_alone",
    "safer_use",
    "family_support",
    "find_services",
    "greeting",
    "thanks",
    "help",
    "out_of_scope",
)
# The urgent topics a conversation can stay in (bot.thread); only they say a ``followup``
# (without one, the answer is said again).
THREAD_INTENTS = frozenset(
    {"emergency", "crisis_support", "accidental_ingestion", "stimulant_overdose"}
)
# Small-talk intents state no health fact, so they need no source.
NO_SOURCE_INTENTS = frozenset({"greeting", "thanks", "help", "out_of_scope", "find_services"})


class PhrasesPerLanguage(Strict):
    """Phrases per language; either list may be empty but not both (checked by the intent)."""

    en: tuple[Phrase, ...] = ()
    fr: tuple[Phrase, ...] = ()

    def get(self, lang: Language) -> tuple[str, ...]:
        """The phrases in ``lang``."""
        return self.fr if lang == "fr" else self.en

    def all(self) -> tuple[tuple[Language, str], ...]:
        """Every phrase with its language."""
        return tuple(("en", p) for p in self.en) + tuple(("fr", p) for p in self.fr)


# The empty default of optional phrase lists, made without validation: calling
# PhrasesPerLanguage() here would build its pydantic schema on import, which a warm
# `hrbot ask` (it never validates) would pay for at every start-up.
NO_PHRASES = PhrasesPerLanguage.model_construct()


class Intent(Strict):
    """A topic the bot can answer."""

    id: IntentId
    title: Bilingual
    examples: PhrasesPerLanguage
    keywords: PhrasesPerLanguage = NO_PHRASES
    answer: Bilingual
    # What the bot says when a conversation in this topic's thread goes on with a message
    # that names nothing else ("still nothing", "je sais pas"); bot.thread. Only the
    # urgent topics (THREAD_INTENTS) have threads; the answer is repeated when it is absent.
    followup: Bilingual | None = None
    related: tuple[IntentId, ...] = ()
    services: tuple[str, ...] = ()
    source: SourceUrls = ()
    verified: dt.date | None = None
    tests: PhrasesPerLanguage = NO_PHRASES

    @field_validator("examples")
    @classmethod
    def _some_examples(cls, value: PhrasesPerLanguage) -> PhrasesPerLanguage:
        if not value.en or not value.fr:
            raise ValueError("examples need at least one English (en) and one French (fr) phrase")
        return value


class Lexicon(Strict):
    """Slang, abbreviations and common misspellings mapped to a canonical word."""

    synonyms: dict[str, tuple[Phrase, ...]] = Field(default_factory=dict)
    stopwords: PhrasesPerLanguage = NO_PHRASES


class Protocol(Bilingual):
    """Overdose-response steps a region teaches (SAVE ME, 5 steps...), in both languages."""

    source: SourceUrls
    verified: dt.date


class ProtocolFile(Strict):
    """``protocols.yaml``."""

    protocols: dict[str, Protocol]


class Messages(Strict):
    """Interface texts; every key must exist in both languages."""

    messages: dict[str, Bilingual]


UI_KEYS = (
    "fallback",
    "did_you_mean",
    "empty",
    "too_long",
    "welcome",
    "privacy",
    "forget_done",
    "lang_set",
    "stale_button",
    "error",
    "find_nearest",
    "near_prompt",
    "no_directory",
    "help_text",
    "some_topics",
    "call_911",
    "slow_down",
    "media_unreadable",
    "report_which",
    "report_thanks",
    "report_reason_closed",
    "report_reason_hours",
    "report_reason_address",
    "report_reason_other",
    # The Telegram adapter's (bot/tg/texts.py): keyboard, command menu, location, groups.
    "keyboard_emergency",
    "keyboard_naloxone_get",
    "keyboard_find_services",
    "keyboard_overdose_signs",
    "keyboard_crisis_support",
    "command_help",
    "command_naloxone",
    "command_signs",
    "command_sites",
    "command_near",
    "command_lang",
    "command_alerts",
    "command_stop",
    "command_privacy",
    "command_forget",
    "group_location",
    "open_private",
    "share_location",
    "location_placeholder",
    "choose_language",
    # Drug-supply alerts: the /alerts menu, the message subscribers get, the staff wizard.
    "alerts_menu",
    "alerts_subscribed",
    "alerts_none",
    "alerts_kept",
    "alerts_stop_all",
    "alerts_on",
    "alerts_off",
    "alerts_stopped",
    "alerts_not_subscribed",
    "alerts_unavailable",
    "alerts_no_regions",
    "alert_title",
    "alert_advice",
    "alert_issued",
    "alert_other_language",
    "alert_footer",
    "alert_current",
    "alert_current_item",
    "alert_subscribe_hint",
    "alert_pick_region",
    "alert_pick_expiry",
    "alert_hours",
    "alert_days",
    "alert_type_en",
    "alert_type_fr",
    "alert_placeholder",
    "alert_need_text",
    "alert_too_long",
    "alert_preview",
    "alert_send",
    "alert_cancel",
    "alert_cancelled",
    "alert_queued",
    "alert_duplicate",
    "alert_expired_draft",
    "alert_admin_migrated",
    "alert_progress_sending",
    "alert_progress_done",
    # Staff only (bot/tg/staff_commands.py): /reload, /stats, /unmatched, /reports, notices.
    "staff_no_database",
    "staff_reload_refused",
    "staff_reload_more",
    "staff_reloaded",
    "staff_reloaded_warnings",
    "staff_reload_unavailable",
    "staff_report_notice",
    "staff_report_notice_unstored",
    "staff_reason_closed",
    "staff_reason_hours",
    "staff_reason_address",
    "staff_reason_other",
    "staff_stats_none",
    "staff_stats_title",
    "staff_unmatched_off",
    "staff_unmatched_title",
    "staff_unmatched_none",
    "staff_reports_usage",
    "staff_report_closed",
    "staff_report_not_open",
    "staff_reports_none",
    "staff_reports_title",
)
# The {placeholders} the code fills in; a text may use these and no others.
UI_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "lang_set": frozenset({"language"}),
    "group_location": frozenset({"link"}),
    "report_which": frozenset({"name"}),
    "report_thanks": frozenset({"name"}),
    "alerts_subscribed": frozenset({"regions"}),
    "alerts_on": frozenset({"region"}),
    "alerts_off": frozenset({"region"}),
    "alert_title": frozenset({"region"}),
    "alert_issued": frozenset({"expires", "issued"}),
    "alert_current": frozenset({"region"}),
    "alert_current_item": frozenset({"expires", "issued", "text"}),
    "alert_pick_expiry": frozenset({"region"}),
    "alert_hours": frozenset({"hours"}),
    "alert_days": frozenset({"days"}),
    "alert_too_long": frozenset({"length", "limit"}),
    "alert_preview": frozenset({"count", "region"}),
    "alert_queued": frozenset({"count"}),
    "alert_admin_migrated": frozenset({"chat_id"}),
    "alert_progress_sending": frozenset({"handled", "region", "total"}),
    "alert_progress_done": frozenset({"blocked", "failed", "region", "sent", "skipped"}),
    "staff_reload_more": frozenset({"count"}),
    "staff_reloaded": frozenset({"intents", "services", "warnings"}),
    "staff_reloaded_warnings": frozenset({"intents", "services", "warnings"}),
    "staff_report_notice": frozenset({"name", "number", "reason", "service"}),
    "staff_report_notice_unstored": frozenset({"name", "reason", "service"}),
    "staff_stats_none": frozenset({"days"}),
    "staff_stats_title": frozenset({"days"}),
    "staff_unmatched_title": frozenset({"days"}),
    "staff_report_closed": frozenset({"number"}),
    "staff_report_not_open": frozenset({"number"}),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything the matcher and dialogue need, validated."""

    intents: Mapping[str, Intent]
    lexicon: Lexicon
    messages: Mapping[str, Bilingual]
    root: Path
    locations: Mapping[str, tuple[str, int]]  # intent id -> (file, line), for staff messages
    protocols: Mapping[str, Protocol]

    def message(self, key: str, lang: Language, **values: str) -> str:
        """An interface text in ``lang`` with ``{placeholders}`` filled."""
        text = self.messages[key].get(lang)
        return text.format(**values) if values else text


def _intent_fields() -> list[str]:
    return list(Intent.model_fields)


def load_knowledge(root: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Load and validate the knowledge base under ``root``; never raises for bad content."""
    problems: list[Problem] = []
    intents: dict[str, Intent] = {}
    where: dict[str, tuple[str, int]] = {}
    intent_dir = root / INTENTS_DIR
    files = sorted(intent_dir.glob("*.yaml")) if intent_dir.is_dir() else []
    if not files:
        problems.append(Problem("intents/", 1, "no intent files found (expected intents/*.yaml)"))
    for path in files:
        name = f"intents/{path.name}"
        try:
            data = load_yaml(path, root)
        except ResourceError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(data, LineDict) or "intents" not in data:
            problems.append(Problem(name, 1, "file must start with 'intents:' followed by a list"))
            continue
        raw_list = data["intents"]
        if not isinstance(raw_list, list):
            problems.append(Problem(name, line_of(data, ["intents"]), "'intents' must be a list"))
            continue
        for index, raw in enumerate(raw_list):
            line = line_of(data, ["intents", index])
            intent, found = validate_model(Intent, raw, name, _intent_fields())
            # Re-anchor lines: validate_model saw the item, not the whole file.
            problems.extend(
                Problem(p.file, max(p.line, line), p.message, p.severity) for p in found
            )
            if intent is None:
                continue
            if intent.id in intents:
                first = where[intent.id]
                problems.append(
                    Problem(
                        name,
                        line,
                        f"duplicate intent id '{intent.id}' (first in {first[0]}:{first[1]})",
                    )
                )
                continue
            intents[intent.id] = intent
            where[intent.id] = (name, line)
    problems.extend(_check_intents(intents, where))

    lexicon = _load_single(root, LEXICON_FILE, Lexicon, problems) or Lexicon()
    ui = _load_single(root, UI_FILE, Messages, problems)
    messages: dict[str, Bilingual] = dict(ui.messages) if ui else {}
    protocol_file = _load_single(root, PROTOCOLS_FILE, ProtocolFile, problems)
    protocols: dict[str, Protocol] = dict(protocol_file.protocols) if protocol_file else {}
    for intent in intents.values():
        if "{protocol}" in intent.answer.en + intent.answer.fr and not protocols:
            file, line = where[intent.id]
            problems.append(
                Problem(
                    file,
                    line,
                    f"{intent.id}: the answer shows {{protocol}} but protocols.yaml defines none",
                )
            )
    if ui is not None:
        for key in UI_KEYS:
            if key not in messages:
                problems.append(Problem(UI_FILE, 1, f"missing message '{key}'"))
        problems += _placeholder_problems(messages)
    if any(p.severity == "error" for p in problems):
        return None, problems
    kb = KnowledgeBase(intents, lexicon, messages, root, where, protocols)
    return kb, problems


def _placeholder_problems(messages: Mapping[str, Bilingual]) -> list[Problem]:
    """A ``{placeholder}`` the code does not fill would show raw (or fail) in a reply."""
    problems = []
    for key in UI_KEYS:
        text = messages.get(key)
        if text is None:
            continue
        allowed = UI_PLACEHOLDERS.get(key, frozenset())
        used = {lang: set(_PLACEHOLDER.findall(text.get(lang))) for lang in LANGUAGES}
        for lang in LANGUAGES:
            for name in sorted(used[lang] - allowed):
                problems.append(
                    Problem(
                        UI_FILE,
                        1,
                        f"message '{key}' ({lang}) has an unknown "
                        f"placeholder {{{name}}}; "
                        + (
                            "it may use " + ", ".join(f"{{{n}}}" for n in sorted(allowed))
                            if allowed
                            else "it takes none"
                        ),
                    )
                )
        for name in sorted((used["en"] ^ used["fr"]) & allowed):
            problems.append(
                Problem(
                    UI_FILE,
                    1,
                    f"message '{key}' uses {{{name}}} in one language only; keep it in both",
                    "warning",
                )
            )
    return problems


def _load_single(root: Path, file: str, model: Any, problems: list[Problem]) -> Any:
    path = root / file
    if not path.exists():
        problems.append(Problem(file, 1, "file is missing"))
        return None
    return read_model(path, root, model, problems)


def _check_intents(
    intents: Mapping[str, Intent], where: Mapping[str, tuple[str, int]]
) -> list[Problem]:
    problems: list[Problem] = []
    today = dt.date.today()
    for required in REQUIRED_INTENTS:
        if required not in intents and required != "out_of_scope":
            problems.append(Problem("intents/", 1, f"required intent '{required}' is missing"))
    for intent in intents.values():
        file, line = where[intent.id]
        for rel in intent.related:
            if rel not in intents:
                problems.append(
                    Problem(file, line, f"{intent.id}: related intent '{rel}' does not exist")
                )
        if intent.followup is not None and any(
            "911" not in intent.followup.get(lang).strip().split("\n", 1)[0] for lang in LANGUAGES
        ):
            problems.append(
                Problem(
                    file,
                    line,
                    f"{intent.id}: 'followup' must start with the call to 911 in both languages "
                    "(someone in an emergency reads its first line)",
                )
            )
        if intent.followup is not None and intent.id not in THREAD_INTENTS:
            problems.append(
                Problem(
                    file,
                    line,
                    f"{intent.id}: 'followup' is only said in a conversation about "
                    f"{' or '.join(sorted(THREAD_INTENTS))}; here it is never shown",
                    severity="warning",
                )
            )
        if intent.id not in NO_SOURCE_INTENTS and (not intent.source or intent.verified is None):
            problems.append(
                Problem(file, line, f"{intent.id}: a health answer needs 'source' and 'verified'")
            )
        if intent.verified and intent.verified > today:
            problems.append(
                Problem(
                    file, line, f"{intent.id}: 'verified' date {intent.verified} is in the future"
                )
            )
    return problems


__all__ = ["LANGUAGES", "KnowledgeBase", "load_knowledge"]
