"""The arguments of ``hrbot services export|import`` and ``hrbot geocode``.

Apart from ``bot.staff.commands`` so that building the ``hrbot`` command line does not
import the spreadsheet and geocoder code (every ``hrbot ask`` builds it)."""

from __future__ import annotations

import argparse


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``services`` and ``geocode`` to the ``hrbot`` command line."""
    services = sub.add_parser("services", help="the service directory as a spreadsheet (CSV)")
    actions = services.add_subparsers(dest="services_command", required=True)
    export = actions.add_parser("export", help="write the services to a CSV file")
    export.add_argument("--csv", required=True, metavar="FILE", help="CSV file to write")
    export.add_argument("--region", help="only this region (default: every region)")
    export.add_argument("--resources", help="resources directory (default: bundled)")
    imp = actions.add_parser("import", help="replace a region's services with a CSV file")
    imp.add_argument("file", help="CSV file (UTF-8 or Excel; ',' or ';' separated)")
    imp.add_argument("--region", required=True, help="region whose services file is replaced")
    imp.add_argument("--resources", help="resources directory (default: bundled)")
    geo = sub.add_parser("geocode", help="fill in missing coordinates with the online geocoder")
    geo.add_argument("--region", help="only this region (default: every region)")
    geo.add_argument("--write", action="store_true", help="write the files (default: show)")
    geo.add_argument("--resources", help="resources directory (default: bundled)")
