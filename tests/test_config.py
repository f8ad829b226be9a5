"""Settings are parsed once from a mapping; bad values name the variable, never the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import (
    ConfigError,
    MissingTokenError,
    ToolSettings,
    load_settings,
    load_tool_settings,
    read_environment,
)

TOKEN = "123456789:AAHfakeTokenForTestsOnly_0123456789abc"


def test_defaults_need_only_a_token() -> None:
    """With just a token the bot polls api.telegram.org with the documented defaults."""
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.mode == "polling"
    assert settings.base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"
    assert (settings.health_port, settings.webhook_port) == (8080, 8443)
    assert settings.rate_limit is True
    assert settings.session_ttl_minutes == 30
    assert settings.default_language == "en"
    assert settings.geocoder == "none"


def test_every_variable_is_read() -> None:
    """Each documented variable lands in its typed field."""
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/",
            "BOT_MODE": "webhook",
            "WEBHOOK_URL": "https://bot.example.org/telegram",
            "WEBHOOK_SECRET": "abc_DEF-123",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": "9000",
            "WEBHOOK_PATH": "/hook",
            "HEALTH_PORT": "9001",
            "RESOURCES_DIR": "/srv/res",
            "DEFAULT_LANGUAGE": "FR",
            "DEFAULT_REGION": "Montreal",
            "ADMIN_CHAT_IDS": "1, -100200",
            "GEOCODER": "nominatim",
            "GEOCODER_DOMAIN": "geo.example.org",
            "GEOCODER_USER_AGENT": "hrbot-test",
            "LOG_LEVEL": "debug",
            "RATE_LIMIT": "off",
            "SESSION_TTL_MINUTES": "10",
        }
    )
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.mode == "webhook"
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == "abc_DEF-123"
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 9000)
    assert (settings.webhook_path, settings.health_port) == ("/hook", 9001)
    assert settings.resources_dir == Path("/srv/res")
    assert (settings.default_language, settings.default_region) == ("fr", "montreal")
    assert settings.admin_chat_ids == (1, -100200)
    assert (settings.geocoder, settings.geocoder_domain) == ("nominatim", "geo.example.org")
    assert settings.geocoder_user_agent == "hrbot-test"
    assert (settings.log_level, settings.rate_limit, settings.session_ttl_minutes) == (
        "DEBUG",
        False,
        10,
    )


def test_abuse_limits_have_safe_defaults_and_can_be_tuned() -> None:
    """Flood limit 20 in 60 s, 10 s header and body timeouts, 500 connections; no staff."""
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.flood_limit == (20, 60.0)
    assert (settings.http_header_timeout, settings.http_body_timeout) == (10.0, 10.0)
    assert settings.http_max_connections == 500
    assert settings.admin_user_ids == ()
    tuned = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "FLOOD_LIMIT": "off",
            "ADMIN_USER_IDS": "5001, 5002",
            "HTTP_HEADER_TIMEOUT": "3",
        }
    )
    assert tuned.flood_limit is None
    assert tuned.admin_user_ids == (5001, 5002)
    assert tuned.http_header_timeout == 3.0


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "WEBHOOK_PORT",
            "70000",
            "config error: WEBHOOK_PORT must be a port number from 1 to 65535",
        ),
        ("HEALTH_PORT", "http", "config error: HEALTH_PORT must be a port number from 1 to 65535"),
        ("BOT_MODE", "push", "config error: BOT_MODE must be one of: polling, webhook"),
        (
            "TELEGRAM_API_BASE_URL",
            "api.telegram.org",
            "config error: TELEGRAM_API_BASE_URL must be an http:// or https:// address",
        ),
        (
            "ADMIN_CHAT_IDS",
            "1,bob",
            "config error: ADMIN_CHAT_IDS must be comma-separated chat ids (integers)",
        ),
        ("RATE_LIMIT", "maybe", "config error: RATE_LIMIT must be on or off"),
        ("DEFAULT_LANGUAGE", "de", "config error: DEFAULT_LANGUAGE must be one of: en, fr"),
        ("GEOCODER", "google", "config error: GEOCODER must be one of: none, nominatim"),
        (
            "WEBHOOK_SECRET",
            "has spaces",
            "config error: WEBHOOK_SECRET must be 1-256 characters from A-Z a-z 0-9 _ -",
        ),
        (
            "SESSION_TTL_MINUTES",
            "0",
            "config error: SESSION_TTL_MINUTES must be a whole number of minutes from 1 to 1440",
        ),
        (
            "LOG_LEVEL",
            "loud",
            "config error: LOG_LEVEL must be one of: DEBUG, INFO, WARNING, ERROR, CRITICAL",
        ),
        (
            "FLOOD_LIMIT",
            "20",
            "config error: FLOOD_LIMIT must be off or MESSAGES/SECONDS, like 20/60",
        ),
        (
            "HTTP_HEADER_TIMEOUT",
            "0",
            "config error: HTTP_HEADER_TIMEOUT must be a number of seconds from 1 to 300",
        ),
        (
            "HTTP_MAX_CONNECTIONS",
            "5",
            "config error: HTTP_MAX_CONNECTIONS must be a whole "
            "number of connections from 16 to 100000",
        ),
        (
            "ADMIN_USER_IDS",
            "me",
            "config error: ADMIN_USER_IDS must be comma-separated chat ids (integers)",
        ),
    ],
)
def test_bad_values_name_the_variable_in_one_line(variable: str, value: str, message: str) -> None:
    """A malformed setting raises one line naming the variable and what it must be."""
    with pytest.raises(ConfigError) as caught:
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, variable: value})
    assert str(caught.value) == message
    assert caught.value.variable == variable


def test_webhook_mode_needs_a_public_url() -> None:
    """BOT_MODE=webhook without WEBHOOK_URL is refused."""
    with pytest.raises(ConfigError, match="WEBHOOK_URL is required"):
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "BOT_MODE": "webhook"})


def test_missing_token_is_its_own_error() -> None:
    """No token (or a blank one) raises MissingTokenError so the runner can explain BotFather."""
    with pytest.raises(MissingTokenError):
        load_settings({"TELEGRAM_BOT_TOKEN": "  "})


def test_malformed_token_is_refused_without_echoing_it() -> None:
    """A token of the wrong shape is refused and the message does not contain it."""
    with pytest.raises(ConfigError) as caught:
        load_settings({"TELEGRAM_BOT_TOKEN": "not-a-token-secret"})
    assert "not-a-token-secret" not in str(caught.value)


def test_token_and_secret_never_appear_in_repr() -> None:
    """repr and str of the settings hide the token and the webhook secret."""
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_SECRET": "topsecret"})
    for shown in (repr(settings), str(settings)):
        assert TOKEN not in shown
        assert "topsecret" not in shown
    assert settings.token.get_secret_value() == TOKEN


def test_settings_are_frozen() -> None:
    """Settings cannot be changed after parsing."""
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    with pytest.raises(AttributeError):
        settings.mode = "webhook"  # type: ignore[misc]


def test_env_file_is_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values from .env are used unless the process environment sets the same name."""
    env_file = tmp_path / ".env"
    env_file.write_text("HEALTH_PORT=9100\nLOG_LEVEL=DEBUG\n# a comment\n", encoding="utf-8")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    values = read_environment(env_file)
    assert values["HEALTH_PORT"] == "9100"
    assert values["LOG_LEVEL"] == "WARNING"


