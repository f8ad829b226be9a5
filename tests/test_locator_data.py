"""The bundled directory: real Vancouver services, helplines and the gazetteer."""

from __future__ import annotations

from datetime import date
from functools import cache

from bot.locator import Locator, validate_locator
from bot.locator._gazetteer import GAZETTEER_FILE, Gazetteer
from tests.conftest_locator import ROOT, TODAY


@cache
def locator() -> Locator:
    return Locator.load(ROOT, today=TODAY)


def test_bundled_resources_have_no_errors() -> None:
    """The shipped files pass every check (warnings only for age, never errors)."""
    problems = validate_locator(ROOT, today=TODAY)
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_required_categories_exist_with_both_languages() -> None:
    """The six core categories are defined with English and French labels."""
    for ident in ("naloxone", "consumption_site", "drug_checking", "supplies", "treatment",
                  "crisis"):
        category = locator().categories[ident]
        assert category.label("en") and category.label("fr")
        assert category.label("en") != category.label("fr") or ident == "naloxone"


def test_vancouver_region_is_the_default_with_save_me() -> None:
    """Vancouver is the default region: BC's SAVE ME protocol, 911, Pacific time, BC lines."""
    region = locator().default_region
    assert (region.id, region.protocol, region.emergency_number, region.timezone) == (
        "vancouver", "save_me", "911", "America/Vancouver")
    phones = {h.phone for h in region.helplines}
    assert {"8-1-1", "1-833-804-8111"} <= phones
    assert locator().region_for(49.2811, -123.0997) == region


def test_national_helplines_match_the_facts() -> None:
    """NORS, 9-8-8, Hope for Wellness and Kids Help Phone carry the numbers from FACTS.md."""
    phones = {h.id: h.phone for h in locator().helplines}
    assert phones["nors"] == "1-888-688-6677"
    assert phones["crisis_988"] == "9-8-8"
    assert phones["hope_for_wellness"] == "1-855-242-3310"
    assert phones["kids_help_phone"] == "1-800-668-6868"


def test_every_service_is_sourced_dated_and_in_vancouver() -> None:
    """Each bundled service names a web source and a verified date, and lies in the region."""
    services = locator().services
    assert len(services) >= 5
    for service in services.values():
        assert service.source and all(u.startswith("http") for u in service.source)
        assert service.verified <= TODAY
        assert locator().region_for(service.location.lat, service.location.lon) is not None


def test_core_categories_with_bundled_services_are_found() -> None:
    """Consumption sites, drug checking and supplies are found near Main and Hastings."""
    for ident in ("consumption_site", "drug_checking", "supplies"):
        result = locator().nearest(49.2811, -123.0997, ident)
        assert result.hits, ident


def test_gazetteer_is_small_and_loads_fast() -> None:
    """The gazetteer file stays compact, credits GeoNames and covers Canada."""
    path = ROOT / GAZETTEER_FILE
    assert path.stat().st_size < 3 * 1024 * 1024
    assert "CC BY 4.0" in path.read_text(encoding="utf-8")[:600]
    gazetteer = Gazetteer.load(path)  # load time is tracked by `make bench`, not here
    assert len(gazetteer.places) > 3000
    assert len(gazetteer.fsas) > 1600


def test_stale_warning_appears_once_records_age() -> None:
    """A year and a day after checking, every record is flagged for a re-check."""
    later = date(2027, 11, 28)
    warnings = [p for p in validate_locator(ROOT, today=later) if p.severity == "warning"]
    assert len(warnings) >= len(locator().services)
