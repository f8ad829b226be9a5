"""The button grammar: every action the bot sends parses back to itself."""

from __future__ import annotations

import pytest

from bot import actions

EVERY_ACTION: list[actions.Action] = [
    actions.Topic("naloxone_get"),
    actions.Find("naloxone"),
    actions.Category("drug_checking"),
    actions.Place("r-main-and-hastings"),
    actions.Report("insite"),
    actions.Reason("vch.insite", "closed"),
    actions.Lang("fr"),
    actions.More(),
    actions.OpenNow(),
    actions.AlertOn("vancouver"),
    actions.AlertOff("vancouver"),
    actions.AlertsStop(),
    actions.DraftRegion("bc"),
    actions.DraftExpiry(48),
    actions.DraftSend(),
    actions.DraftCancel(),
]


@pytest.mark.parametrize("action", EVERY_ACTION, ids=actions.format)
def test_every_action_round_trips(action: actions.Action) -> None:
    """format then parse gives the same action back, within Telegram's 64 bytes."""
    data = actions.format(action)
    assert len(data.encode()) <= actions.MAX_BYTES
    assert actions.parse(data) == action


@pytest.mark.parametrize(
    "data",
    [
        None,
        7,
        "",
        "more:",
        "intent",
        "intent:",
        "intent:a:b",
        "intent:a b",
        "x" * 65,
        "intent:" + "a" * 60,
        "lang:de",
        "reason:insite",
        "reason:.closed",
        "alerts:on",
        "alerts:maybe:bc",
        "alertadm:exp:soon",
        "location",
        "evil:1",
    ],
)
def test_anything_else_is_refused(data: object) -> None:
    """Forged, stale or malformed data parses to None (the caller answers politely)."""
    assert actions.parse(data) is None
