"""The online geocoder as the Telegram bot uses it: only for places the offline lookup
does not know, through geopy's real client against a local Nominatim stub."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update

from bot.config import Settings
from bot.locator.geocoder import OnlineGeocoder
from bot.tg.app import build_application
from bot.tg.lifecycle import Services, running
from tests.fake_bot_api import FakeBotAPI
from tests.helpers.bundled import bundled
from tests.helpers.geocoder_stub import Stub
from tests.tg_fixtures import message, settings_for


@pytest.fixture
async def app_with_geocoder(api: FakeBotAPI, stub: Stub) -> AsyncIterator[object]:
    """The real Application on the bundled resources, with the online geocoder on."""

    def open_geocoder(settings: Settings) -> OnlineGeocoder:
        return OnlineGeocoder(
            user_agent="harm-reduction-bot-tests/1.0",
            domain=f"127.0.0.1:{stub.port}",
            scheme="http",
            min_delay_s=0.0,
        )

    application = build_application(
        settings_for(api.root), bundled(), services=Services(geocoder=open_geocoder)
    )
    async with running(application):  # the geocoder is closed at post_shutdown
        yield application


async def _say(application: object, fake: FakeBotAPI, text: str) -> str:
    """Deliver one private message and return the text the bot sent back."""
    fake.calls.clear()
    app: Any = application
    await app.process_update(Update.de_json(message(text), app.bot))
    return "\n".join(c.params["text"] for c in fake.sent("sendMessage"))


async def test_unknown_place_after_where_is_looked_up_online(
    app_with_geocoder: object,
    api: FakeBotAPI,
    stub: Stub,
) -> None:
    """After "where?", a place the gazetteer lacks is found online and searched from there."""
    await _say(app_with_geocoder, api, "where can i get naloxone")
    prompt = await _say(app_with_geocoder, api, "/near")
    assert prompt
    answer = await _say(app_with_geocoder, api, "Xyzzyville")
    assert [r["q"] for r in stub.requests] == ["Xyzzyville"]
    assert "Kelowna" in answer


async def test_known_places_never_leave_the_machine(
    app_with_geocoder: object,
    api: FakeBotAPI,
    stub: Stub,
) -> None:
    """A place in the offline gazetteer or a postal code is answered without the geocoder."""
    await _say(app_with_geocoder, api, "naloxone near V6A")
    await _say(app_with_geocoder, api, "safe site in Surrey")
    assert stub.requests == []


async def test_geocoder_failure_falls_back_to_the_offline_answer(
    app_with_geocoder: object,
    api: FakeBotAPI,
    stub: Stub,
) -> None:
    """When the geocoder fails, the user still gets the kind "unknown place" answer."""
    stub.status = 500
    await _say(app_with_geocoder, api, "/near")
    answer = await _say(app_with_geocoder, api, "Xyzzyville")
    assert "Xyzzyville" in answer
