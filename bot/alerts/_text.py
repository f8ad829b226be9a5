"""The words of an alert as people receive it, in English and French (plain text).

The advice follows the public-health wording of bad-batch alerts: check drugs, don't use
alone (NORS, 1-888-688-6677, call or text, Canada-wide), carry naloxone, go slow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from bot.alerts._models import Alert, AlertRegion, Progress
from bot.reply import Language

_EN = {
    "title": "⚠️ Drug alert: {region}",
    "advice": (
        "What to do:\n"
        "• Get your drugs checked, or use test strips.\n"
        "• Don't use alone. If you do, call or text NORS: 1-888-688-6677.\n"
        "• Carry naloxone and know how to give it.\n"
        "• Go slow: start with a small amount.\n"
        "If someone overdoses, call 911."
    ),
    "issued": "Issued {issued}. Until {expires}.",
    "other_language": "(This alert was written in French only.)",
    "footer": "/alerts: your regions · /stop: no more alerts",
    "current": "Current drug alerts for {region}:",
    "current_item": "⚠️ {issued}: {text} (until {expires})",
    "subscribe_hint": "Get alerts as they happen: /alerts",
}
_FR = {
    "title": "⚠️ Alerte drogues : {region}",
    "advice": (
        "Quoi faire :\n"
        "• Faites analyser vos drogues, ou utilisez des bandelettes de test.\n"
        "• Ne consommez pas seul·e. Sinon, appelez ou textez le NORS : 1-888-688-6677.\n"
        "• Ayez de la naloxone sur vous et sachez la donner.\n"
        "• Allez-y doucement : commencez par une petite quantité.\n"
        "En cas de surdose, appelez le 911."
    ),
    "issued": "Émise le {issued}. Valide jusqu'au {expires}.",
    "other_language": "(Cette alerte n'a été écrite qu'en anglais.)",
    "footer": "/alerts : vos régions · /stop : ne plus recevoir d'alertes",
    "current": "Alertes drogues en cours pour {region} :",
    "current_item": "⚠️ {issued} : {text} (jusqu'au {expires})",
    "subscribe_hint": "Recevez les alertes dès leur sortie : /alerts",
}
_PROGRESS_EN = {
    "sending": "Sending the alert for {region}: {handled} of {total}…",
    "done": (
        "Alert for {region} sent: {sent} delivered, {failed} failed, "
        "{blocked} blocked the bot (unsubscribed), {skipped} unsubscribed or expired meanwhile."
    ),
}
_PROGRESS_FR = {
    "sending": "Envoi de l'alerte pour {region} : {handled} sur {total}…",
    "done": (
        "Alerte pour {region} envoyée : {sent} reçues, {failed} échecs, "
        "{blocked} ont bloqué le bot (désabonnés), {skipped} désabonnés ou expirées entre-temps."
    ),
}


def _words(lang: Language) -> Mapping[str, str]:
    return _FR if lang == "fr" else _EN


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


def format_alert(alert: Alert, lang: Language, region: AlertRegion | None) -> str:
    """The full alert message for a subscriber reading ``lang``."""
    words = _words(lang)
    text, used = alert.text(lang)
    lines = [words["title"].format(region=region.name(lang) if region else alert.region)]
    if used != lang:
        lines.append(words["other_language"])
    lines += [
        text,
        "",
        words["advice"],
        "",
        words["issued"].format(
            issued=local_time(alert.issued_at, region, lang),
            expires=local_time(alert.expires_at, region, lang),
        ),
        words["footer"],
    ]
    return "\n".join(lines)


def format_current(alerts: Sequence[Alert], lang: Language, region: AlertRegion | None) -> str:
    """A short list of the current alerts for one region (at least one alert)."""
    words = _words(lang)
    lines = [words["current"].format(region=region.name(lang) if region else "")]
    for alert in alerts:
        text, _ = alert.text(lang)
        lines.append(
            words["current_item"].format(
                issued=local_time(alert.issued_at, region, lang),
                text=" ".join(text.split()),
                expires=local_time(alert.expires_at, region, lang),
            )
        )
    lines += ["", words["advice"], "", words["subscribe_hint"]]
    return "\n".join(lines)


def format_progress(progress: Progress, lang: Language, region: AlertRegion | None) -> str:
    """What the publishing staff member sees while the alert goes out, and at the end."""
    words = _PROGRESS_FR if lang == "fr" else _PROGRESS_EN
    values = {
        "region": region.name(lang) if region else progress.alert_id,
        "handled": number(progress.handled, lang),
        "total": number(progress.total, lang),
        "sent": number(progress.sent, lang),
        "failed": number(progress.failed, lang),
        "blocked": number(progress.blocked, lang),
        "skipped": number(progress.skipped, lang),
    }
    return words["done" if progress.done else "sending"].format(**values)
