"""``hrbot services export|import`` and ``hrbot geocode``: the staff's command-line tools."""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from bot.config import load_tool_settings
from bot.exitcodes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from bot.locator.geocoder import OnlineGeocoder, open_geocoder
from bot.resources import default_resources_dir
from bot.staff.spreadsheet import (
    SpreadsheetError,
    check_size,
    export_csv,
    import_csv,
    region_files,
    write_atomically,
)
from bot.yamlsource import ResourceError


def _root(args: argparse.Namespace) -> Path:
    if args.resources:
        return Path(args.resources)
    return load_tool_settings(os.environ).resources_dir or default_resources_dir()


def cmd_services(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Export or import the directory as CSV; import writes nothing unless every row is valid."""
    root = _root(args)
    try:
        if args.services_command == "export":
            text = export_csv(root, args.region)
            # A BOM lets Excel see UTF-8 (accents in French names).
            write_atomically(Path(args.csv), "\ufeff" + text)
            rows = text.count("\r\n") - 1
            print(f"wrote {rows} service(s) to {args.csv}", file=stdout)
            return EXIT_OK
        try:
            check_size(Path(args.file).stat().st_size)  # before reading it into memory
            data = Path(args.file).read_bytes()
        except OSError as exc:
            print(f"cannot read {args.file}: {exc.strerror}", file=stderr)
            return EXIT_USAGE
        result = import_csv(root, data, args.region)
    except SpreadsheetError as exc:
        print("nothing was written:", file=stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=stderr)
        return EXIT_PROBLEMS
    except ResourceError as exc:
        print(
            f"the resources in {root} have problems; fix them first (hrbot validate {root}):",
            file=stderr,
        )
        for resource_problem in exc.problems[:20]:
            print(f"  {resource_problem}", file=stderr)
        return EXIT_PROBLEMS
    skipped = (
        f"; {result.skipped_other_regions} row(s) of other regions skipped"
        if result.skipped_other_regions
        else ""
    )
    print(f"wrote {result.services} service(s) to {result.path}{skipped}", file=stdout)
    print(f"next: hrbot validate {root}", file=stdout)
    return EXIT_OK


def _staff_geocoder(environ: Mapping[str, str]) -> OnlineGeocoder | str:
    """The geocoder from GEOCODER_DOMAIN / GEOCODER_USER_AGENT, or why it cannot be used."""
    tools = load_tool_settings(environ)
    if not tools.geocoder_user_agent:
        # A batch of lookups must name a real contact (Nominatim's policy), not the default.
        return (
            "GEOCODER_USER_AGENT is not set: Nominatim requires a real contact, for "
            "example 'hrbot-staff/1.0 (you@example.org)'"
        )
    return open_geocoder(tools)


def cmd_geocode(
    args: argparse.Namespace,
    stdout: TextIO,
    stderr: TextIO,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Show (or with --write, apply) coordinates for records that have none."""
    root = _root(args)
    geocoder = _staff_geocoder(os.environ if environ is None else environ)
    if isinstance(geocoder, str):
        print(geocoder, file=stderr)
        return EXIT_USAGE
    try:
        files = region_files(root)
    except ResourceError as exc:
        print("\n".join(str(p) for p in exc.problems), file=stderr)
        return EXIT_PROBLEMS
    if args.region is not None:
        if args.region not in files:
            print(f"no services file for region '{args.region}'", file=stderr)
            return EXIT_USAGE
        files = {args.region: files[args.region]}
    return asyncio.run(_geocode(root, list(files.values()), geocoder, args.write, stdout))


async def _geocode(
    root: Path, paths: list[Path], geocoder: OnlineGeocoder, write: bool, stdout: TextIO
) -> int:
    # Imported here: ruamel.yaml is needed by this command only, not by the running bot.
    from bot.staff.geocode import geocode_file

    flagged = 0
    async with geocoder:
        for path in paths:
            result = await geocode_file(path, root, geocoder.lookup)
            for finding in result.findings:
                print(finding.describe(), file=stdout)
                flagged += finding.place is None or finding.flagged
            diff = result.diff()
            if not diff:
                continue
            if write:
                write_atomically(path, result.after)
                print(f"wrote {path}", file=stdout)
            else:
                stdout.write(diff)
    if not write:
        print("(dry run: nothing written; add --write to save)", file=stdout)
    return EXIT_PROBLEMS if flagged else EXIT_OK
