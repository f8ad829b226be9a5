"""``hrbot validate`` end to end on broken copies of the resources: each kind of problem
gives its ``file:line: message`` and the right exit code, in text and JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from tests.helpers.resource_edits import (
    add_phrase,
    insert_after,
    line_of,
    replace,
    reuse_unchanged_checks,
)

NALOXONE = Path("intents") / "naloxone.yaml"
EMERGENCY = Path("intents") / "emergency.yaml"
SERVICES = Path("services") / "vancouver.yaml"


@pytest.fixture
def root(tmp_path: Path, clean_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of a resource set that validates with no error and no warning."""
    copy = tmp_path / "resources"
    shutil.copytree(clean_root, copy)
    reuse_unchanged_checks(monkeypatch)
    return copy


def _validate(root: Path, *extra: str) -> int:
    return main(["validate", str(root), *extra])


def test_a_clean_set_passes_even_strict(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No problem: exit 0 and an OK summary, with or without --strict."""
    assert _validate(root) == 0
    assert _validate(root, "--strict") == 0
    assert "OK: 0 error(s), 0 warning(s)" in capsys.readouterr().out


def test_yaml_tab_is_an_error_with_its_line(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tab in the indentation names the file and line and says to use spaces."""
    line = replace(root / NALOXONE, "    examples:", "\texamples:")
    assert _validate(root) == 1
    assert f"{NALOXONE}:{line}: YAML syntax: tab character found" in capsys.readouterr().out


def test_duplicate_key_is_an_error(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A key written twice in one record points at the second one and the first."""
    first = line_of(root / SERVICES, "    name: Insite")
    line = insert_after(root / SERVICES, "    name: Insite", "    name: Insite again\n")
    assert _validate(root) == 1
    assert (
        f"{SERVICES}:{line}: YAML syntax: duplicate key 'name' (first on line {first})"
        in capsys.readouterr().out
    )


def test_misspelt_field_gets_a_suggestion(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown field is named, with the field it probably meant."""
    line = replace(root / SERVICES, "    address: 139 East", "    adress: 139 East")
    assert _validate(root) == 1
    assert (
        f"{SERVICES}:{line}: unknown field 'adress' (did you mean 'address'?)"
        in capsys.readouterr().out
    )


def test_bad_service_values_are_errors(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad hours and an unknown category are each reported on their own line."""
    hours = insert_after(
        root / SERVICES, "    address: 139 East", "    hours: whenever we feel like it\n"
    )
    category = replace(
        root / SERVICES,
        "categories: [consumption_site, naloxone, supplies",
        "categories: [consumption_site, pizza, supplies",
    )
    assert _validate(root) == 1
    out = capsys.readouterr().out
    assert f"{SERVICES}:{hours}: hours: hours 'whenever we feel like it' is not valid" in out
    assert f"{SERVICES}:{category}: unknown category 'pizza'" in out


def test_staff_test_phrase_answering_another_intent_is_an_error(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tests: phrase the live matcher sends elsewhere names the intent it reached."""
    path = root / NALOXONE
    add_phrase(path, "naloxone_about", "tests", "where can i get a free naloxone kit near me")
    line = line_of(path, "- id: naloxone_about")
    assert _validate(root) == 1
    assert (
        f"{NALOXONE}:{line}: naloxone_about: test phrase 'where can i get a free naloxone "
        "kit near me' matched 'naloxone_get' instead"
    ) in capsys.readouterr().out


def test_missed_emergency_test_phrase_is_an_error(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An emergency tests: phrase that is not taken for an emergency is an error."""
    add_phrase(root / EMERGENCY, "emergency", "tests", "what is naloxone")
    assert _validate(root) == 1
    assert (
        "emergency: test phrase 'what is naloxone' was not recognised as an emergency"
        in capsys.readouterr().out
    )


def test_conflicting_example_is_a_warning_and_strict_fails(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An example shared by two intents is a conflict warning: exit 0, or 1 with --strict."""
    add_phrase(root / NALOXONE, "naloxone_about", "examples", "where can i get a free naloxone kit")
    assert _validate(root) == 0
    out = capsys.readouterr().out
    assert "warning: " in out
    assert "example 'where can i get a free naloxone kit'" in out
    assert "(conflict)" in out
    assert _validate(root, "--strict") == 1


def test_stale_record_is_a_warning_and_strict_fails(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record not verified for over 12 months warns; --strict turns that into a failure."""
    lines = (root / SERVICES).read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("    verified:"))
    lines[line - 1] = "    verified: 2024-01-02"
    (root / SERVICES).write_text("\n".join(lines) + "\n")
    assert _validate(root) == 0
    expected = (
        f"{SERVICES}:{line}: warning: not verified since 2024-01-02 (over 365 days): check it again"
    )
    assert expected in capsys.readouterr().out
    assert _validate(root, "--strict") == 1
    assert _validate(root, "--stale-days", "3650", "--strict") == 0


def test_json_output_lists_every_problem(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format json gives ok and each problem's file, line, severity and message."""
    line = replace(root / SERVICES, "    address: 139 East", "    adress: 139 East")
    assert _validate(root, "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert {
        "file": str(SERVICES),
        "line": line,
        "severity": "error",
        "message": "unknown field 'adress' (did you mean 'address'?)",
    } in report["problems"]


def test_missing_directory_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Validating a folder that does not exist fails with a plain message."""
    assert _validate(tmp_path / "nope") == 1
    assert "resources directory does not exist" in capsys.readouterr().out


def test_interface_text_placeholders_are_checked_in_both_languages(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A placeholder the code never fills is an error; one kept in one language, a warning."""
    replace(
        root / "ui.yaml",
        'fr: "Qu\'est-ce qui ne va pas avec {name}?"',
        'fr: "Qu\'est-ce qui ne va pas avec {nom}?"',
    )
    assert _validate(root) == 1
    out = capsys.readouterr().out
    assert "message 'report_which' (fr) has an unknown placeholder {nom}; it may use {name}" in out
    replace(root / "ui.yaml", "{nom}", "ce service")
    assert _validate(root, "--strict") == 1
    assert "message 'report_which' uses {name} in one language only" in capsys.readouterr().out


def test_alert_texts_are_checked_like_every_interface_text(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The alert menus, messages and progress texts live in ui.yaml: a missing one or a
    placeholder the code never fills is reported before the bot serves it."""
    replace(root / "ui.yaml", "{handled} sur {total}", "{traites} sur {total}")
    replace(root / "ui.yaml", "  alerts_kept:", "  alerts_kept_renamed:")
    assert _validate(root) == 1
    out = capsys.readouterr().out
    assert "message 'alert_progress_sending' (fr) has an unknown placeholder {traites}" in out
    assert "missing message 'alerts_kept'" in out
