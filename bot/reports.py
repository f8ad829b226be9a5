"""The "report a problem" conversation: which service, then what is wrong.

Plain replies for every front end. The chosen report travels in ``Reply.report`` so the
front end can store it and tell staff; nothing about who pressed the button is part of it.
"""

from __future__ import annotations

from bot.actions import Reason, button
from bot.locator import Locator
from bot.reply import Language, ProblemReport, Reply

INTENT = "report"
# Reason code -> (English, French) button labels. Codes are short: they go in button data.
REASONS: dict[str, tuple[str, str]] = {
    "closed": ("It is closed", "C'est fermé"),
    "hours": ("Wrong hours", "Mauvaises heures"),
    "address": ("Wrong address or phone", "Mauvaise adresse ou téléphone"),
    "other": ("Something else", "Autre chose"),
}
# What staff read in the admin chat and in /reports.
REASON_NAMES = {
    "closed": "closed",
    "hours": "wrong hours",
    "address": "wrong address or phone",
    "other": "other",
}
_T: dict[str, tuple[str, str]] = {
    "which": ("What is wrong with {name}?", "Qu'est-ce qui ne va pas avec {name}?"),
    "thanks": (
        "Thank you. Our team will check {name}. Your report does not include who you are.",
        "Merci. Notre équipe va vérifier {name}. Votre signalement ne dit pas qui vous êtes.",
    ),
}

def _t(key: str, lang: Language, **values: object) -> str:
    en, fr = _T[key]
    return (fr if lang == "fr" else en).format(**values)


def report_reply(locator: Locator, service_id: str, lang: Language) -> Reply | None:
    """Ask what is wrong with a service; None if the service is unknown."""
    service = locator.services.get(service_id)
    if service is None:
        return None
    buttons = tuple(
        button(fr if lang == "fr" else en, Reason(service_id, code))
        for code, (en, fr) in REASONS.items()
    )
    return Reply(_t("which", lang, name=service.name), lang, INTENT, buttons=buttons)


def reason_reply(locator: Locator, service_id: str, code: str, lang: Language) -> Reply | None:
    """Thank the user for reporting ``code`` about a service; None if either is unknown."""
    service = locator.services.get(service_id)
    if service is None or code not in REASONS:
        return None
    return Reply(_t("thanks", lang, name=service.name), lang, INTENT,
                 report=ProblemReport(service_id, code))
