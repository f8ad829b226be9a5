"""Spreadsheet round trip of the service directory: export, validated atomic import."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.locator import Locator
from bot.staff.spreadsheet import COLUMNS, read_services
from tests.conftest_locator import TODAY, fixture_root

SERVICES = Path("services") / "vancouver.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the bundled resources with the frozen service list."""
    copy = tmp_path / "resources"
    shutil.copytree(fixture_root(), copy)
    return copy


def _export(root: Path, target: Path, *extra: str) -> bytes:
    assert main(["services", "export", "--csv", str(target), "--resources", str(root),
                 *extra]) == 0
    return target.read_bytes()


def _import(root: Path, source: Path) -> int:
    return main(["services", "import", str(source), "--region", "vancouver",
                 "--resources", str(root)])


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _write_rows(path: Path, rows: list[dict[str, str]], delimiter: str = ",",
                encoding: str = "utf-8-sig") -> Path:
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
    block = text[text.index("  - id: insite"):].split("\n\n")[0].splitlines()
    keys = [line.split(":")[0].strip() for line in block if not line.startswith("      -")]
    assert keys == ["- id", "name", "categories", "address", "city", "province", "location",
                    "eligibility", "source", "verified"]


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
    rows[0]["hours"] = "whenever"           # row 2
    rows[1]["verified"] = "27/11/2026"      # row 3
    rows[2]["categories"] = "naloxone | pizza"  # row 4
    rows[3]["id"] = rows[0]["id"]           # row 5
    rows[4]["lat"] = ""                     # row 6
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
    code = main(["services", "import", str(tmp_path / "a.csv"), "--region", "atlantis",
                 "--resources", str(root)])
    assert code == 1
    assert "unknown region 'atlantis'" in capsys.readouterr().err
    assert not (root / "services" / "atlantis.yaml").exists()
