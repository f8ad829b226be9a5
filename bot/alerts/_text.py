"""The words of an alert as people receive it, in English and French (plain text).

The words are ui.yaml's ``alert_*`` messages (staff-editable, checked by hrbot validate);
this module puts them together with the region's local times and numbers.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Protocol

from bot.alerts._models import Alert, AlertRegion, Progress
from bot.knowledge import load_knowledge
from bot.reply import Language


class Texts(Protocol):
    """Where the words come from: ui.yaml's ``alert_*`` messages (a ``KnowledgeBase``)."""

    def message(self, key: str, lang: Language, **values: str) -> str:
        """The text for ``key`` in ``lang`` with ``{placeholders}`` filled."""
        ...


@functools.cache
def bundled_texts() -> Texts:
    """The texts shipped in resources/ui.yaml, for an alert service given none (tests,
    tools); the bot passes the resource set it serves, so staff edits apply on reload."""
    from bot.resources import default_resources_dir  # here: bot.resources imports bot.alerts

    kb, problems = load_knowledge(default_resources_dir())
    if kb is None:
        raise RuntimeError(f"the bundled ui.yaml cannot be read: {problems[:1]}")
    return kb


# Time and number formats stay in code; every word of an alert is in ui.yaml.
def local_time(moment: dt.datetime, region: AlertRegion | None, lang: Language) -> str:
    """``moment`` as the region's wall-clock time: ``2026-05-02 14:00 PDT`` / ``14 h 00``."""
    local = moment.astimezone(region.tz) if region is not None else moment
    zone = local.strftime("%Z")
    clock = local.strftime("%H h %M") if lang == "fr" else local.strftime("%H:%M")
    return f"{local:%Y-%m-%d} {clock} {zone}".strip()


def number(value: int, lang: Language) -> str:
    """``1,200`` in English, ``1 200`` in French."""
    text = f"{value:,}"
    return text.replace(",", "\u00a0") if lang == "fr" else text


def format_alert(alert: Alert, lang: Language, region: AlertRegion | None, texts: Texts) -> str:
    """The full alert message for a subscriber reading ``lang``."""
    text, used = alert.text(lang)
    lines = [
        texts.message("alert_title", lang, region=region.name(lang) if region else alert.region)
    ]
    if used != lang:
        lines.append(texts.message("alert_other_language", lang))
    lines += [
        text,
        "",
        texts.message("alert_advice", lang),
        "",
        texts.message(
            "alert_issued",
            lang,
            issued=local_time(alert.issued_at, region, lang),
            expires=local_time(alert.expires_at, region, lang),
        ),
        texts.message("alert_footer", lang),
    ]
    return "\n".join(lines)


def format_current(
    alerts: Sequence[Alert], lang: Language, region: AlertRegion | None, texts: Texts
) -> str:
    """A short list of the current alerts for one region (at least one alert)."""
    lines = [texts.message("alert_current", lang, region=region.name(lang) if region else "")]
    for alert in alerts:
        text, _ = alert.text(lang)
        lines.append(
            texts.message(
                "alert_current_item",
                lang,
                issued=local_time(alert.issued_at, region, lang),
                text=" ".join(text.split()),
                expires=local_time(alert.expires_at, region, lang),
            )
        )
    lines += [
        "",
        texts.message("alert_advice", lang),
        "",
        texts.message("alert_subscribe_hint", lang),
    ]
    return "\n".join(lines)


def format_progress(
    progress: Progress, lang: Language, region: AlertRegion | None, texts: Texts
) -> str:
    """What the publishing staff member sees while the alert goes out, and at the end."""
    values = {
        "region": region.name(lang) if region else progress.alert_id,
        "handled": number(progress.handled, lang),
        "total": number(progress.total, lang),
        "sent": number(progress.sent, lang),
        "failed": number(progress.failed, lang),
        "blocked": number(progress.blocked, lang),
        "skipped": number(progress.skipped, lang),
    }
    key = "alert_progress_done" if progress.done else "alert_progress_sending"
    return texts.message(key, lang, **values)
