"""The small aiohttp servers: the webhook Telegram posts updates to, and ``/healthz``."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from telegram import Update

from bot.tg.app import TgApplication

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
# Telegram updates are small; refuse anything bigger before reading it.
MAX_BODY_BYTES = 1024 * 1024


def health_app(application: TgApplication) -> web.Application:
    """An app serving only ``/healthz``, for polling mode's container health check."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_get(HEALTH_PATH, _health_handler(application))
    return app


def webhook_app(application: TgApplication, path: str, secret: str) -> web.Application:
    """An app that queues updates posted to ``path`` with the right secret, plus ``/healthz``."""
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        """Put a genuine Telegram update on the application's queue."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            logger.warning("refused a webhook request without the right secret")
            return web.json_response({"ok": False}, status=403)
        try:
            payload = await request.json()
            update = Update.de_json(payload, application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            logger.warning("refused a webhook request that is not an update")
            return web.json_response({"ok": False}, status=400)
        await application.update_queue.put(update)
        return web.json_response({"ok": True})

    app = health_app(application)
    app.router.add_post(path, receive)
    return app


def _health_handler(
    application: TgApplication,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def healthz(request: web.Request) -> web.Response:
        """Report liveness: ok while the application is processing updates."""
        if application.running:
            return web.json_response({"status": "ok"})
        return web.json_response({"status": "stopping"}, status=503)

    return healthz
