"""The service directory as a spreadsheet: CSV export and validated, atomic import.

One row per service, one column per field. Lists (categories, languages, eligibility,
source) are joined with `` | `` in one cell. Export writes UTF-8 with a BOM and CRLF
line ends, which Excel and LibreOffice open correctly; import also accepts ``;`` or tab
separators and Windows-1252 files, as Excel saves them in some locales.

Import checks every row through the same ``Service`` model the locator uses and writes
nothing unless all rows are valid; then it writes the region's YAML file atomically
(temp file + ``os.replace``), keeping the file's header comment. It refuses a file that
is too big or has too many rows before parsing it, and lists at most 50 problems.

Cells a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return, numbers aside) are exported with a leading ``'``, which
import removes again, so the round trip stays lossless (``neutralise``/``restore``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.layout import CATEGORIES_FILE, REGIONS_DIR, SERVICES_DIR
from bot.locator import Service
from bot.yamlsource import Problem, ResourceError, load_yaml, suggest, validate_model

COLUMNS = (
    "region",
    "id",
    "name",
    "categories",
    "address",
    "city",
    "province",
    "postal_code",
    "precision",
    "lat",
    "lon",
    "phone",
    "website",
    "hours",
    "languages",
    "eligibility",
    "accessibility",
    "status",
    "note_en",
    "note_fr",
    "source",
    "evidence",
    "verified",
)
# lat/lon only for precision exact or street: the others are placed by the gazetteer.
REQUIRED = ("id", "name", "categories", "city", "province", "source", "verified")
NOTE_COLUMNS = {"note_en": "en", "note_fr": "fr"}
LIST_FIELDS = ("categories", "languages", "eligibility", "source")
LIST_SEP = " | "
DEFAULT_HEADER = (
    "# Services in this region, imported from a spreadsheet with `hrbot services import`.\n"
    "# hours: OpenStreetMap opening_hours syntax; status: active, temporarily_closed or closed.\n"
)
_FLOW_ITEM = re.compile(r"^[A-Za-z0-9_\-]+$")
# A regions's file stays well under the 5 MB YAML limit (YAML is about twice the CSV).
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
MAX_PROBLEMS_SHOWN = 50
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
# What YAML reads as a line break, even in the middle of a plain scalar.
_YAML_BREAKS = frozenset("\n\r\u2028\u2029\x85")
# Control characters no service field needs (tab and line ends are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`")


class SpreadsheetError(Exception):
    """The spreadsheet cannot be imported; ``problems`` lists the reasons by row and column
    (the first 50, then how many more)."""

    def __init__(self, problems: Sequence[str]) -> None:
        shown = list(problems[:MAX_PROBLEMS_SHOWN])
        if len(problems) > len(shown):
            shown.append(f"... and {len(problems) - len(shown):,} more")
        self.problems = shown
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import wrote."""

    path: Path
    services: int
    skipped_other_regions: int


# Reading the YAML side ---------------------------------------------------------------


def region_files(root: Path) -> dict[str, Path]:
    """Region id -> its services file, from the ``region:`` line of each file."""
    found: dict[str, Path] = {}
    folder = root / SERVICES_DIR
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.y*ml")):
        data = load_yaml(path, root)
        if isinstance(data, Mapping) and isinstance(data.get("region"), str):
            found.setdefault(data["region"], path)
    return found


def known_regions(root: Path) -> set[str]:
    """The region ids that have a regions/<id>.yaml file."""
    ids = set()
    for path in sorted((root / REGIONS_DIR).glob("*.y*ml")):
        data = load_yaml(path, root)
        if isinstance(data, Mapping) and isinstance(data.get("id"), str):
            ids.add(data["id"])
    return ids


def known_categories(root: Path) -> list[str]:
    """The category ids listed in categories.yaml."""
    data = load_yaml(root / CATEGORIES_FILE, root)
    items = data.get("categories", []) if isinstance(data, Mapping) else []
    return [c["id"] for c in items if isinstance(c, Mapping) and isinstance(c.get("id"), str)]


