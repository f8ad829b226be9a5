"""The bot's services in PTB's lifecycle: opened by post_init, closed by post_shutdown."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram import Update

from bot.tg.app import build_application
from bot.tg.lifecycle import running
from tests.fake_bot_api import FakeBotAPI
from tests.helpers.bundled import bundled
from tests.tg_fixtures import message, settings_for


def _tasks() -> set[str]:
    return {task.get_name() for task in asyncio.all_tasks() if not task.done()}


async def test_one_factory_call_gives_a_wired_bot(api: FakeBotAPI, tmp_path: Path) -> None:
    """build_application + running: the stores, alert delivery and resources watcher run
    while the bot is up (an alert question is answered from the store) and stop after."""
    settings = settings_for(api.root, DATABASE_PATH=str(tmp_path / "hrbot.sqlite3"))
    application = build_application(settings, bundled())
    data = application.bot_data
    async with running(application):
        assert data.staff is not None
        assert data.alerts is not None
        assert data.dialogue.alerts is data.alerts.store
        assert {"alerts", "resources-watcher"} <= _tasks()
        await application.process_update(Update.de_json(message("/alerts"), application.bot))
        [menu] = api.sent("sendMessage")
        assert "Tap a region" in menu.text
    assert not {"alerts", "resources-watcher"} & _tasks()


async def test_an_unusable_database_leaves_the_bot_answering(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    """A database path that cannot be opened turns reports and alerts off; nothing fails."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    settings = settings_for(api.root, DATABASE_PATH=str(blocker / "hrbot.sqlite3"))
    async with running(build_application(settings, bundled())) as application:
        data = application.bot_data
        assert data.staff is None and data.alerts is None
        await application.process_update(Update.de_json(message("/alerts"), application.bot))
        [notice] = api.sent("sendMessage")
        assert notice.text == "Alerts are not available right now."
