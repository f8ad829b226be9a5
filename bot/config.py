"""Runtime settings, read once from the environment (and ``.env`` if present).

``load_settings(environ)`` builds a frozen ``Settings`` from any mapping, so tests pass a
dict. A bad value raises ``ConfigError`` whose message is one line naming the variable;
the bot token is never part of any message or repr.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar, cast
from urllib.parse import urlsplit

from pydantic import SecretStr

from bot.reply import LANGUAGES, Language

Mode = Literal["polling", "webhook"]
MODES: tuple[Mode, ...] = ("polling", "webhook")
Geocoder = Literal["none", "nominatim"]
GEOCODERS: tuple[Geocoder, ...] = ("none", "nominatim")
# HRBOT_SEMANTIC: the optional sentence model beside the matcher (bot.semantic).
Semantic = Literal["auto", "off"]
SEMANTIC_MODES: tuple[Semantic, ...] = ("auto", "off")

DEFAULT_API_ROOT = "https://api.telegram.org"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Telegram accepts 1-256 characters from this set as a webhook secret token.
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# The shape BotFather hands out: "<bot id>:<35 characters>".
_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,100}$")
_ON = {"1", "on", "true", "yes"}
_OFF = {"0", "off", "false", "no"}

T = TypeVar("T")
S = TypeVar("S", bound=str)


class ConfigError(Exception):
    """A setting is missing or malformed; ``str(error)`` is one line for the operator."""

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        super().__init__(f"config error: {variable} {problem}")


class MissingTokenError(ConfigError):
    """``TELEGRAM_BOT_TOKEN`` is not set at all (as opposed to malformed)."""

    def __init__(self) -> None:
        super().__init__("TELEGRAM_BOT_TOKEN", "is not set")


# Alerts leave a third of Telegram's ~30 messages/s for people talking to the bot.
DEFAULT_ALERTS_PER_SECOND = 20
# How long a replica's claim on a batch of alert deliveries lasts: after a crash, the other
# replicas take them over this much later.
DEFAULT_ALERT_LEASE_SECONDS = 15.0
# Past 20 messages in 60 seconds a chat is asked to slow down (emergencies always pass).
DEFAULT_FLOOD_LIMIT = (20, 60.0)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the Telegram adapter needs to run; built by ``load_settings``."""

    token: SecretStr = field(repr=False)
    api_root: str = DEFAULT_API_ROOT
    mode: Mode = "polling"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = field(default=None, repr=False)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_path: str = "/telegram"
    health_port: int = 8080
    resources_dir: Path | None = None
    default_language: Language = "en"
    default_region: str = "vancouver"
    admin_chat_ids: tuple[int, ...] = ()
    geocoder: Geocoder = "none"
    geocoder_domain: str | None = None
    geocoder_user_agent: str | None = None
    log_level: str = "INFO"
    rate_limit: bool = True
    session_ttl_minutes: int = 30
    database_path: Path = Path("data/hrbot.sqlite3")
    database_url: SecretStr | None = field(default=None, repr=False)  # may hold a password
    redis_url: SecretStr | None = field(default=None, repr=False)
    alerts_per_second: int = DEFAULT_ALERTS_PER_SECOND
    alert_lease_seconds: float = DEFAULT_ALERT_LEASE_SECONDS
    unmatched_log: bool = False
    unmatched_days: int = 30
    resources_poll_seconds: float = 3.0
    admin_user_ids: tuple[int, ...] = ()  # who may run staff commands inside admin chats
    http_header_timeout: float = 10.0
    http_body_timeout: float = 10.0
    http_max_connections: int = 500
    flood_limit: tuple[int, float] | None = DEFAULT_FLOOD_LIMIT  # messages per seconds
    semantic: Semantic = "auto"  # HRBOT_SEMANTIC: the sentence model when installed, or off
    cache_dir: Path | None = None  # HRBOT_CACHE_DIR: the sentence model's cache; None: none

    @property
    def base_url(self) -> str:
        """The Bot API prefix PTB appends the token and method to."""
        return f"{self.api_root}/bot"

    @property
    def base_file_url(self) -> str:
        """The file download prefix PTB appends the token and path to."""
        return f"{self.api_root}/file/bot"