def read_services(path: Path, root: Path) -> list[Service]:
    """Every service of one file; ResourceError if any is invalid (run hrbot validate)."""
    data = load_yaml(path, root)
    items = data.get("services") if isinstance(data, Mapping) else None
    services: list[Service] = []
    problems: list[Problem] = []
    for item in items or []:
        service, found = validate_model(
            Service, item, str(path.relative_to(root)), list(Service.model_fields)
        )
        problems.extend(found)
        if service is not None:
            services.append(service)
    if problems:
        raise ResourceError(problems)
    return services


# Export ------------------------------------------------------------------------------


def neutralise(cell: str) -> str:
    """``cell`` safe to open in a spreadsheet: a leading ``'`` where it would be a formula.

    Numbers (``-123.1``) are left alone. A cell that already looks escaped gets one more
    ``'``, so ``restore`` always gives back exactly the original.
    """
    if _NUMBER.match(cell):
        return cell
    if cell.startswith(_FORMULA_START) or (
        cell.startswith(_ESCAPE) and cell[1:2] in (*_FORMULA_START, _ESCAPE) and cell[1:2] != ""
    ):
        return _ESCAPE + cell
    return cell


def restore(cell: str) -> str:
    """The original of a ``neutralise``d cell."""
    if cell.startswith(_ESCAPE) and cell[1:2] != "" and cell[1:2] in (*_FORMULA_START, _ESCAPE):
        return cell[1:]
    return cell


def service_row(service: Service, region: str) -> dict[str, str]:
    """One spreadsheet row for a service."""
    loc = service.location
    row = {
        "region": region,
        "lat": "" if loc is None else repr(loc.lat),
        "lon": "" if loc is None else repr(loc.lon),
        "verified": service.verified.isoformat(),
        "evidence": "" if service.evidence is None else service.evidence.isoformat(),
    }
    for column, lang in NOTE_COLUMNS.items():
        row[column] = "" if service.note is None else service.note.get(lang)  # type: ignore[arg-type]
    for name in COLUMNS:
        if name in row:
            continue
        value = getattr(service, name)
        if name in LIST_FIELDS:
            row[name] = LIST_SEP.join(value)
        else:
            row[name] = "" if value is None else str(value)
    return row


def export_csv(root: Path, region: str | None = None) -> str:
    """The services of ``region`` (or of every region) as CSV text, CRLF line ends."""
    files = region_files(root)
    if region is not None:
        if region not in files:
            raise SpreadsheetError(
                [
                    f"no services file for region '{region}' "
                    f"(known: {', '.join(sorted(files)) or 'none'})"
                ]
            )
        files = {region: files[region]}
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for name, path in files.items():
        for service in read_services(path, root):
            row = service_row(service, name)
            writer.writerow({column: neutralise(value) for column, value in row.items()})
    return out.getvalue()


# Import ------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Spreadsheet bytes as text: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab: whichever splits the header line into the most known columns."""
    header = text.partition("\n")[0].rstrip("\r")

    def known(delimiter: str) -> int:
        try:
            cells = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:  # an unreadable header is reported by parse_rows
            return 0
        return sum(cell.strip().lower() in COLUMNS for cell in cells)

    return max((",", ";", "\t"), key=known)


def parse_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and (spreadsheet row number, cells) of every non-empty row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        # A cell over 128 KB, or a quote never closed (which swallows the rest of the file).
        raise SpreadsheetError(
            [
                f"row {reader.line_num}: the file cannot be read as a "
                f"spreadsheet ({exc}; an unclosed quote?)"
            ]
        ) from None
    if not rows:
        raise SpreadsheetError(["the file is empty"])
    if len(rows[0]) > 2 * len(COLUMNS):
        raise SpreadsheetError(
            [
                f"row 1: {len(rows[0]):,} columns; a services spreadsheet "
                f"has {len(COLUMNS)} ({', '.join(COLUMNS)})"
            ]
        )
    header = [cell.strip().lower() for cell in rows[0]]
    problems = []
    for index, name in enumerate(header, 1):
        if name not in COLUMNS:
            hint = suggest(name, COLUMNS) if name else None
            problems.append(
                f"row 1, column {index}: unknown column '{name}'"
                + (f" (did you mean '{hint}'?)" if hint else "")
            )
        elif header.index(name) != index - 1:
            problems.append(f"row 1, column {index}: column '{name}' appears twice")
    problems += [
        f"row 1: the column '{name}' is missing" for name in REQUIRED if name not in header
    ]
    if problems:
        raise SpreadsheetError(problems)
    parsed = []
    for number, cells in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(f"row {number}: more cells than columns (a stray separator?)")
            continue
        parsed.append(
            (
                number,
                {
                    name: (restore(cells[i].strip()) if i < len(cells) else "")
                    for i, name in enumerate(header)
                },
            )
        )
    if problems:
        raise SpreadsheetError(problems)
    return header, parsed


