"""Fixtures shared by every test module (pytest loads this file by itself): the bot in a
subprocess, the fake Nominatim, and session-wide PostgreSQL and Redis servers (see
tests/servers.py)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest

from bot.tg.app import build_application
from bot.tg.lifecycle import running
from bot.tg.retry import RetryingLimiter
from tests.fake_bot_api import FakeBotAPI
from tests.helpers import geocoder_stub
from tests.helpers.bot_process import Bot, bot_env, finish, free_port
from tests.servers import PostgresServer, RedisServer, postgres_server, redis_server
from tests.tg_fixtures import USER_ID, Harness, ScriptedDialogue, settings_for

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
