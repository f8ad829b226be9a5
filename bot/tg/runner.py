"""``hrbot run``: load settings and resources, then serve Telegram until SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import signal
import sys
from collections.abc import Mapping

from telegram.error import InvalidToken, TelegramError

from bot.config import ConfigError, MissingTokenError, Settings, load_settings, read_environment
from bot.exitcodes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from bot.postgres import close_all
from bot.resources import default_resources_dir, load_resources
from bot.semantic import settings_for
from bot.shared.locks import PostgresPollingLock, RedisPollingLock
from bot.tg import webserver
from bot.tg.app import ALLOWED_UPDATES, build_application, publish_commands
from bot.tg.context import TgApplication
from bot.tg.ledger import MemoryLedger
from bot.tg.lifecycle import running
from bot.tg.quietlog import RepeatFilter
from bot.tg.replicas import Shared
from bot.tg.webserver import ServerLimits, health_app, webhook_app
from bot.yamlsource import ResourceError

logger = logging.getLogger(__name__)

PollingLock = RedisPollingLock | PostgresPollingLock

NO_TOKEN_HELP = """\
config error: TELEGRAM_BOT_TOKEN is not set.
To get a token, open Telegram, talk to @BotFather and send /newbot; then put the token in
.env as TELEGRAM_BOT_TOKEN=... (see .env.example) or in the environment.
To try the bot without Telegram, run: hrbot chat"""


def run(environ: Mapping[str, str] | None = None) -> int:
    """Run the Telegram bot; return the process exit code (0 after a clean stop, 2 on bad setup)."""
    env = read_environment() if environ is None else environ
    try:
        settings = load_settings(env)
    except MissingTokenError:
        print(NO_TOKEN_HELP, file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    root = settings.resources_dir or default_resources_dir()
    try:
        resources = load_resources(root, default_region=settings.default_region)
    except ResourceError as exc:
        print(f"resource error: {root} cannot be used:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings)
    # The sentence model loads in the background from the first message that needs it:
    # until it is ready the lexical path answers, so it delays neither the start (loading
    # at once cost /healthz ~0.2 s) nor any answer.
    semantic = settings_for(settings.semantic, settings.cache_dir, background=True)
    resources = resources.with_semantic(semantic)
    shared = Shared.open(settings)
    application = build_application(
        settings, resources, polling=settings.mode == "polling", shared=shared
    )
    try:
        asyncio.run(serve(application, settings, shared))
    except SecondPoller:
        print(
            "error: another replica is already polling for this bot. Only one may poll; "
            "run several replicas with BOT_MODE=webhook.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except InvalidToken:
        print("config error: TELEGRAM_BOT_TOKEN was refused by Telegram", file=sys.stderr)
        return EXIT_USAGE
    except TelegramError as exc:
        print(f"error: could not start talking to Telegram ({type(exc).__name__})", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"error: could not open the web server port ({exc.strerror})", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or one derived from the token so every replica agrees on it."""
    if settings.webhook_secret:
        return settings.webhook_secret.get_secret_value()
    token = settings.token.get_secret_value()
    return hashlib.sha256(f"hrbot-webhook:{token}".encode()).hexdigest()


class SecondPoller(Exception):
    """Another replica holds the polling lock."""


async def _polling_lock(settings: Settings, shared: Shared | None) -> PollingLock | None:
    """Take the one-poller lock when another replica could see it (Redis or PostgreSQL)."""
    lock: PollingLock | None = None
    if shared is not None:
        lock = RedisPollingLock(shared.redis)
    elif settings.database_url is not None:
        lock = PostgresPollingLock(settings.database_url.get_secret_value())
    if lock is None:
        return None
    try:
        taken = await lock.acquire()
    except Exception as exc:  # no lock service now: polling alone is still the safe bet
        logger.warning("could not check for another polling replica (%s)", type(exc).__name__)
        return None
    if not taken:
        raise SecondPoller
    return lock


async def serve(
    application: TgApplication, settings: Settings, shared: Shared | None = None
) -> None:
    """Serve updates (webhook or polling) and ``/healthz`` until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    lock = await _polling_lock(settings, shared) if settings.mode == "polling" else None
    try:
        await _serve(application, settings, shared, stop)
    finally:
        if lock is not None:
            await lock.release()
        if shared is not None:
            await shared.close()
        close_all()


async def _serve(
    application: TgApplication, settings: Settings, shared: Shared | None, stop: asyncio.Event
) -> None:
    limits = ServerLimits(
        header_timeout=settings.http_header_timeout,
        body_timeout=settings.http_body_timeout,
        max_connections=settings.http_max_connections,
    )
    if settings.admin_chat_ids and not settings.admin_user_ids:
        logger.warning(
            "ADMIN_USER_IDS is empty: nobody can run staff commands "
            "(ADMIN_CHAT_IDS still get notices)"
        )
    # initialize() (checks the token with getMe) and post_init (the services) ...
    # stop(), post_stop, shutdown() and post_shutdown.
    async with running(application):
        await publish_commands(application)
        if settings.mode == "webhook" and settings.webhook_url:
            secret = webhook_secret(settings)
            # Pending updates are kept: one of them may be an emergency.
            await application.bot.set_webhook(
                url=settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )
            web_app = webhook_app(
                application,
                settings.webhook_path,
                secret,
                ledger=shared.ledger if shared else MemoryLedger(),
                limits=limits,
            )
            port = settings.webhook_port
        else:
            web_app = health_app(application)
            port = settings.health_port
        await application.start()
        served = None
        try:
            served = await webserver.serve(web_app, settings.webhook_listen, port, limits)
            if application.updater is not None:
                await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            logger.info("bot running (%s mode), health check on port %d", settings.mode, port)
            await stop.wait()
            logger.info("stopping")
        finally:
            if served is not None:
                await served.cleanup()
            if application.updater is not None and application.updater.running:
                await application.updater.stop()


class _RedactingFormatter(logging.Formatter):
    """Never lets the token through, whatever a library puts in a message or traceback."""

    def __init__(self, fmt: str, token: str) -> None:
        super().__init__(fmt)
        self._token = token

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace(self._token, "[token]")


def configure_logging(settings: Settings) -> None:
    """Log to stderr at LOG_LEVEL, with library loggers held where they carry no user content."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _RedactingFormatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s", settings.token.get_secret_value()
        )
    )
    # A flood of one failure (a hostile client, a full disk) is one line a minute.
    handler.addFilter(RepeatFilter())
    level = logging.getLevelName(settings.log_level)
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx's INFO lines contain the bot token in the URL.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # PTB's DEBUG lines contain whole updates and request parameters (user messages).
    logging.getLogger("telegram").setLevel(max(level, logging.INFO))
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
