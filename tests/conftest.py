"""Session-wide servers for the tests that run on PostgreSQL and Redis (see tests/servers.py)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import psycopg
import pytest

from tests.servers import PostgresServer, RedisServer, postgres_server, redis_server

_databases = itertools.count(1)


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
