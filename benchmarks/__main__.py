"""``make bench``: every benchmark, printed as one table. Numbers are reported, not asserted."""

from __future__ import annotations

import importlib
import sys
import time

MODULES = (
    "benchmarks.bench_matcher",
    "benchmarks.bench_matcher_scale",
    "benchmarks.bench_semantic",
    "benchmarks.bench_locator",
    "benchmarks.bench_alerts",
    "benchmarks.bench_e2e",
    "benchmarks.bench_memory",
    "benchmarks.bench_shared",
)


def main() -> int:
    """Run each benchmark module's ``run()`` and print its rows."""
    print(f"{'benchmark':<58}{'value':>16}  target")
    print("-" * 90)
    for name in MODULES:
        started = time.perf_counter()
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"{name}: not available ({exc.name})")
            continue
        for metric, value, target in module.run():
            print(f"{metric:<58}{value:>16}  {target}")
        print(f"  ({name} took {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
