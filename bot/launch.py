"""The ``hrbot`` entry point: import the command line with the cyclic garbage collector
paused. Importing builds thousands of pydantic and numpy objects, none of them garbage,
and the collector's passes over them were ~8% of ``hrbot ask``'s start-up. After the
import they are frozen (``gc.freeze``): they live as long as the process, so the
collector's later full passes need not walk them again."""

from __future__ import annotations

import gc


def main() -> int:
    gc.disable()
    try:
        from bot.cli import main as cli_main
    finally:
        gc.freeze()
        gc.enable()
    return cli_main()
