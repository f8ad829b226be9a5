"""``hrbot geocode``: missing coordinates from a stub Nominatim, written without losing
comments or order, far results flagged."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from bot.cli import main
from tests.helpers.locator import fixture_root

SERVICES = Path("services") / "vancouver.yaml"
POWELL_LOCATION = "    location: {lat: 49.2834, lon: -123.0915}\n"
AGENT = "hrbot-staff-tests/1.0 (staff@example.org)"
FAR_RECORD = """
  - id: far-away
    name: Far Away Clinic  # a comment staff wrote
    categories: [naloxone]
    address: 1 Far Street
    city: Vancouver
    province: BC
    postal_code: V6A 1A1
    source: https://example.org/far
    verified: 2026-11-01
"""


@dataclass
class Stub:
    """A fake Nominatim in a thread: Powell Street in Vancouver, 'Far' in Kelowna."""

    port: int = 0
    queries: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)


@pytest.fixture
def nominatim() -> Iterator[Stub]:
    """The stub served on 127.0.0.1 from its own event loop (the CLI runs its own)."""
    stub = Stub()
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    async def search(request: web.Request) -> web.Response:
        query = request.query.get("q", "")
        stub.queries.append(query)
        stub.agents.append(request.headers.get("User-Agent", ""))
        if "Far Street" in query:
            lat, lon = "49.8880", "-119.4960"
        elif "Powell" in query:
            lat, lon = "49.2834", "-123.0915"
        else:
            return web.json_response([])
        return web.json_response(
            [
                {
                    "lat": lat,
                    "lon": lon,
                    "display_name": query,
                    "place_id": 1,
                    "osm_type": "node",
                    "osm_id": 1,
                }
            ]
        )

    def serve() -> None:
        asyncio.set_event_loop(loop)
        app = web.Application()
        app.router.add_get("/search", search)
        runner = web.AppRunner(app)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        stub.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(5)
    yield stub
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


@pytest.fixture
def root(tmp_path: Path, nominatim: Stub, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A resources copy where Powell Street Getaway has lost its coordinates."""
    copy = tmp_path / "resources"
    shutil.copytree(fixture_root(), copy)
    path = copy / SERVICES
    text = path.read_text()
    assert POWELL_LOCATION in text
    path.write_text(text.replace(POWELL_LOCATION, "", 1))
    monkeypatch.setenv("GEOCODER_DOMAIN", f"http://127.0.0.1:{nominatim.port}")
    monkeypatch.setenv("GEOCODER_USER_AGENT", AGENT)
    return copy


def _geocode(root: Path, *extra: str) -> int:
    return main(["geocode", "--region", "vancouver", "--resources", str(root), *extra])


def test_dry_run_shows_a_diff_and_writes_nothing(
    root: Path, nominatim: Stub, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --write the new coordinates appear as a diff and the file is unchanged."""
    before = (root / SERVICES).read_text()
    assert _geocode(root) == 0
    out = capsys.readouterr().out
    assert "+" + POWELL_LOCATION in out
    assert "dry run" in out
    assert (root / SERVICES).read_text() == before
    assert nominatim.agents == [AGENT]
    assert "528 Powell Street, Vancouver, BC, Canada" in nominatim.queries


def test_write_restores_the_file_exactly(root: Path) -> None:
    """With --write only the location line is added, in place: comments and order are kept."""
    assert _geocode(root, "--write") == 0
    original = (fixture_root() / SERVICES).read_text()
    assert (root / SERVICES).read_text() == original


def test_far_results_are_flagged_and_not_written(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A result over 30 km from the postal area's centre is flagged and left out."""
    path = root / SERVICES
    path.write_text(path.read_text() + FAR_RECORD)
    assert _geocode(root, "--write") == 1
    out = capsys.readouterr().out
    assert "far-away: FAR:" in out
    assert "from the centre of postal area V6A" in out
    text = path.read_text()
    assert POWELL_LOCATION in text
    assert text.endswith(FAR_RECORD)
    assert "# a comment staff wrote" in text


def test_a_real_user_agent_is_required(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without GEOCODER_USER_AGENT nothing is sent and the command says why."""
    monkeypatch.delenv("GEOCODER_USER_AGENT")
    assert _geocode(root) == 2
    assert "GEOCODER_USER_AGENT" in capsys.readouterr().err
