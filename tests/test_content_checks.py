"""``hrbot validate``'s content checks: unlisted phone numbers and unkept example promises."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.content_checks import phone_numbers
from tests.helpers.resource_edits import add_phrase, line_of, reuse_unchanged_checks

SUPPORT = Path("intents") / "support.yaml"
USE = Path("intents") / "use.yaml"


@pytest.fixture
def root(tmp_path: Path, clean_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the bundled resources with no problem at all."""
    copy = tmp_path / "resources"
    shutil.copytree(clean_root, copy)
    reuse_unchanged_checks(monkeypatch)
    return copy


def test_phone_numbers_are_found_in_every_written_form() -> None:
    """Dashes, spaces, 3-digit lines, 7-digit lines, short codes and vanity letters."""
    found = dict(
        phone_numbers(
            "Call 1-800-668-6868, 604 555 0100, 9-8-8, 310-6789, text 686868 or 1-844-POISON-X. "
            "In 2024, 7,146 people died."
        )
    )
    assert found == {
        "1-800-668-6868": "8006686868",
        "604 555 0100": "6045550100",
        "9-8-8": "988",
        "310-6789": "3106789",
        "686868": "686868",
        "1-844-POISON-X": "8447647669",
    }


def test_bundled_resources_have_no_content_warning(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every number the answers name is listed, and the examples' promises are kept."""
    assert main(["validate", str(root), "--strict"]) == 0
    assert "0 warning(s)" in capsys.readouterr().out


def test_answer_with_an_unlisted_number_warns_and_strict_fails(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A number in no helpline or region file: a warning naming the intent and number."""
    path = root / SUPPORT
    path.write_text(
        path.read_text().replace(
            "- Call or text 9-8-8 to talk to someone",
            "- Call 1-800-555-0199 or text 9-8-8 to talk to someone",
            1,
        )
    )
    assert main(["validate", str(root)]) == 0
    out = capsys.readouterr().out
    line = line_of(path, "- id: crisis_support")
    assert (
        f"{SUPPORT}:{line}: warning: crisis_support: the answer mentions 1-800-555-0199, "
        "which is in no helpline or region file"
    ) in out
    assert main(["validate", str(root), "--strict"]) == 1


def test_listing_the_number_in_helplines_silences_the_warning(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once staff add the line (with its source) to helplines.yaml, the warning goes."""
    path = root / SUPPORT
    path.write_text(
        path.read_text().replace(
            "- Call or text 9-8-8 to talk to someone",
            "- Call 1-800-555-0199 or text 9-8-8 to talk to someone",
            1,
        )
    )
    helplines = root / "helplines.yaml"
    helplines.write_text(
        helplines.read_text()
        + (
            "  - id: test_line\n"
            "    name: {en: Test line, fr: Ligne test}\n"
            "    phone: 1-800-555-0199\n"
            "    source: https://example.org/test-line\n"
            "    verified: 2026-12-01\n"
        )
    )
    assert main(["validate", str(root), "--strict"]) == 0
    assert "1-800-555-0199" not in capsys.readouterr().out


def test_examples_asking_what_the_answer_never_says_warn(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three examples about a specific word the answer never uses: one warning for the intent."""
    for phrase in (
        "can i bring my ferret to the needle drop",
        "do sharps bins take ferret cages",
        "where do i leave ferret syringes",
    ):
        add_phrase(root / USE, "needles", "examples", phrase)
    assert main(["validate", str(root)]) == 0
    out = capsys.readouterr().out
    assert "warning: needles (en): examples ask about 'ferret' (3 examples" in out
    assert main(["validate", str(root), "--strict"]) == 1


def test_one_odd_example_word_is_not_noise(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A word in a single example is how people talk, not a promise: no warning."""
    add_phrase(root / USE, "needles", "examples", "can i bring my ferret to the needle drop")
    assert main(["validate", str(root), "--strict"]) == 0
    assert "ferret" not in capsys.readouterr().out
