"""Read and check the directory files; every finding is a ``file:line: message`` Problem."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.layout import (
    BUNDLED,
    CATEGORIES_FILE,
    GAZETTEER_FILE,
    HELPLINES_FILE,
    PROTOCOLS_FILE,
    REGIONS_DIR,
    SERVICES_DIR,
)
from bot.locator._gazetteer import Gazetteer, normalize_all
from bot.locator._geo import haversine_m
from bot.locator._models import (
    Category,
    CategoryFile,
    Helpline,
    HelplineFile,
    Region,
    Service,
    ServiceFile,
)
from bot.wordlists import read_word_list, word_list_files
from bot.yamlsource import (
    LineDict,
    LineList,
    Problem,
    ResourceError,
    display_name,
    line_of,
    load_yaml,
    read_model,
    validate_model,
)

MAX_KM_FROM_POSTAL_AREA = 30.0
MAX_KM_FROM_CITY = 30.0
# Every province region needs these lines (a local region inherits its parent's).
REQUIRED_ROLES = ("health", "crisis", "poison")


@dataclass
class Directory:
    """Everything the locator reads from resources/, and what was wrong with it."""

    categories: dict[str, Category] = field(default_factory=dict)
    settings: CategoryFile | None = None  # search distances and the finder's texts
    helplines: list[Helpline] = field(default_factory=list)
    regions: dict[str, Region] = field(default_factory=dict)
    # (service, region id, (lat, lon) where it is shown: sourced, or derived from the
    # postal area or city centre when its precision is postal or city)
    services: list[tuple[Service, str, tuple[float, float]]] = field(default_factory=list)
    gazetteer: Gazetteer | None = None
    problems: list[Problem] = field(default_factory=list)
    broken_region_file: bool = False  # then "unknown region" errors would only repeat it
    reading_region: str = ""  # the region of the services file being read
    common_words: frozenset[str] = frozenset()  # words/common-*.txt, for the place finder

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop the bot from loading the directory."""
        return [p for p in self.problems if p.severity == "error"]


def read_directory(root: Path, *, today: date, stale_days: int = 365) -> Directory:
    """Load every locator file under ``root`` and check it."""
    found = Directory()
    found.gazetteer = _read_gazetteer(root, found.problems)
    found.common_words = _common_words(root)
    categories = read_model(root / CATEGORIES_FILE, root, CategoryFile, found.problems)
    if categories is not None:
        found.settings = categories
        for category in categories.categories:
            found.categories.setdefault(category.id, category)
        _no_duplicates(root / CATEGORIES_FILE, root, "categories", found.problems)
    helplines = read_model(root / HELPLINES_FILE, root, HelplineFile, found.problems)
    if helplines is not None:
        found.helplines = list(helplines.helplines)
        _no_duplicates(root / HELPLINES_FILE, root, "helplines", found.problems)
        _check_dates(
            root / HELPLINES_FILE,
            root,
            "helplines",
            found.helplines,
            today,
            stale_days,
            found.problems,
        )
    region_files = _yaml_files(root / REGIONS_DIR)
    # A resource set without its own protocols.yaml uses the bundled one (as the KB does).
    protocols = _protocol_ids(root) or _protocol_ids(BUNDLED)
    for path in region_files:
        region = read_model(path, root, Region, found.problems)
        _check_protocol(path, root, protocols, found.problems)
        if region is None:
            found.broken_region_file = True
            continue
        if region.id in found.regions:
            found.problems.append(
                Problem(
                    display_name(path, root), 1, f"region id '{region.id}' is used by another file"
                )
            )
            continue
        found.regions[region.id] = region
        _check_dates(path, root, "helplines", region.helplines, today, stale_days, found.problems)
    if not region_files:
        found.problems.append(Problem(REGIONS_DIR, 1, "no region file found (regions/*.yaml)"))
    found.problems.extend(_region_problems(found.regions))
    seen: dict[str, str] = {}
    for path in _yaml_files(root / SERVICES_DIR):
        _read_services(path, root, found, seen, today, stale_days)
    return found


def _read_gazetteer(root: Path, problems: list[Problem]) -> Gazetteer | None:
    path = root / GAZETTEER_FILE
    try:
        return Gazetteer.load(path)
    except (OSError, ValueError) as exc:
        problems.append(Problem(display_name(path, root), 1, f"cannot read gazetteer: {exc}"))
        return None


def _check_protocol(
    path: Path, root: Path, protocols: set[str] | None, problems: list[Problem]
) -> None:
    """A region's protocol must be one of protocols.yaml (checked even if the rest fails)."""
    data, _ = _items(path, root, "protocol")
    protocol = data.get("protocol") if isinstance(data, Mapping) else None
    if protocols is None or protocol is None or str(protocol) in protocols:
        return
    problems.append(
        Problem(
            display_name(path, root),
            line_of(data, ["protocol"]),
            f"protocol '{protocol}' is not in protocols.yaml "
            f"(known: {', '.join(sorted(protocols))})",
        )
    )


