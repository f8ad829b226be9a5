"""Staff-only commands and notices: /reload, /stats, /unmatched, /reports, problem reports.

Admin commands answer only the people listed in ADMIN_USER_IDS, inside the chats listed in
ADMIN_CHAT_IDS; for anyone else they fall through to the normal unknown-command reply, and
they are not in the command menu.
Notices to admins carry a service id, a reason, counts or file problems: never who
sent a message, and never what they wrote (unmatched questions are scrubbed first).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, filters

from bot.config import Settings
from bot.reply import Language, ProblemReport, Reply
from bot.reports import reason_name
from bot.resources import Resources, load_resources
from bot.semantic import SemanticSettings
from bot.staff.reload import Outcome, Reloader
from bot.tg import render
from bot.tg.context import BotData, Context, TgApplication
from bot.tg.texts import Catalog

logger = logging.getLogger(__name__)

MAX_PROBLEMS_SHOWN = 30
STATS_DAYS = 7
UNMATCHED_SHOWN = 25


def admin_only(settings: Settings) -> filters.BaseFilter:
    """New messages from a person in ADMIN_USER_IDS inside a chat in ADMIN_CHAT_IDS (nobody
    when either is empty: being in a staff group is not enough)."""
    return (
        filters.UpdateType.MESSAGE
        & filters.Chat(chat_id=settings.admin_chat_ids)
        & filters.User(user_id=settings.admin_user_ids)
    )


def add_admin_handlers(application: TgApplication, settings: Settings) -> None:
    """Register the admin commands; call before the unknown-command handler."""
    only = admin_only(settings)
    application.add_handler(CommandHandler("reload", reload_command, filters=only))
    application.add_handler(CommandHandler("stats", show_stats, filters=only))
    application.add_handler(CommandHandler("unmatched", show_unmatched, filters=only))
    application.add_handler(CommandHandler("reports", show_reports, filters=only))


# Sending ------------------------------------------------------------------------------


async def send_text(bot: Bot, chat_id: int, text: str) -> None:
    """Send plain ``text`` (escaped, split at 4,096 characters) to one chat."""
    for chunk in render.html_chunks(Reply(text, "en", "admin")):
        await bot.send_message(chat_id, chunk)


async def notify_admins(bot: Bot, settings: Settings, text: str) -> None:
    """Send ``text`` to every admin chat; a chat that fails does not stop the others."""
    for chat_id in settings.admin_chat_ids:
        try:
            await send_text(bot, chat_id, text)
        except TelegramError as exc:
            logger.warning("could not notify an admin chat: %s", type(exc).__name__)


async def _answer(update: Update, text: str) -> None:
    if update.effective_chat is not None:
        await send_text(update.get_bot(), update.effective_chat.id, text)


def _text(catalog: Catalog, lang: Language, key: str, **values: object) -> str:
    return catalog.message(key, lang, **{name: str(value) for name, value in values.items()})


def staff_text(data: BotData, key: str, **values: object) -> str:
    """The ui.yaml text ``staff_*`` of the set served now, in DEFAULT_LANGUAGE: one
    language for the whole staff team (notices go to admin chats, not to one person)."""
    return _text(data.dialogue.kb, data.settings.default_language, key, **values)


# Reload -------------------------------------------------------------------------------


def reloader_for(data: BotData) -> Reloader | None:
    """The bot's reloader, created on first use; None when it serves no resource set."""
    root = data.resources.root
    if data.reloader is None and root is not None:
        settings = data.settings
        semantic = getattr(data.dialogue, "semantic", None)  # outlives a reload, as alerts do
        load = functools.partial(
            _load_with_semantic,
            default_region=settings.default_region,
            semantic=semantic.settings if semantic is not None else None,
        )
        data.reloader = Reloader(root, load, interval_s=settings.resources_poll_seconds or 3.0)
    return data.reloader


def _load_with_semantic(
    root: Path, *, default_region: str, semantic: SemanticSettings | None
) -> Resources:
    """The edited set, consulting the sentence model as the one it replaces did (its
    examples' vectors are loaded in the background at the first message that needs them;
    from the cache when the examples did not change)."""
    return load_resources(root, default_region=default_region).with_semantic(semantic)


def outcome_text(outcome: Outcome, catalog: Catalog, lang: Language) -> str:
    """What staff read after a reload: a summary, or every problem as ``file:line: message``."""
    if outcome.resources is None:
        problems = [str(p) for p in outcome.problems]
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > len(shown):
            more = len(problems) - len(shown)
            shown.append(_text(catalog, lang, "staff_reload_more", count=more))
        return "\n".join([_text(catalog, lang, "staff_reload_refused"), *shown])
    resources = outcome.resources
    services = len(resources.locator.services) if resources.locator is not None else 0
    warnings = len(resources.warnings)
    key = "staff_reloaded_warnings" if warnings else "staff_reloaded"
    intents = len(resources.kb.intents)
    return _text(catalog, lang, key, intents=intents, services=services, warnings=warnings)


