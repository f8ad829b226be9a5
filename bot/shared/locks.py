"""One polling replica per bot token: a lease in Redis, or an advisory lock in PostgreSQL.

Telegram hands each update to one ``getUpdates`` caller; two polling replicas would fight
over them (409 Conflict) and split conversations. Webhook mode is the way to scale out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets

import psycopg
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.shared.client import PREFIX

logger = logging.getLogger(__name__)

LOCK_KEY = f"{PREFIX}polling"
LEASE_S = 30
POLLING_LOCK = 0x68726270  # "hrbp": pg_try_advisory_lock's key

# Deletes or extends the lease only if it is still ours.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""


class RedisPollingLock:
    """``SET NX`` with a lease, renewed while this replica runs; freed at stop."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._token = secrets.token_hex(8)
        self._renew = redis.register_script(_RENEW)
        self._task: asyncio.Task[None] | None = None

    async def acquire(self) -> bool:
        """True if no other replica polls; then keep the lease until ``release``."""
        taken = await self._redis.set(LOCK_KEY, self._token, nx=True, ex=LEASE_S)
        if taken:
            self._task = asyncio.create_task(self._keep(), name="polling-lock")
        return bool(taken)

    async def _keep(self) -> None:
        while True:
            await asyncio.sleep(LEASE_S / 3)
            try:
                if not await self._renew(keys=[LOCK_KEY], args=[self._token, LEASE_S * 1000]):
                    logger.error("another replica took the polling lock")
            except (RedisError, OSError) as exc:
                logger.warning("could not renew the polling lock (%s)", type(exc).__name__)

    async def release(self) -> None:
        """Stop renewing and free the lock."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
            with contextlib.suppress(RedisError, OSError):
                await self._renew(keys=[LOCK_KEY], args=[self._token, 0])


class PostgresPollingLock:
    """A session advisory lock on a connection of its own, held while the replica runs
    (PostgreSQL frees it if the process dies)."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._conn: psycopg.Connection[tuple[bool]] | None = None

    async def acquire(self) -> bool:
        """True if no other replica polls."""
        conn: psycopg.Connection[tuple[bool]] = await asyncio.to_thread(
            psycopg.connect, self._url, autocommit=True, connect_timeout=5
        )
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (POLLING_LOCK,)).fetchone()
        if row and row[0]:
            self._conn = conn
            return True
        conn.close()
        return False

    async def release(self) -> None:
        """Free the lock."""
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                # Unlock first: the server ends a closed session's backend a moment later.
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (POLLING_LOCK,))
                self._conn.close()
            self._conn = None