def _protocol_ids(root: Path) -> set[str] | None:
    """The protocol ids of protocols.yaml; None when there is no readable file."""
    path = root / PROTOCOLS_FILE
    if not path.is_file():
        return None
    data, _ = _items(path, root, "protocols")
    found = data.get("protocols") if isinstance(data, Mapping) else None
    return {str(k) for k in found} if isinstance(found, Mapping) else None


def _common_words(root: Path) -> frozenset[str]:
    """Everyday words, so that "hope" or "mission" alone is not taken for a town."""
    words: list[str] = []
    for path in word_list_files(root):
        try:
            words.extend(read_word_list(path))
        except (OSError, UnicodeDecodeError):
            continue  # the knowledge-base loader reports unreadable word lists
    return normalize_all(words)


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _items(path: Path, root: Path, key: str) -> tuple[Any, list[Any]]:
    try:
        data = load_yaml(path, root)
    except ResourceError:
        return None, []
    items = data.get(key) if isinstance(data, Mapping) else None
    return data, list(items) if isinstance(items, list) else []


def _no_duplicates(path: Path, root: Path, key: str, problems: list[Problem]) -> None:
    data, items = _items(path, root, key)
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            continue
        line = line_of(data, [key, i, "id"])
        ident = item["id"]
        if ident in first:
            problems.append(
                Problem(
                    display_name(path, root),
                    line,
                    f"duplicate id '{ident}' (first on line {first[ident]})",
                )
            )
        else:
            first[ident] = line


def _check_dates(
    path: Path,
    root: Path,
    key: str,
    records: list[Helpline],
    today: date,
    stale_days: int,
    problems: list[Problem],
) -> None:
    data, _ = _items(path, root, key)
    for i, record in enumerate(records):
        line = line_of(data, [key, i, "verified"])
        problems.extend(
            _date_problems(display_name(path, root), line, record.verified, today, stale_days)
        )


def _date_problems(
    name: str, line: int, verified: date, today: date, stale_days: int
) -> list[Problem]:
    if verified > today:
        return [Problem(name, line, f"verified date {verified} is in the future")]
    if verified < today - timedelta(days=stale_days):
        return [
            Problem(
                name,
                line,
                f"not verified since {verified} (over {stale_days} days): check it again",
                "warning",
            )
        ]
    return []


def _read_services(
    path: Path, root: Path, found: Directory, seen: dict[str, str], today: date, stale_days: int
) -> None:
    name = display_name(path, root)
    try:
        data = load_yaml(path, root)
    except ResourceError as exc:
        found.problems.extend(exc.problems)
        return
    head, problems = validate_model(ServiceFile, data, name, list(ServiceFile.model_fields))
    found.problems.extend(problems)
    if head is None:
        return
    if head.region not in found.regions and not found.broken_region_file:
        found.problems.append(
            Problem(
                name,
                line_of(data, ["region"]),
                f"unknown region '{head.region}' "
                f"(known: {', '.join(sorted(found.regions)) or 'none'})",
            )
        )
    found.reading_region = head.region
    items = data["services"] if isinstance(data, LineDict) else LineList()
    for i, item in enumerate(items):
        line = line_of(data, ["services", i])
        service, problems = validate_model(Service, item, name, list(Service.model_fields))
        for problem in problems:
            # validate_model saw only the item: re-anchor missing-field lines to the item.
            found.problems.append(
                problem
                if problem.line > 1
                else Problem(problem.file, line, problem.message, problem.severity)
            )
        if service is None:
            continue
        point = _check_service(service, item, name, found, seen, today, stale_days)
        if point is not None and head.region in found.regions:
            found.services.append((service, head.region, point))


def _check_service(
    service: Service,
    item: Any,
    name: str,
    found: Directory,
    seen: dict[str, str],
    today: date,
    stale_days: int,
) -> tuple[float, float] | None:
    problems: list[Problem] = []
    where = f"{name}:{line_of(item, ['id'])}"
    if service.id in seen:
        problems.append(
            Problem(
                name,
                line_of(item, ["id"]),
                f"duplicate id '{service.id}' (first at {seen[service.id]})",
            )
        )
    else:
        seen[service.id] = where
    for i, category in enumerate(service.categories):
        if category not in found.categories:
            known = ", ".join(sorted(found.categories))
            problems.append(
                Problem(
                    name,
                    line_of(item, ["categories", i]),
                    f"unknown category '{category}' (known: {known})",
                )
            )
    problems.extend(
        _date_problems(name, line_of(item, ["verified"]), service.verified, today, stale_days)
    )
    point, place_problems = _place(service, item, name, found.gazetteer)
    problems.extend(place_problems)
    region = found.regions.get(found.reading_region)
    if region is not None and region.province != service.province:
        problems.append(
            Problem(
                name,
                line_of(item, ["province"]),
                f"province {service.province} differs from its region's ({region.province})",
            )
        )
    found.problems.extend(problems)
    if any(p.severity == "error" for p in problems) or point is None:
        return None
    return point