def test_missing_env_file_is_fine(tmp_path: Path) -> None:
    """Without a .env file only the process environment is read."""
    assert "PATH" in read_environment(tmp_path / "absent.env")


def test_the_token_less_commands_read_the_same_variables() -> None:
    """chat, ask, validate and the staff tools take RESOURCES_DIR, DEFAULT_REGION and the
    geocoder variables from the one parser; blanks are unset."""
    tools = load_tool_settings(
        {
            "RESOURCES_DIR": " /srv/res ",
            "DEFAULT_REGION": "Toronto",
            "GEOCODER_DOMAIN": "",
            "GEOCODER_USER_AGENT": "t/1 (a@b.c)",
        }
    )
    assert tools.resources_dir == Path("/srv/res")
    assert tools.default_region == "toronto"
    assert tools.geocoder_domain is None and tools.geocoder_user_agent == "t/1 (a@b.c)"
    assert load_tool_settings({}) == ToolSettings()


def test_database_and_redis_urls_are_parsed_and_kept_secret() -> None:
    """DATABASE_URL and REDIS_URL are accepted by scheme, hidden in repr, and a bad one is
    refused without echoing it (it may carry a password)."""
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATABASE_URL": "postgresql://hrbot:pw1@db:5432/hrbot",
            "REDIS_URL": "redis://:pw2@redis:6379/0",
            "ALERT_LEASE_SECONDS": "20",
        }
    )
    assert settings.database_url is not None and settings.redis_url is not None
    assert settings.database_url.get_secret_value().endswith("@db:5432/hrbot")
    assert settings.alert_lease_seconds == 20
    assert "pw1" not in repr(settings) and "pw2" not in repr(settings)
    defaults = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert defaults.database_url is None and defaults.redis_url is None
    with pytest.raises(ConfigError, match="DATABASE_URL must be a postgresql://") as error:
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "mysql://u:pw3@h/db"})
    assert "pw3" not in str(error.value)
    with pytest.raises(ConfigError, match="REDIS_URL"):
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "REDIS_URL": "http://cache"})
    with pytest.raises(ConfigError, match="ALERT_LEASE_SECONDS"):
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "ALERT_LEASE_SECONDS": "1"})
