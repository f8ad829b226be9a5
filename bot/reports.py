"""The "report a problem" conversation: which service, then what is wrong.

Plain replies for every front end. The chosen report travels in ``Reply.report`` so the
front end can store it and tell staff; nothing about who pressed the button is part of it.
"""

from __future__ import annotations

from bot.actions import Reason, button
from bot.knowledge import KnowledgeBase
from bot.locator import Locator
from bot.reply import Language, ProblemReport, Reply

INTENT = "report"
# Reason codes, in button order: short, since they go in button data. Their labels are
# the ui.yaml messages report_reason_<code>.
REASONS = ("closed", "hours", "address", "other")


def reason_name(kb: KnowledgeBase, reason: str, lang: Language) -> str:
    """What staff read for a reason code (ui.yaml staff_reason_<code>); an unknown code as is."""
    return kb.message(f"staff_reason_{reason}", lang) if reason in REASONS else reason


def report_reply(
    kb: KnowledgeBase, locator: Locator, service_id: str, lang: Language
) -> Reply | None:
    """Ask what is wrong with a service; None if the service is unknown."""
    service = locator.services.get(service_id)
    if service is None:
        return None
    buttons = tuple(
        button(kb.message(f"report_reason_{code}", lang), Reason(service_id, code))
        for code in REASONS
    )
    return Reply(kb.message("report_which", lang, name=service.name), lang, INTENT, buttons=buttons)


def reason_reply(
    kb: KnowledgeBase, locator: Locator, service_id: str, code: str, lang: Language
) -> Reply | None:
    """Thank the user for reporting ``code`` about a service; None if either is unknown."""
    service = locator.services.get(service_id)
    if service is None or code not in REASONS:
        return None
    return Reply(
        kb.message("report_thanks", lang, name=service.name),
        lang,
        INTENT,
        report=ProblemReport(service_id, code),
    )
