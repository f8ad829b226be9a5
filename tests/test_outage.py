"""Redis and PostgreSQL briefly down under the real Application: emergency answers still go
out at once (they need no state), other answers too, features that need the database say
sorry, and everything works again soon after both come back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.postgres import close_all
from bot.resources import load_resources
from bot.tg.app import build_application
from bot.tg.context import TgApplication
from bot.tg.lifecycle import running
from bot.tg.replicas import Shared
from tests.fake_bot_api import FakeBotAPI
from tests.servers import postgres_server, redis_server
from tests.tg_fixtures import callback, message, settings_for

REPO = Path(__file__).resolve().parent.parent


async def _send(application: TgApplication, payload: dict[str, Any]) -> None:
    update = Update.de_json(payload, application.bot)
    await application.update_processor.process_update(update, application.process_update(update))


async def _eventually(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(0.1)
    return check()


@pytest.mark.slow  # stops and restarts its own PostgreSQL and Redis (make test-all)
async def test_emergency_answers_go_out_while_redis_and_postgres_are_down(api: FakeBotAPI) -> None:
    """Both servers stopped: 'not breathing' is answered with 911 within a second, a question
    gets its answer, a subscription gets the error notice (with 911); once both are back,
    subscribing works again within a few seconds."""
    with postgres_server() as pg, redis_server() as rs:
        settings = settings_for(api.root, DATABASE_URL=pg.url(), REDIS_URL=rs.url())
        shared = Shared.open(settings)
        assert shared is not None
        application = build_application(
            settings, load_resources(REPO / "resources"), polling=False, shared=shared
        )
        async with running(application):
            data = application.bot_data
            assert data.alerts is not None and data.staff is not None
            await _send(application, callback("alerts:on:vancouver", chat_id=5001))
            assert data.alerts.store.subscriptions(5001) == {"vancouver"}

            pg.stop()
            rs.stop()
            api.calls.clear()
            started = time.monotonic()
            await _send(application, message("my friend is not breathing", chat_id=5002))
            [first, *_] = api.sent("sendMessage")
            assert "911" in first.text
            assert first.at - started < 1.5
            await _send(application, message("my friend is not breathing", chat_id=5003))
            assert time.monotonic() - started < 3.0  # the next one does not wait at all

            api.calls.clear()
            await _send(application, message("where can I get naloxone", chat_id=5004))
            assert any("aloxone" in c.text for c in api.sent("sendMessage"))
            api.calls.clear()
            await _send(application, callback("alerts:on:vancouver", chat_id=5005))
            assert any("911" in c.text for c in api.sent("sendMessage"))

            pg.start()
            rs.start()

            def subscribed() -> bool:
                return data.alerts is not None and _try_subscribe(data.alerts.store)

            assert await _eventually(subscribed, 10)
            await shared.close()
        close_all()


def _try_subscribe(store: Any) -> bool:
    try:
        store.subscribe(5006, "vancouver", "en")
        return bool(store.subscriptions(5006) == {"vancouver"})
    except Exception:
        return False
