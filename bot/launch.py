"""The ``hrbot`` entry point: import the command line with the cyclic garbage collector
paused. Importing builds thousands of pydantic and numpy objects, none of them garbage,
and the collector's passes over them were ~8% of ``hrbot ask``'s start-up. After the
import they are frozen (``gc.freeze``): they live as long as the process, so the
collector's later full passes need not walk them again."""

from __future__ import annotations

import gc
import os


def main() -> int:
    # numpy's OpenBLAS starts a thread per core on import, which spin for a while; the bot
    # only scores small vectors (no BLAS call big enough to use them), and on a busy
    # machine they took ~50 ms of CPU from the one thread doing the work. An operator's
    # own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    gc.disable()
    try:
        from bot.cli import main as cli_main
    finally:
        gc.freeze()
        gc.enable()
    return cli_main()
