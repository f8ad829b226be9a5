"""Optional online geocoding through geopy's Nominatim client, async so it never blocks the bot.

Use it only after the offline gazetteer said NotFound; any failure gives None, so the
caller keeps the offline answer. Requests are spaced at least ``min_delay_s`` apart
(Nominatim's usage policy allows 1 request per second) and answers are cached.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from types import TracebackType
from typing import Any, Protocol

from bot.locator._gazetteer import normalize
from bot.locator._geo import valid_coordinates
from bot.reply import PlaceRef

log = logging.getLogger(__name__)

DEFAULT_DOMAIN = "nominatim.openstreetmap.org"
DEFAULT_USER_AGENT = "harm-reduction-bot/0.1 (+https://github.com/; Canada harm reduction)"


class GeocoderSettings(Protocol):
    """What ``open_geocoder`` reads: both ``Settings`` and ``ToolSettings`` have it."""

    @property
    def geocoder_domain(self) -> str | None: ...

    @property
    def geocoder_user_agent(self) -> str | None: ...


def open_geocoder(settings: GeocoderSettings) -> OnlineGeocoder:
    """The client for GEOCODER_DOMAIN (which may carry its scheme, e.g. a local
    ``http://localhost:8080``) as GEOCODER_USER_AGENT, for ``hrbot run`` and ``geocode``."""
    domain = settings.geocoder_domain or DEFAULT_DOMAIN
    scheme = "https"
    if domain.startswith(("http://", "https://")):
        scheme, _, domain = domain.partition("://")
    return OnlineGeocoder(
        domain=domain.rstrip("/"),
        user_agent=settings.geocoder_user_agent or DEFAULT_USER_AGENT,
        scheme=scheme,
    )


class OnlineGeocoder:
    """Look a place name up on a Nominatim server; never raises."""

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        domain: str = DEFAULT_DOMAIN,
        scheme: str = "https",
        country_codes: str = "ca",
        timeout_s: float = 5.0,
        min_delay_s: float = 1.0,
        cache_size: int = 1024,
    ) -> None:
        # Imported here: geopy and aiohttp cost ~190 ms, which `hrbot ask` and `chat` never use.
        from geopy.adapters import AioHTTPAdapter
        from geopy.geocoders import Nominatim

        self._geocoder: Any = Nominatim(
            user_agent=user_agent,
            domain=domain,
            scheme=scheme,
            timeout=timeout_s,
            adapter_factory=AioHTTPAdapter,
        )
        self._country_codes = country_codes
        self._min_delay = min_delay_s
        self._cache: OrderedDict[str, PlaceRef | None] = OrderedDict()
        self._cache_size = cache_size
        self._lock = asyncio.Lock()
        self._last = -float("inf")

    async def lookup(self, text: str) -> PlaceRef | None:
        """The place a server finds for ``text``, or None (nothing found, or any failure)."""
        key = normalize(text)[:200]
        if not key:
            return None
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        async with self._lock:
            if key in self._cache:
                return self._cache[key]
            wait = self._last + self._min_delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                found = await self._geocoder.geocode(
                    text[:200], exactly_one=True, country_codes=self._country_codes
                )
            except Exception as exc:
                # The query itself is never logged: it can locate a person.
                log.warning("online geocoder failed: %s", type(exc).__name__)
                return None
            finally:
                self._last = time.monotonic()
            place = _place(found)
            self._remember(key, place)
            return place

    async def aclose(self) -> None:
        """Close the HTTP session."""
        try:
            await self._geocoder.__aexit__(None, None, None)
        except Exception:
            log.debug("geocoder close failed", exc_info=True)

    async def __aenter__(self) -> OnlineGeocoder:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def _remember(self, key: str, place: PlaceRef | None) -> None:
        self._cache[key] = place
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


def _place(found: Any) -> PlaceRef | None:
    if found is None:
        return None
    try:
        lat, lon = float(found.latitude), float(found.longitude)
    except (AttributeError, TypeError, ValueError):
        return None
    if not valid_coordinates(lat, lon):
        return None
    name = str(found.address or "").split(",")[0].strip() or "?"
    return PlaceRef(name, lat, lon, "geocoder")
