"""The optional online geocoder, through geopy's real Nominatim client and a local stub server."""

from __future__ import annotations

import asyncio

import pytest

from bot.locator.geocoder import OnlineGeocoder
from tests.helpers.geocoder_stub import Stub


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
        "Kelowna",
        49.888,
        -119.496,
        "geocoder",
    )
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
    async with OnlineGeocoder(
        user_agent="t/1", domain="127.0.0.1:9", scheme="http", timeout_s=1.0, min_delay_s=0.0
    ) as geocoder:
        assert await geocoder.lookup("Kelowna") is None


async def test_query_text_is_not_logged(stub: Stub, caplog: pytest.LogCaptureFixture) -> None:
    """Failures are logged without the place the person typed."""
    stub.status = 500
    async with _geocoder(stub, min_delay_s=0.0) as geocoder:
        await geocoder.lookup("Secret Street 12")
    assert caplog.records
    assert all("Secret" not in r.getMessage() for r in caplog.records)
