"""The Locator: the loaded directory, its spatial index and the place finder."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType

import opening_hours

from bot.locator._gazetteer import Gazetteer
from bot.locator._geo import GridIndex, haversine_m, valid_coordinates
from bot.locator._load import read_directory
from bot.locator._models import Category, Helpline, Region, Service
from bot.locator._places import Candidate, PlaceFinder, PlaceOutcome
from bot.yamlsource import Problem, ResourceError

DEFAULT_REGION = "vancouver"
DEFAULT_RADIUS_M = 25_000.0
DEFAULT_COUNT = 3


@dataclass(frozen=True, slots=True)
class Hours:
    """Whether a service is open at a moment, and when that changes (region time)."""

    open: bool | None  # None: hours unknown
    next_change: datetime | None = None
    at: datetime | None = None  # the moment evaluated, in region time


@dataclass(frozen=True, slots=True)
class Nearby:
    """A service found by a search."""

    service: Service
    region: Region
    distance_m: float
    hours: Hours


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of nearest services, and the nearest one beyond the radius if none is within."""

    hits: tuple[Nearby, ...]
    has_more: bool
    nearest_beyond: Nearby | None = None


class Locator:
    """Finds places from text and the nearest services of a category."""

    def __init__(
        self,
        *,
        categories: Mapping[str, Category],
        regions: Mapping[str, Region],
        helplines: tuple[Helpline, ...],
        services: list[tuple[Service, str]],
        gazetteer: Gazetteer,
        default_region: str = DEFAULT_REGION,
    ) -> None:
        self.categories: Mapping[str, Category] = MappingProxyType(dict(categories))
        self.regions: Mapping[str, Region] = MappingProxyType(dict(regions))
        self.helplines = helplines
        self.gazetteer = gazetteer
        if default_region not in self.regions:
            raise ValueError(f"default region '{default_region}' has no regions/ file")
        self.default_region = self.regions[default_region]
        self.services: Mapping[str, Service] = MappingProxyType({s.id: s for s, _ in services})
        self._region_of = {s.id: self.regions[r] for s, r in services}
        self._hours: dict[str, opening_hours.OpeningHours] = {}
        by_category: dict[str, list[tuple[float, float, Service]]] = {}
        for service, _ in services:
            if service.status == "closed":
                continue  # kept in the files for the record, never shown
            for category in service.categories:
                by_category.setdefault(category, []).append(
                    (service.location.lat, service.location.lon, service)
                )
        self._index = {c: GridIndex(entries) for c, entries in by_category.items()}
        self._places = PlaceFinder(gazetteer, list(self.regions.values()))

    @classmethod
    def load(
        cls,
        resources_dir: Path,
        *,
        today: date | None = None,
        default_region: str | None = None,
    ) -> Locator:
        """Load and check the directory; raise ResourceError listing every error."""
        default_region = default_region or DEFAULT_REGION
        found = read_directory(resources_dir, today=today or date.today())
        errors = found.errors
        if not errors and default_region not in found.regions:
            errors = [Problem("regions", 1, f"default region '{default_region}' has no file")]
        if errors or found.gazetteer is None:
            raise ResourceError(errors)
        return cls(
            categories=found.categories,
            regions=found.regions,
            helplines=tuple(found.helplines),
            services=found.services,
            gazetteer=found.gazetteer,
            default_region=default_region,
        )

    # Places ----------------------------------------------------------------------

    def find_place(self, text: str) -> PlaceOutcome:
        """Resolve text meant as a place: postal code, town, local name; typos allowed."""
        return self._places.find(text)

    def extract_place(self, text: str) -> PlaceOutcome | None:
        """The place mentioned in a longer message, or None when it mentions none."""
        return self._places.extract(text)

    def candidate(self, key: str) -> Candidate | None:
        """The place behind a ``place:<key>`` button."""
        return self._places.candidate(key)

    def region_for(self, lat: float, lon: float) -> Region | None:
        """The nearest region whose radius covers the point."""
        if not valid_coordinates(lat, lon):
            return None
        best: tuple[float, Region] | None = None
        for region in self.regions.values():
            d = haversine_m(lat, lon, region.center.lat, region.center.lon)
            if d <= region.radius_km * 1000 and (best is None or d < best[0]):
                best = (d, region)
        return None if best is None else best[1]

    def region_of(self, service: Service) -> Region:
        """The region whose file lists ``service``."""
        return self._region_of[service.id]

    # Services --------------------------------------------------------------------

    def hours(self, service: Service, now: datetime | None = None) -> Hours:
        """Open now or not, and the next change, in the service's region time."""
        if service.hours is None:
            return Hours(None)
        region = self._region_of[service.id]
        parsed = self._hours.get(service.id)
        if parsed is None:
            parsed = opening_hours.OpeningHours(service.hours, timezone=region.tz, country="CA")
            self._hours[service.id] = parsed
        moment = _aware(now).astimezone(region.tz)
        state, _ = parsed.state(moment)
        if state == opening_hours.State.UNKNOWN:
            return Hours(None)
        change = parsed.next_change(moment)
        return Hours(state == opening_hours.State.OPEN,
                     None if change is None else change.astimezone(region.tz), moment)

    def nearest(
        self,
        lat: float,
        lon: float,
        category: str,
        *,
        count: int = DEFAULT_COUNT,
        offset: int = 0,
        radius_m: float = DEFAULT_RADIUS_M,
        open_only: bool = False,
        now: datetime | None = None,
    ) -> SearchResult:
        """Up to ``count`` shown services of ``category`` within ``radius_m``, from ``offset``."""
        index = self._index.get(category)
        if index is None or not valid_coordinates(lat, lon):
            return SearchResult((), False)
        moment = _aware(now)

        def keep(service: Service) -> bool:
            return not open_only or self.hours(service, moment).open is True

        found = index.nearest(lat, lon, offset + count + 1, radius_m, keep)
        page = [self._nearby(h.item, h.distance_m, moment) for h in found[offset : offset + count]]
        beyond = None
        if not found and offset == 0:
            far = index.nearest(lat, lon, 1, math.inf, keep)
            if far:
                beyond = self._nearby(far[0].item, far[0].distance_m, moment)
        return SearchResult(tuple(page), len(found) > offset + count, beyond)

    def _nearby(self, service: Service, distance_m: float, now: datetime) -> Nearby:
        return Nearby(service, self._region_of[service.id], distance_m, self.hours(service, now))


def validate_locator(
    resources_dir: Path, *, stale_days: int = 365, today: date | None = None
) -> list[Problem]:
    """Every error and warning about the locator's files, for staff and CI."""
    return read_directory(resources_dir, today=today or date.today(),
                          stale_days=stale_days).problems


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)
