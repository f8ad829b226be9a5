"""Two real ``hrbot run`` webhook replicas on one PostgreSQL and one Redis, acting as one bot.

Each replica talks to its own fake Bot API (so we can tell who sent what; both run in this
process, on one clock). Updates are posted alternately to each, the way a round-robin proxy
would. The figures the README quotes are printed here (run with ``-s``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
import pytest
import pytest_asyncio
import redis

from tests.fake_bot_api import TOKEN, Call, FakeBotAPI
from tests.servers import PostgresServer, RedisServer, free_port, wait_healthy
from tests.tg_fixtures import USER_ID, callback, message

REPO = Path(__file__).resolve().parent.parent
SECRET = "replicas_e2e-secret"
STAFF = -100777
SUBSCRIBERS = range(7_000_001, 7_002_001)
WORKERS = 8  # per replica: the most deliveries a kill can leave in flight
ALERTS_PER_SECOND = 20  # the default; the BULK lane allows 20 of 30 as well
LEASE_S = 5

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


@dataclass
class Replica:
    """One ``hrbot run`` process with its own port and fake Bot API."""

    name: str
    env: dict[str, str]
    api: FakeBotAPI
    log: Path
    port: int = field(default_factory=free_port)
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        """The webhook server's root."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self, **overrides: str) -> None:
        """Start the process (not waiting for it to be ready)."""
        env = {
            **self.env,
            "WEBHOOK_PORT": str(self.port),
            "TELEGRAM_API_BASE_URL": self.api.root,
            **overrides,
        }
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                "run",
                cwd=self.log.parent,
                env=env,
                stdout=out,
                stderr=out,
            )

    async def ready(self) -> None:
        """Wait for /healthz to answer ok."""
        assert self.process is not None
        await wait_healthy(self.url, self.process, self.log)

    async def stop(self) -> None:
        """SIGTERM and wait; it must exit cleanly."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(self.process.wait(), 30) == 0

    async def kill(self) -> None:
        """SIGKILL: no chance to record or give anything back."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    def alive(self) -> bool:
        """True while the process runs."""
        return self.process is not None and self.process.returncode is None


