"""A fake Telegram Bot API server: records every call and answers the way Telegram does.

In tests::

    api = FakeBotAPI()
    root = await api.start()          # TELEGRAM_API_BASE_URL for the bot
    api.fail("sendMessage", 429)      # the next sendMessage is flood-controlled
    api.slow("sendMessage", 2.0)      # ... or answered after two seconds
    api.drop("sendMessage")           # ... or its connection is closed without an answer
    api.outage(1.5)                   # every call fails with 503 for 1.5 seconds
    api.chaos("sendMessage", 0.2)     # a random fault for one call in five
    api.latency = 0.03                # every call takes 30 ms, like the real API
    ...
    await api.wait_for("sendMessage")
    await api.stop()

Standalone (``python -m tests.fake_bot_api --port 8081``) it serves the same API plus a small
control surface: ``GET /_fake/calls``, ``POST /_fake/fail`` ({"method", "status", "times",
"retry_after"}), ``POST /_fake/updates`` (an update for getUpdates) and ``POST /_fake/reset``.

``api.in_process()`` is a PTB request object answering the same way without any socket, for
benchmarks and property tests that drive ``Application.process_update`` directly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

TOKEN = "123456789:AAHfakeTokenForTestsOnly_0123456789abc"
BOT_USER: dict[str, Any] = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Harm Reduction Test",
    "username": "hr_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
# Parameters PTB sends as JSON text inside form fields.
_NUMERIC = {
    "chat_id",
    "latitude",
    "longitude",
    "message_id",
    "cache_time",
    "offset",
    "limit",
    "timeout",
    "user_id",
}
_ERRORS = {
    400: "Bad Request: message text is empty",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass(frozen=True, slots=True)
class Call:
    """One request the bot made: the method, its decoded parameters and our HTTP status."""

    method: str
    params: dict[str, Any]
    status: int = 200  # 0: the connection was dropped without an answer
    at: float = field(default_factory=time.monotonic, compare=False)  # when it was answered

    @property
    def text(self) -> str:
        """The message text sent (empty if none)."""
        return str(self.params.get("text", ""))

    @property
    def markup(self) -> dict[str, Any]:
        """The reply_markup sent, decoded (empty if none)."""
        value = self.params.get("reply_markup")
        return value if isinstance(value, dict) else {}


@dataclass(slots=True)
class _Fault:
    status: int  # 200 with a delay is a slow answer; 0 drops the connection
    retry_after: int | None = None
    description: str | None = None
    delay: float = 0.0


# What chaos() picks from: flood control, server errors, slow answers, dropped connections.
_CHAOS = (
    _Fault(429, retry_after=1),
    _Fault(500),
    _Fault(502),
    _Fault(200, delay=1.0),
    _Fault(0),
)


@dataclass
class FakeBotAPI:
    """The fake server; ``calls`` lists every request in arrival order."""

    token: str = TOKEN
    poll_wait: float = 0.2
    calls: list[Call] = field(default_factory=list)
    _faults: dict[str, deque[_Fault]] = field(default_factory=dict)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _runner: web.AppRunner | None = None
    _changed: asyncio.Condition | None = None
    _outage_until: float = 0.0
    _chaos: dict[str, tuple[float, random.Random]] = field(default_factory=dict)
    root: str = ""
    on_call: Callable[[Call], None] | None = None  # told of every call as it is recorded
    latency: float = 0.0  # seconds every call takes, like the real API's round trip
    clock: Callable[[], float] = time.monotonic  # stamps Call.at (a test may share its clock)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving; return the API root to use as ``TELEGRAM_API_BASE_URL``."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/_fake/calls", self._get_calls)
        app.router.add_post("/_fake/fail", self._post_fail)
        app.router.add_post("/_fake/updates", self._post_update)
        app.router.add_post("/_fake/reset", self._post_reset)
        self._changed = asyncio.Condition()
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.root = f"http://{host}:{self._runner.addresses[0][1]}"
        return self.root

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- programming and inspecting -------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with HTTP ``status``.

        429 carries ``parameters.retry_after`` (1 second unless given).
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        queue = self._faults.setdefault(method, deque())
        queue.extend(_Fault(status, retry_after, description) for _ in range(times))

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` normally, after ``seconds``."""
        queue = self._faults.setdefault(method, deque())
        queue.extend(_Fault(200, delay=seconds) for _ in range(times))

    def drop(self, method: str, times: int = 1) -> None:
        """Close the connection of the next ``times`` calls of ``method`` without answering."""
        queue = self._faults.setdefault(method, deque())
        queue.extend(_Fault(0) for _ in range(times))

    def outage(self, seconds: float) -> None:
        """Answer every call with 503 for the next ``seconds``, then recover."""
        self._outage_until = time.monotonic() + seconds

    def chaos(self, method: str, rate: float, seed: int = 0) -> None:
        """From now on, give a random fault (429, 5xx, slow, dropped) to ``rate`` of ``method``."""
        self._chaos[method] = (rate, random.Random(seed))

    def in_process(self) -> InProcessRequest:
        """A PTB request object answering like this server, with no network at all."""
        return InProcessRequest(self)

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for the next getUpdates."""
        self._updates.append(update)

    def reset(self) -> None:
        """Forget recorded calls, faults and queued updates."""
        self.calls.clear()
        self._faults.clear()
        self._updates.clear()
        self._chaos.clear()
        self._outage_until = 0.0

    def sent(self, method: str) -> list[Call]:
        """The successful calls of ``method``."""
        return [c for c in self.calls if c.method == method and c.status == 200]

    def attempts(self, method: str) -> list[Call]:
        """Every call of ``method``, failed ones included."""
        return [c for c in self.calls if c.method == method]

    def outgoing(self) -> list[Call]:
        """Successful calls that put something in front of a user, in order."""
        quiet = {
            "getMe",
            "getUpdates",
            "setMyCommands",
            "setWebhook",
            "deleteWebhook",
            "getWebhookInfo",
        }
        return [c for c in self.calls if c.status == 200 and c.method not in quiet]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until ``method`` succeeded ``count`` times in all; return those calls."""
        assert self._changed is not None, "start() first"
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: len(self.sent(method)) >= count), timeout
                )
        found = self.sent(method)
        if len(found) < count:
            raise AssertionError(
                f"expected {count} successful {method} calls, saw {len(found)}; "
                f"calls: {[c.method for c in self.calls]}"
            )
        return found

    # --- the API ---------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        status, body = await self._answer(method, await _params(request))
        if status == 0 and request.transport is not None:
            request.transport.abort()  # the client sees the connection drop mid-request
        return web.json_response(body, status=status or 500)

    async def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The HTTP status (0: drop the connection) and JSON body for one call."""
        fault = self._next_fault(method)
        if self.latency:
            await asyncio.sleep(self.latency)
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is None or fault.status == 200:
            await self._record(Call(method, params, at=self.clock()))
            if method == "getUpdates":
                return 200, _ok_body(await self._get_updates(params))
            return 200, _ok_body(self._result(method, params))
        await self._record(Call(method, params, fault.status, at=self.clock()))
        description = fault.description or _ERRORS.get(fault.status, "Error").format(
            retry_after=fault.retry_after
        )
        extra = {"retry_after": fault.retry_after} if fault.retry_after else None
        return fault.status, _error_body(fault.status, description, extra)

    def _next_fault(self, method: str) -> _Fault | None:
        if time.monotonic() < self._outage_until:
            return _Fault(503, description="Service Unavailable")
        queue = self._faults.get(method)
        if queue:
            return queue.popleft()
        chaos = self._chaos.get(method)
        if chaos is not None and chaos[1].random() < chaos[0]:
            return chaos[1].choice(_CHAOS)
        return None

    async def _record(self, call: Call) -> None:
        if self.on_call is not None:
            self.on_call(call)
        if self._changed is None:  # in-process use without start()
            self.calls.append(call)
            return
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), self.poll_wait)
        while True:
            ready = [u for u in self._updates if u["update_id"] >= offset]
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        if method in ("getMyCommands",):
            return []
        if method == "sendMessage" or method == "editMessageText":
            return self._message(params, text=params.get("text", ""))
        if method in ("sendVenue", "sendLocation"):
            location = {"latitude": params["latitude"], "longitude": params["longitude"]}
            extra: dict[str, Any] = {"location": location}
            if method == "sendVenue":
                extra["venue"] = {
                    "location": location,
                    "title": params.get("title", ""),
                    "address": params.get("address", ""),
                }
            return self._message(params, **extra)
        return True

    def _message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = int(params.get("chat_id") or 0)
        chat: dict[str, Any] = (
            {"id": chat_id, "type": "private", "first_name": "User"}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "Group"}
        )
        return {
            "message_id": int(params.get("message_id") or next(self._message_ids)),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            **content,
        }

    # --- control surface (standalone use) -------------------------------------------------

    async def _get_calls(self, request: web.Request) -> web.Response:
        return web.json_response(
            [{"method": c.method, "params": c.params, "status": c.status} for c in self.calls]
        )

    async def _post_fail(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.fail(
            body["method"],
            int(body["status"]),
            int(body.get("times", 1)),
            body.get("retry_after"),
            body.get("description"),
        )
        return web.json_response({"ok": True})

    async def _post_update(self, request: web.Request) -> web.Response:
        self.push_update(await request.json())
        return web.json_response({"ok": True})

    async def _post_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    form = await request.post()
    params = {**request.query, **form}
    return {key: _decode(key, value) for key, value in params.items()}


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value  # an uploaded file
    if value[:1] in "{[":
        with contextlib.suppress(ValueError):
            return json.loads(value)
    if key in _NUMERIC:
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def _ok_body(result: Any) -> dict[str, Any]:
    return {"ok": True, "result": result}


def _error_body(
    status: int, description: str, parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    return web.json_response(_error_body(status, description, parameters), status=status)


class InProcessRequest(BaseRequest):
    """PTB's network seam answered by a ``FakeBotAPI`` in the same process: no sockets.

    A dropped connection becomes PTB's ``NetworkError``, as httpx's would.
    """

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        """No network, so no read timeout."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call the way the fake server would."""
        bot_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        status, body = await self.api._answer(bot_method, params)
        if status == 0:
            raise NetworkError("connection dropped by the fake Bot API")
        return status, json.dumps(body).encode()


async def _serve_forever(port: int, token: str) -> None:
    api = FakeBotAPI(token=token)
    root = await api.start(port=port)
    print(f"fake Bot API at {root} (token {token})", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await api.stop()


def main(argv: list[str] | None = None) -> None:
    """Run the fake server until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=TOKEN)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(args.port, args.token))


if __name__ == "__main__":
    main()