def read_environment(env_file: Path | None = Path(".env")) -> dict[str, str]:
    """``os.environ`` over the values of ``env_file`` (the process environment wins)."""
    # Imported here: only `hrbot run` reads .env; the short-lived commands never do.
    from dotenv import dotenv_values

    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ)
    return values


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Parse and validate every setting; raise ``ConfigError`` on the first bad one."""
    env = {k: v.strip() for k, v in environ.items() if v.strip()}

    token = env.get("TELEGRAM_BOT_TOKEN")
    if token is None:
        raise MissingTokenError()
    if not _TOKEN_RE.match(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN", "does not look like a bot token (expected <digits>:<letters>)"
        )

    api_root = _get(env, "TELEGRAM_API_BASE_URL", _http_url, DEFAULT_API_ROOT).rstrip("/")
    mode: Mode = _get(env, "BOT_MODE", _choice(MODES), "polling")
    webhook_url = _get(env, "WEBHOOK_URL", _http_url, None)
    if mode == "webhook" and webhook_url is None:
        raise ConfigError("WEBHOOK_URL", "is required when BOT_MODE=webhook")
    secret = env.get("WEBHOOK_SECRET")
    if secret is not None and not _SECRET_RE.match(secret):
        raise ConfigError("WEBHOOK_SECRET", "must be 1-256 characters from A-Z a-z 0-9 _ -")
    webhook_path = _get(env, "WEBHOOK_PATH", _path, "/telegram")
    if webhook_path == "/healthz":
        raise ConfigError("WEBHOOK_PATH", "must not be /healthz (used for the health check)")

    return Settings(
        token=SecretStr(token),
        api_root=api_root,
        mode=mode,
        webhook_url=webhook_url,
        webhook_secret=SecretStr(secret) if secret else None,
        webhook_listen=env.get("WEBHOOK_LISTEN", "0.0.0.0"),
        webhook_port=_get(env, "WEBHOOK_PORT", _PORT, 8443),
        webhook_path=webhook_path,
        health_port=_get(env, "HEALTH_PORT", _PORT, 8080),
        resources_dir=_get(env, "RESOURCES_DIR", Path, None),
        default_language=_get(env, "DEFAULT_LANGUAGE", _choice(LANGUAGES), "en"),
        default_region=env.get("DEFAULT_REGION", "vancouver").lower(),
        admin_chat_ids=_get(env, "ADMIN_CHAT_IDS", _int_list, ()),
        geocoder=_get(env, "GEOCODER", _choice(GEOCODERS), "none"),
        geocoder_domain=env.get("GEOCODER_DOMAIN"),
        geocoder_user_agent=env.get("GEOCODER_USER_AGENT"),
        log_level=_get(env, "LOG_LEVEL", _choice(LOG_LEVELS, upper=True), "INFO"),
        rate_limit=_get(env, "RATE_LIMIT", _switch, True),
        session_ttl_minutes=_get(
            env, "SESSION_TTL_MINUTES", _int_in(1, 24 * 60, "a whole number of minutes"), 30
        ),
        database_path=_get(env, "DATABASE_PATH", Path, Path("data/hrbot.sqlite3")),
        database_url=_get(env, "DATABASE_URL", _url("postgresql", "postgres"), None),
        redis_url=_get(env, "REDIS_URL", _url("redis", "rediss", "unix"), None),
        alerts_per_second=_get(
            # Telegram allows about 30 messages a second in all.
            env,
            "ALERTS_PER_SECOND",
            _int_in(1, 30, "a whole number of messages per second"),
            DEFAULT_ALERTS_PER_SECOND,
        ),
        alert_lease_seconds=_get(
            env, "ALERT_LEASE_SECONDS", _seconds_in(3, 600), DEFAULT_ALERT_LEASE_SECONDS
        ),
        unmatched_log=_get(env, "UNMATCHED_LOG", _switch, False),
        unmatched_days=_get(env, "UNMATCHED_DAYS", _int_in(1, 365, "a whole number of days"), 30),
        resources_poll_seconds=_get(env, "RESOURCES_POLL_SECONDS", _poll_seconds, 3.0),
        admin_user_ids=_get(env, "ADMIN_USER_IDS", _int_list, ()),
        http_header_timeout=_get(env, "HTTP_HEADER_TIMEOUT", _HTTP_SECONDS, 10.0),
        http_body_timeout=_get(env, "HTTP_BODY_TIMEOUT", _HTTP_SECONDS, 10.0),
        http_max_connections=_get(
            env, "HTTP_MAX_CONNECTIONS", _int_in(16, 100_000, "a whole number of connections"), 500
        ),
        flood_limit=_get(
            env, "FLOOD_LIMIT", _flood_limit, cast(tuple[int, float] | None, DEFAULT_FLOOD_LIMIT)
        ),
        semantic=_get(env, "HRBOT_SEMANTIC", _choice(SEMANTIC_MODES), "auto"),
        cache_dir=_cache_dir(env),
    )


@dataclass(frozen=True, slots=True)
class ToolSettings:
    """What the commands without a token read (chat, ask, validate, services, geocode)."""

    resources_dir: Path | None = None  # RESOURCES_DIR; None: the bundled resources
    default_region: str | None = None  # DEFAULT_REGION
    geocoder_domain: str | None = None  # GEOCODER_DOMAIN (hrbot geocode)
    geocoder_user_agent: str | None = None  # GEOCODER_USER_AGENT (hrbot geocode)
    cache_dir: Path | None = None  # HRBOT_CACHE_DIR (ask, chat); None: no resource cache
    semantic: Semantic = "auto"  # HRBOT_SEMANTIC (ask, chat)


def load_tool_settings(environ: Mapping[str, str]) -> ToolSettings:
    """The token-less commands' settings; the same variables as ``hrbot run``."""
    env = {k: v.strip() for k, v in environ.items() if v.strip()}
    region = env.get("DEFAULT_REGION")
    return ToolSettings(
        resources_dir=_get(env, "RESOURCES_DIR", Path, None),
        default_region=region.lower() if region else None,
        geocoder_domain=env.get("GEOCODER_DOMAIN"),
        geocoder_user_agent=env.get("GEOCODER_USER_AGENT"),
        cache_dir=_cache_dir(env),
        semantic=_get(env, "HRBOT_SEMANTIC", _choice(SEMANTIC_MODES), "auto"),
    )


