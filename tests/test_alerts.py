"""Drug-supply alerts, the core: alert files, words, and the dialogue's answer (the stores:
test_alert_stores.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.alerts import (
    UTC,
    Alert,
    AlertRegion,
    Progress,
    SqliteAlertStore,
    bundled_texts,
    format_alert,
    format_current,
    format_progress,
    read_alert_files,
)
from bot.resources import load_resources
from bot.session import Session
from bot.storage import MEMORY, open_database
from bot.validation import check_resources

REPO = Path(__file__).resolve().parent.parent
VANCOUVER = AlertRegion("vancouver", "Vancouver", "Vancouver", ZoneInfo("America/Vancouver"))
REGIONS = {"vancouver": VANCOUVER}
TEXTS = bundled_texts()  # the words of resources/ui.yaml
NOW = dt.datetime(2026, 5, 2, 21, 0, tzinfo=UTC)  # 14:00 in Vancouver


def alert(
    alert_id: str = "a1",
    *,
    en: str = "Benzos found in green down.",
    fr: str = "",
    region: str = "vancouver",
    hours: float = 24,
) -> Alert:
    """An alert issued at NOW."""
    return Alert(alert_id, region, en, fr, NOW, NOW + dt.timedelta(hours=hours))


# -- words ------------------------------------------------------------------------------


def test_an_alert_names_region_time_finding_advice_and_expiry() -> None:
    """The English alert has the region, local issue time, the text, what to do and the expiry."""
    words = format_alert(alert(), "en", VANCOUVER, TEXTS)
    assert words.startswith("⚠️ Drug alert: Vancouver")
    assert "Benzos found in green down." in words
    for advice in ("checked", "Don't use alone", "naloxone", "Go slow", "1-888-688-6677"):
        assert advice in words
    assert "Issued 2026-05-02 14:00 PDT. Until 2026-05-03 14:00 PDT." in words


def test_a_french_reader_gets_the_english_text_with_a_note() -> None:
    """Written in English only, the alert reaches French readers in French with a note."""
    words = format_alert(alert(), "fr", VANCOUVER, TEXTS)
    assert words.startswith("⚠️ Alerte drogues : Vancouver")
    assert "(Cette alerte n'a été écrite qu'en anglais.)" in words
    assert "Benzos found in green down." in words
    assert "14 h 00" in words
    assert "note" not in format_alert(
        alert(fr="Benzos dans la down verte."), "fr", VANCOUVER, TEXTS
    )


def test_progress_reads_like_the_staff_would_say_it() -> None:
    """Progress shows 'n of total' with thousands separators, then the final counts."""
    running = Progress("a1", 5000, sent=1190, failed=4, blocked=6)
    assert format_progress(running, "en", VANCOUVER, TEXTS) == (
        "Sending the alert for Vancouver: 1,200 of 5,000…"
    )
    done = Progress("a1", 5000, sent=4990, failed=4, blocked=6, done=True)
    assert "4,990 delivered, 4 failed, 6 blocked" in format_progress(done, "en", VANCOUVER, TEXTS)


# -- files ------------------------------------------------------------------------------


def _write(root: Path, name: str, body: str) -> None:
    (root / "alerts").mkdir(exist_ok=True)
    (root / "alerts" / name).write_text(body, encoding="utf-8")


def test_a_valid_file_becomes_an_alert_ending_at_the_end_of_its_day(tmp_path: Path) -> None:
    """A date-only expiry lasts to the end of that day in the region's time zone."""
    _write(
        tmp_path,
        "dtes.yaml",
        "id: dtes-1\nregion: vancouver\nissued: 2026-05-02 14:00\n"
        "expires: 2026-05-09\ntext:\n  fr: Benzos dans la down verte.\n",
    )
    [found], problems = read_alert_files(tmp_path, REGIONS, NOW)
    assert problems == []
    assert found.id == "file:dtes-1" and found.en == "" and found.fr.startswith("Benzos")
    assert found.issued_at == NOW
    assert found.expires_at.astimezone(VANCOUVER.tz).strftime("%Y-%m-%d %H:%M") == (
        "2026-05-09 23:59"
    )


def test_file_problems_name_file_line_and_field(tmp_path: Path) -> None:
    """Bad ids, dates, regions, fields and texts are reported as file:line in plain words."""
    _write(
        tmp_path,
        "bad.yaml",
        "id: Bad Id\nregion: vancouver\nexpires: 2026-13-01\ntext:\n  en: x\n  colour: green\n",
    )
    _write(tmp_path, "where.yaml", "id: w\nregion: toronto\nexpires: 2026-05-09\ntext: {en: x}\n")
    _write(tmp_path, "empty.yaml", "id: e\nregion: vancouver\nexpires: 2026-05-09\ntext: {}\n")
    _write(tmp_path, "old.yaml", "id: o\nregion: vancouver\nexpires: 2026-04-01\ntext: {en: x}\n")
    _write(tmp_path, "template.yaml", "# id: example\n")
    alerts, problems = read_alert_files(tmp_path, REGIONS, NOW)
    assert alerts == []
    lines = [str(p) for p in problems]
    assert (
        "alerts/bad.yaml:1: id: 'Bad Id' must be 1-60 lower-case letters, digits, '-' or '_'"
        in lines
    )
    assert "alerts/bad.yaml:3: expires: '2026-13-01' is not a real date or time" in lines
    assert "alerts/bad.yaml:6: unknown field 'colour'" in lines
    assert "alerts/where.yaml:2: unknown region 'toronto' (known: vancouver)" in lines
    assert any(line.startswith("alerts/empty.yaml:4: text: write the alert") for line in lines)
    assert "alerts/old.yaml:3: warning: expired: it will not be sent (delete the file)" in lines


def test_hrbot_validate_reports_alert_file_problems(tmp_path: Path) -> None:
    """check_resources (hrbot validate) includes the alert files' problems."""
    root = tmp_path / "resources"
    shutil.copytree(REPO / "resources", root)
    _write(root, "x.yaml", "id: x\nregion: nowhere\nexpires: 2099-01-01\ntext: {en: x}\n")
    problems = [str(p) for p in check_resources(root)]
    assert any(p.startswith("alerts/x.yaml:2: unknown region 'nowhere'") for p in problems)


# -- the dialogue -----------------------------------------------------------------------


def test_any_alerts_lists_the_current_alerts_for_the_users_region() -> None:
    """'any alerts?' answers with the alerts in force, or the fallback text when none."""
    store = SqliteAlertStore(open_database(MEMORY))
    dialogue = load_resources(REPO / "resources", alerts=store).dialogue
    quiet = dialogue.respond("any bad batch alerts right now?", Session())
    assert quiet.intent == "alerts_current"
    assert quiet.text.startswith("No current drug-supply alerts")
    now = dt.datetime.now(UTC)
    store.publish(
        Alert("a1", "vancouver", "Benzos found in green down.", "", now, now + dt.timedelta(days=1))
    )
    reply = dialogue.respond("is there a bad batch going around", Session())
    assert reply.text.startswith("Current drug alerts for Vancouver:")
    assert "Benzos found in green down." in reply.text
    french = dialogue.respond("y a-t-il un mauvais lot qui circule", Session(language="fr"))
    assert french.text.startswith("Alertes drogues en cours pour Vancouver")


def test_format_current_lists_each_alert_on_one_line() -> None:
    """Each current alert is one line with its time, text and expiry."""
    words = format_current([alert(en="Benzos\nin green.")], "en", VANCOUVER, TEXTS)
    assert "⚠️ 2026-05-02 14:00 PDT: Benzos in green. (until 2026-05-03 14:00 PDT)" in words
