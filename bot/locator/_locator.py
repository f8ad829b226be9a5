"""The Locator: the loaded directory, its spatial index and the place finder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from types import MappingProxyType

import opening_hours

from bot.layout import BUNDLED, CATEGORIES_FILE, REGIONS_DIR
from bot.locator._gazetteer import Gazetteer, Place
from bot.locator._gazetteer import normalize as fold_phrase
from bot.locator._geo import GridIndex, haversine_m, valid_coordinates
from bot.locator._load import read_directory
from bot.locator._models import (
    Category,
    CategoryFile,
    Helpline,
    Naloxone,
    Region,
    Service,
)
from bot.locator._places import Candidate, PlaceFinder, PlaceOutcome
from bot.models import Bilingual
from bot.reply import Language
from bot.yamlsource import Problem, ResourceError, load_yaml

DEFAULT_REGION = "vancouver"
DEFAULT_RADIUS_M = 25_000.0
DEFAULT_NEAREST_MAX_M = 150_000.0
DEFAULT_COUNT = 3
# A shared location farther than this from every known Canadian place is not in Canada.
MAX_KM_TO_NEAREST_PLACE = 600.0
_BUNDLED = BUNDLED

# A line shown at the end of a finder reply: a phone/text line, or a naloxone program.
Line = Helpline | Naloxone


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
    lat: float  # where it is shown: sourced, or the postal area / city centre
    lon: float

    @property
    def approximate(self) -> bool:
        """True when the point is a postal-area or city centre, not the site itself."""
        return self.service.where not in ("exact", "street")


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
        services: list[tuple[Service, str, tuple[float, float]]],
        gazetteer: Gazetteer,
        default_region: str = DEFAULT_REGION,
        settings: CategoryFile | None = None,
        common_words: frozenset[str] = frozenset(),
        warnings: tuple[Problem, ...] = (),
    ) -> None:
        self.warnings = warnings  # what read_directory flagged, for hrbot validate
        self.categories: Mapping[str, Category] = MappingProxyType(dict(categories))
        self.regions: Mapping[str, Region] = MappingProxyType(dict(regions))
        self.helplines = helplines
        self.gazetteer = gazetteer
        if default_region not in self.regions:
            raise ValueError(f"default region '{default_region}' has no regions/ file")
        self.default_region = self.regions[default_region]
        self.search_m = (settings.search_km * 1000) if settings else DEFAULT_RADIUS_M
        self.nearest_max_m = settings.nearest_max_km * 1000 if settings else DEFAULT_NEAREST_MAX_M
        self.evidence_max_months = settings.evidence_max_months if settings else 24
        self.texts = {**bundled_texts(), **(settings.texts if settings else {})}
        self.services: Mapping[str, Service] = MappingProxyType({s.id: s for s, _, _ in services})
        self._region_of = {s.id: self.regions[r] for s, r, _ in services}
        self._point = {s.id: point for s, _, point in services}
        self._hours: dict[str, opening_hours.OpeningHours] = {}
        by_category: dict[str, list[tuple[float, float, Service]]] = {}
        for service, _, (lat, lon) in services:
            if service.status == "closed":
                continue  # kept in the files for the record, never shown
            for category in service.categories:
                by_category.setdefault(category, []).append((lat, lon, service))
        self._index = {c: GridIndex(entries) for c, entries in by_category.items()}
        self._places = PlaceFinder(gazetteer, list(self.regions.values()), common_words)
        self._towns: GridIndex[Place] = GridIndex((p.lat, p.lon, p) for p in gazetteer.places)
        self._province_regions = {
            r.province: r for r in self.regions.values() if r.level == "province"
        }
        self._local_regions = [r for r in self.regions.values() if r.level == "local"]
        self._category_of_intent = {i: c.id for c in self.categories.values() for i in c.intents}
        self._national = {h.id: h for h in helplines}
        self._near_me = tuple(fold_phrase(p) for p in (settings.near_me if settings else []))
        self._where = frozenset(fold_phrase(w) for w in (settings.where_words if settings else []))

    @classmethod
    def load(
        cls,
        resources_dir: Path,
        *,
        today: date | None = None,
        default_region: str | None = None,
        stale_days: int = 365,
    ) -> Locator:
        """Load and check the directory; raise ResourceError listing every error."""
        default_region = default_region or DEFAULT_REGION
        found = read_directory(resources_dir, today=today or date.today(), stale_days=stale_days)
        errors = found.errors
        warnings = tuple(p for p in found.problems if p.severity == "warning")
        if not errors and default_region not in found.regions:
            errors = [Problem(REGIONS_DIR, 1, f"default region '{default_region}' has no file")]
        if errors or found.gazetteer is None:
            raise ResourceError(errors, warnings)
        return cls(
            categories=found.categories,
            regions=found.regions,
            helplines=tuple(found.helplines),
            services=found.services,
            gazetteer=found.gazetteer,
            default_region=default_region,
            settings=found.settings,
            common_words=found.common_words,
            warnings=warnings,
        )

    # Texts -----------------------------------------------------------------------

    def text(self, key: str, lang: Language, **values: object) -> str:
        """A finder text from categories.yaml ``texts:`` with its placeholders filled."""
        return self.texts[key].get(lang).format(**values)

    # Places ----------------------------------------------------------------------

    def find_place(self, text: str) -> PlaceOutcome:
        """Resolve text meant as a place: postal code, town, local name; typos allowed."""
        return self._places.find(text)

    def extract_place(self, text: str, *, anywhere: bool = True) -> PlaceOutcome | None:
        """The place mentioned in a longer message, or None when it mentions none.

        ``anywhere=False`` accepts only postal codes, local names, the whole message, or a
        place after "in", "near", "à"...: for messages that are not about services.
        """
        return self._places.extract(text, anywhere=anywhere)

    def candidate(self, key: str) -> Candidate | None:
        """The place behind a ``place:<key>`` button."""
        return self._places.candidate(key)

    def region_for(self, lat: float, lon: float, province: str | None = None) -> Region | None:
        """The local region covering the point, else its province's region.

        ``province`` (known from a postal code or a named town) wins over the guess from
        the nearest town, which can be wrong near a border.
        """
        if not valid_coordinates(lat, lon):
            return None
        province = province or self.province_at(lat, lon)
        best: tuple[float, Region] | None = None
        for region in self._local_regions:
            assert region.center is not None and region.radius_km is not None
            if province is not None and region.province != province:
                continue
            d = haversine_m(lat, lon, region.center.lat, region.center.lon)
            if d <= region.radius_km * 1000 and (best is None or d < best[0]):
                best = (d, region)
        if best is not None:
            return best[1]
        return self._province_regions.get(province or "")

    def province_at(self, lat: float, lon: float) -> str | None:
        """The province of the nearest gazetteer town, if one is near enough to be Canada."""
        if not valid_coordinates(lat, lon):
            return None
        hits = self._towns.nearest(lat, lon, 1, MAX_KM_TO_NEAREST_PLACE * 1000)
        return hits[0].item.province if hits else None

    def province_region(self, province: str) -> Region | None:
        """The region of a whole province or territory."""
        return self._province_regions.get(province)

    def home_region(self, region: Region) -> Region:
        """The province region a local region belongs to (itself for a province)."""
        if region.level == "province":
            return region
        return self.regions.get(region.parent or "") or self._province_regions.get(
            region.province, region
        )

    def says_near_me(self, text: str) -> bool:
        """True for "naloxone near me", "le plus proche"...: the person's own location."""
        folded = f" {fold_phrase(text)} "
        return any(f" {phrase} " in folded for phrase in self._near_me)

    def asks_where(self, text: str) -> bool:
        """True when the message asks where something is ("where", "nearest", "où")."""
        return any(word in self._where for word in fold_phrase(text).split())

    def category_for_intent(self, intent: str) -> str | None:
        """The category whose search a topic question naming a place becomes."""
        return self._category_of_intent.get(intent)

    def lines_for(self, region: Region, category: str) -> list[Line]:
        """The lines that fit ``category`` in ``region``, in the category's order."""
        wanted = self.categories[category].lines if category in self.categories else []
        chain = [region] if region.level == "province" else [region, self.home_region(region)]
        found: list[Line] = []
        seen_phones: set[str] = set()
        for want in wanted:
            if want == "naloxone":
                program = next((r.naloxone for r in chain if r.naloxone is not None), None)
                if program is not None:
                    found.append(program)
                continue
            lines = [h for r in chain for h in r.helplines if h.role == want]
            if not lines and want in self._national:
                lines = [self._national[want]]
            for line in lines:
                key = line.phone or line.id
                if key not in seen_phones:
                    seen_phones.add(key)
                    found.append(line)
        return found

    def emergency_note(self, region: Region) -> Bilingual | None:
        """The region's emergency caveat (its own, else its province's)."""
        return region.emergency_note or self.home_region(region).emergency_note

    def point(self, service: Service) -> tuple[float, float]:
        """Where the service is shown (sourced, or its postal area / city centre)."""
        return self._point[service.id]

    def region_of(self, service: Service) -> Region:
        """The region whose file lists ``service``."""
        return self._region_of[service.id]

    # Services --------------------------------------------------------------------

    def hours(self, service: Service, now: datetime | None = None) -> Hours:
        """Open now or not, and the next change, in the service's region time."""
        if service.hours is None or service.status == "unverified":
            # Never claim "open now" for a site that may have closed.
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
        return Hours(
            state == opening_hours.State.OPEN,
            None if change is None else change.astimezone(region.tz),
            moment,
        )

    def nearest(
        self,
        lat: float,
        lon: float,
        category: str,
        *,
        count: int = DEFAULT_COUNT,
        offset: int = 0,
        radius_m: float | None = None,
        open_only: bool = False,
        now: datetime | None = None,
    ) -> SearchResult:
        """Up to ``count`` shown services of ``category`` within ``radius_m``, from ``offset``."""
        radius_m = self.search_m if radius_m is None else radius_m
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
            far = index.nearest(lat, lon, 1, self.nearest_max_m, keep)
            if far:
                beyond = self._nearby(far[0].item, far[0].distance_m, moment)
        return SearchResult(tuple(page), len(found) > offset + count, beyond)

    def _nearby(self, service: Service, distance_m: float, now: datetime) -> Nearby:
        lat, lon = self._point[service.id]
        return Nearby(
            service, self._region_of[service.id], distance_m, self.hours(service, now), lat, lon
        )


def validate_locator(
    resources_dir: Path, *, stale_days: int = 365, today: date | None = None
) -> list[Problem]:
    """Every error and warning about the locator's files, for staff and CI."""
    return read_directory(
        resources_dir, today=today or date.today(), stale_days=stale_days
    ).problems


def bundled_texts() -> dict[str, Bilingual]:
    """The finder texts of the bundled categories.yaml: defaults for any resource set."""
    return dict(_bundled_texts())


@cache
def _bundled_texts() -> tuple[tuple[str, Bilingual], ...]:
    data = load_yaml(_BUNDLED / CATEGORIES_FILE, _BUNDLED)
    texts = data.get("texts") if isinstance(data, Mapping) else None
    if not isinstance(texts, Mapping):
        return ()
    model = CategoryFile.model_validate(
        {"categories": [{"id": "x", "label": {"en": "x", "fr": "x"}}], "texts": dict(texts)}
    )
    return tuple(model.texts.items())


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)