@dataclass
class Cluster:
    """Two replicas, their database and Redis."""

    a: Replica
    b: Replica
    db_url: str
    resources: Path
    http: aiohttp.ClientSession

    @property
    def replicas(self) -> tuple[Replica, Replica]:
        """Both."""
        return self.a, self.b

    async def post(self, replica: Replica, update: dict[str, Any]) -> None:
        """POST one update to ``replica``'s webhook, as Telegram (or the proxy) would."""
        async with self.http.post(
            f"{replica.url}/telegram",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ) as response:
            assert response.status == 200, await response.text()

    def calls(self, method: str) -> list[Call]:
        """Successful ``method`` calls on both APIs, in time order."""
        both = [c for r in self.replicas for c in r.api.sent(method)]
        return sorted(both, key=lambda c: c.at)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows from the shared database."""
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            return list(conn.execute(sql.encode()).fetchall())


def _received(cluster: Cluster, tag: str, replica: Replica | None = None) -> Counter[int]:
    apis = [replica.api] if replica else [r.api for r in cluster.replicas]
    return Counter(
        int(c.params["chat_id"])
        for api in apis
        for c in api.sent("sendMessage")
        if tag in c.text and "Drug alert" in c.text and c.params["chat_id"] != STAFF
    )  # not the staff's preview


async def _until(what: Callable[[], bool], timeout: float, why: str, cluster: Cluster) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        if time.monotonic() > deadline:
            logs = "\n".join(r.log.read_text()[-2000:] for r in cluster.replicas)
            pytest.fail(f"timed out: {why}\n{logs}")
        await asyncio.sleep(0.2)


def _busiest_second(times: Iterable[float]) -> int:
    ordered = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(ordered):
        while ordered[lo] <= t - 1.0:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def cluster(postgres: PostgresServer, redis_srv: RedisServer) -> AsyncIterator[Cluster]:
    """Two replicas started at the same moment on an empty database (migrations race)."""
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS replicas_e2e")
        conn.execute("CREATE DATABASE replicas_e2e TEMPLATE template0")
    client = redis.Redis.from_url(redis_srv.url())
    client.flushall()
    client.close()
    # Its own temp dir: a pytest started meanwhile on a shared machine may prune old ones.
    workdir = Path(tempfile.mkdtemp(prefix="hrbot-replicas-"))
    resources = workdir / "resources"
    shutil.copytree(REPO / "resources", resources)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": "https://bot.example.org/telegram",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "RESOURCES_DIR": str(resources),
        "RESOURCES_POLL_SECONDS": "1",
        "ADMIN_CHAT_IDS": str(STAFF),
        "ADMIN_USER_IDS": str(USER_ID),  # the staff member in that chat
        "DATABASE_URL": postgres.url("replicas_e2e"),
        "REDIS_URL": redis_srv.url(),
        "ALERTS_PER_SECOND": str(ALERTS_PER_SECOND),
        "ALERT_LEASE_SECONDS": str(LEASE_S),
        "RATE_LIMIT": "off",  # the 2,000 subscriptions go fast; the broadcasts run with it on
        "LOG_LEVEL": "DEBUG",
    }
    replicas = []
    for name in ("a", "b"):
        api = FakeBotAPI()
        await api.start()
        (workdir / name).mkdir()
        replicas.append(Replica(name, env, api, workdir / name / "stderr.log"))
    await asyncio.gather(*(r.start() for r in replicas))
    await asyncio.gather(*(r.ready() for r in replicas))
    async with aiohttp.ClientSession() as http:
        yield Cluster(replicas[0], replicas[1], postgres.url("replicas_e2e"), resources, http)
    for replica in replicas:
        await replica.stop()
        await replica.api.stop()
    logs = [replica.log.read_text() for replica in replicas]
    shutil.rmtree(workdir, ignore_errors=True)
    for text in logs:
        assert "Traceback" not in text
        assert not any(str(chat) in text for chat in (SUBSCRIBERS[0], SUBSCRIBERS[-1]))


async def test_the_same_update_posted_to_both_replicas_is_answered_once(cluster: Cluster) -> None:
    """Telegram re-delivering an update to the other replica gets no second answer."""
    update = message("what is naloxone", chat_id=6_100_001)
    await asyncio.gather(cluster.post(cluster.a, update), cluster.post(cluster.b, update))
    await asyncio.sleep(1.5)
    answers = [c for c in cluster.calls("sendMessage") if c.params["chat_id"] == 6_100_001]
    assert len(answers) == 1


async def test_a_location_shared_on_one_replica_serves_a_where_question_on_the_other(
    cluster: Cluster,
) -> None:
    """Location to A; 'where can I get naloxone' on B lists services near that location
    (directly, or through its 'Find the nearest' button); without the shared location B
    would ask where the person is."""
    chat, here = 6_100_002, (49.2820, -123.1003)

    def venues(replica: Replica) -> list[Call]:
        return [c for c in replica.api.sent("sendVenue") if c.params["chat_id"] == chat]

    await cluster.post(cluster.a, message(location=here, chat_id=chat))
    await _until(lambda: bool(venues(cluster.a)), 10, "A answers the location", cluster)
    await cluster.post(cluster.b, message("where can I get naloxone", chat_id=chat))
    await _until(
        lambda: any(c.params["chat_id"] == chat for c in cluster.b.api.sent("sendMessage")),
        10,
        "B answers",
        cluster,
    )
    await asyncio.sleep(0.5)  # the venue pin follows the answer
    if not venues(cluster.b):
        [answer] = [c for c in cluster.b.api.sent("sendMessage") if c.params["chat_id"] == chat]
        buttons = [b["callback_data"] for row in answer.markup["inline_keyboard"] for b in row]
        assert "find:naloxone" in buttons
        await cluster.post(cluster.b, callback("find:naloxone", chat_id=chat))
    await _until(
        lambda: bool(venues(cluster.b)), 10, "B lists services near the shared location", cluster
    )
    venue = venues(cluster.b)[-1]
    assert abs(venue.params["latitude"] - here[0]) < 0.05
    assert abs(venue.params["longitude"] - here[1]) < 0.05


async def test_an_emergency_on_one_replica_keeps_its_thread_on_the_other(cluster: Cluster) -> None:
    """The emergency answer from A; "still nothing" on B gets the steps that matter now
    (the thread travels with the session in Redis), not "I'm not sure I understood"."""
    chat = 6_100_003

    def answers(replica: Replica) -> list[Call]:
        return [c for c in replica.api.sent("sendMessage") if c.params["chat_id"] == chat]

    await cluster.post(cluster.a, message("my friend is not breathing", chat_id=chat))
    await _until(lambda: bool(answers(cluster.a)), 10, "A answers the emergency", cluster)
    await cluster.post(cluster.b, message("still nothing", chat_id=chat))
    await _until(lambda: bool(answers(cluster.b)), 10, "B answers the fragment", cluster)
    follow_up = answers(cluster.b)[0]  # (a location request may follow it)
    assert follow_up.text.startswith("<b>Call 911")
    assert "another dose" in follow_up.text


async def _subscribe_everyone(cluster: Cluster) -> None:
    gate = asyncio.Semaphore(32)

    async def one(index: int, chat: int) -> None:
        async with gate:
            await cluster.post(
                cluster.replicas[index % 2], callback("alerts:on:vancouver", chat_id=chat)
            )

    await asyncio.gather(*(one(i, c) for i, c in enumerate(SUBSCRIBERS)))
    await _until(
        lambda: (
            cluster.query("SELECT count(*) FROM alert_subscriptions WHERE chat_id >= 7000001")[0][0]
            == 2000
        ),
        60,
        "2,000 subscriptions stored",
        cluster,
    )


async def _staff_step(
    cluster: Cluster, replica: Replica, update: dict[str, Any], expect: str
) -> None:
    def answered() -> bool:
        return any(
            c.params["chat_id"] == STAFF and expect in c.text
            for c in replica.api.sent("sendMessage")
        )

    await cluster.post(replica, update)
    await _until(answered, 15, f"staff step answered on {replica.name}: {expect}", cluster)


async def test_2000_subscribers_made_through_either_replica_get_a_staff_alert_once(
    cluster: Cluster,
) -> None:
    """Subscriptions through both; replicas restarted with rate limiting on; a staff /alert
    whose every step goes to the other replica publishes; both replicas share the work;
    each subscriber gets it exactly once; the two together stay within 30 messages/s; the
    staff message ends with the right totals."""
    await _subscribe_everyone(cluster)
    for replica in cluster.replicas:
        await replica.stop()
    await asyncio.gather(*(r.start(RATE_LIMIT="on") for r in cluster.replicas))
    await asyncio.gather(*(r.ready() for r in cluster.replicas))

    a, b = cluster.replicas
    await _staff_step(cluster, a, message("/alert", chat_id=STAFF), "Which region?")
    await _staff_step(
        cluster, b, callback("alertadm:region:vancouver", chat_id=STAFF), "Until when?"
    )
    await _staff_step(cluster, a, callback("alertadm:exp:24", chat_id=STAFF), "in English")
    await _staff_step(
        cluster,
        b,
        message("Benzos in green down (staff-e2e).", chat_id=STAFF, reply_to_bot=True),
        "French",
    )
    await _staff_step(cluster, a, message("/skip", chat_id=STAFF), "Send it to 2000")
    start = time.monotonic()
    await _staff_step(cluster, b, callback("alertadm:send", chat_id=STAFF), "Queued for 2,000")

    await _until(
        lambda: len(_received(cluster, "staff-e2e")) == 2000,
        180,
        "every subscriber reached",
        cluster,
    )
    await _until(
        lambda: any("2,000 delivered" in c.text for c in cluster.calls("editMessageText")),
        30,
        "the staff message shows the totals",
        cluster,
    )
    got = _received(cluster, "staff-e2e")
    assert set(got) == set(SUBSCRIBERS) and set(got.values()) == {1}
    by_a, by_b = len(_received(cluster, "staff-e2e", a)), len(_received(cluster, "staff-e2e", b))
    assert min(by_a, by_b) > 400  # both replicas did a fair share
    alerts = [
        c.at
        for c in cluster.calls("sendMessage")
        if "staff-e2e" in c.text and c.params["chat_id"] != STAFF
    ]
    everything = [c.at for r in cluster.replicas for c in r.api.outgoing() if c.at >= start]
    busiest = _busiest_second(everything)
    assert busiest <= 30
    rate = (len(alerts) - 1) / (alerts[-1] - alerts[0])
    print(
        f"\n[replicas] two replicas: 2,000 alerts in {alerts[-1] - alerts[0]:.1f} s "
        f"({rate:.1f}/s; A {by_a}, B {by_b}); busiest second {busiest} messages"
    )
    final = [c.text for c in cluster.calls("editMessageText") if "delivered" in c.text]
    assert "2,000 delivered, 0 failed, 0 blocked" in final[-1]
    assert cluster.query(
        "SELECT sent, failed, blocked, skipped FROM alerts WHERE text_en LIKE '%staff-e2e%'"
    ) == [(2000, 0, 0, 0)]


async def _file_alert_until(cluster: Cluster, tag: str, sent: int) -> None:
    """Drop an alert file where both replicas look; wait until ``sent`` have it."""
    expires = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    (cluster.resources / "alerts" / f"{tag}.yaml").write_text(
        f"id: {tag}\nregion: vancouver\nexpires: {expires}\n"
        f"text:\n  en: Fentanyl in pressed pills ({tag}).\n",
        encoding="utf-8",
    )
    await _until(lambda: len(_received(cluster, tag)) >= sent, 120, f"{sent} sent", cluster)


async def test_a_replica_killed_mid_broadcast_the_other_finishes_it(cluster: Cluster) -> None:
    """An alert file both replicas see is published once; A is SIGKILLed at 500; B sends
    the rest, takes over A's leased deliveries when their lease ends, and the totals are
    right. Duplicates only for what A had in flight."""
    a, b = cluster.replicas
    tag = "kill-e2e"
    await _file_alert_until(cluster, tag, 500)
    await a.kill()
    killed = time.monotonic()
    try:
        await _survivor_finishes(cluster, b, tag, killed)
    finally:
        await a.start(RATE_LIMIT="on")  # the next test needs both again
        await a.ready()


async def _survivor_finishes(cluster: Cluster, b: Replica, tag: str, killed: float) -> None:
    held = dict(
        cluster.query("SELECT chat_id, lease_until FROM alert_deliveries WHERE status = 'sending'")
    )
    await asyncio.sleep(1.5)
    still = dict(
        cluster.query("SELECT chat_id, lease_until FROM alert_deliveries WHERE status = 'sending'")
    )
    # Rows whose lease did not move are the dead replica's (the survivor's turn over fast).
    orphans = {chat for chat, lease in held.items() if still.get(chat) == lease}
    await _until(
        lambda: set(_received(cluster, tag)) == set(SUBSCRIBERS),
        180,
        "the survivor reaches everyone",
        cluster,
    )
    got = _received(cluster, tag)
    duplicates = sum(got.values()) - len(SUBSCRIBERS)
    assert duplicates <= WORKERS
    taken_over = [
        c.at
        for c in b.api.sent("sendMessage")
        if tag in c.text and int(c.params["chat_id"]) in orphans
    ]
    recovery = max(taken_over) - killed if taken_over else float("nan")
    assert not taken_over or recovery < LEASE_S + 10  # a lease, then the next batch
    await _until(
        lambda: cluster.query(f"SELECT status FROM alerts WHERE id = 'file:{tag}'") == [("done",)],
        30,
        "the broadcast closed",
        cluster,
    )
    assert cluster.query(
        f"SELECT total, sent, failed, blocked, skipped FROM alerts WHERE id = 'file:{tag}'"
    ) == [(2000, 2000, 0, 0, 0)]
    print(
        f"\n[replicas] SIGKILL at 500: {len(orphans)} leased deliveries taken over "
        f"{recovery:.1f} s after the kill (lease {LEASE_S} s); {duplicates} duplicates"
    )


async def test_a_replica_stopped_mid_broadcast_the_other_reaches_everyone(cluster: Cluster) -> None:
    """B is stopped (SIGTERM) at 500: its unsent batch is given back at once; A reaches
    everyone, alone at the same pace."""
    a, b = cluster.replicas
    tag = "stop-e2e"
    await _file_alert_until(cluster, tag, 500)
    await b.stop()
    stopped = time.monotonic()
    await _until(
        lambda: set(_received(cluster, tag)) == set(SUBSCRIBERS),
        180,
        "the other replica reaches everyone",
        cluster,
    )
    got = _received(cluster, tag)
    # The stopped replica finishes its calls in flight and gives back the rest; a call cut
    # off by the stop's grace period (a loaded machine) may be sent again, never lost.
    duplicates = sum(got.values()) - len(SUBSCRIBERS)
    assert duplicates <= WORKERS
    alone = [c.at for c in a.api.sent("sendMessage") if tag in c.text and c.at > stopped + 1]
    rate = (len(alone) - 1) / (alone[-1] - alone[0])
    print(
        f"\n[replicas] one replica alone: {rate:.1f} alerts/s; {duplicates} duplicates "
        "after the stop"
    )
    await b.start(RATE_LIMIT="on")
    await b.ready()
