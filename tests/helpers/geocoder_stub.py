"""A fake Nominatim server: answers /search with canned JSON and records each request."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from aiohttp import web


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


async def search(request: web.Request) -> web.Response:
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
    return web.json_response(
        [
            {
                "lat": "49.8880",
                "lon": "-119.4960",
                "display_name": "Kelowna, Regional District of Central Okanagan, British Columbia",
                "place_id": 1,
                "osm_type": "relation",
                "osm_id": 1,
            }
        ]
    )


async def start(state: Stub) -> web.AppRunner:
    """Serve ``state`` on 127.0.0.1 and a free port (set in ``state.port``)."""
    app = web.Application()
    app[STUB] = state
    app.router.add_get("/search", search)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner
