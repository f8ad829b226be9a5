"""Wire the Telegram Application: builder, handlers in order, error handler, command menu."""

from __future__ import annotations

import dataclasses
import logging

from telegram import BotCommand, Message
from telegram.constants import ParseMode, UpdateType
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.reply import Language
from bot.tg import alert_menu, alert_wizard, handlers, staff_commands, texts, triage
from bot.tg.budget import LocalRateBudget, RateBudget
from bot.tg.context import BotData, Served, TgApplication, context_types
from bot.tg.fairness import FairUpdateProcessor, FloodGate
from bot.tg.kept import KeptLinkPreviewOptions
from bot.tg.lifecycle import Services
from bot.tg.limiter import PriorityLimiter
from bot.tg.replicas import Shared, SharedStateProcessor
from bot.tg.retry import RetryingLimiter

logger = logging.getLogger(__name__)

# Edited messages are never delivered (and ignored if they were). my_chat_member tells
# the bot it was blocked or removed (then alerts to that chat stop).
ALLOWED_UPDATES = [
    UpdateType.MESSAGE,
    UpdateType.CALLBACK_QUERY,
    UpdateType.INLINE_QUERY,
    UpdateType.MY_CHAT_MEMBER,
]
# What the bot cannot read: one short reply saying so (captions are answered as text).
MEDIA = (
    filters.VOICE
    | filters.VIDEO_NOTE
    | filters.Sticker.ALL
    | filters.PHOTO
    | filters.Document.ALL
    | filters.VIDEO
    | filters.AUDIO
    | filters.ANIMATION
)

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
    resources: Served,
    *,
    polling: bool = True,
    retrying: RetryingLimiter | None = None,
    budget: RateBudget | None = None,
    request: BaseRequest | None = None,
    shared: Shared | None = None,
    services: Services | None = None,
) -> TgApplication:
    """The Application for ``settings``; ``polling=False`` builds it without an Updater.

    ``budget`` is the outgoing rate budget (default: this process's own, or with
    ``shared`` (REDIS_URL) the one all replicas share); ``retrying`` replaces the whole
    send path (tests pass one without pacing); ``request`` replaces the network (tests
    and benchmarks pass the fake Bot API's in-process one). ``services`` says how the
    long-lived services are opened (default: from the settings); they open in
    ``post_init`` and close in ``post_shutdown`` (enter ``bot.tg.lifecycle.running``).
    """
    budget = budget or (shared.budget if shared else None)
    limiter = retrying or RetryingLimiter(
        PriorityLimiter(budget or LocalRateBudget()) if settings.rate_limit else None
    )
    flood = FloodGate(*settings.flood_limit) if settings.flood_limit else None
    # With REDIS_URL: the same scheduling, each chat's state loaded and saved around it.
    processor = shared.processor(flood) if shared else FairUpdateProcessor(flood=flood)
    services = services or Services()
    if shared is not None and services.pace is None:
        services = dataclasses.replace(services, pace=shared.pace())
    builder = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .context_types(context_types(settings, resources))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                # Every message carries it: serialised once (bot.tg.kept).
                link_preview_options=KeptLinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(limiter)
        # Emergencies first, chats in turn, floods cut short (bot.tg.fairness).
        .concurrent_updates(processor)
        .post_init(services.open)
        .post_stop(services.stop)
        .post_shutdown(services.close)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if not polling:
        builder = builder.updater(None)
    application: TgApplication = builder.build()
    data = application.bot_data
    if isinstance(processor, SharedStateProcessor):
        processor.bind(data)
    processor.triage = lambda update: triage.ticket_for(data, application.bot, update)

    async def slow_down(update: object) -> None:
        await handlers.slow_down(update, data, application.bot)

    processor.slow_down = slow_down
    add_handlers(application)
    return application


