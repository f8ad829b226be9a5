"""The ``hrbot`` entry point: the process-wide settings that make a short command start
fast, around ``bot.cli.main``.

- The command line is imported with the cyclic garbage collector paused: importing
  builds thousands of pydantic and numpy objects, none of them garbage, and the
  collector's passes over them were ~8% of ``hrbot ask``'s start-up. They are then
  frozen (``gc.freeze``): they live as long as the process, so later passes skip them.
- At the end, whatever is left is frozen too: the interpreter's last collection at exit
  would walk all of it (~40 ms after an ``ask``) only to run finalizers that Python does
  not promise at exit; every command has closed what it opened by then.
"""

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
    try:
        return cli_main()
    finally:
        gc.freeze()
