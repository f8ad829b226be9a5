"""A corpus of broken resource sets: each gives staff a clear ``file:line: message``, fast.

Each case copies ``resources/`` into a temporary directory and breaks one thing. Checking
must answer within 5 seconds, never with a traceback, and in 200 MB (tracemalloc peak) where
the input could exhaust memory (``MEMORY_CASES``).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.validation import check_resources
from bot.yamlsource import Problem

REPO = Path(__file__).resolve().parent.parent
RESOURCES = REPO / "resources"
MAX_SECONDS = 5.0
MAX_PEAK_BYTES = 200 * 1024 * 1024
_PROBLEM_RE = re.compile(r"^[^\n:]+:\d+: \S.*$")

Break = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One breakage, the file the error must name, and a word its message must contain."""

    id: str
    breaks: Break
    file: str | None  # None: the resource set must still be accepted
    says: str = ""
    line: int | None = None


# Cases whose input could blow up memory: only these run under tracemalloc, which slows
# Python down severalfold (the others are timed and checked without it).
MEMORY_CASES = {"alias-bomb", "file-of-50-mb", "deeply-nested-junk", "binary-garbage-intents"}


def _edit(relative: str, change: Callable[[str], str]) -> Break:
    def apply(root: Path) -> None:
        path = root / relative
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return apply


def _write(relative: str, content: str | bytes) -> Break:
    def apply(root: Path) -> None:
        path = root / relative
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return apply


def _remove(relative: str) -> Break:
    def apply(root: Path) -> None:
        path = root / relative
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()

    return apply


def _replace_once(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, f"corpus out of date: {old!r} not found"
        return text.replace(old, new, 1)

    return change


def _bom_everywhere(root: Path) -> None:
    for path in root.rglob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _latin1(relative: str) -> Break:
    def apply(root: Path) -> None:
        path = root / relative
        path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))

    return apply


