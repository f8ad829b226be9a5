"""``make eval`` (places): the service finder on the labelled place questions.

tests/eval/places.yaml was written by someone who never saw the place parser (see
places-NOTES.md). Each row runs through the real dialogue like one ``hrbot ask`` line: a
shared location first when the row has one, then the text. Scored:

- place found: a search was centred somewhere (or the province's answer was given);
- place right: that centre is within 20 km of the labelled town (neighbourhoods count
  for their city); the labelled town is looked up in the gazetteer by its exact name;
- province right: the lines shown are those of the labelled province;
- site within 10 km: where the label says a real site is near, one is listed within 10 km;
- lines: each expected line (matched by its phone number, web address or name words)
  appears in the reply;
- never far: no listed site is more than 150 km away.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.locator import haversine_m
from bot.locator import normalize_place as normalize
from bot.reply import Reply
from bot.resources import Resources, load_resources
from bot.session import Session
from tests.eval.run import read_rows, row_language

HERE = Path(__file__).parent
PLACE_KM = 20.0
SITE_M = 10_000
FAR_M = 150_000
_PHONE = re.compile(r"(?<![\d-])(?:1-)?(?:\d{3}-)?\d{3}-\d{4}(?![\d-])|(?<![\d-])[2-9]11(?!\d)")
_URL = re.compile(r"[a-z0-9.-]+\.(?:ca|com|org)(?:/[^\s)]*)?")
_STOP = frozenset(
    ["the", "and", "for", "des", "les", "aux", "with", "program", "programme", "line", "ligne"]
)


@dataclass
class Tally:
    """Counts for one run."""

    rows: int = 0
    place_rows: int = 0
    found: int = 0
    right_place: int = 0
    province_rows: int = 0
    right_province: int = 0
    site_rows: int = 0
    site_near: int = 0
    line_rows: int = 0
    all_lines: int = 0
    lines: int = 0
    lines_found: int = 0
    far: int = 0
    misses: list[str] = field(default_factory=list)


def _digits(text: str) -> set[str]:
    return {re.sub(r"\D", "", m) for m in _PHONE.findall(text)}


def line_present(label: str, reply_text: str) -> bool:
    """An expected line is in the reply: same phone number, web address or name words."""
    reply_phones = _digits(
        reply_text.replace("8-1-1", "811").replace("9-8-8", "988").replace("9-1-1", "911")
    )
    phones = _digits(label)
    if phones & reply_phones:
        return True
    folded = normalize(reply_text)
    for url in _URL.findall(label.lower()):
        if url.split("/")[0] in reply_text.lower():
            return True
    name = normalize(re.sub(r"\(.*?\)", " ", label))
    words = [w for w in name.split() if len(w) >= 4 and w not in _STOP and not w.isdigit()]
    if not words:
        return not phones and name in folded
    reply_words = set(folded.split())
    return sum(w in reply_words for w in words) >= max(1, round(0.6 * len(words)))


def run_row(resources: Resources, row: dict[str, Any]) -> Reply:
    """One row as ``hrbot ask`` would answer it: location first, then the text."""
    session = Session(language=row_language(row))
    loc = row.get("location")
    if isinstance(loc, dict):
        resources.dialogue.respond_location(float(loc["lat"]), float(loc["lon"]), session)
    return resources.dialogue.respond(str(row["text"]), session)


def _town(resources: Resources, name: str, province: str) -> tuple[float, float] | None:
    locator = resources.locator
    assert locator is not None
    for candidate in (name, "Québec" if name == "Quebec City" else name):
        town = locator.gazetteer.city(candidate, province)
        if town is not None:
            return town.lat, town.lon
    return None


def score(resources: Resources, rows: list[dict[str, Any]]) -> Tally:
    """Run and score every row."""
    tally = Tally()
    for row in rows:
        reply = run_row(resources, row)
        tally.rows += 1
        problems: list[str] = []
        province_only = not row.get("place") and not row.get("location")
        tally.place_rows += 1
        found = reply.place is not None or (province_only and reply.province is not None)
        tally.found += found
        if not found:
            problems.append("no place")
        if row.get("place") and reply.place is not None:
            town = _town(resources, str(row["place"]), str(row["province"]))
            if (
                town is not None
                and haversine_m(*town, reply.place.lat, reply.place.lon) <= PLACE_KM * 1000
            ):
                tally.right_place += 1
            else:
                problems.append(f"place {reply.place.name}")
        elif row.get("place"):
            pass  # counted in "no place"
        else:
            tally.right_place += found
        tally.province_rows += 1
        if reply.province == row["province"]:
            tally.right_province += 1
        else:
            problems.append(f"province {reply.province}")
        if row.get("site_within_10km"):
            tally.site_rows += 1
            if any(s.distance_m <= SITE_M for s in reply.services):
                tally.site_near += 1
            else:
                problems.append("no site within 10 km")
        tally.far += any(s.distance_m > FAR_M for s in reply.services)
        expected = list(row.get("expect_lines") or [])
        if expected:
            tally.line_rows += 1
            missing = [e for e in expected if not line_present(e, reply.text)]
            tally.lines += len(expected)
            tally.lines_found += len(expected) - len(missing)
            tally.all_lines += not missing
            if missing:
                problems.append("lines missing: " + "; ".join(missing))
        if problems:
            tally.misses.append(f"{row['text']!r}: {', '.join(problems)}")
    return tally


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a"


def main(argv: list[str] | None = None) -> int:
    """Print the place-question table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every row with a problem")
    args = parser.parse_args(argv)
    rows = read_rows(HERE / "places.yaml")
    tally = score(load_resources(), rows)
    print(f"evaluation set: tests/eval/places.yaml ({tally.rows} place questions)")
    print(f"{'place found':<40}{_ratio(tally.found, tally.place_rows)}")
    print(
        f"{'place right (within 20 km of the town)':<40}"
        f"{_ratio(tally.right_place, tally.place_rows)}"
    )
    print(f"{'province right':<40}{_ratio(tally.right_province, tally.province_rows)}")
    print(
        f"{'real site within 10 km, where expected':<40}{_ratio(tally.site_near, tally.site_rows)}"
    )
    print(f"{'expected lines shown (each line)':<40}{_ratio(tally.lines_found, tally.lines)}")
    print(f"{'rows with every expected line':<40}{_ratio(tally.all_lines, tally.line_rows)}")
    print(f"{'rows listing a site over 150 km away':<40}{tally.far}")
    if args.misses:
        print("\nrows with a problem:")
        for miss in tally.misses:
            print(f"  {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
