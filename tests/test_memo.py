"""The load-time memo: results shared within one load only, never across threads."""

from __future__ import annotations

import threading

import pytest

import bot.text
from bot.memo import LoadMemo
from bot.resources import default_resources_dir, load_resources
from bot.text import fold


def _counting() -> tuple[list[str], LoadMemo[str, str]]:
    calls: list[str] = []
    return calls, LoadMemo("test")


def test_remembers_only_inside_the_block() -> None:
    calls, memo = _counting()

    def upper(key: str) -> str:
        calls.append(key)
        return key.upper()

    assert memo.get("a", upper) == "A"
    assert memo.get("a", upper) == "A"
    assert calls == ["a", "a"]  # not active: nothing kept
    calls.clear()
    with memo.active():
        assert [memo.get(k, upper) for k in ("a", "b", "a", "a")] == ["A", "B", "A", "A"]
        with memo.active():  # a nested block shares the outer memo
            assert memo.get("b", upper) == "B"
    assert calls == ["a", "b"]
    assert memo.get("a", upper) == "A"
    assert calls == ["a", "b", "a"]  # dropped at the end of the block


def test_an_error_is_not_remembered() -> None:
    calls, memo = _counting()

    def failing(key: str) -> str:
        calls.append(key)
        raise ValueError(key)

    with memo.active():
        for _ in range(2):
            with pytest.raises(ValueError):
                memo.get("x", failing)
    assert calls == ["x", "x"]


def test_another_thread_does_not_share_a_load_memo() -> None:
    _, memo = _counting()
    seen: list[str] = []

    def other_thread() -> None:
        seen.append(memo.get("k", lambda k: "other"))
        seen.append(memo.get("k", lambda k: "again"))

    with memo.active():
        assert memo.get("k", lambda k: "mine") == "mine"
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert seen == ["other", "again"]


def test_a_load_folds_each_text_once_and_keeps_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = bot.text._fold

    def counted(text: str) -> str:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(bot.text, "_fold", counted)
    load_resources(default_resources_dir())
    assert calls and len(calls) == len(set(calls))
    calls.clear()
    assert fold("Naloxone") == fold("Naloxone") == "naloxone"
    assert calls == ["Naloxone", "Naloxone"]  # after the load, fold keeps nothing