def _place(
    service: Service, item: Any, name: str, gazetteer: Gazetteer | None
) -> tuple[tuple[float, float] | None, list[Problem]]:
    """Where the service is shown, and what is wrong with its place data."""
    if gazetteer is None:
        loc = service.location
        return (None if loc is None else (loc.lat, loc.lon)), []
    problems: list[Problem] = []
    fsa = None
    if service.postal_code is not None:
        fsa = gazetteer.fsas.get(service.postal_code[:3])
        if fsa is None:
            problems.append(
                Problem(
                    name,
                    line_of(item, ["postal_code"]),
                    f"postal code {service.postal_code}: "
                    f"'{service.postal_code[:3]}' is not a known area",
                )
            )
        elif fsa.province != service.province:
            problems.append(
                Problem(
                    name,
                    line_of(item, ["postal_code"]),
                    f"postal code {service.postal_code} is in {fsa.province}, "
                    f"not {service.province}",
                )
            )
    city = gazetteer.city(service.city, service.province)
    if service.location is not None:
        lat, lon = service.location.lat, service.location.lon
        if fsa is not None:
            km = haversine_m(lat, lon, fsa.lat, fsa.lon) / 1000
            if km > MAX_KM_FROM_POSTAL_AREA:
                problems.append(
                    Problem(
                        name,
                        line_of(item, ["location"]),
                        f"location is {km:.0f} km from the centre of postal "
                        f"area {fsa.code}; check the coordinates or the postal "
                        f"code (limit {MAX_KM_FROM_POSTAL_AREA:.0f} km)",
                    )
                )
        if service.postal_code is not None:
            return (lat, lon), problems  # checked against the postal area above
        if city is None:
            problems.append(
                Problem(
                    name,
                    line_of(item, ["city"]),
                    f"city '{service.city}, {service.province}' is not in the "
                    "gazetteer, so the coordinates cannot be checked: add a "
                    "postal_code",
                    "warning",
                )
            )
        else:
            km = haversine_m(lat, lon, city.lat, city.lon) / 1000
            if km > MAX_KM_FROM_CITY:
                problems.append(
                    Problem(
                        name,
                        line_of(item, ["location"]),
                        f"location is {km:.0f} km from {city.label}; check the "
                        f"coordinates or the city (limit {MAX_KM_FROM_CITY:.0f} "
                        "km)",
                    )
                )
        return (lat, lon), problems
    if service.where == "postal":
        return (None if fsa is None else (fsa.lat, fsa.lon)), problems
    if city is None:
        problems.append(
            Problem(
                name,
                line_of(item, ["city"]),
                f"city '{service.city}, {service.province}' is not in the "
                "gazetteer, so the service cannot be placed: add a "
                "postal_code (precision: postal) or a sourced location",
            )
        )
        return None, problems
    return (city.lat, city.lon), problems


def _region_problems(regions: Mapping[str, Region]) -> list[Problem]:
    """Parents that exist, one region per province, and the lines every province needs."""
    problems: list[Problem] = []
    provinces: dict[str, str] = {}
    for region in regions.values():
        where = f"{REGIONS_DIR}/{region.id}.yaml"
        if region.level == "province":
            if region.province in provinces:
                problems.append(
                    Problem(
                        where,
                        1,
                        f"{region.province} already has a province "
                        f"region ('{provinces[region.province]}')",
                    )
                )
            provinces.setdefault(region.province, region.id)
            roles = {line.role for line in region.helplines}
            for role in REQUIRED_ROLES:
                if role not in roles:
                    problems.append(
                        Problem(
                            where,
                            1,
                            f"region '{region.id}' has no {role} line "
                            f"(a helpline with role: {role})",
                            "warning",
                        )
                    )
            if region.naloxone is None:
                problems.append(
                    Problem(where, 1, f"region '{region.id}' has no naloxone program", "warning")
                )
            continue
        parent = regions.get(region.parent or "")
        if region.parent is not None and (parent is None or parent.level != "province"):
            problems.append(Problem(where, 1, f"parent '{region.parent}' is not a province region"))
        elif parent is not None and parent.province != region.province:
            problems.append(
                Problem(
                    where, 1, f"parent '{parent.id}' is in {parent.province}, not {region.province}"
                )
            )
    return problems
