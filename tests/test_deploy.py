"""compose.yaml and the Caddyfile say what the README promises: two webhook replicas on one
PostgreSQL and one Redis (started healthy first), Redis without persistence, and a TLS
proxy that sends /telegram only to replicas passing /healthz. (No container engine with
compose on the build machines: this reads the files; the image itself is run by
``make container-test``.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent


def _compose() -> dict[str, Any]:
    data = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_two_webhook_replicas_share_postgres_and_redis() -> None:
    """Both bots run webhook mode with DATABASE_URL and REDIS_URL on the compose network,
    after PostgreSQL and Redis report healthy."""
    services = _compose()["services"]
    assert {"bot-1", "bot-2", "postgres", "redis", "proxy"} <= set(services)
    for name in ("bot-1", "bot-2"):
        bot = services[name]
        env = bot["environment"]
        assert env["BOT_MODE"] == "webhook"
        assert (
            env["DATABASE_URL"].startswith("postgresql://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["WEBHOOK_URL"].endswith("/telegram")
        assert bot["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
        assert bot["read_only"] is True
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-1] == "ping"


def test_redis_keeps_nothing_on_disk() -> None:
    """No RDB snapshots and no append-only file: nothing outlives its TTL."""
    command = _compose()["services"]["redis"]["command"]
    assert command[command.index("--save") + 1] == ""
    assert command[command.index("--appendonly") + 1] == "no"


def test_the_proxy_terminates_tls_and_checks_health() -> None:
    """Caddy publishes 443 for BOT_DOMAIN and balances /telegram over both replicas with
    /healthz checks; everything else is 404."""
    proxy = _compose()["services"]["proxy"]
    assert "443:443" in proxy["ports"]
    assert any(volume.startswith("./deploy/Caddyfile:") for volume in proxy["volumes"])
    caddyfile = (REPO / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "{$BOT_DOMAIN} {" in caddyfile
    assert "reverse_proxy bot-1:8443 bot-2:8443" in caddyfile
    assert "health_uri /healthz" in caddyfile
    assert "handle /telegram" in caddyfile and "respond 404" in caddyfile
