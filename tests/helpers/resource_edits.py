"""Private copies of the resources that validate cleanly, and small line-level edits
for breaking them on purpose (the validate and content-check tests)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot import validation
from bot.validation import check_resources
from bot.yamlsource import Problem


def make_clean(source: Path, root: Path) -> Path:
    """Copy ``source`` to ``root`` without the phrases that conflict today: no problem at all
    (the ``clean_root`` fixture, made once per test process).

    The knowledge base changes as staff improve it; these tests need a quiet baseline.
    """
    shutil.copytree(source, root)
    for _ in range(8):
        problems = check_resources(root)
        if not problems:
            return root
        for problem in problems:
            phrase = re.search(
                r"(?:example|test phrase) '(.*?)' "
                r"(?:matches|is too close|matched|was not|is taken)",
                problem.message,
            )
            assert phrase is not None, problem
            path = root / problem.file
            lines = path.read_text().splitlines(keepends=True)
            path.write_text(
                "".join(
                    line
                    for line in lines
                    if line.strip().removeprefix("- ").strip("\"'") != phrase.group(1)
                )
            )
    raise AssertionError("conflicts keep appearing")


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line containing ``text``."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def insert_after(path: Path, anchor: str, new: str) -> int:
    """Insert ``new`` after the first line containing ``anchor``; return the new line's number."""
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if anchor in line) + 1
    lines.insert(at, new)
    path.write_text("".join(lines))
    return at + 1


def replace(path: Path, old: str, new: str) -> int:
    line = line_of(path, old)
    text = path.read_text()
    path.write_text(text.replace(old, new, 1))
    return line


def add_phrase(path: Path, intent: str, section: str, phrase: str) -> None:
    """Add an English phrase to the ``examples`` or ``tests`` of one intent."""
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {intent}")
    at = next(i for i in range(at, len(lines)) if lines[i].strip() == f"{section}:")
    at = next(i for i in range(at, len(lines)) if lines[i].strip() == "en:")
    indent = len(lines[at + 1]) - len(lines[at + 1].lstrip())
    lines.insert(at + 1, " " * indent + f"- {phrase}\n")
    path.write_text("".join(lines))


def reuse_unchanged_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``hrbot validate`` (in this test) reuse the problems it found for the same files.

    ``check_resources`` is a pure function of the files' bytes and its arguments, and one
    run takes seconds; tests that validate the same edit twice (plain, then ``--strict``)
    check the exit code and output of the second run, not a second identical check.
    """
    found: dict[tuple[str, str], list[Problem]] = {}

    def check(root: Path, **options: Any) -> list[Problem]:
        digest = hashlib.sha256()
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
        key = (digest.hexdigest(), repr(sorted(options.items())))
        if key not in found:
            found[key] = check_resources(root, **options)
        return list(found[key])

    # `hrbot validate` imports check_resources from bot.validation when it runs.
    monkeypatch.setattr(validation, "check_resources", check)
