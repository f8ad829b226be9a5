"""The resource cache of ``hrbot ask``/``chat`` (bot.rescache): a warm cache answers
exactly as a fresh load; any edited byte, a loose directory, a corrupt entry or an
unwritable place means a normal load, and a broken file is never hidden."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from bot import cli, rescache
from bot.config import load_tool_settings
from bot.layout import BUNDLED
from bot.resources import Resources, load_resources
from bot.session import Session
from bot.yamlsource import ResourceError

MESSAGES = [
    "what is naloxone",
    "my friend is not breathing",
    "where can i get naloxone in vancouver",
    "qu'est-ce que la naloxone",
    "i want to die",
    "narcan side efects",
]
KB_FILE = "intents/naloxone.yaml"
ANSWER = "Naloxone is a medicine"


def _answers(resources: Resources) -> list[tuple[str, tuple[str, ...], str | None]]:
    found: list[tuple[str, tuple[str, ...], str | None]] = []
    for message in MESSAGES:
        reply = resources.dialogue.respond(message, Session())
        found.append((reply.text, tuple(b.label for b in reply.buttons), reply.intent))
    return found


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return Path(shutil.copytree(BUNDLED, tmp_path / "resources"))


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("resources-*.pickle"))


def _no_fresh_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> Resources:
        raise AssertionError("expected a cache hit, got a fresh load")

    monkeypatch.setattr(rescache, "load_resources", refuse)


def test_warm_cache_answers_as_a_fresh_load(
    root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = _answers(load_resources(root))
    cold = rescache.load_resources_cached(root, cache)
    assert len(_entries(cache)) == 1
    assert (cache.stat().st_mode & 0o777) == 0o700
    _no_fresh_load(monkeypatch)
    warm = rescache.load_resources_cached(root, cache)
    assert warm is not cold
    assert _answers(warm) == _answers(cold) == fresh
    assert warm.warnings == cold.warnings


def test_an_edited_resource_file_invalidates_the_cache(root: Path, cache: Path) -> None:
    rescache.load_resources_cached(root, cache)
    before = _entries(cache)
    path = root / KB_FILE
    text = path.read_text(encoding="utf-8")
    assert ANSWER in text
    path.write_text(text.replace(ANSWER, "EDITED. " + ANSWER, 1), encoding="utf-8")
    edited = rescache.load_resources_cached(root, cache)
    reply = edited.dialogue.respond("what is naloxone", Session())
    assert reply.text.startswith("EDITED. ")
    after = _entries(cache)
    assert len(after) == 1 and after != before  # the stale entry is gone


def test_a_broken_file_is_reported_not_served_from_cache(root: Path, cache: Path) -> None:
    rescache.load_resources_cached(root, cache)
    path = root / KB_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n")
    with pytest.raises(ResourceError) as raised:
        rescache.load_resources_cached(root, cache)
    assert any(p.file.endswith("naloxone.yaml") for p in raised.value.problems)
    with pytest.raises(ResourceError):  # and a failed load writes nothing
        rescache.load_resources_cached(root, cache)


def test_a_group_writable_cache_dir_is_ignored(
    root: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rescache.load_resources_cached(root, cache)
    entry = _entries(cache)[0]
    entry.write_bytes(b"not what we wrote")  # would crash if it were read
    cache.chmod(0o770)
    loaded = rescache.load_resources_cached(root, cache)
    assert loaded.dialogue.respond("what is naloxone", Session()).text.startswith(ANSWER)
    assert entry.read_bytes() == b"not what we wrote"  # neither read nor rewritten
    assert "not private" in caplog.text


def test_a_world_writable_cache_file_is_ignored(
    root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rescache.load_resources_cached(root, cache)
    _entries(cache)[0].chmod(0o666)
    loads: list[Path] = []

    def counting(path: Path, **kwargs: object) -> Resources:
        loads.append(path)
        return load_resources(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rescache, "load_resources", counting)
    rescache.load_resources_cached(root, cache)
    assert loads == [root]


def test_a_corrupt_cache_file_means_a_normal_load(root: Path, cache: Path) -> None:
    rescache.load_resources_cached(root, cache)
    entry = _entries(cache)[0]
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])  # truncated, as by a full disk
    loaded = rescache.load_resources_cached(root, cache)
    assert _answers(loaded) == _answers(load_resources(root))
    assert entry.read_bytes() == data  # rewritten whole


def test_an_unwritable_cache_place_means_a_normal_load(root: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    loaded = rescache.load_resources_cached(root, blocker / "hrbot")
    assert loaded.dialogue.respond("what is naloxone", Session()).text.startswith(ANSWER)


def test_cache_dir_setting() -> None:
    assert load_tool_settings({"HRBOT_CACHE_DIR": "off"}).cache_dir is None
    assert load_tool_settings({"HRBOT_CACHE_DIR": "/c"}).cache_dir == Path("/c")
    assert load_tool_settings({"XDG_CACHE_HOME": "/x", "HOME": "/h"}).cache_dir == Path("/x/hrbot")
    assert load_tool_settings({"HOME": "/h"}).cache_dir == Path("/h/.cache/hrbot")
    assert load_tool_settings({}).cache_dir is None


def test_ask_prints_the_same_with_a_warm_cache(
    root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ask() -> str:
        out = io.StringIO()
        monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(MESSAGES) + "\n"))
        monkeypatch.setattr("sys.stdout", out)
        assert cli.main(["ask", "--resources", str(root)]) == 0
        return out.getvalue()

    monkeypatch.setenv("HRBOT_CACHE_DIR", "off")
    uncached = ask()
    monkeypatch.setenv("HRBOT_CACHE_DIR", str(cache))
    assert ask() == uncached  # cold: loads and writes
    assert _entries(cache)
    _no_fresh_load(monkeypatch)
    assert ask() == uncached  # warm
