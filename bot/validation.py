"""What ``hrbot validate`` reports: loading errors and warnings, stale directory entries,
alert files, and the checks that need the live matcher (staff ``tests:`` phrases, example
conflicts, and the content checks of ``bot.content_checks``).

Validation imports loading (``bot.resources``), never the reverse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.alerts import read_alert_files, regions_by_id
from bot.content_checks import unkept_promise_problems, unlisted_phone_problems
from bot.matcher import decide
from bot.resources import Resources, load_resources
from bot.session import Session
from bot.yamlsource import Problem, ResourceError


def phrase_problems(resources: Resources) -> list[Problem]:
    """Errors for test phrases that answer another intent; warnings for example conflicts."""
    kb = resources.kb
    problems = unlisted_phone_problems(kb) + unkept_promise_problems(kb, resources.analyzer)
    for intent in kb.intents.values():
        file, line = kb.locations.get(intent.id, ("intents/", 1))
        for lang, phrase in intent.tests.all():
            session = Session(language=lang)
            reply = resources.dialogue.respond(phrase, session)
            got = reply.intent
            if intent.id == "emergency" and not reply.emergency:
                problems.append(
                    Problem(
                        file,
                        line,
                        f"{intent.id}: test phrase '{phrase}' was not recognised as an emergency",
                    )
                )
            elif intent.id != "emergency" and reply.emergency:
                problems.append(
                    Problem(
                        file, line, f"{intent.id}: test phrase '{phrase}' is taken for an emergency"
                    )
                )
            elif got != intent.id and intent.id != "emergency":
                problems.append(
                    Problem(
                        file, line, f"{intent.id}: test phrase '{phrase}' matched '{got}' instead"
                    )
                )
        for lang, phrase in intent.examples.all():
            analysis = resources.analyzer.analyse(phrase, correct=False, lang=lang)
            ranked = resources.matcher.rank(analysis, lexical=True, lang=lang)
            decision = decide(ranked, resources.matcher.tuning, lang)
            if ranked and ranked[0].intent != intent.id:
                problems.append(
                    Problem(
                        file,
                        line,
                        f"{intent.id}: example '{phrase}' matches '{ranked[0].intent}' better "
                        "than its own intent (conflict)",
                        "warning",
                    )
                )
            elif decision.intent is None and ranked:
                problems.append(
                    Problem(
                        file,
                        line,
                        f"{intent.id}: example '{phrase}' is too close to "
                        f"'{ranked[1].intent if len(ranked) > 1 else '?'}' to be answered "
                        "(conflict)",
                        "warning",
                    )
                )
    return problems


def check_resources(
    root: Path, *, stale_days: int = 365, today: dt.date | None = None
) -> list[Problem]:
    """Every error and warning for a resource set, including staff test phrases."""
    try:
        resources = load_resources(root, today=today, stale_days=stale_days)
    except ResourceError as exc:
        return exc.problems + exc.warnings + read_alert_files(root, None)[1]
    problems = list(resources.warnings)
    if resources.locator is not None:
        problems += resources.locator.warnings
    problems += phrase_problems(resources)
    regions = regions_by_id(resources.locator.regions) if resources.locator is not None else None
    problems += read_alert_files(root, regions)[1]
    return problems
