"""Load staff-edited YAML safely and keep line numbers, so every error reads ``file:line: message``.

Refuses what could hurt a running bot: aliases (alias bombs), duplicate keys (silently
lost data), oversized files, undecodable bytes. A UTF-8 BOM is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.memo import LoadMemo

MAX_FILE_BYTES = 5 * 1024 * 1024

Severity = Literal["error", "warning"]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about a resource file, phrased for staff."""

    file: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}: {tag}{self.message}"


class ResourceError(Exception):
    """Raised when a resource set cannot be used; carries every problem found.

    ``warnings`` are the directory's warnings found on the way, which ``hrbot validate``
    still reports when loading fails."""

    def __init__(self, problems: Sequence[Problem], warnings: Sequence[Problem] = ()) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings)
        super().__init__("\n".join(str(p) for p in self.problems))


class LineDict(dict[Any, Any]):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 1
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence that remembers the line of itself and of each item."""

    line: int = 1
    item_lines: list[int]


_STR = "tag:yaml.org,2002:str"


class _LineConstructor(yaml.constructor.SafeConstructor):
    """Safe construction that records lines and rejects duplicate keys."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # Most nodes are plain text, and a text is its scalar's value: PyYAML's general
        # path (memo, constructor lookup) for each of them was ~40% of construction.
        if node.tag == _STR and type(node) is yaml.ScalarNode:
            return node.value
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.MarkedYAMLError(
                    None, None, "a key must be plain text", key_node.start_mark
                ) from None
            if key in result:
                raise yaml.MarkedYAMLError(
                    None,
                    None,
                    f"duplicate key '{key}' (first on line {result.key_lines[key]})",
                    key_node.start_mark,
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node: Any, deep: bool = False) -> Any:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


class _Loader(_LineConstructor, yaml.SafeLoader):
    """The pure-Python loader: also refuses aliases, and its errors are the ones staff see."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed in resource files", event.start_mark
            )
        return super().compose_node(parent, index)


# LibYAML's parser, when PyYAML was built with it, parses about ten times faster. Its
# composer cannot refuse aliases, and its error messages differ, so it only serves files
# that load cleanly without one; anything else is parsed again by ``_Loader``.
_CBase: Any = getattr(yaml, "CSafeLoader", None)
_FAST_LOADERS: list[Any] = []
if _CBase is not None:

    class _CLoader(_LineConstructor, _CBase):  # type: ignore[misc]
        """LibYAML parsing with the same construction as ``_Loader``."""

    _FAST_LOADERS.append(_CLoader)

for _cls in (_Loader, *_FAST_LOADERS):
    _cls.add_constructor("tag:yaml.org,2002:map", _cls.construct_mapping)
    _cls.add_constructor("tag:yaml.org,2002:seq", _cls.construct_sequence)
    # Dates stay strings: pydantic parses them, so a bad date gets a staff-readable message.
    _cls.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _shares_nodes(root: yaml.Node) -> bool:
    """True when a node is reached twice: LibYAML composed an alias (``*name``)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _fast_parse(text: str) -> tuple[bool, Any]:
    """``(True, data)`` when LibYAML loads ``text`` cleanly and alias-free, else ``(False,
    None)`` (no LibYAML, an error, or an alias: ``_Loader`` then says what is wrong)."""
    if not _FAST_LOADERS:
        return False, None
    loader = _FAST_LOADERS[0](text)
    try:
        node = loader.get_single_node()
        if node is None:
            return True, None
        # An alias needs an anchor (&name): without a '&' there is none to look for.
        if "&" in text and _shares_nodes(node):
            return False, None
        return True, loader.construct_document(node)
    except (yaml.YAMLError, RecursionError):
        return False, None
    finally:
        loader.dispose()


def display_name(path: Path, root: Path | None) -> str:
    """A short file name for messages: relative to the resources root when possible."""
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)


# While resources load, the locator reads a region file three times (model, protocol,
# dates). Its readers never change what they are given, so they can share one parse.
PARSED: LoadMemo[Path, Any] = LoadMemo("parsed")


def load_yaml(path: Path, root: Path | None = None) -> Any:
    """Parse one YAML file; raise ResourceError with a ``file:line`` problem on failure."""
    return PARSED.get(path, lambda p: _load_yaml(p, root))


def _load_yaml(path: Path, root: Path | None) -> Any:
    name = display_name(path, root)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ResourceError(
                [
                    Problem(
                        name,
                        1,
                        f"file is {size // 1024} KB; the limit is "
                        f"{MAX_FILE_BYTES // 1024} KB (split it into smaller files)",
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ResourceError([Problem(name, 1, f"cannot read file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ResourceError(
            [Problem(name, line, "file is not UTF-8 text; save it as UTF-8 in your editor")]
        ) from None
    parsed, data = _fast_parse(text)
    if parsed:
        return data
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        message = exc.problem or exc.context or "invalid YAML"
        if "\t" in text and "found character '\\t'" in str(exc):
            message = "tab character found: indent with spaces, not tabs"
        raise ResourceError([Problem(name, line, f"YAML syntax: {message}")]) from None
    except yaml.YAMLError as exc:
        raise ResourceError([Problem(name, 1, f"YAML syntax: {exc}")]) from None
    except RecursionError:
        raise ResourceError(
            [Problem(name, 1, "YAML structure is nested too deeply (check the brackets)")]
        ) from None


def line_of(data: Any, loc: Iterable[int | str]) -> int:
    """The line of the deepest node on ``loc`` (a pydantic error location) that has one."""
    line = getattr(data, "line", 1)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
        line = max(line, 1)
    return line


def _friendly(error: Any) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown field '{error['loc'][-1]}'"
    if kind == "missing":
        return f"missing field '{loc}'"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{loc}: {message}" if loc else message


def validate_model(
    model: type[M], data: Any, name: str, known_fields: Sequence[str] = ()
) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` as ``model``; return the model or problems with lines and hints."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            message = _friendly(error)
            if error["type"] == "extra_forbidden" and known_fields:
                hint = suggest(str(error["loc"][-1]), known_fields)
                if hint:
                    message += f" (did you mean '{hint}'?)"
            problems.append(Problem(name, line_of(data, error["loc"]), message))
        return None, problems


def read_model(path: Path, root: Path | None, model: type[M], problems: list[Problem]) -> M | None:
    """Load ``path`` and validate it as ``model``; append every problem, return None on error."""
    try:
        data = load_yaml(path, root)
    except ResourceError as exc:
        problems.extend(exc.problems)
        return None
    parsed, found = validate_model(model, data, display_name(path, root), list(model.model_fields))
    problems.extend(found)
    return parsed


def suggest(word: str, choices: Sequence[str]) -> str | None:
    """The closest known name to a misspelt one, or None."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    found = process.extractOne(word, choices, scorer=Levenshtein.normalized_similarity)
    if found and found[1] >= 0.5:
        return str(found[0])
    return None
