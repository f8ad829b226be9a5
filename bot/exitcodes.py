"""The process exit codes every ``hrbot`` command uses (scripts and CI rely on them)."""

from __future__ import annotations

EXIT_OK = 0  # done, nothing wrong
EXIT_PROBLEMS = 1  # ran, but found problems (validation errors, Telegram unreachable...)
EXIT_USAGE = 2  # could not start: bad arguments, configuration or resources
