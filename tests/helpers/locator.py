"""Helpers for the locator tests: small real resource sets written to a temporary folder,
and the bundled set with a frozen service list."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent / "resources"
SERVICES_FIXTURE = Path(__file__).resolve().parent.parent / "data" / "services_fixture.yaml"
TODAY = date(2026, 12, 1)  # the day the helplines and answers were last re-checked
# 12:00 in Vancouver on a Friday.
NOON_VANCOUVER = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)

CATEGORIES = """\
categories:
  - id: naloxone
    label: {en: Naloxone kits, fr: Trousses de naloxone}
  - id: drug_checking
    label: {en: Drug checking, fr: Analyse de drogues}
"""
HELPLINES = """\
helplines:
  - id: nors
    name: {en: NORS, fr: NORS}
    phone: 1-888-688-6677
    source: https://example.org/nors
    verified: 2026-11-01
"""
REGION = """\
id: testregion
name: {en: Test, fr: Test}
province: BC
timezone: America/Vancouver
center: {lat: 49.25, lon: -123.12}
radius_km: 60
emergency_number: "911"
protocol: save_me
places:
  - name: Main and Hastings
    aliases: [main & hastings]
    lat: 49.2811
    lon: -123.0997
"""
GOOD_SERVICE = """\
  - id: site-a
    name: Site A
    categories: [naloxone]
    address: 1 Test Street
    city: Vancouver
    province: BC
    postal_code: V6A 1A1
    location: {lat: 49.2800, lon: -123.0990}
    hours: "Mo-Su 09:00-17:00"
    source: https://example.org/a
    verified: 2026-11-01
"""


def make_resources(tmp_path: Path, services: str = GOOD_SERVICE, **files: str) -> Path:
    """Write a minimal valid resource set; ``services`` is the list body ("  - id: ...")."""
    root = tmp_path / "resources"
    (root / "regions").mkdir(parents=True)
    (root / "services").mkdir()
    (root / "gazetteer").mkdir()
    shutil.copy(ROOT / "gazetteer" / "canada.tsv", root / "gazetteer" / "canada.tsv")
    (root / "categories.yaml").write_text(files.get("categories", CATEGORIES))
    (root / "helplines.yaml").write_text(files.get("helplines", HELPLINES))
    (root / "regions" / "testregion.yaml").write_text(files.get("region", REGION))
    body = "region: testregion\nservices:\n" + services
    (root / "services" / "testregion.yaml").write_text(files.get("service_file", body))
    return root


@cache
def fixture_root() -> Path:
    """The bundled resources with a frozen service list, so tests survive staff edits to the
    national data; made once per test process and deleted when it exits. Read it or copy
    it, never edit it (the ``fixture_root`` fixture in conftest is the same folder)."""
    top = Path(tempfile.mkdtemp(prefix="hrbot-fixture-"))
    atexit.register(shutil.rmtree, top, ignore_errors=True)
    root = top / "resources"
    shutil.copytree(ROOT, root)
    for other in (root / "services").glob("*.yaml"):
        other.unlink()
    shutil.copy(SERVICES_FIXTURE, root / "services" / "vancouver.yaml")
    return root