def _huge(relative: str, size: int) -> Break:
    def apply(root: Path) -> None:
        path = root / relative
        with path.open("ab") as handle:
            handle.write(b"# padding\n" * (size // 10))

    return apply


def _directory_for_ui(root: Path) -> None:
    (root / "ui.yaml").unlink()
    (root / "ui.yaml").mkdir()


def _symlink_loop(root: Path) -> None:
    os.symlink("loop.yaml", root / "intents" / "loop.yaml")


def _garbage(relative: str) -> Break:
    def apply(root: Path) -> None:
        (root / relative).write_bytes(random.Random(relative).randbytes(64 * 1024))

    return apply


_ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)

SERVICE = "services/vancouver.yaml"
CASES = [
    Case(
        "yaml-unclosed-quote",
        _edit("intents/naloxone.yaml", lambda t: t + '  - id: "never closed\n'),
        "intents/naloxone.yaml",
        "YAML",
    ),
    Case(
        "yaml-bad-indent",
        _edit("ui.yaml", _replace_once("  did_you_mean:\n", "  did_you_mean:\n      broken: [\n")),
        "ui.yaml",
        "YAML",
    ),
    Case(
        "tab-indent",
        _edit("categories.yaml", _replace_once("  - id: naloxone", "\t- id: naloxone")),
        "categories.yaml",
        "tab",
    ),
    Case("bom-accepted", _bom_everywhere, None),
    Case("latin-1-encoding", _latin1("intents/naloxone.yaml"), "intents/naloxone.yaml", "UTF-8"),
    Case(
        "duplicate-key",
        _edit(
            "regions/vancouver.yaml",
            _replace_once(
                "timezone: America/Vancouver\n", "timezone: America/Vancouver\ntimezone: UTC\n"
            ),
        ),
        "regions/vancouver.yaml",
        "duplicate",
    ),
    Case("alias-bomb", _write("emergency.yaml", _ALIAS_BOMB), "emergency.yaml", "alias", line=2),
    Case("file-of-50-mb", _huge(SERVICE, 50 * 1024 * 1024), SERVICE, "limit"),
    Case("missing-intents-directory", _remove("intents"), "intents", "intent"),
    Case("missing-ui-file", _remove("ui.yaml"), "ui.yaml"),
    Case("missing-emergency-file", _remove("emergency.yaml"), "emergency.yaml"),
    Case("missing-gazetteer", _remove("gazetteer"), "gazetteer"),
    Case("empty-ui-file", _write("ui.yaml", ""), "ui.yaml"),
    Case("empty-emergency-file", _write("emergency.yaml", ""), "emergency.yaml"),
    Case("empty-services-file", _write(SERVICE, ""), SERVICE),
    Case(
        "list-where-a-map-is-expected",
        _write("lexicon.yaml", "- naloxone\n- narcan\n"),
        "lexicon.yaml",
    ),
    Case(
        "scalar-where-a-list-is-expected",
        _write(SERVICE, "region: vancouver\nservices: none\n"),
        SERVICE,
        "",
        line=2,
    ),
    Case(
        "wrong-type-coordinate",
        _edit(
            SERVICE,
            _replace_once(
                "location: {lat: 49.28111, lon: -123.10111}",
                "location: {lat: north, lon: -123.10111}",
            ),
        ),
        SERVICE,
        "lat",
    ),
    Case(
        "unknown-field",
        _edit(
            SERVICE,
            _replace_once(
                "    address: 139 East Hastings Street\n",
                "    address: 139 East Hastings Street\n    adress: typo\n",
            ),
        ),
        SERVICE,
        "adress",
    ),
    Case(
        "bad-date",
        _edit(SERVICE, _replace_once("verified: 2026-12-01", "verified: 2026-13-45")),
        SERVICE,
        "verified",
    ),
    Case(
        "bad-opening-hours",
        _edit(
            SERVICE,
            _replace_once(
                "    city: Vancouver\n",
                '    city: Vancouver\n    hours: "Mo-Fr 25:00-99:00 banana"\n',
            ),
        ),
        SERVICE,
        "hours",
    ),
    Case(
        "coordinates-out-of-range",
        _edit(
            SERVICE,
            _replace_once(
                "location: {lat: 49.28111, lon: -123.10111}", "location: {lat: 123.4, lon: -423.1}"
            ),
        ),
        SERVICE,
        "lat",
    ),
    Case(
        "duplicate-service-id",
        _edit(SERVICE, _replace_once("  - id: st-pauls-ops\n", "  - id: insite\n")),
        SERVICE,
        "insite",
    ),
    Case(
        "unknown-category",
        _edit(
            SERVICE,
            _replace_once(
                "categories: [consumption_site, drug_checking, naloxone, supplies]",
                "categories: [consumption_site, unicorns]",
            ),
        ),
        SERVICE,
        "unicorns",
    ),
    Case("null-document", _write("categories.yaml", "~\n"), "categories.yaml"),
    Case("deeply-nested-junk", _write("ui.yaml", "messages: " + "[" * 600 + "]" * 600), "ui.yaml"),
    Case("binary-garbage-intents", _garbage("intents/substances.yaml"), "intents/substances.yaml"),
    Case("binary-garbage-common-words", _garbage("words/common-en.txt"), "words/common-en.txt"),
    Case("binary-garbage-gazetteer", _garbage("gazetteer/canada.tsv"), "gazetteer/canada.tsv"),
    Case("symlink-loop", _symlink_loop, "intents/loop.yaml"),
    Case("directory-where-a-file-is-expected", _directory_for_ui, "ui.yaml"),
    Case(
        "intent-examples-as-text",
        _edit(
            "intents/naloxone.yaml",
            _replace_once(
                "    examples:\n      en:\n", "    examples: lots of them\n    unused:\n      en:\n"
            ),
        ),
        "intents/naloxone.yaml",
    ),
]


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "resources"
    shutil.copytree(RESOURCES, root)
    return root


def _checked(root: Path, traced: bool) -> tuple[list[Problem], float, int]:
    """The problems, the seconds taken and (when ``traced``) the tracemalloc peak."""
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    peak = 0
    try:
        problems = check_resources(root)
        if traced:
            _, peak = tracemalloc.get_traced_memory()
    except Exception as exc:
        # Short and without the (possibly huge) traceback: the point is that it escaped.
        pytest.fail(f"{type(exc).__name__} escaped check_resources instead of a Problem")
    finally:
        elapsed = time.perf_counter() - started
        if traced:
            tracemalloc.stop()
    if traced and elapsed >= MAX_SECONDS:
        # tracemalloc slows Python down severalfold: time it again without.
        started = time.perf_counter()
        check_resources(root)
        elapsed = time.perf_counter() - started
    return problems, elapsed, peak


PARAMS = [pytest.param(c, id=c.id) for c in CASES]


@pytest.mark.slow
@pytest.mark.parametrize("case", PARAMS)
def test_broken_resources_give_a_clear_error_quickly(case: Case, tmp_path: Path) -> None:
    """Each breakage yields a file:line: message naming the file, within 5 s (and 200 MB for
    the inputs that could exhaust memory)."""
    root = _copy(tmp_path)
    case.breaks(root)
    problems, elapsed, peak = _checked(root, traced=case.id in MEMORY_CASES)
    errors = [p for p in problems if p.severity == "error"]
    assert elapsed < MAX_SECONDS, f"took {elapsed:.1f} s"
    assert peak < MAX_PEAK_BYTES, f"peak {peak / 1e6:.0f} MB"
    if case.file is None:
        assert errors == [], [str(p) for p in errors]
        return
    assert errors, "the breakage was not noticed"
    for problem in problems:
        assert _PROBLEM_RE.match(str(problem)), f"not file:line: message: {problem!s}"
        assert problem.line >= 1
    named = [p for p in errors if case.file in p.file]
    assert named, f"no error names {case.file}: {[str(p) for p in errors]}"
    assert any(case.says.lower() in p.message.lower() for p in named), [str(p) for p in named]
    if case.line is not None:
        assert any(p.line == case.line for p in named), [str(p) for p in named]


def test_missing_resources_directory_is_one_clear_error(tmp_path: Path) -> None:
    """A resources directory that does not exist is reported as such, not as a traceback."""
    [problem] = check_resources(tmp_path / "nowhere")
    assert "does not exist" in problem.message


@pytest.mark.slow
def test_hrbot_validate_prints_file_line_and_exits_1(tmp_path: Path) -> None:
    """``hrbot validate`` on a broken set prints file:line: message lines and exits 1."""
    root = _copy(tmp_path)
    _edit(
        "regions/vancouver.yaml",
        _replace_once(
            "timezone: America/Vancouver\n", "timezone: America/Vancouver\ntimezone: UTC\n"
        ),
    )(root)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "validate", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    out = done.stdout + done.stderr
    assert re.search(r"regions/vancouver\.yaml:\d+: .*duplicate key 'timezone'", out), out
    assert "Traceback" not in out
