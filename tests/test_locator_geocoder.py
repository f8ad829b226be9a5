"""The optional online geocoder, through geopy's real Nominatim client and a local stub server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from bot.locator.geocoder import OnlineGeocoder


@dataclass
class Stub:
    """A fake Nominatim: answers /search with canned JSON and records each request."""

    port: int = 0
    requests: list[dict[str, str]] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    status: int = 200
    delay_s: float = 0.0


STUB = web.AppKey("stub", Stub)


async def _search(request: web.Request) -> web.Response:
    stub = request.app[STUB]
    stub.requests.append(dict(request.query))
    stub.user_agents.append(request.headers.get("User-Agent", ""))
    stub.times.append(time.monotonic())
    if stub.delay_s:
        await asyncio.sleep(stub.delay_s)
    if stub.status != 200:
        return web.Response(status=stub.status, text="nope")
    if request.query.get("q", "").lower().startswith("nowhere"):
        return web.json_response([])
    return web.json_response([{
        "lat": "49.8880", "lon": "-119.4960",
        "display_name": "Kelowna, Regional District of Central Okanagan, British Columbia",
        "place_id": 1, "osm_type": "relation", "osm_id": 1,
    }])


@pytest.fixture
async def stub() -> AsyncIterator[Stub]:
    """A running stub server on 127.0.0.1 and a free port."""
    state = Stub()
    app = web.Application()
    app[STUB] = state
    app.router.add_get("/search", _search)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield state
    await runner.cleanup()


def _geocoder(stub: Stub, **kwargs: float) -> OnlineGeocoder:
    return OnlineGeocoder(
        user_agent="harm-reduction-bot-tests/1.0",
        domain=f"127.0.0.1:{stub.port}",
        scheme="http",
        **kwargs,  # type: ignore[arg-type]
    )


async def test_lookup_returns_a_place_and_sends_user_agent_and_country(stub: Stub) -> None:
    """A found place comes back as a PlaceRef tagged geocoder; the request is polite."""
    async with _geocoder(stub, min_delay_s=0.0) as geocoder:
        place = await geocoder.lookup("Kelowna")
    assert place is not None
    assert (place.name, place.lat, place.lon, place.source) == (
        "Kelowna", 49.888, -119.496, "geocoder")
    assert stub.user_agents == ["harm-reduction-bot-tests/1.0"]
    assert stub.requests[0]["countrycodes"] == "ca"


async def test_answers_are_cached(stub: Stub) -> None:
    """The same query (any case or spacing) asks the server only once."""
    async with _geocoder(stub, min_delay_s=0.0) as geocoder:
        await geocoder.lookup("Kelowna")
        await geocoder.lookup("  kelowna ")
    assert len(stub.requests) == 1


async def test_cache_is_bounded(stub: Stub) -> None:
    """Old entries are dropped once the cache is full."""
    async with _geocoder(stub, min_delay_s=0.0, cache_size=2) as geocoder:
        for name in ("Kelowna", "Kelowna one", "Kelowna two", "Kelowna"):
            await geocoder.lookup(name)
    assert len(stub.requests) == 4


async def test_requests_are_spaced_by_the_minimum_delay(stub: Stub) -> None:
    """Two different lookups are at least min_delay_s apart, even when started together."""
    async with _geocoder(stub, min_delay_s=0.3) as geocoder:
        await asyncio.gather(geocoder.lookup("Kelowna"), geocoder.lookup("Kelowna south"))
    assert len(stub.times) == 2
    assert stub.times[1] - stub.times[0] >= 0.29


async def test_nothing_found_is_none(stub: Stub) -> None:
    """An empty server answer is None."""
    async with _geocoder(stub, min_delay_s=0.0) as geocoder:
        assert await geocoder.lookup("Nowhere at all") is None


@pytest.mark.parametrize("status", [500, 403, 429])
async def test_server_errors_are_none_not_exceptions(stub: Stub, status: int) -> None:
    """HTTP errors never raise: the caller keeps the offline answer."""
    stub.status = status
    async with _geocoder(stub, min_delay_s=0.0) as geocoder:
        assert await geocoder.lookup("Kelowna") is None


async def test_timeout_is_none(stub: Stub) -> None:
    """A slow server is abandoned after the timeout."""
    stub.delay_s = 1.0
    async with _geocoder(stub, min_delay_s=0.0, timeout_s=0.2) as geocoder:
        assert await geocoder.lookup("Kelowna") is None


async def test_unreachable_server_is_none() -> None:
    """A refused connection is None, not an exception."""
    async with OnlineGeocoder(user_agent="t/1", domain="127.0.0.1:9", scheme="http",
                              timeout_s=1.0, min_delay_s=0.0) as geocoder:
        assert await geocoder.lookup("Kelowna") is None


async def test_query_text_is_not_logged(stub: Stub, caplog: pytest.LogCaptureFixture) -> None:
    """Failures are logged without the place the person typed."""
    stub.status = 500
    async with _geocoder(stub, min_delay_s=0.0) as geocoder:
        await geocoder.lookup("Secret Street 12")
    assert caplog.records
    assert all("Secret" not in r.getMessage() for r in caplog.records)
