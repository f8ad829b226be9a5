"""``hrbot run`` refuses bad setups with one clear message and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.tg.runner import run
from tests.fake_bot_api import TOKEN


def test_missing_token_explains_botfather(capsys: pytest.CaptureFixture[str]) -> None:
    """Without a token the runner says how to get one, points to hrbot chat and exits 2."""
    assert run({}) == 2
    err = capsys.readouterr().err
    assert "@BotFather" in err
    assert "/newbot" in err
    assert "hrbot chat" in err


def test_bad_setting_is_one_line_without_the_token(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed setting prints one line naming it, never the token, and exits 2."""
    assert run({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_PORT": "99999"}) == 2
    err = capsys.readouterr().err
    assert err == "config error: WEBHOOK_PORT must be a port number from 1 to 65535\n"


def test_broken_resources_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unusable resources print their problems and exit 2 before contacting Telegram."""
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "RESOURCES_DIR": str(tmp_path / "missing"),
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9",
    }
    assert run(env) == 2
    err = capsys.readouterr().err
    assert "resource error" in err
    assert "missing" in err
    assert TOKEN not in err
