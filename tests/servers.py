"""Throwaway PostgreSQL and Redis servers for the tests, on free ports under a temp dir.

Both come from Debian's packages (``postgresql``, ``redis-server``; ``.ci/run`` installs
them). PostgreSQL refuses to run as root, so when the tests run as root (CI does) the
cluster belongs to the ``postgres`` user the package creates (or ``nobody``) and
``initdb``/``pg_ctl`` run through ``runuser``. Without the binaries a test is skipped with
the reason, except under ``CI=true``, where a missing server is a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def missing(what: str) -> None:
    """Skip (or, under CI, fail) a test that needs a server this machine does not have."""
    reason = f"{what} is not installed (apt-get install postgresql redis-server)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the server tests: {reason}")
    pytest.skip(reason)


def _pg_bin(name: str) -> str | None:
    versions = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return versions[-1] if versions else shutil.which(name)


def _unprivileged() -> pwd.struct_passwd | None:
    """The user to run PostgreSQL as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    pytest.fail("running as root and neither a 'postgres' nor a 'nobody' user exists")


@dataclass
class PostgresServer:
    """A running cluster; ``url(db)`` addresses one of its databases."""

    port: int
    datadir: Path
    pg_ctl: str
    user: pwd.struct_passwd | None

    def url(self, database: str = "postgres") -> str:
        """The DATABASE_URL of ``database``."""
        return f"postgresql://hrbot@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        """Start (or restart) the cluster and wait until it accepts connections."""
        _run(
            self.user,
            [
                self.pg_ctl,
                "-D",
                str(self.datadir),
                "-l",
                str(self.datadir.parent / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
        )

    def stop(self) -> None:
        """Stop the cluster (fast shutdown)."""
        _run(self.user, [self.pg_ctl, "-D", str(self.datadir), "-m", "fast", "-w", "stop"])


def _run(user: pwd.struct_passwd | None, command: list[str]) -> None:
    if user is not None:
        command = ["runuser", "-u", user.pw_name, "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stdout}\n{result.stderr}")


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a cluster in a temp dir; stop and delete it afterwards."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        missing("PostgreSQL (initdb, pg_ctl)")
    assert initdb is not None and pg_ctl is not None
    user = _unprivileged()
    top = Path(tempfile.mkdtemp(prefix="hrbot-pg-"))
    datadir = top / "data"
    datadir.mkdir()
    if user is not None:
        os.chown(top, user.pw_uid, user.pw_gid)
        os.chown(datadir, user.pw_uid, user.pw_gid)
    server = PostgresServer(free_port(), datadir, pg_ctl, user)
    try:
        _run(
            user,
            [
                initdb,
                "-D",
                str(datadir),
                "-U",
                "hrbot",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
        )
        with (datadir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            # Loopback only, no socket file, and speed over durability: it is thrown away.
            conf.write(
                f"\nport = {server.port}\nlisten_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\n"
                "max_connections = 200\n"
            )
        server.start()
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.stop()
        shutil.rmtree(top, ignore_errors=True)


@dataclass
class RedisServer:
    """A redis-server without persistence; ``stop``/``start`` keep its port."""

    port: int
    binary: str
    dir: Path
    process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        """The REDIS_URL of logical database ``db``."""
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        """Start it and wait until it accepts connections."""
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
                "--databases",
                "16",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1),
            ):
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop it (everything in it is gone: no persistence)."""
        if self.process is None:
            return
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextlib.contextmanager
def redis_server() -> Iterator[RedisServer]:
    """Start redis-server without persistence in a temp dir; stop it afterwards."""
    binary = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if binary is None:
        missing("redis-server")
    assert binary is not None
    server = RedisServer(free_port(), binary, Path(tempfile.mkdtemp(prefix="hrbot-redis-")))
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


async def wait_healthy(
    url: str, process: asyncio.subprocess.Process, log: Path, timeout: float = 40
) -> None:
    """Wait until the bot process at ``url`` answers /healthz with 200 (fail with its log)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.returncode is not None or time.monotonic() > deadline:
            pytest.fail(f"the bot did not start:\n{log.read_text()[-3000:]}")
        try:
            async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
