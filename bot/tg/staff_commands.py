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

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, filters

from bot.config import Settings
from bot.reply import ProblemReport, Reply
from bot.reports import REASON_NAMES
from bot.resources import Resources, load_resources
from bot.staff.reload import Outcome, Reloader
from bot.tg import render
from bot.tg.context import BotData, Context, TgApplication

logger = logging.getLogger(__name__)

MAX_PROBLEMS_SHOWN = 30
STATS_DAYS = 7
UNMATCHED_SHOWN = 25
NO_DATABASE = (
    "The staff database is not available (see DATABASE_URL or DATABASE_PATH in the bot's log)."
)


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


# Reload -------------------------------------------------------------------------------


def reloader_for(data: BotData) -> Reloader | None:
    """The bot's reloader, created on first use; None when it serves no resource set."""
    root = data.resources.root
    if data.reloader is None and root is not None:
        settings = data.settings
        load = functools.partial(load_resources, default_region=settings.default_region)
        data.reloader = Reloader(root, load, interval_s=settings.resources_poll_seconds or 3.0)
    return data.reloader


def outcome_text(outcome: Outcome) -> str:
    """What staff read after a reload: a summary, or every problem as ``file:line: message``."""
    if outcome.resources is None:
        problems = [str(p) for p in outcome.problems]
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > len(shown):
            shown.append(f"... and {len(problems) - len(shown)} more (run: hrbot validate)")
        return (
            "❌ The edited resources were NOT loaded; the bot keeps answering with the "
            "previous version. Fix these and save again (or send /reload):\n" + "\n".join(shown)
        )
    return "✅ " + summary(outcome.resources)


def summary(resources: Resources) -> str:
    """One line about a loaded set."""
    services = len(resources.locator.services) if resources.locator is not None else 0
    warnings = len(resources.warnings)
    text = (
        f"Resources reloaded: {len(resources.kb.intents)} intents, {services} services"
        f", {warnings} warning(s)"
    )
    return text + (" (run: hrbot validate)." if warnings else ".")


async def apply_outcome(data: BotData, bot: Bot, outcome: Outcome) -> None:
    """Swap a good set in (sessions survive); tell the admins either way."""
    if outcome.resources is not None:
        data.swap(outcome.resources)
        logger.info("resources reloaded")
        if data.alerts is not None:
            data.alerts.wake()  # a new alert file goes out now, not at the next scan
    else:
        logger.warning("resources reload refused: %d problem(s)", len(outcome.problems))
    await notify_admins(bot, data.settings, outcome_text(outcome))


async def reload_command(update: Update, context: Context) -> None:
    """Reload the resources now; report the result to the admin chats."""
    data = context.bot_data
    reloader = reloader_for(data)
    if reloader is None:
        await _answer(update, "This bot was started without a resources directory to reload.")
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
    label = f"Report #{number}" if number is not None else "Report (not stored)"
    await notify_admins(
        context.bot,
        data.settings,
        f"📝 {label}: service {service_id}{name}, {REASON_NAMES.get(reason, reason)}. "
        "Check it, fix the services file, then /reports close <number>.",
    )


# Admin commands -----------------------------------------------------------------------


async def show_stats(update: Update, context: Context) -> None:
    """Questions answered per intent per day, last 7 days (counts only)."""
    store = context.bot_data.staff
    if store is None:
        await _answer(update, NO_DATABASE)
        return
    days = store.intent_counts(STATS_DAYS)
    if not days:
        await _answer(update, f"No questions counted in the last {STATS_DAYS} days.")
        return
    lines = [f"Questions answered per topic, last {STATS_DAYS} days (counts only):"]
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
        await _answer(update, NO_DATABASE)
        return
    top = store.top_unmatched(UNMATCHED_SHOWN)
    lines = []
    if not data.settings.unmatched_log:
        lines.append("Unmatched questions are not being kept (set UNMATCHED_LOG=on).")
    if top:
        lines.append(
            f"Questions I did not understand, last {data.settings.unmatched_days} "
            "days (add them as examples to an intent):"
        )
        lines.extend(f"{count}× {text}" for text, count in top)
    elif data.settings.unmatched_log:
        lines.append("No unmatched questions kept yet.")
    await _answer(update, "\n".join(lines))


async def show_reports(update: Update, context: Context) -> None:
    """List open reports; ``/reports close <n>`` closes one."""
    store = context.bot_data.staff
    if store is None:
        await _answer(update, NO_DATABASE)
        return
    args = context.args or []
    if args[:1] == ["close"]:
        if len(args) != 2 or not args[1].lstrip("#").isdigit():
            await _answer(update, "Usage: /reports close <number>")
            return
        number = int(args[1].lstrip("#"))
        closed = store.close_report(number)
        await _answer(
            update, f"Report #{number} closed." if closed else f"There is no open report #{number}."
        )
        return
    reports = store.open_reports()
    if not reports:
        await _answer(update, "No open reports.")
        return
    lines = ["Open reports (close one with /reports close <number>):"]
    lines.extend(
        f"#{r.number} {r.created.isoformat()} {r.service_id}: "
        f"{REASON_NAMES.get(r.reason, r.reason)}"
        for r in reports
    )
    await _answer(update, "\n".join(lines))
