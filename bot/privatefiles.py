"""Files in the user's cache directory that only this user can have written.

The caches (``bot.rescache``: a pickled resource set; ``bot.semantic``: the model's
unpacked weights and tokenizer) are read back as code-bearing pickles or as weights that
decide answers, so they are used only from a directory and files that belong to this
user and that no group or other user can write. Anything else is ignored.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

_LOOSE = stat.S_IWGRP | stat.S_IWOTH


def own_and_tight(info: os.stat_result) -> bool:
    """Owned by this user, writable by no group or other user."""
    return info.st_uid == os.getuid() and not info.st_mode & _LOOSE


def usable_dir(directory: Path) -> bool:
    """The directory, created private if missing, is ours alone (not a symlink)."""
    with contextlib.suppress(FileExistsError):
        directory.mkdir(mode=0o700, parents=True)
    info = os.lstat(directory)
    return stat.S_ISDIR(info.st_mode) and own_and_tight(info)


def open_private(path: Path) -> BinaryIO | None:
    """``path`` opened for reading when it is a regular file of ours alone (not a
    symlink); None when it is missing. Raises PermissionError for a foreign or loose one."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    file = os.fdopen(fd, "rb")
    info = os.fstat(file.fileno())
    if not (stat.S_ISREG(info.st_mode) and own_and_tight(info)):
        file.close()
        raise PermissionError(f"{path} is not private to this user")
    return file