def row_record(cells: Mapping[str, str]) -> dict[str, Any]:
    """The fields of one row as the Service model reads them (empty cells left out)."""
    record: dict[str, Any] = {}
    for name, value in cells.items():
        if name in ("region", "lat", "lon", *NOTE_COLUMNS) or not value:
            continue
        if name in LIST_FIELDS:
            record[name] = [item.strip() for item in value.split("|") if item.strip()]
        else:
            record[name] = value
    if cells.get("lat") or cells.get("lon"):
        record["location"] = {
            axis: _decimal(cells[axis]) for axis in ("lat", "lon") if cells.get(axis)
        }
    if any(cells.get(column) for column in NOTE_COLUMNS):
        record["note"] = {lang: cells.get(column, "") for column, lang in NOTE_COLUMNS.items()}
    return record


def _decimal(cell: str) -> str:
    # A French-locale spreadsheet writes 49,28111.
    return cell.replace(",", ".") if cell.count(",") == 1 and "." not in cell else cell


def _column(loc: tuple[int | str, ...]) -> str:
    if not loc:
        return "?"
    if loc[0] == "location":
        return str(loc[1]) if len(loc) > 1 else "lat"
    if loc[0] == "note":
        return f"note_{loc[1]}" if len(loc) > 1 else "note_en"
    return str(loc[0])


def validate_rows(
    rows: Iterable[tuple[int, dict[str, str]]], region: str, categories: Sequence[str]
) -> tuple[list[Service], int, list[str]]:
    """Valid services, rows skipped as other regions, and every problem by row and column."""
    services: list[Service] = []
    problems: list[str] = []
    skipped = 0
    first_row: dict[str, int] = {}
    for number, cells in rows:
        if cells.get("region") and cells["region"] != region:
            skipped += 1
            continue
        controls = [name for name, value in cells.items() if _CONTROL.search(value)]
        if controls:
            problems.extend(
                f"row {number}, column {name}: contains an invisible control "
                "character; retype the cell"
                for name in controls
            )
            continue
        ident = cells.get("id", "")
        if ident in first_row:
            problems.append(
                f"row {number}, column id: duplicate id '{ident}' (first on row {first_row[ident]})"
            )
            continue
        if ident:
            first_row[ident] = number
        try:
            service = Service.model_validate(row_record(cells))
        except ValidationError as exc:
            for error in exc.errors():
                column = _column(tuple(error["loc"]))
                if error["type"] == "missing":
                    message = "required, but the cell is empty"
                elif column == "verified":
                    message = (
                        f"'{cells.get('verified')}' is not a date like 2026-11-27 "
                        "(year-month-day; format the column as text)"
                    )
                else:
                    message = str(error["msg"]).removeprefix("Value error, ")
                problems.append(f"row {number}, column {column}: {message}")
            continue
        for category in service.categories:
            if category not in categories:
                problems.append(
                    f"row {number}, column categories: unknown category "
                    f"'{category}' (known: {', '.join(categories)})"
                )
        services.append(service)
    return services, skipped, problems


