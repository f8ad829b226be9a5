"""The names of a resource set's files and folders, and where the bundled set lives.

One place, so a renamed file is renamed everywhere (loading, validation, the spreadsheet
and geocoding tools)."""

from __future__ import annotations

from pathlib import Path

INTENTS_DIR = "intents"
LEXICON_FILE = "lexicon.yaml"
UI_FILE = "ui.yaml"
PROTOCOLS_FILE = "protocols.yaml"
EMERGENCY_FILE = "emergency.yaml"
CRISIS_FILE = "crisis.yaml"
FAMILIES_FILE = "families.yaml"
CATEGORIES_FILE = "categories.yaml"
HELPLINES_FILE = "helplines.yaml"
REGIONS_DIR = "regions"
SERVICES_DIR = "services"
ALERTS_DIR = "alerts"
WORDS_DIR = "words"  # common-<language>.txt, the everyday-word lists
GAZETTEER_FILE = Path("gazetteer") / "canada.tsv"

# The bundled resources: packaged with the wheel as bot/_resources, or the checkout's.
_PACKAGED = Path(__file__).resolve().parent / "_resources"
BUNDLED = _PACKAGED if _PACKAGED.is_dir() else _PACKAGED.parent.parent / "resources"
