"""Staff-facing checks of the service directory: every problem is file:line: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.locator import Locator, validate_locator
from bot.yamlsource import Problem, ResourceError
from tests.helpers.locator import GOOD_SERVICE, TODAY, make_resources


def _errors(root: Path) -> list[Problem]:
    return [p for p in validate_locator(root, today=TODAY) if p.severity == "error"]


def _service(**changes: str) -> str:
    """GOOD_SERVICE with some lines replaced (key -> new value text)."""
    lines = []
    for line in GOOD_SERVICE.splitlines():
        key = line.strip().removeprefix("- ").split(":")[0]
        if key in changes and key != "id":
            lines.append(line.split(":")[0] + ": " + changes[key])
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def test_minimal_valid_set_has_no_problems(tmp_path: Path) -> None:
    """A well-formed resource set gives no errors and no warnings."""
    root = make_resources(tmp_path)
    assert validate_locator(root, today=TODAY) == []
    assert len(Locator.load(root, today=TODAY, default_region="testregion").services) == 1


@pytest.mark.parametrize(
    ("changes", "line", "fragment"),
    [
        ({"location": "{lat: 95.0, lon: -123.0}"}, 10, "less than or equal to 90"),
        ({"location": "{lat: 49.28, lon: -190.0}"}, 10, "greater than or equal to -180"),
        ({"phone": "12345"}, 12, "not a phone number"),
        ({"hours": '"Mo-Fx 09:00-17:00"'}, 11, "not valid opening_hours syntax"),
        ({"status": "open"}, 12, "status"),
        ({"postal_code": "Q1Q 1Q1"}, 9, "not a Canadian postal code"),
        ({"source": "example.org/a"}, 12, "must be a web address"),
    ],
)
def test_bad_field_is_reported_on_its_line(
    tmp_path: Path, changes: dict[str, str], line: int, fragment: str
) -> None:
    """A bad value names the file, the line of the field and what is wrong."""
    text = _service(**changes)
    if "phone" in changes or "status" in changes:
        text = GOOD_SERVICE.replace(
            "    source:", f"    {next(iter(changes))}: {next(iter(changes.values()))}\n    source:"
        )
    root = make_resources(tmp_path, text)
    errors = _errors(root)
    assert errors, "expected an error"
    assert errors[0].file == "services/testregion.yaml"
    assert errors[0].line == line
    assert fragment in errors[0].message


def test_opening_hours_error_carries_the_parser_message(tmp_path: Path) -> None:
    """The opening_hours parser's own explanation reaches staff."""
    root = make_resources(tmp_path, _service(hours='"Mo-Fx 09:00-17:00"'))
    (error,) = _errors(root)
    assert "expected wday" in error.message


def test_unknown_category_is_an_error_listing_known_ones(tmp_path: Path) -> None:
    """A category that categories.yaml does not define is reported with the known ids."""
    root = make_resources(tmp_path, _service(categories="[naloxone, shelter]"))
    (error,) = _errors(root)
    assert error.line == 5
    assert "unknown category 'shelter'" in error.message
    assert "drug_checking, naloxone" in error.message


def test_duplicate_service_ids_are_reported(tmp_path: Path) -> None:
    """Two services with one id: the second is reported and points at the first."""
    root = make_resources(tmp_path, GOOD_SERVICE + GOOD_SERVICE)
    (error,) = _errors(root)
    assert error.line == 14
    assert "duplicate id 'site-a'" in error.message
    assert "services/testregion.yaml:3" in error.message


def test_verified_in_the_future_is_an_error(tmp_path: Path) -> None:
    """A verified date after today cannot be true."""
    root = make_resources(tmp_path, _service(verified="2027-01-01"))
    (error,) = _errors(root)
    assert error.line == 13
    assert "in the future" in error.message


def test_old_verification_is_a_warning_with_configurable_age(tmp_path: Path) -> None:
    """Records not checked for stale_days get a warning, not an error."""
    root = make_resources(tmp_path, _service(verified="2025-06-01"))
    problems = validate_locator(root, today=TODAY)
    assert [p.severity for p in problems] == ["warning"]
    assert "not verified since 2025-06-01" in str(problems[0])
    assert validate_locator(root, today=TODAY, stale_days=1000) == []
    Locator.load(root, today=TODAY, default_region="testregion")  # warnings do not block


def test_coordinates_far_from_the_postal_area_are_an_error(tmp_path: Path) -> None:
    """A service more than 30 km from its postal code's area centre is flagged."""
    root = make_resources(tmp_path, _service(location="{lat: 49.90, lon: -123.10}"))
    (error,) = _errors(root)
    assert error.line == 10
    assert "km from the centre of postal area V6A" in error.message


def test_without_postal_code_coordinates_are_checked_against_the_city(tmp_path: Path) -> None:
    """With no postal code, the city's gazetteer position is the reference."""
    text = GOOD_SERVICE.replace("    postal_code: V6A 1A1\n", "").replace(
        "{lat: 49.2800, lon: -123.0990}", "{lat: 45.50, lon: -73.57}"
    )
    root = make_resources(tmp_path, text)
    (error,) = _errors(root)
    assert "from Vancouver, BC" in error.message


def test_unknown_field_suggests_the_right_name(tmp_path: Path) -> None:
    """A misspelt field is an error with a suggestion."""
    root = make_resources(tmp_path, GOOD_SERVICE.replace("    hours:", "    hour:"))
    (error,) = _errors(root)
    assert error.line == 11
    assert "unknown field 'hour'" in error.message
    assert "did you mean 'hours'" in error.message


def test_bad_timezone_and_protocol_in_region(tmp_path: Path) -> None:
    """Region files are checked too: timezone names and the overdose protocol."""
    from tests.helpers.locator import REGION

    region = REGION.replace("America/Vancouver", "America/Vancover").replace(
        "save_me", "three_steps"
    )
    root = make_resources(tmp_path, region=region)
    messages = [str(p) for p in _errors(root)]
    assert len(messages) == 2
    assert any("regions/testregion.yaml:4:" in m and "unknown timezone" in m for m in messages)
    assert any("regions/testregion.yaml:8:" in m and "protocol" in m for m in messages)


def test_unknown_region_in_service_file(tmp_path: Path) -> None:
    """A services file must name a region that exists."""
    root = make_resources(tmp_path, service_file="region: atlantis\nservices:\n" + GOOD_SERVICE)
    (error,) = _errors(root)
    assert error.line == 1
    assert "unknown region 'atlantis'" in error.message


def test_yaml_syntax_error_is_reported_with_line(tmp_path: Path) -> None:
    """Broken YAML stops the load with file and line."""
    root = make_resources(tmp_path, categories="categories:\n  - id: [\n")
    with pytest.raises(ResourceError) as caught:
        Locator.load(root, today=TODAY, default_region="testregion")
    assert caught.value.problems[0].file == "categories.yaml"
    assert "YAML syntax" in caught.value.problems[0].message


def test_load_raises_with_every_error(tmp_path: Path) -> None:
    """Locator.load lists all errors at once, not just the first."""
    text = _service(categories="[nope]") + _service(verified="2030-01-01").replace(
        "site-a", "site-b"
    )
    root = make_resources(tmp_path, text)
    with pytest.raises(ResourceError) as caught:
        Locator.load(root, today=TODAY, default_region="testregion")
    assert len(caught.value.problems) == 2
