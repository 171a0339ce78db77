"""CPU per sample of the robustness study, one process, samples run one after another.

The samples are those of the SCIP main job's study (``symbio pilot``: 80 samples of
``scenarios/scip/symbiosis-2025.yaml``, seed 0), each run as a worker runs it
(:func:`symbio.sweep.execute.run_one`: overrides and validation, build, the three solves,
tables and KPIs, canonical flows, audit, the run directory's files in a temporary folder).
The point solve and the first ``--warm`` samples (imports, caches) are not counted.

Usage::

    PYTHONPATH=. python benchmarks/robust_sample.py [--samples 20] [--warm 2]
        [--profile FILE.prof] [--top 40] [--json]

Prints one JSON line (``--json``, for ``farm-bench``) or a short text: CPU seconds per
sample (median and mean over the counted samples), wall, load average.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios/scip/symbiosis-2025.yaml"


def main() -> None:
    """Plan the study, run ``--warm`` samples untimed, then time ``--samples`` more."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--warm", type=int, default=2)
    ap.add_argument("--profile", type=Path, default=None)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from symbio.sweep.execute import run_one
    from symbio.sweep.robust import plan_study

    with tempfile.TemporaryDirectory() as tmp:
        study = plan_study(SCENARIO, Path(tmp) / "robust", samples=80, seed=0)
    runs = study.plan.runs
    for spec in runs[: args.warm]:
        run_one(spec)
    load0 = os.getloadavg()[0]
    prof = cProfile.Profile() if args.profile else None
    cpu: list[float] = []
    t0 = time.perf_counter()
    for spec in runs[args.warm : args.warm + args.samples]:
        c0 = time.process_time()
        if prof:
            prof.enable()
        out = run_one(spec)
        if prof:
            prof.disable()
        cpu.append(time.process_time() - c0)
        assert out.record.status == "ok", out.record.message
    wall = time.perf_counter() - t0
    record = {
        "cpu_median": round(statistics.median(cpu), 4),
        "cpu_mean": round(statistics.fmean(cpu), 4),
        "wall_per_sample": round(wall / len(cpu), 4),
        "samples": len(cpu),
        "load": [round(load0, 2), round(os.getloadavg()[0], 2)],
    }
    if prof:
        prof.dump_stats(args.profile)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)
    print(json.dumps(record) if args.json else record)


if __name__ == "__main__":
    main()
