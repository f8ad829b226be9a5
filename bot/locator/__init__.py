"""Nearest harm-reduction services: the directory, places without GPS, and the search.

Public surface::

    Locator.load(resources_dir) -> Locator          # raises bot.yamlsource.ResourceError
    validate_locator(resources_dir) -> list[Problem]
    locator.find_place(text) / extract_place(text) -> PlaceOutcome
        PlaceOutcome = Found | Ambiguous | TooCoarse | ProvinceOnly | NotFound
    bot.locator.answer       -> Reply builders (search, place, action, location)
    bot.locator.geocoder     -> OnlineGeocoder (optional, async, Nominatim via geopy)
    Gazetteer, GridIndex, PlaceFinder, haversine_m, normalize_place
                             -> the building blocks, for staff tools and benchmarks

Outside this package, import only from here: the ``_*`` modules are private.

The core never imports telegram.
"""

from bot.layout import GAZETTEER_FILE, REGIONS_DIR, SERVICES_DIR
from bot.locator._gazetteer import Gazetteer
from bot.locator._gazetteer import normalize as normalize_place
from bot.locator._geo import GridIndex, haversine_m
from bot.locator._load import MAX_KM_FROM_POSTAL_AREA
from bot.locator._locator import Hours, Line, Locator, Nearby, SearchResult, validate_locator
from bot.locator._models import Category, Helpline, Naloxone, Region, RegionPlace, Service
from bot.locator._places import (
    Ambiguous,
    Candidate,
    Found,
    NotFound,
    PlaceFinder,
    PlaceOutcome,
    ProvinceOnly,
    TooCoarse,
)

__all__ = [
    "GAZETTEER_FILE",
    "MAX_KM_FROM_POSTAL_AREA",
    "REGIONS_DIR",
    "SERVICES_DIR",
    "Ambiguous",
    "Candidate",
    "Category",
    "Found",
    "Gazetteer",
    "GridIndex",
    "Helpline",
    "Hours",
    "Line",
    "Locator",
    "Naloxone",
    "Nearby",
    "NotFound",
    "PlaceFinder",
    "PlaceOutcome",
    "ProvinceOnly",
    "Region",
    "RegionPlace",
    "SearchResult",
    "Service",
    "TooCoarse",
    "haversine_m",
    "normalize_place",
    "validate_locator",
]
