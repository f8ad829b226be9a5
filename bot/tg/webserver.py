"""The small aiohttp servers: the webhook Telegram posts updates to, and ``/healthz``.

Both face the open internet when the port is reachable, so they defend themselves:

* a connection must deliver its request headers within ``header_timeout`` of opening (or
  of its previous answer), and its body within ``body_timeout``; idle keep-alive
  connections close after ``header_timeout`` too;
* at most ``max_connections`` are open; one more closes the oldest connection that is
  not being answered (slow or idle clients lose their place, real requests keep theirs),
  and the cap stays below the process's open-file limit so accepting never fails;
* a bad request (bytes that are not UTF-8 in a header, a bogus charset, JSON nested
  thousands deep, an update the library cannot read) is a quiet 4xx, or a 200 for an
  authentic update that Telegram would otherwise resend forever; never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import resource
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from telegram import Update

from bot.tg.context import TgApplication
from bot.tg.ledger import UpdateLedger
from bot.tg.quietlog import quiet_accept_errors, quiet_http_errors

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_HEADER_RAW = SECRET_HEADER.lower().encode()
HEALTH_PATH = "/healthz"
# Telegram updates are small; refuse anything bigger before reading it.
MAX_BODY_BYTES = 1024 * 1024
# Open files kept free for everything that is not a client connection (database, the
# connections to Telegram, resource files, logs).
FD_RESERVE = 256
# Connections accepted in one go before the cap sees them: part of the open-file budget.
BACKLOG = 128


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """How long a client may take and how many may be connected at once."""

    header_timeout: float = 10.0  # also the keep-alive idle timeout
    body_timeout: float = 10.0
    max_connections: int = 500


def health_app(application: TgApplication) -> web.Application:
    """An app serving only ``/healthz``, for polling mode's container health check."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_get(HEALTH_PATH, _health_handler(application))
    return app


def webhook_app(
    application: TgApplication,
    path: str,
    secret: str,
    ledger: UpdateLedger | None = None,
    limits: ServerLimits = ServerLimits(),
) -> web.Application:
    """An app that queues updates posted to ``path`` with the right secret, plus ``/healthz``.

    With a ``ledger``, an update_id seen before (Telegram re-delivers after a timeout or
    a non-2xx answer) is acknowledged and not processed again.
    """
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        """Put a genuine Telegram update on the application's queue."""
        # Raw bytes: a header that is not UTF-8 must be refused, not crash the decoder.
        given = [v for k, v in request.raw_headers if k.lower() == _SECRET_HEADER_RAW]
        if len(given) != 1 or not hmac.compare_digest(given[0], expected):
            logger.warning("refused a webhook request without the right secret")
            return _json({"ok": False}, 403)
        try:
            async with asyncio.timeout(limits.body_timeout):
                body = await request.read()
        except TimeoutError:
            logger.warning("refused a webhook request whose body was too slow")
            return _json({"ok": False}, 408)
        payload = _parse(body)
        update_id = payload.get("update_id") if isinstance(payload, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            logger.warning("refused a webhook request that is not an update")
            return _json({"ok": False}, 400)
        if ledger is not None and not await ledger.first_time(update_id):
            logger.debug("ignored a repeated delivery of an update")
            return _json({"ok": True}, 200)
        try:
            update = Update.de_json(payload, application.bot)
        except Exception as exc:  # the library raises many kinds for odd but authentic updates
            # 200, or Telegram would re-deliver it forever and hold up the updates behind it.
            logger.warning("ignored an update the bot cannot read (%s)", type(exc).__name__)
            return _json({"ok": True}, 200)
        await application.update_queue.put(update)
        return _json({"ok": True}, 200)

    app = health_app(application)
    app.router.add_post(path, receive)
    return app


def _parse(body: bytes) -> Any:
    """The JSON in ``body`` (UTF-8, whatever the request claimed), or None."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _json(body: dict[str, Any], status: int) -> web.Response:
    return web.json_response(body, status=status)


def _health_handler(
    application: TgApplication,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def healthz(request: web.Request) -> web.Response:
        """Report liveness: ok while the application is processing updates."""
        if application.running:
            return web.json_response({"status": "ok"})
        return web.json_response({"status": "stopping"}, status=503)

    return healthz


# Serving -----------------------------------------------------------------------------


def connection_cap(wanted: int) -> int:
    """``wanted``, lowered so connections can never exhaust the open-file limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        # Use what the system allows; many start with a soft limit of 1,024.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(16, min(wanted, (soft - FD_RESERVE - BACKLOG) // 2))


class _ConnectionGuard:
    """aiohttp's protocol factory with a cap: admitting one more closes the oldest idle one."""

    def __init__(self, limit: int) -> None:
        self.server: web.Server | None = None  # set once the runner is set up
        self.limit = limit
        self.busy: set[RequestHandler] = set()  # connections whose request is being answered
        self.evicted = 0

    def __call__(self) -> RequestHandler:
        assert self.server is not None
        connections = self.server.connections  # oldest first
        excess = len(connections) - self.limit + 1
        for handler in connections:
            if excess <= 0:
                break
            if handler not in self.busy:
                handler.force_close()
                self.evicted += 1
                excess -= 1
                logger.warning("connection limit reached: closed the oldest idle connections")
        return self.server()

    def middleware(self) -> Any:
        """An aiohttp middleware marking a connection busy while its request is answered."""

        @web.middleware
        async def mark_busy(request: web.Request, handler: Any) -> web.StreamResponse:
            protocol = request.protocol
            self.busy.add(protocol)
            try:
                response: web.StreamResponse = await handler(request)
                return response
            finally:
                self.busy.discard(protocol)

        return mark_busy


class _GuardedSite(web.BaseSite):
    """A TCP site whose connections go through a ``_ConnectionGuard``."""

    def __init__(
        self, runner: web.AppRunner, guard: _ConnectionGuard, host: str, port: int
    ) -> None:
        super().__init__(runner, backlog=BACKLOG)
        self._guard = guard
        self._host = host
        self._port = port

    @property
    def name(self) -> str:
        """Where the site listens."""
        return f"http://{self._host}:{self._port}"

    async def start(self) -> None:
        """Listen through the guard."""
        await super().start()
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._guard, self._host, self._port, backlog=self._backlog, reuse_address=True
        )


@dataclass
class Served:
    """A web app being served: stop it with ``cleanup()``."""

    runner: web.AppRunner
    guard: _ConnectionGuard

    @property
    def port(self) -> int:
        """The port listened on (useful after asking for port 0)."""
        port: int = self.runner.addresses[0][1]
        return port

    async def cleanup(self) -> None:
        """Stop listening and close every connection."""
        await self.runner.cleanup()


async def serve(
    app: web.Application, host: str, port: int, limits: ServerLimits = ServerLimits()
) -> Served:
    """Serve ``app`` on ``host:port`` with the timeouts and the connection cap of ``limits``."""
    quiet_http_errors()
    quiet_accept_errors(asyncio.get_running_loop())
    guard = _ConnectionGuard(connection_cap(limits.max_connections))
    app.middlewares.append(guard.middleware())
    runner = web.AppRunner(
        app,
        access_log=None,
        handle_signals=False,
        # aiohttp's keep-alive timer runs from the connection's start and after each answer
        # until a complete request has arrived: the header timeout and the idle timeout.
        keepalive_timeout=limits.header_timeout,
        shutdown_timeout=2.0,
    )
    await runner.setup()
    guard.server = runner.server
    await _GuardedSite(runner, guard, host, port).start()
    return Served(runner, guard)
