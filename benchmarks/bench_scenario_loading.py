"""Scenario loading: the fast YAML path (libyaml, YAML 1.2 core rules) against ruamel's
line-keeping reader, on the embedded default scenario, in the same run.

    PYTHONPATH=src python benchmarks/bench_scenario_loading.py [repeats]

Prints the best wall time of each reader over `repeats` runs (default 5) and their ratio.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from importlib import resources

from qimma.scenario.yaml_format import careful_scenario_from_yaml_text, scenario_from_yaml_text


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    text = resources.files("qimma.data.scenarios").joinpath("default.yaml").read_text("utf-8")
    fast = best_of(repeats, lambda: scenario_from_yaml_text(text, "default.yaml"))
    careful = best_of(repeats, lambda: careful_scenario_from_yaml_text(text, "default.yaml"))
    print(f"default scenario: {len(text.encode()) / 1024:.0f} kB, best of {repeats}")
    print(f"fast path (libyaml + pydantic):        {fast * 1000:8.1f} ms")
    print(f"careful path (ruamel, line numbers):   {careful * 1000:8.1f} ms")
    print(f"ratio careful / fast:                  {careful / fast:8.1f}x")


if __name__ == "__main__":
    main()
