"""``hrbot``: console chat, batch ``ask``, ``validate``, ``run`` (the Telegram bot) and the
staff tools ``services export|import`` and ``geocode``."""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.config import ConfigError, load_tool_settings
from bot.exitcodes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from bot.reply import LANGUAGES, Language, Reply
from bot.rescache import load_resources_cached
from bot.resources import Resources, default_resources_dir
from bot.semantic import settings_for
from bot.session import Session
from bot.staff.arguments import add_parsers as add_staff_parsers
from bot.yamlsource import ResourceError

# Each command imports what only it needs (validation, the staff tools, the Telegram
# adapter) where it runs: `hrbot ask` starts a process per call, and its start-up is
# mostly imports.


def reply_json(reply: Reply) -> dict[str, Any]:
    """The stable ``hrbot ask`` output for one reply (documented in the README)."""
    place = None
    if reply.place is not None:
        place = {
            "name": reply.place.name,
            "lat": reply.place.lat,
            "lon": reply.place.lon,
            "source": reply.place.source,
            "province": reply.place.province,
        }
    return {
        "intent": reply.intent,
        "confidence": reply.confidence,
        "emergency": reply.emergency,
        "language": reply.language,
        "text": reply.text,
        "buttons": [{"label": b.label, "action": b.action} for b in reply.buttons],
        "services": [
            {
                "id": s.id,
                "name": s.name,
                "category": s.category,
                "distance_m": round(s.distance_m),
                "open_now": s.open_now,
                "precision": s.precision,
                "status": s.status,
            }
            for s in reply.services
        ],
        "place": place,
        "province": reply.province,
        **({"why": reply.why} if reply.why else {}),
    }


def _load(path: str | None) -> Resources:
    tools = load_tool_settings(os.environ)
    root = Path(path) if path else (tools.resources_dir or default_resources_dir())
    try:
        resources = load_resources_cached(
            root, tools.cache_dir, default_region=tools.default_region
        )
    except ResourceError as exc:
        print(
            f"The resources in {root} have problems; run 'hrbot validate {root}'.", file=sys.stderr
        )
        for problem in exc.problems[:20]:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    # The sentence model loads on the first message the matcher is unsure of, in this
    # thread: a batch answers the same every run (bot.semantic).
    return resources.with_semantic(settings_for(tools.semantic, tools.cache_dir, background=False))


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """Everything alive now (the loaded resources, ~10^5 objects) out of the cyclic
    collector's sight while a command answers: it lives that long anyway, and the first
    answer would otherwise pay ~12 ms for a pass over it. Unfrozen after, for a caller
    that runs the command inside a longer process (the tests)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _ask_line(resources: Resources, line: str, lang: Language) -> dict[str, Any]:
    stripped = line.strip()
    text: str = line
    location: tuple[float, float] | None = None
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError:
            obj = None  # not JSON after all: answer it as text
        if isinstance(obj, dict):
            if obj.get("lang") in LANGUAGES:
                lang = "fr" if obj["lang"] == "fr" else "en"
            text = str(obj.get("text") or "")
            loc = obj.get("location")
            if isinstance(loc, dict):
                try:
                    location = (float(loc["lat"]), float(loc["lon"]))
                except (KeyError, TypeError, ValueError):
                    return {"error": "location needs numeric 'lat' and 'lon'"}
    session = Session(language=lang)
    if location is not None:
        reply = resources.dialogue.respond_location(location[0], location[1], session)
        if text.strip():
            # Like sharing the location, then sending the text: a "where" question or a
            # topic question searches from the shared location.
            reply = resources.dialogue.respond(text, session)
    else:
        reply = resources.dialogue.respond(text, session)
    return reply_json(reply)


def cmd_ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Answer one message per input line, one JSON object per output line."""
    resources = _load(args.resources)
    with _frozen():
        for line in stdin:
            if not line.strip():
                continue
            result = _ask_line(resources, line.rstrip("\n"), args.lang)
            stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            stdout.flush()
    return EXIT_OK


def render_console(reply: Reply) -> str:
    """A reply as console text, buttons as numbered choices."""
    lines = [reply.text]
    for number, button in enumerate(reply.buttons, 1):
        lines.append(f"  [{number}] {button.label}")
    if reply.request_location:
        lines.append("  (share a location with: /loc 49.28,-123.10)")
    return "\n".join(lines)


