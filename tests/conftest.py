"""Fixtures shared by every test module (pytest loads this file by itself): the bot in a
subprocess, the fake Nominatim, session-wide PostgreSQL and Redis servers (see
tests/servers.py), the fake Bot API, the real Application on the bundled resources, and
resource sets loaded once per test process.

Session fixtures are made once per process: under ``pytest -n 2`` each worker has its own
servers (on free ports) and its own copies of the resources."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest

from bot.config import load_settings
from bot.resources import Resources, load_resources
from bot.tg.app import build_application
from bot.tg.context import TgApplication
from bot.tg.lifecycle import running
from bot.tg.retry import RetryingLimiter
from tests.fake_bot_api import TOKEN, FakeBotAPI
from tests.helpers import geocoder_stub
from tests.helpers.bot_process import Bot, bot_env, finish, free_port
from tests.helpers.bundled import bundled
from tests.helpers.locator import fixture_root as frozen_root
from tests.helpers.resource_edits import make_clean
from tests.servers import PostgresServer, RedisServer, postgres_server, redis_server
from tests.tg_fixtures import USER_ID, Harness, ScriptedDialogue, settings_for

# No test (nor a bot or hrbot subprocess it starts) reads or writes the user's resource
# cache; tests/test_rescache.py passes its own directories.
os.environ["HRBOT_CACHE_DIR"] = "off"
# The bots and `hrbot ask` processes the tests start answer lexically (without a cache the
# sentence model would spend ~6 s of CPU loading in each); the resources loaded in the test
# processes consult it (tests/helpers/bundled.py, once per process), and tests/
# test_semantic.py starts `hrbot ask` with it.
os.environ["HRBOT_SEMANTIC"] = "off"

_databases = itertools.count(1)


@pytest.fixture
async def running_bot(tmp_path: Path) -> AsyncIterator[Bot]:
    """A fresh ``hrbot run`` subprocess and fake API; stopped (SIGKILL if need be) afterwards."""
    api = FakeBotAPI()
    await api.start()
    port = free_port()
    env = bot_env(api.root, port, DATABASE_PATH=str(tmp_path / "hrbot.sqlite3"))
    bot = Bot(api, port, tmp_path, env)
    api.on_call = bot.count
    await bot.start()
    yield bot
    await finish(bot)


@pytest.fixture
async def stub() -> AsyncIterator[geocoder_stub.Stub]:
    """A running fake Nominatim on 127.0.0.1 and a free port."""
    state = geocoder_stub.Stub()
    runner = await geocoder_stub.start(state)
    yield state
    await runner.cleanup()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL cluster for the whole run."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def redis_srv() -> Iterator[RedisServer]:
    """One throwaway redis-server for the whole run."""
    with redis_server() as server:
        yield server


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """A new, empty database for one test."""
    name = f"t{next(_databases)}"
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0")
    return postgres.url(name)


@pytest.fixture
def redis_url(redis_srv: RedisServer) -> str:
    """An emptied Redis for one test."""
    import redis

    client = redis.Redis.from_url(redis_srv.url())
    client.flushall()
    client.close()
    return redis_srv.url()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """A running fake Bot API."""
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def harness(api: FakeBotAPI) -> AsyncIterator[Harness]:
    """An initialized Application, services open, with a ScriptedDialogue and instant retries."""
    sleeps: list[float] = []

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    application = build_application(
        settings_for(api.root, ADMIN_CHAT_IDS="-100999", ADMIN_USER_IDS=str(USER_ID)),
        ScriptedDialogue(),
        retrying=RetryingLimiter(sleep=record_sleep),
    )
    async with running(application):
        yield Harness(api, application, sleeps)


@pytest.fixture
async def bot() -> AsyncIterator[tuple[TgApplication, FakeBotAPI]]:
    """The real Application and the bundled resources, the Bot API answered in-process
    (no server, no rate limit): for tests that feed updates and read the replies."""
    fake = FakeBotAPI()
    application = build_application(
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "RATE_LIMIT": "off"}),
        bundled(),
        polling=False,
        request=fake.in_process(),
    )
    async with application:
        yield application, fake


@pytest.fixture(scope="session")
def bundled_resources() -> Resources:
    """The resources under resources/, loaded once (they are immutable: read, never edit)."""
    return bundled()


@pytest.fixture(scope="session")
def fixture_root() -> Path:
    """The bundled resources with a frozen service list (tests.helpers.locator.fixture_root).

    Shared: copy it before editing (``shutil.copytree(fixture_root, tmp_path / ...)``)."""
    return frozen_root()


@pytest.fixture(scope="session")
def frozen_resources(fixture_root: Path) -> Resources:
    """``fixture_root`` loaded once, for tests that read it without editing files."""
    return load_resources(fixture_root)


@pytest.fixture(scope="session")
def clean_root(fixture_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``fixture_root`` without today's conflicting phrases: validates with no problem at all.

    Shared and validated once: copy it before breaking something."""
    return make_clean(fixture_root, tmp_path_factory.mktemp("clean") / "resources")