def _cache_dir(env: Mapping[str, str]) -> Path | None:
    """HRBOT_CACHE_DIR, ``off`` for none; by default ``$XDG_CACHE_HOME/hrbot`` (or
    ``~/.cache/hrbot``), none when there is no home to put it in."""
    raw = env.get("HRBOT_CACHE_DIR")
    if raw is not None:
        return None if raw.lower() == "off" else Path(raw)
    if "XDG_CACHE_HOME" in env:
        return Path(env["XDG_CACHE_HOME"]) / "hrbot"
    return Path(env["HOME"]) / ".cache" / "hrbot" if "HOME" in env else None


def _get(env: Mapping[str, str], name: str, parse: Callable[[str], T], default: T) -> T:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ConfigError(name, str(exc)) from None


def _int_in(lo: int, hi: int, what: str) -> Callable[[str], int]:
    """A whole number from ``lo`` to ``hi``; ``what`` names it in the error."""

    def parse(raw: str) -> int:
        if not raw.isdigit() or not lo <= int(raw) <= hi:
            raise ValueError(f"must be {what} from {lo} to {hi}")
        return int(raw)

    return parse


def _seconds_in(lo: float, hi: float) -> Callable[[str], float]:
    """A number of seconds from ``lo`` to ``hi``."""

    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = lo - 1
        if not lo <= value <= hi:
            raise ValueError(f"must be a number of seconds from {lo:g} to {hi:g}")
        return value

    return parse


_PORT = _int_in(1, 65535, "a port number")
_HTTP_SECONDS = _seconds_in(1, 300)


def _poll_seconds(raw: str) -> float:
    # 0 turns the watcher off (then only /reload picks up edits).
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (value == 0 or 0.5 <= value <= 3600):
        raise ValueError("must be 0 (off) or a number of seconds from 0.5 to 3600")
    return value


def _url(*schemes: str) -> Callable[[str], SecretStr]:
    # The address may carry a password: it is kept secret and never echoed in errors.
    def parse(raw: str) -> SecretStr:
        parts = urlsplit(raw)
        if parts.scheme not in schemes or not (parts.netloc or parts.path):
            raise ValueError(f"must be a {schemes[0]}://... address")
        return SecretStr(raw)

    return parse


def _flood_limit(raw: str) -> tuple[int, float] | None:
    # "20/60": at most 20 messages from one chat in 60 seconds; "off": no limit.
    if raw.lower() in _OFF:
        return None
    count, _, seconds = raw.partition("/")
    if not (
        count.isdigit()
        and seconds.isdigit()
        and 1 <= int(count) <= 10_000
        and 1 <= int(seconds) <= 3600
    ):
        raise ValueError("must be off or MESSAGES/SECONDS, like 20/60")
    return int(count), float(seconds)


def _http_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http:// or https:// address")
    return raw


def _path(raw: str) -> str:
    if not re.fullmatch(r"/[A-Za-z0-9_./-]*", raw):
        raise ValueError("must be a URL path starting with / (letters, digits, _ . / -)")
    return raw


def _int_list(raw: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ValueError("must be comma-separated chat ids (integers)") from None


def _switch(raw: str) -> bool:
    if raw.lower() in _ON:
        return True
    if raw.lower() in _OFF:
        return False
    raise ValueError("must be on or off")


def _choice(allowed: tuple[S, ...], *, upper: bool = False) -> Callable[[str], S]:
    """One of ``allowed``, in any case."""

    def parse(raw: str) -> S:
        value = raw.upper() if upper else raw.lower()
        for choice in allowed:
            if value == choice:
                return choice
        raise ValueError(f"must be one of: {', '.join(allowed)}")

    return parse
