"""Fill in missing coordinates of services through the online geocoder.

Reads a region's services file in ruamel.yaml round-trip mode, so comments, quoting and
order survive; only the ``location`` of records without one is added. Results far from
the record's postal area (or town) are flagged and left out: a wrong pin sends people
to the wrong place.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from bot.locator import GAZETTEER_FILE, MAX_KM_FROM_POSTAL_AREA, Gazetteer, Service, haversine_m
from bot.reply import PlaceRef

Lookup = Callable[[str], Awaitable[PlaceRef | None]]


@dataclass(frozen=True, slots=True)
class Finding:
    """What the geocoder said about one record without coordinates."""

    service_id: str
    query: str
    place: PlaceRef | None
    km_off: float | None = None  # distance from the postal area or town centre
    reference: str | None = None  # "postal area V6A" or "Vancouver, BC"

    @property
    def flagged(self) -> bool:
        """True when the result is too far from where the record says it is."""
        return self.km_off is not None and self.km_off > MAX_KM_FROM_POSTAL_AREA

    def describe(self) -> str:
        """One line for staff."""
        if self.place is None:
            return f"{self.service_id}: not found for '{self.query}'; check the address"
        where = f"{self.place.lat:.6f}, {self.place.lon:.6f}"
        if self.flagged:
            return (
                f"{self.service_id}: FAR: the geocoder put it at {where}, "
                f"{self.km_off:.0f} km from the centre of {self.reference} "
                f"(limit {MAX_KM_FROM_POSTAL_AREA:.0f} km); not written, check the address"
            )
        return f"{self.service_id}: {where}"


@dataclass(frozen=True, slots=True)
class Result:
    """The file before and after, and a finding per record that had no coordinates."""

    path: Path
    before: str
    after: str
    findings: tuple[Finding, ...]

    def diff(self) -> str:
        """A unified diff of the change (empty when nothing changes)."""
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"{self.path}",
                tofile=f"{self.path} (geocoded)",
            )
        )


def round_trip_yaml() -> YAML:
    """ruamel.yaml set up to write the staff's files back as they were laid out."""
    yml = YAML()
    yml.preserve_quotes = True
    yml.indent(mapping=2, sequence=4, offset=2)
    yml.width = 4096
    return yml


def _has_location(item: Mapping[str, Any]) -> bool:
    location = item.get("location")
    return (
        isinstance(location, Mapping)
        and location.get("lat") is not None
        and location.get("lon") is not None
    )


def query_for(item: Mapping[str, Any]) -> str:
    """The address to ask for: street, town, province, postal code, country."""
    parts = [
        item.get("address"),
        item.get("city"),
        item.get("province"),
        item.get("postal_code"),
        "Canada",
    ]
    return ", ".join(str(p).strip() for p in parts if p and str(p).strip())


def _check(
    item: Mapping[str, Any], place: PlaceRef, gazetteer: Gazetteer | None
) -> tuple[float | None, str | None]:
    if gazetteer is None:
        return None, None
    postal = str(item.get("postal_code") or "").upper().replace(" ", "")
    fsa = gazetteer.fsas.get(postal[:3]) if postal else None
    if fsa is not None:
        return haversine_m(place.lat, place.lon, fsa.lat, fsa.lon) / 1000, f"postal area {fsa.code}"
    city = gazetteer.city(str(item.get("city") or ""), str(item.get("province") or ""))
    if city is not None:
        return haversine_m(place.lat, place.lon, city.lat, city.lon) / 1000, city.label
    return None, None


def _insert_location(item: CommentedMap, place: PlaceRef) -> None:
    location = CommentedMap([("lat", round(place.lat, 6)), ("lon", round(place.lon, 6))])
    location.fa.set_flow_style()
    if "precision" in item:
        # Geocoded from the street address: better than a postal-area or city centre,
        # but not a sourced point, so the reply still says "about".
        item["precision"] = "street"
    if "location" in item:
        item["location"] = location
        return
    order = list(Service.model_fields)
    before = [k for k in item if k in order and order.index(k) < order.index("location")]
    item.insert(len(before), "location", location)


async def geocode_file(path: Path, root: Path, lookup: Lookup) -> Result:
    """Look up every record of ``path`` without coordinates; the file is not written."""
    before = path.read_text(encoding="utf-8-sig")
    yml = round_trip_yaml()
    data = yml.load(before)
    try:
        gazetteer: Gazetteer | None = Gazetteer.load(root / GAZETTEER_FILE)
    except (OSError, ValueError):
        gazetteer = None
    findings = []
    items = data.get("services") if isinstance(data, Mapping) else None
    for item in items or []:
        if not isinstance(item, CommentedMap) or _has_location(item):
            continue
        query = query_for(item)
        place = await lookup(query)
        km, reference = _check(item, place, gazetteer) if place is not None else (None, None)
        finding = Finding(str(item.get("id", "?")), query, place, km, reference)
        findings.append(finding)
        if place is not None and not finding.flagged:
            _insert_location(item, place)
    out = io.StringIO()
    yml.dump(data, out)
    return Result(path, before, out.getvalue() if findings else before, tuple(findings))
