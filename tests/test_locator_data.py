"""The bundled directory: 13 provinces and territories, their sites, lines and the gazetteer."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from bot.locator import GAZETTEER_FILE, Gazetteer, Locator, validate_locator
from bot.locator.answer import province_reply
from tests.helpers.locator import ROOT, TODAY


@cache
def locator() -> Locator:
    return Locator.load(ROOT, today=TODAY)


def test_bundled_resources_have_no_errors() -> None:
    """The shipped files pass every check (warnings only for age, never errors)."""
    problems = validate_locator(ROOT, today=TODAY)
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_required_categories_exist_with_both_languages() -> None:
    """The six core categories are defined with English and French labels."""
    for ident in (
        "naloxone",
        "consumption_site",
        "drug_checking",
        "supplies",
        "treatment",
        "crisis",
    ):
        category = locator().categories[ident]
        assert category.label("en") and category.label("fr")
        assert category.label("en") != category.label("fr") or ident == "naloxone"


def test_vancouver_region_is_the_default_with_save_me() -> None:
    """Vancouver is the default region: BC's SAVE ME protocol, 911, Pacific time, BC lines."""
    region = locator().default_region
    assert (region.id, region.protocol, region.emergency_number, region.timezone) == (
        "vancouver",
        "save_me",
        "911",
        "America/Vancouver",
    )

    def phones(category: str) -> set[str | None]:
        return {getattr(line, "phone", None) for line in locator().lines_for(region, category)}

    assert "1-833-804-8111" in phones("treatment")
    assert "8-1-1" in phones("naloxone")
    assert locator().region_for(49.2811, -123.0997) == region


PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "ON", "PE", "QC", "SK", "YT", "NT", "NU")


def test_every_province_and_territory_is_a_region_with_its_lines() -> None:
    """All 13 jurisdictions: time zone, health, crisis and poison lines, naloxone program."""
    for code in PROVINCES:
        region = locator().province_region(code)
        assert region is not None, code
        roles = {line.role for line in region.helplines}
        assert {"health", "crisis", "poison"} <= roles, code
        assert region.naloxone is not None, code
        assert region.tz is not None


def test_poison_and_emergency_numbers_follow_the_facts() -> None:
    """1-844-POISON-X, Québec's own centre, Nunavut's health centres and no 911 there."""

    def poison(code: str) -> str | None:
        region = locator().province_region(code)
        assert region is not None
        return next(h.phone for h in region.helplines if h.role == "poison")

    assert poison("ON") == poison("AB") == "1-844-764-7669"
    assert poison("QC") == "1-800-463-5060"
    assert poison("NU") is None
    nunavut = locator().province_region("NU")
    assert nunavut is not None and nunavut.emergency_number is None
    assert nunavut.emergency_note is not None and "RCMP" in nunavut.emergency_note.en


@pytest.mark.parametrize(
    ("lat", "lon", "province"),
    [
        (43.65, -79.38, "ON"),
        (45.50, -73.57, "QC"),
        (46.09, -64.80, "NB"),
        (63.75, -68.52, "NU"),
        (60.72, -135.05, "YT"),
        (62.45, -114.37, "NT"),
        (47.56, -52.71, "NL"),
        (46.24, -63.13, "PE"),
        (49.90, -97.14, "MB"),
    ],
)
def test_any_point_resolves_to_its_province(lat: float, lon: float, province: str) -> None:
    """A shared location finds its province from the nearest known town."""
    region = locator().region_for(lat, lon)
    assert region is not None and region.province == province


def test_national_helplines_match_the_facts() -> None:
    """NORS, 9-8-8, Hope for Wellness and Kids Help Phone carry the numbers from FACTS.md."""
    phones = {h.id: h.phone for h in locator().helplines}
    assert phones["nors"] == "1-888-688-6677"
    assert phones["crisis_988"] == "9-8-8"
    assert phones["hope_for_wellness"] == "1-855-242-3310"
    assert phones["kids_help_phone"] == "1-800-668-6868"
    assert phones["navigation_211"] == "2-1-1"


@pytest.mark.parametrize("code", PROVINCES)
def test_treatment_and_supplies_end_with_211_everywhere(code: str) -> None:
    """211 covers every province and territory: treatment and supplies searches name it."""
    region = locator().province_region(code)
    assert region is not None
    for category in ("treatment", "supplies"):
        assert "2-1-1" in {
            getattr(line, "phone", None) for line in locator().lines_for(region, category)
        }


def test_line_hours_follow_the_reply_language() -> None:
    """Hours written in words are shown in the reply's language; "24/7" stays as is."""
    english = province_reply(locator(), "AB", "treatment", "en").text
    french = province_reply(locator(), "AB", "treatment", "fr").text
    assert "(Every day, 8 a.m. to 8 p.m.)" in english
    assert "(Tous les jours, de 8 h à 20 h)" in french
    assert "a.m." not in french and "(24/7)" in french


def test_every_service_is_sourced_dated_and_in_its_province() -> None:
    """Each bundled service names a web source and a verified date, and lies in its province."""
    services = locator().services
    assert len(services) >= 40
    for service in services.values():
        assert service.source and all(u.startswith("http") for u in service.source)
        assert service.verified <= TODAY
        region = locator().region_for(*locator().point(service))
        assert region is not None and region.province == service.province, service.id
        # Coordinates only when sourced; everything else is placed by the gazetteer.
        assert (service.location is not None) == (service.where in ("exact", "street"))


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
    later = date(2027, 12, 2)
    warnings = [p for p in validate_locator(ROOT, today=later) if p.severity == "warning"]
    assert len(warnings) >= len(locator().services)
