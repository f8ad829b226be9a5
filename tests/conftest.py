"""Fixtures shared by every test module (pytest loads this file by itself)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fake_bot_api import FakeBotAPI
from tests.helpers import geocoder_stub
from tests.helpers.bot_process import Bot, bot_env, finish, free_port


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