def import_csv(root: Path, data: bytes, region: str) -> Imported:
    """Check every row, then replace the region's services file atomically."""
    if region not in known_regions(root):
        raise SpreadsheetError([f"unknown region '{region}': there is no regions/{region}.yaml"])
    check_size(len(data))
    # Before decoding or parsing anything: a line count is cheap even on a huge file.
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines - 1 > MAX_ROWS:
        raise SpreadsheetError(
            [
                f"the file has {lines - 1:,} rows; one region holds at most "
                f"{MAX_ROWS:,} services (split it by region)"
            ]
        )
    _, rows = parse_rows(decode(data))
    services, skipped, problems = validate_rows(rows, region, known_categories(root))
    if problems:
        raise SpreadsheetError(problems)
    path = region_files(root).get(region, root / SERVICES_DIR / f"{region}.yaml")
    header = header_comment(path.read_text(encoding="utf-8-sig")) if path.exists() else ""
    text = render_yaml(region, services, header or DEFAULT_HEADER)
    write_atomically(path, text, check=lambda tmp: _same(tmp, root, services))
    return Imported(path, len(services), skipped)


def check_size(size: int) -> None:
    """Refuse a file too big to be one region's services (before reading it, if possible)."""
    if size > MAX_IMPORT_BYTES:
        raise SpreadsheetError(
            [
                f"the file is {size / 1024 / 1024:,.1f} MB; one region's "
                f"services fit in {MAX_IMPORT_BYTES // 1024 // 1024} MB "
                "(split it by region, or remove unused columns)"
            ]
        )


def _same(path: Path, root: Path, services: list[Service]) -> None:
    # Read back what is about to replace the file: a writer bug must never reach the bot.
    if read_services(path, root) != services:
        raise RuntimeError("the written YAML does not read back as the imported rows")


# Writing YAML ------------------------------------------------------------------------


def header_comment(text: str) -> str:
    """The comment lines (and blank lines between them) at the top of a YAML file."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("#") or not line.strip():
            lines.append(line)
        else:
            break
    while lines and not lines[-1].strip():
        lines.pop()
    return "".join(lines)


def scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    plain = (
        value == value.strip()
        and value != ""
        and not _YAML_BREAKS.intersection(value)
        and not value.startswith(_INDICATORS)
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
    )
    if plain:
        try:
            plain = yaml.safe_load(value) == value
        except yaml.YAMLError:
            plain = False
    if plain:
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    # YAML reads these as line breaks even inside quotes: keep them as escapes.
    for char in ("\u2028", "\u2029", "\x85"):
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    return quoted


def _number(value: float) -> str:
    return repr(value)


def render_service(service: Service) -> list[str]:
    """The YAML lines of one service, in the field order of the bundled files."""
    lines = [f"  - id: {scalar(service.id)}"]
    for name in Service.model_fields:
        value = getattr(service, name)
        if name == "id" or value is None or value == [] or (name == "status" and value == "active"):
            continue
        if name == "location":
            lines.append(f"    location: {{lat: {_number(value.lat)}, lon: {_number(value.lon)}}}")
        elif name == "note":
            lines.append("    note:")
            lines.extend(f"      {lang}: {scalar(value.get(lang))}" for lang in ("en", "fr"))
        elif name in ("verified", "evidence"):
            lines.append(f"    {name}: {value.isoformat()}")
        elif name in ("categories", "languages") and all(_FLOW_ITEM.match(v) for v in value):
            lines.append(f"    {name}: [{', '.join(value)}]")
        elif isinstance(value, (list, tuple)):
            lines.append(f"    {name}:")
            lines.extend(f"      - {scalar(item)}" for item in value)
        else:
            lines.append(f"    {name}: {scalar(str(value))}")
    return lines


def render_yaml(region: str, services: Sequence[Service], header: str) -> str:
    """A whole services file: header comment, region, then one block per service."""
    lines = [header.rstrip("\n")] if header.strip() else []
    lines += [f"region: {scalar(region)}", "services:" if services else "services: []"]
    for index, service in enumerate(services):
        if index:
            lines.append("")
        lines.extend(render_service(service))
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str | bytes, check: Any = None) -> None:
    """Write ``path`` through a temp file in the same folder and ``os.replace``.

    ``check(temp_path)`` may raise to abandon the write; the old file is then untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
