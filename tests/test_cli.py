"""The ``hrbot`` command line: the ask contract, the console chat and validate."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent / "resources"
ASK_KEYS = {"intent", "confidence", "emergency", "language", "text", "buttons", "services", "place"}


def run_cli(args: list[str], stdin: str = "") -> tuple[int, str]:
    """Run ``hrbot`` in a subprocess, as staff and scripts do."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout


def validate_in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``hrbot`` run in this process: the same ``main``, without a second interpreter's
    start-up (the subprocess tests above and below cover the entry point itself)."""
    code = main(args)
    return code, capsys.readouterr().out


def test_ask_answers_each_line_with_the_documented_json() -> None:
    """Plain lines and JSON lines each give one JSON object with the stable keys."""
    lines = "\n".join(
        [
            "where can i get naloxone",
            json.dumps({"text": "c'est quoi le fentanyl", "lang": "fr"}),
            json.dumps({"location": {"lat": 49.2811, "lon": -123.0997}}),
            "",
            "{hello there",
            json.dumps({"location": {"lat": "x"}}),
        ]
    )
    code, out = run_cli(["ask"], lines)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 5
    assert set(rows[0]) >= ASK_KEYS
    assert rows[0]["intent"] == "naloxone_get" and rows[0]["services"] == []
    assert rows[1]["language"] == "fr" and rows[1]["intent"] == "fentanyl_about"
    assert rows[2]["place"]["source"] == "location"
    assert all(
        {"id", "name", "category", "distance_m", "open_now"} <= set(s) for s in rows[2]["services"]
    )
    assert rows[3]["intent"] == "greeting"
    assert rows[4] == {"error": "location needs numeric 'lat' and 'lon'"}


def test_ask_flags_emergencies() -> None:
    """An overdose now is flagged as an emergency in the JSON."""
    code, out = run_cli(["ask"], "HELP he's not breathing\n")
    row = json.loads(out)
    assert code == 0 and row["emergency"] is True and row["text"].startswith("Call 911")


def test_chat_buttons_language_and_location(monkeypatch: pytest.MonkeyPatch) -> None:
    """The console chat numbers buttons, switches language and takes /loc."""
    stdin = io.StringIO(
        "what is naloxone\n1\n/lang fr\nc'est quoi le fentanyl\n"
        "/loc 49.2811,-123.0997\n/loc nowhere\n/quit\n"
    )
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["chat"]) == 0
    out = stdout.getvalue()
    assert "[1]" in out
    assert "fentanyl" in out.lower() and "opioïde" in out
    assert "km" in out or " m " in out


def test_validate_passes_on_bundled_resources() -> None:
    """The shipped resources validate with exit code 0."""
    code, out = run_cli(["validate"])
    assert code == 0, out
    assert out.strip().splitlines()[-1].startswith("OK: 0 error(s)")


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    root = tmp_path / "resources"
    shutil.copytree(ROOT, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "intents/naloxone.yaml",
            "    related:",
            "    relatd:",
            "unknown field 'relatd' (did you mean 'related'?)",
        ),
        (
            "intents/naloxone.yaml",
            "  - id: naloxone_use",
            "  - id: naloxone_about",
            "duplicate intent id 'naloxone_about'",
        ),
        (
            "intents/naloxone.yaml",
            "verified: 2026-11-27",
            "verified: 2026-13-45",
            "verified: Input should be a valid date",
        ),
        (
            "intents/naloxone.yaml",
            "related: [",
            "related: [no_such_intent, ",
            "related intent 'no_such_intent' does not exist",
        ),
        ("ui.yaml", "  fallback:\n", "  fallbak:\n", "missing message 'fallback'"),
    ],
)
def test_validate_reports_file_line_and_exits_1(
    tmp_path: Path, file: str, old: str, new: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each kind of staff mistake is reported as file:line: message, with exit code 1."""
    root = _broken_copy(tmp_path, file, old, new)
    code, out = validate_in_process(["validate", str(root)], capsys)
    assert code == 1
    matching = [line for line in out.splitlines() if expected in line]
    assert matching, out
    assert matching[0].split(":")[1].isdigit()


def test_validate_json_output(tmp_path: Path) -> None:
    """--format json gives machine-readable problems with file, line and severity (run as
    staff run it, in a subprocess, like the bundled-resources check above)."""
    root = _broken_copy(tmp_path, "intents/naloxone.yaml", "    related:", "    relatd:")
    code, out = run_cli(["validate", str(root), "--format", "json"])
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert {"file", "line", "severity", "message"} <= set(data["problems"][0])


def test_missing_translation_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An answer without its French text is reported."""
    root = tmp_path / "resources"
    shutil.copytree(ROOT, root)
    path = root / "intents" / "smalltalk.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("    answer:"))
    fr = next(i for i in range(start, len(lines)) if lines[i].startswith("      fr:"))
    end = next(i for i in range(fr + 1, len(lines)) if not lines[i].startswith("        "))
    path.write_text("".join(lines[:fr] + lines[end:]), encoding="utf-8")
    code, out = validate_in_process(["validate", str(root)], capsys)
    assert code == 1
    assert "missing field 'answer.fr'" in out
