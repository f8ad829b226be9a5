"""Nearest harm-reduction services: the directory, places without GPS, and the search.

Public surface::

    Locator.load(resources_dir) -> Locator          # raises bot.yamlsource.ResourceError
    validate_locator(resources_dir) -> list[Problem]
    locator.find_place(text) / extract_place(text) -> PlaceOutcome
        PlaceOutcome = Found | Ambiguous | TooCoarse | ProvinceOnly | NotFound
    bot.locator.answer       -> Reply builders (search, place, action, location)
    bot.locator.geocoder     -> OnlineGeocoder (optional, async, Nominatim via geopy)

The core never imports telegram.
"""

from bot.locator._locator import Hours, Line, Locator, Nearby, SearchResult, validate_locator
from bot.locator._models import Category, Helpline, Naloxone, Region, RegionPlace, Service
from bot.locator._places import (
    Ambiguous,
    Candidate,
    Found,
    NotFound,
    PlaceOutcome,
    ProvinceOnly,
    TooCoarse,
)

__all__ = [
    "Ambiguous",
    "Candidate",
    "Category",
    "Found",
    "Helpline",
    "Hours",
    "Line",
    "Locator",
    "Naloxone",
    "Nearby",
    "NotFound",
    "PlaceOutcome",
    "ProvinceOnly",
    "Region",
    "RegionPlace",
    "SearchResult",
    "Service",
    "TooCoarse",
    "validate_locator",
]