async def apply_outcome(data: BotData, bot: Bot, outcome: Outcome) -> None:
    """Swap a good set in (sessions survive); tell the admins either way."""
    if outcome.resources is not None:
        data.swap(outcome.resources)
        logger.info("resources reloaded")
        if data.alerts is not None:
            data.alerts.wake()  # a new alert file goes out now, not at the next scan
    else:
        logger.warning("resources reload refused: %d problem(s)", len(outcome.problems))
    # After a swap these are the new set's texts.
    notice = outcome_text(outcome, data.dialogue.kb, data.settings.default_language)
    await notify_admins(bot, data.settings, notice)


async def reload_command(update: Update, context: Context) -> None:
    """Reload the resources now; report the result to the admin chats."""
    data = context.bot_data
    reloader = reloader_for(data)
    if reloader is None:
        await _answer(update, staff_text(data, "staff_reload_unavailable"))
        return
    # The outcome goes to every admin chat, this one included.
    await apply_outcome(data, context.bot, await reloader.reload())


# Problem reports -----------------------------------------------------------------


async def file_report(context: Context, report: ProblemReport) -> None:
    """Store a "report a problem" and tell the admins: service id and reason only."""
    service_id, reason = report.service_id, report.reason
    data = context.bot_data
    number = data.staff.add_report(service_id, reason) if data.staff is not None else None
    name = ""
    locator = data.dialogue.locator
    if locator is not None:
        service = locator.services.get(service_id)
        name = f" ({service.name})" if service is not None else ""
    lang = data.settings.default_language
    facts = {
        "service": service_id,
        "name": name,
        "reason": reason_name(data.dialogue.kb, reason, lang),
    }
    notice = (
        staff_text(data, "staff_report_notice", number=number, **facts)
        if number is not None
        else staff_text(data, "staff_report_notice_unstored", **facts)
    )
    await notify_admins(context.bot, data.settings, notice)


# Admin commands -----------------------------------------------------------------------


async def show_stats(update: Update, context: Context) -> None:
    """Questions answered per intent per day, last 7 days (counts only)."""
    data = context.bot_data
    store = data.staff
    if store is None:
        await _answer(update, staff_text(data, "staff_no_database"))
        return
    days = store.intent_counts(STATS_DAYS)
    if not days:
        await _answer(update, staff_text(data, "staff_stats_none", days=STATS_DAYS))
        return
    lines = [staff_text(data, "staff_stats_title", days=STATS_DAYS)]
    for day, counts in days.items():
        total = sum(n for _, n in counts)
        lines.append("")
        lines.append(f"{day.isoformat()}: {total}")
        lines.extend(f"  {intent}: {n}" for intent, n in counts)
    await _answer(update, "\n".join(lines))


async def show_unmatched(update: Update, context: Context) -> None:
    """The most frequent questions the bot did not understand (when UNMATCHED_LOG is on)."""
    data = context.bot_data
    store = data.staff
    if store is None:
        await _answer(update, staff_text(data, "staff_no_database"))
        return
    top = store.top_unmatched(UNMATCHED_SHOWN)
    lines = []
    if not data.settings.unmatched_log:
        lines.append(staff_text(data, "staff_unmatched_off"))
    if top:
        lines.append(staff_text(data, "staff_unmatched_title", days=data.settings.unmatched_days))
        lines.extend(f"{count}× {text}" for text, count in top)
    elif data.settings.unmatched_log:
        lines.append(staff_text(data, "staff_unmatched_none"))
    await _answer(update, "\n".join(lines))


async def show_reports(update: Update, context: Context) -> None:
    """List open reports; ``/reports close <n>`` closes one."""
    data = context.bot_data
    store = data.staff
    if store is None:
        await _answer(update, staff_text(data, "staff_no_database"))
        return
    args = context.args or []
    if args[:1] == ["close"]:
        if len(args) != 2 or not args[1].lstrip("#").isdigit():
            await _answer(update, staff_text(data, "staff_reports_usage"))
            return
        number = int(args[1].lstrip("#"))
        closed = store.close_report(number)
        key = "staff_report_closed" if closed else "staff_report_not_open"
        await _answer(update, staff_text(data, key, number=number))
        return
    reports = store.open_reports()
    if not reports:
        await _answer(update, staff_text(data, "staff_reports_none"))
        return
    lang = data.settings.default_language
    lines = [staff_text(data, "staff_reports_title")]
    lines.extend(
        f"#{r.number} {r.created.isoformat()} {r.service_id}: "
        f"{reason_name(data.dialogue.kb, r.reason, lang)}"
        for r in reports
    )
    await _answer(update, "\n".join(lines))
