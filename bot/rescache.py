"""A cache of one fully loaded resource set for the short-lived commands (``hrbot ask``,
``hrbot chat``): a one-line ``ask`` otherwise spends most of its start-up parsing,
validating and indexing the same files again.

Safety first, speed second:
- The key hashes every byte of every file under the resources directory (and the
  bundled one), every file of the bot package itself, the library versions and the
  load options (region, today's date). An edited YAML file or a new release is a new
  key, so a stale emergency rule is never served.
- Only a load that raised no error is written, so a broken file always reaches the
  staff's error report (``hrbot validate`` and live reload never use this cache).
- The entry is a pickle, so it is read only from a directory and a file that belong to
  this user and that no group or other user can write. Anything unexpected (a foreign
  owner, a loose mode, a corrupt or truncated file, a read-only disk) means a normal
  load, silently; the cache can only make start-up faster, never different.
"""

from __future__ import annotations

import contextlib
import copyreg
import datetime as dt
import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

import numpy
import pydantic
import rapidfuzz
import yaml

from bot.layout import BUNDLED
from bot.privatefiles import open_private, usable_dir
from bot.resources import Resources, load_resources

log = logging.getLogger(__name__)

FORMAT = b"hrbot-resources-cache-1"
_PREFIX = "resources-"
_SUFFIX = ".pickle"
_PACKAGE = Path(__file__).resolve().parent


def _mapping_proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Callable[..., Any], tuple[Any]]:
    return _mapping_proxy, (dict(proxy),)


class _Pickler(pickle.Pickler):
    def __init__(self, file: BinaryIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        # The locator exposes read-only mappings; pickle them as the dicts they wrap.
        self.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_proxy}


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if "__pycache__" not in path.parts and path.is_file():
            yield path


def cache_key(root: Path, *, default_region: str | None, today: dt.date) -> str:
    """A digest of everything the loaded set depends on."""
    digest = hashlib.sha256(FORMAT)
    versions = (sys.version, numpy.__version__, pydantic.VERSION, rapidfuzz.__version__)
    options = (str(root.resolve()), default_region, today.isoformat())
    for part in (*versions, yaml.__version__, *map(str, options)):
        digest.update(part.encode() + b"\0")
    for tree in dict.fromkeys((root, BUNDLED, _PACKAGE)):
        digest.update(b"tree\0" + str(tree).encode() + b"\0")
        for path in _files(tree):
            data = path.read_bytes()
            name = str(path.relative_to(tree)).encode()
            digest.update(name + b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


def _read(path: Path) -> Resources | None:
    try:
        opened = open_private(path)
    except PermissionError:
        log.warning("resource cache %s ignored: not private to this user", path)
        return None
    if opened is None:
        return None
    with opened as file:
        enabled = gc.isenabled()
        gc.disable()  # millions of small objects: the collector would double the time
        try:
            found = pickle.load(file)
        finally:
            if enabled:
                gc.enable()
    return found if isinstance(found, Resources) else None


def _write(directory: Path, path: Path, resources: Resources) -> None:
    handle, temp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as file:
            _Pickler(file).dump(resources)
        os.replace(temp, path)  # atomic: a reader sees the old entry or the whole new one
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    for old in directory.glob(f"{_PREFIX}*{_SUFFIX}"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()


def load_resources_cached(
    root: Path, cache_dir: Path | None, *, default_region: str | None = None
) -> Resources:
    """``load_resources(root)``, from ``cache_dir`` when a valid entry for exactly these
    bytes is there; raise ResourceError as ``load_resources`` does. ``None``: no cache."""
    if cache_dir is None:
        return load_resources(root, default_region=default_region)
    today = dt.date.today()
    path: Path | None = None
    try:
        if usable_dir(cache_dir):
            key = cache_key(root, default_region=default_region, today=today)
            path = cache_dir / f"{_PREFIX}{key}{_SUFFIX}"
            cached = _read(path)
            if cached is not None:
                return cached
        else:
            log.warning("resource cache %s ignored: not private to this user", cache_dir)
    except Exception as exc:  # a corrupt entry or an odd disk: load normally
        log.info("resource cache unavailable (%s); loading normally", type(exc).__name__)
    resources = load_resources(root, default_region=default_region, today=today)
    if path is not None:
        try:
            _write(cache_dir, path, resources)
        except Exception as exc:  # read-only or full disk: the cache is only a speed-up
            log.info("resource cache not written (%s)", type(exc).__name__)
    return resources