class KeyboardLabel(filters.MessageFilter):
    """A message that is one of the /start keyboard's labels, as ui.yaml has them now."""

    def __init__(self, data: BotData) -> None:
        super().__init__(name="KeyboardLabel")
        self._data = data
        self._labels: tuple[object, set[str]] = (None, set())

    def filter(self, message: Message) -> bool:
        """True for the exact text of a keyboard button (as the texts are now: reloads)."""
        catalog = self._data.dialogue.kb
        if self._labels[0] is not catalog:
            # Rebuilt only when a reload brought new texts, not for every message.
            self._labels = (catalog, texts.keyboard_labels(catalog))
        return message.text in self._labels[1]


def add_handlers(application: TgApplication) -> None:
    """Register every handler; order matters: the first matching handler wins.

    Messages that are not commands come first: nearly every update is one, and no command
    passes their filters (``~filters.COMMAND``, or no text at all), so checking them before
    the twenty command handlers changes no answer, only the work per text message.
    """
    new = filters.UpdateType.MESSAGE  # edited messages are ignored
    private = filters.ChatType.PRIVATE
    not_command = ~filters.COMMAND

    # The staff /alert wizard's typed text must precede the free-text handler.
    alert_wizard.add_text_capture(application)
    # The big /start buttons send their label; they exist only in private chats.
    keyboard = KeyboardLabel(application.bot_data)
    application.add_handler(
        MessageHandler(keyboard & new & private & not_command, handlers.open_keyboard_topic)
    )
    application.add_handler(MessageHandler(new & filters.TEXT & not_command, handlers.answer_text))
    # A photo, video or file with a caption is answered like text.
    application.add_handler(
        MessageHandler(new & filters.CAPTION & not_command, handlers.answer_text)
    )
    # A venue message carries its location too.
    application.add_handler(
        MessageHandler(new & (filters.LOCATION | filters.VENUE), handlers.answer_location)
    )
    application.add_handler(MessageHandler(new & MEDIA, handlers.explain_media))

    application.add_handler(CommandHandler("start", handlers.start, filters=new))
    for command, intent in TOPIC_COMMANDS.items():
        application.add_handler(CommandHandler(command, handlers.show_topic(intent), filters=new))
    application.add_handler(CommandHandler("lang", handlers.choose_language, filters=new))
    application.add_handler(CommandHandler("privacy", handlers.show_privacy, filters=new))
    application.add_handler(CommandHandler("forget", handlers.forget, filters=new))
    # Staff commands answer admin chats only; others fall through to the next handler.
    staff_commands.add_admin_handlers(application, application.bot_data.settings)
    # /alerts, /stop; staff /alert and its steps.
    alert_menu.add_alert_handlers(application)
    alert_wizard.add_wizard_handlers(application)
    # An unknown command in a private chat still deserves an answer: what the bot can do.
    # (Each filter's rarest condition first.)
    application.add_handler(
        MessageHandler(filters.COMMAND & new & private, handlers.show_topic("help"))
    )

    # Chats that change: blocked or removed (alerts stop), group upgraded (alerts follow).
    application.add_handler(
        ChatMemberHandler(alert_menu.follow_membership, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(
        MessageHandler(filters.StatusUpdate.MIGRATE, alert_menu.follow_migration)
    )
    application.add_handler(CallbackQueryHandler(handlers.press_button))
    application.add_handler(InlineQueryHandler(handlers.answer_inline))

    application.add_error_handler(handlers.report_error)


async def publish_commands(application: TgApplication) -> None:
    """Set the command menu in English (the default) and French."""
    catalog = application.bot_data.dialogue.kb
    menus: tuple[tuple[str | None, Language], ...] = ((None, "en"), ("fr", "fr"))
    for language_code, lang in menus:
        commands = [
            BotCommand(name, texts.command_description(catalog, name, lang))
            for name in texts.COMMANDS
        ]
        try:
            await application.bot.set_my_commands(commands, language_code=language_code)
        except TelegramError as exc:
            # The menu is a convenience; the bot answers without it.
            logger.warning("could not set the command menu: %s", type(exc).__name__)
