"""Sub-MIP heuristics on small MIPs: the optimized case of every SCIP scenario, with and without.

Usage::

    PYTHONPATH=. python benchmarks/small_mip.py [--reps 3] [--table benchmarks/results/small-mip-heuristics.md]

Each repetition solves the 11 SCIP scenarios' optimized case (after their baseline, as
``symbio run`` does) once with HiGHS's sub-MIP heuristics forced on (its defaults) and once
with symbio's size rule (:mod:`symbio.solvers.tuning`), interleaved; it reports the solve
time of the optimized cases, the ratio of medians, the load average, and checks that both
reach the same objective within the MIP gap.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import time
from pathlib import Path

from symbio.flows.load import load_scenario
from symbio.paths import scenarios_dir
from symbio.run import STEPS, prepare
from symbio.solvers.tuning import SUB_MIP_HEURISTICS

FORCED_ON = dict.fromkeys(SUB_MIP_HEURISTICS, True)


def solve_all(scenarios: dict, extra: dict) -> tuple[float, list[float]]:
    """Seconds of the optimized solves and their objectives."""
    total, objectives = 0.0, []
    for s in scenarios.values():
        st = prepare(s)
        st.sopts = dataclasses.replace(st.sopts, highs={**st.sopts.highs, **extra})
        STEPS[0](st)  # the baseline, as a run solves it first
        t0 = time.perf_counter()
        STEPS[1](st)
        total += time.perf_counter() - t0
        objectives.append(st.outcomes["optimized"].objective)
    return total, objectives


def main() -> None:
    """Run the comparison and write the table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--table", type=Path, default=None)
    args = ap.parse_args()
    files = sorted((scenarios_dir() / "scip").glob("*.yaml"))
    scenarios = {f.stem: load_scenario(f) for f in files}
    load0 = os.getloadavg()
    times: dict[str, list[float]] = {"heuristics on": [], "size rule": []}
    objectives: dict[str, list[float]] = {}
    for _ in range(args.reps):
        for name, extra in (("heuristics on", FORCED_ON), ("size rule", {})):
            t, objs = solve_all(scenarios, extra)
            times[name].append(t)
            objectives[name] = objs
    load1 = os.getloadavg()
    worst = max(
        abs(a - b) / max(1.0, abs(a))
        for a, b in zip(objectives["heuristics on"], objectives["size rule"], strict=True)
    )
    med = {k: statistics.median(v) for k, v in times.items()}
    lines = [
        "# Sub-MIP heuristics on the SCIP scenarios' optimized case",
        "",
        f"- machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs",
        f"- load average at start {load0[0]:.1f}, at end {load1[0]:.1f}",
        f"- command: PYTHONPATH=. python benchmarks/small_mip.py --reps {args.reps}",
        f"- {len(files)} scenarios, {args.reps} interleaved repetitions",
        "",
        "| setting | runs (s) | median (s) |",
        "| --- | --- | --- |",
        *(f"| {k} | {', '.join(f'{x:.3f}' for x in v)} | {med[k]:.3f} |" for k, v in times.items()),
        "",
        f"Ratio of medians (size rule / heuristics on): {med['size rule'] / med['heuristics on']:.2f}."
        f" Largest relative difference of the optima: {worst:.2e} (MIP gap 1e-4).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.table:
        args.table.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