def cmd_chat(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """A console chat on the same core as the Telegram bot."""
    resources = _load(args.resources)
    with _frozen():
        return _chat(resources, args.lang, stdin, stdout)


def _chat(resources: Resources, lang: Language, stdin: TextIO, stdout: TextIO) -> int:
    dialogue = resources.dialogue
    session = Session(language=lang)
    interactive = stdin.isatty()
    print(render_console(dialogue.welcome(session)), file=stdout)
    print("(type /lang fr, /loc LAT,LON, a number to press a button, /quit to leave)", file=stdout)
    last: Reply | None = None
    while True:
        if interactive:
            stdout.write("\n> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            return EXIT_OK
        text = line.strip()
        if text in ("/quit", "/exit"):
            return EXIT_OK
        reply = _chat_turn(resources, session, text, last)
        print(render_console(reply), file=stdout)
        last = reply


def _chat_turn(resources: Resources, session: Session, text: str, last: Reply | None) -> Reply:
    dialogue = resources.dialogue
    if text.isdigit() and last is not None and 1 <= int(text) <= len(last.buttons):
        return dialogue.respond_action(last.buttons[int(text) - 1].action, session)
    if text.startswith("/lang"):
        code = text.removeprefix("/lang").strip() or ("fr" if session.language == "en" else "en")
        return dialogue.respond_action(f"lang:{code}", session)
    if text.startswith("/loc"):
        try:
            lat_s, lon_s = text.removeprefix("/loc").replace(" ", "").split(",")
            lat, lon = float(lat_s), float(lon_s)
        except ValueError:
            lat = lon = math.nan
        return dialogue.respond_location(lat, lon, session)
    if text == "/start":
        return dialogue.welcome(session)
    if text == "/privacy":
        return dialogue.message("privacy", session.language)
    if text == "/help":
        return dialogue.message("help_text", session.language)
    if text == "/forget":
        lang = session.language
        session.__init__(language=lang)  # type: ignore[misc]  # reset in place
        return dialogue.message("forget_done", lang)
    return dialogue.respond(text, session)


def cmd_validate(args: argparse.Namespace, stdout: TextIO) -> int:
    """Check a resource set; ``file:line: message`` per problem; exit 1 on errors."""
    from bot.validation import check_resources

    configured = load_tool_settings(os.environ).resources_dir
    root = Path(args.dir) if args.dir else (configured or default_resources_dir())
    problems = check_resources(root, stale_days=args.stale_days)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    failed = bool(errors) or (args.strict and bool(warnings))
    if args.coverage:
        _print_coverage(root, args.stale_days, stdout)
    if args.format == "json":
        json.dump(
            {
                "ok": not failed,
                "problems": [
                    {"file": p.file, "line": p.line, "severity": p.severity, "message": p.message}
                    for p in problems
                ],
            },
            stdout,
            ensure_ascii=False,
            indent=2,
        )
        stdout.write("\n")
    else:
        for problem in errors + warnings:
            print(problem, file=stdout)
        verdict = "FAILED" if failed else "OK"
        print(
            f"{verdict}: {len(errors)} error(s), {len(warnings)} warning(s) in {root}", file=stdout
        )
    return EXIT_PROBLEMS if failed else EXIT_OK


def _print_coverage(root: Path, stale_days: int, stdout: TextIO) -> None:
    from datetime import date

    from bot.locator import Locator
    from bot.locator.coverage import coverage_lines

    try:
        locator = Locator.load(root)
    except ResourceError:
        print("coverage: the directory has errors (listed below)", file=stdout)
        return
    for line in coverage_lines(locator, date.today(), stale_days):
        print(line, file=stdout)


def cmd_run(args: argparse.Namespace) -> int:
    """Start the Telegram bot (polling or webhook, from the environment)."""
    from bot.tg.runner import run

    return run()


def build_parser() -> argparse.ArgumentParser:
    """The ``hrbot`` command line."""
    parser = argparse.ArgumentParser(prog="hrbot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("chat", "talk to the bot in this terminal"),
        ("ask", "answer JSON lines from stdin (for scripts)"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--resources", help="resources directory (default: bundled)")
        p.add_argument("--lang", choices=LANGUAGES, default="en", help="default language")
    v = sub.add_parser("validate", help="check the resource files")
    v.add_argument("dir", nargs="?", help="resources directory (default: bundled)")
    v.add_argument("--strict", action="store_true", help="treat warnings as errors")
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument(
        "--stale-days",
        type=int,
        default=365,
        help="warn about records not verified for this many days",
    )
    v.add_argument(
        "--coverage",
        action="store_true",
        help="also print what the directory covers, per province and territory",
    )
    sub.add_parser("run", help="run the Telegram bot (configured by environment variables)")
    add_staff_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hrbot`` console script."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "chat":
            return cmd_chat(args, sys.stdin, sys.stdout)
        if args.command == "ask":
            return cmd_ask(args, sys.stdin, sys.stdout)
        if args.command == "validate":
            return cmd_validate(args, sys.stdout)
        if args.command in ("services", "geocode"):
            from bot.staff import commands as staff_commands

            if args.command == "services":
                return staff_commands.cmd_services(args, sys.stdout, sys.stderr)
            return staff_commands.cmd_geocode(args, sys.stdout, sys.stderr)
        return cmd_run(args)
    except ConfigError as exc:  # HRBOT_SEMANTIC=maybe: one line naming it
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_OK
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
