"""Wire the Telegram Application: builder, handlers in order, error handler, command menu."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode, UpdateType
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.resources import Resources
from bot.tg import admin, alerts, handlers, texts
from bot.tg.budget_limiter import BudgetLimiter
from bot.tg.context import BotData, Context, context_types
from bot.tg.replicas import Shared
from bot.tg.retry import RetryingLimiter

logger = logging.getLogger(__name__)

TgApplication = Application[Any, Context, dict[Any, Any], dict[Any, Any], BotData, Any]

# Edited messages are never delivered (and ignored if they were).
ALLOWED_UPDATES = [UpdateType.MESSAGE, UpdateType.CALLBACK_QUERY, UpdateType.INLINE_QUERY]

# Command -> the dialogue topic it opens.
TOPIC_COMMANDS = {
    "help": "help",
    "naloxone": "naloxone_about",
    "signs": "overdose_signs",
    "sites": "consumption_sites",
    "near": "find_services",
}


def build_application(
    settings: Settings,
    dialogue: Resources | Dialogue,
    *,
    polling: bool = True,
    retrying: RetryingLimiter | None = None,
    shared: Shared | None = None,
) -> TgApplication:
    """The Application for ``settings``; ``polling=False`` builds it without an Updater.

    With ``shared`` (REDIS_URL), the send budget and the updates are shared with the
    other replicas."""
    pacing: BaseRateLimiter[Any] | None = None
    if settings.rate_limit:
        # Retries are RetryingLimiter's job, so AIORateLimiter only paces.
        pacing = BudgetLimiter(shared.budget) if shared else AIORateLimiter(max_retries=0)
    limiter = retrying or RetryingLimiter(pacing)
    builder = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .context_types(context_types(settings, dialogue))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(limiter)
        # One user's flood-control wait must not hold up another user's emergency.
        .concurrent_updates(shared.processor if shared else True)
    )
    if not polling:
        builder = builder.updater(None)
    application: TgApplication = builder.build()
    if shared is not None:
        shared.bind(application.bot_data)
    add_handlers(application)
    return application


def add_handlers(application: TgApplication) -> None:
    """Register every handler; order matters: the first matching handler wins."""
    new = filters.UpdateType.MESSAGE  # edited messages are ignored
    private = filters.ChatType.PRIVATE

    application.add_handler(CommandHandler("start", handlers.start, filters=new))
    for command, intent in TOPIC_COMMANDS.items():
        application.add_handler(
            CommandHandler(command, handlers.show_topic(intent), filters=new)
        )
    application.add_handler(CommandHandler("lang", handlers.choose_language, filters=new))
    application.add_handler(CommandHandler("privacy", handlers.show_privacy, filters=new))
    application.add_handler(CommandHandler("forget", handlers.forget, filters=new))
    # Staff commands answer admin chats only; others fall through to the next handler.
    admin.add_admin_handlers(application, application.bot_data.settings)
    # /alerts, /stop, staff /alert; its staff text capture must precede the free-text handler.
    alerts.add_alert_handlers(application)
    # An unknown command in a private chat still deserves an answer: what the bot can do.
    application.add_handler(
        MessageHandler(new & private & filters.COMMAND, handlers.show_topic("help"))
    )

    # The big /start buttons send their label; they exist only in private chats.
    labels = [label for key in texts.KEYBOARD for label in (key.en, key.fr)]
    application.add_handler(
        MessageHandler(new & private & filters.Text(labels), handlers.open_keyboard_topic)
    )
    application.add_handler(
        MessageHandler(new & filters.TEXT & ~filters.COMMAND, handlers.answer_text)
    )
    # A venue message carries its location too.
    application.add_handler(
        MessageHandler(new & (filters.LOCATION | filters.VENUE), handlers.answer_location)
    )
    application.add_handler(CallbackQueryHandler(handlers.press_button))
    application.add_handler(InlineQueryHandler(handlers.answer_inline))

    application.add_error_handler(handlers.report_error)


async def publish_commands(application: TgApplication) -> None:
    """Set the command menu in English (the default) and French."""
    for language_code in (None, "fr"):
        commands = [
            BotCommand(name, fr if language_code == "fr" else en)
            for name, (en, fr) in texts.COMMANDS.items()
        ]
        try:
            await application.bot.set_my_commands(commands, language_code=language_code)
        except TelegramError as exc:
            # The menu is a convenience; the bot answers without it.
            logger.warning("could not set the command menu: %s", type(exc).__name__)


