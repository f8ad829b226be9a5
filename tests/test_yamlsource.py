"""The staff-facing YAML loader: line numbers and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.yamlsource import MAX_FILE_BYTES, ResourceError, line_of, load_yaml


def _load_error(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "f.yaml"
    path.write_bytes(content)
    with pytest.raises(ResourceError) as info:
        load_yaml(path, tmp_path)
    return str(info.value)


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    """A duplicate key is an error on its line that points back to the first one."""
    assert _load_error(tmp_path, b"a: 1\nb: 2\na: 3\n") == (
        "f.yaml:3: YAML syntax: duplicate key 'a' (first on line 1)"
    )


def test_aliases_are_refused(tmp_path: Path) -> None:
    """Aliases are refused, which also defuses alias bombs."""
    bomb = b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    assert "aliases" in _load_error(tmp_path, bomb)


def test_tabs_get_a_plain_message(tmp_path: Path) -> None:
    """Tab indentation is explained in plain words with its line."""
    assert _load_error(tmp_path, b"a:\n\t- x\n") == (
        "f.yaml:2: YAML syntax: tab character found: indent with spaces, not tabs"
    )


def test_wrong_encoding_is_reported_with_line(tmp_path: Path) -> None:
    """Latin-1 bytes are reported as not UTF-8 on the line where they occur."""
    assert _load_error(tmp_path, b"a: 1\nb: caf\xe9\n") == (
        "f.yaml:2: file is not UTF-8 text; save it as UTF-8 in your editor"
    )


def test_bom_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark (as Windows editors write) is harmless."""
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_yaml(path) == {"a": 1}


def test_oversized_file_is_refused_without_parsing(tmp_path: Path) -> None:
    """A file over the size limit is refused up front."""
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ResourceError, match="the limit is"):
        load_yaml(path, tmp_path)


def test_dates_stay_text_and_lines_are_tracked(tmp_path: Path) -> None:
    """Dates are left as text for pydantic, and nested nodes know their line."""
    path = tmp_path / "f.yaml"
    path.write_text("a: 2024-01-01\nb:\n  - x\n  - y: 2\n    z: 3\n")
    data = load_yaml(path)
    assert data["a"] == "2024-01-01"
    assert line_of(data, ["b", 1, "z"]) == 5
    assert line_of(data, ["b", 0]) == 3


def _with_lines(data: object) -> object:
    """The data with every recorded line, for comparing two loaders."""
    if isinstance(data, dict):
        items = {k: _with_lines(v) for k, v in data.items()}
        return (getattr(data, "line", None), getattr(data, "key_lines", None), items)
    if isinstance(data, list):
        values = [_with_lines(v) for v in data]
        return (getattr(data, "line", None), getattr(data, "item_lines", None), values)
    return (type(data).__name__, data)


def test_libyaml_and_pure_python_loaders_agree_on_every_resource_file() -> None:
    """The fast LibYAML path gives the same values, types and lines as the pure loader."""
    import yaml

    from bot import yamlsource

    if not yamlsource._FAST_LOADERS:
        pytest.skip("PyYAML was built without LibYAML")
    files = sorted((Path(__file__).parent.parent / "resources").rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        parsed, fast = yamlsource._fast_parse(text)
        assert parsed, path
        slow = yaml.load(text, Loader=yamlsource._Loader)
        assert _with_lines(fast) == _with_lines(slow), path


def test_an_alias_is_refused_on_its_line_with_libyaml_too(tmp_path: Path) -> None:
    """LibYAML composes aliases silently: the file falls back to the loader that refuses."""
    text = b"a: &x [1, 2]\nb: 1\nc: *x\n"
    assert _load_error(tmp_path, text) == (
        "f.yaml:3: YAML syntax: aliases (*name) are not allowed in resource files"
    )
