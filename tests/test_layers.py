"""The layers hold: read from the imports of every module under bot/ (no module is run)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"


@cache
def imports() -> dict[str, set[str]]:
    """Module name -> every module it imports (at any level of the file)."""
    found: dict[str, set[str]] = {}
    for path in BOT.rglob("*.py"):
        parts = path.relative_to(BOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[name] = names
    return found


def test_only_the_adapter_imports_telegram() -> None:
    """The core (everything but bot.tg) never imports python-telegram-bot."""
    offenders = {
        m
        for m, names in imports().items()
        if not m.startswith("bot.tg")
        and any(n == "telegram" or n.startswith("telegram.") for n in names)
    }
    assert offenders == set()


def test_no_module_imports_another_packages_private_modules() -> None:
    """``bot.x._y`` is imported only from inside ``bot.x``."""
    offenders = set()
    for module, names in imports().items():
        for name in names:
            parts = name.split(".")
            private = next((i for i, p in enumerate(parts) if p.startswith("_")), None)
            if private is None or not name.startswith("bot."):
                continue
            package = ".".join(parts[:private])
            if not (module == package or module.startswith(package + ".")):
                offenders.add((module, name))
    assert offenders == set()


def test_loading_never_imports_validation() -> None:
    """bot.validation imports bot.resources, never the reverse."""
    assert not any(n.startswith("bot.validation") for n in imports()["bot.resources"])
    assert "bot.resources" in imports()["bot.validation"]


def test_the_directory_layer_never_touches_the_conversation() -> None:
    """bot.locator renders searches; only the dialogue layer (bot.finder) writes a Session."""
    offenders = {
        m
        for m, names in imports().items()
        if m.startswith("bot.locator") and any(n.startswith("bot.session") for n in names)
    }
    assert offenders == set()


def test_the_core_does_not_depend_on_staff_tools() -> None:
    """The dialogue and what it imports never reach into bot.staff (staff sits above)."""
    core = ("bot.dialogue", "bot.finder", "bot.reports", "bot.actions", "bot.reply", "bot.text")
    offenders = {m for m in core if any(n.startswith("bot.staff") for n in imports()[m])}
    assert offenders == set()
