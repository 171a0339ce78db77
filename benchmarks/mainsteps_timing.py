"""CPU and wall seconds of the main job's steps after the runs: scoring, compare, Pareto,
measures, allocation (``symbio pilot`` without the robustness study and the briefings).

Usage::

    PYTHONPATH=<checkout> python benchmarks/mainsteps_timing.py OUT [--profile FILE.pstats]

Does what the pilot's main process does, in its order and with its library calls: loads the
SCIP scenarios, solves each (not timed as a step), scores it and writes its scores, compares
the eleven (with the results in memory where ``compare`` takes them, as the pilot does), then
the main scenario's Pareto front, measures and allocation (the pilot's own step functions). Each step is timed in CPU seconds of this thread (``time.thread_time``) and
wall seconds; the compare step includes its module imports (the pilot imports them right
before the step's timer). Prints one JSON line with the load average. ``--profile`` writes a
cProfile (thread CPU clock) of the timed steps. Outputs land in ``OUT/scip`` like a pilot's;
compare two checkouts' outputs with ``benchmarks/compare_robust.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import shutil
import time
from pathlib import Path


class Clock:
    """Per-step CPU (this thread) and wall seconds, optionally under a profiler."""

    def __init__(self, profile: cProfile.Profile | None) -> None:
        self.profile = profile
        self.steps: dict[str, list[float]] = {}

    def __call__(self, name: str, fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN204
        """Run ``fn`` and add its seconds to step ``name``."""
        c, w = time.thread_time(), time.perf_counter()
        if self.profile:
            self.profile.enable()
        try:
            return fn(*args, **kwargs)
        finally:
            if self.profile:
                self.profile.disable()
            acc = self.steps.setdefault(name, [0.0, 0.0])
            acc[0] += time.thread_time() - c
            acc[1] += time.perf_counter() - w


def _compare(run_dirs, out, scoring, scores, results):  # noqa: ANN001, ANN202
    import inspect

    from symbio.pathways.compare import compare, write_compare

    kept = {"results": results} if "results" in inspect.signature(compare).parameters else {}
    table, entries = compare(
        list(run_dirs.values()), out / "compare", score_kwargs=scoring, scored=scores, **kept
    )
    write_compare(table, entries, out / "compare")


def main() -> None:
    """Run the steps; print one JSON line of seconds per step."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--profile", type=Path, default=None)
    args = ap.parse_args()
    from symbio.flows.load import load_scenario
    from symbio.paths import scenarios_dir
    from symbio.pilot import MAIN_SCENARIO, PilotReport, scip_scoring_inputs
    from symbio.pilot import studies as st
    from symbio.run import solve
    from symbio.scoring import score_result
    from symbio.scoring.output import write_scores

    out = args.out / "scip"
    if args.out.exists():
        shutil.rmtree(args.out)
    load0 = os.getloadavg()[0]
    clock = Clock(cProfile.Profile(time.thread_time) if args.profile else None)
    files = sorted((scenarios_dir() / "scip").glob("*.yaml"))
    loaded = {f.stem: load_scenario(f) for f in files}
    scoring = scip_scoring_inputs()
    run_dirs, scores, results = {}, {}, {}
    for stem in sorted(loaded, key=lambda s: s != MAIN_SCENARIO):
        result = solve(loaded[stem])
        target = result.write(out / "runs" / stem)
        results[target] = result
        scores[target] = clock("score", score_result, target, **scoring)
        clock("score", write_scores, scores[target], target / "scores")
        run_dirs[stem] = target
    run_dirs = {s: run_dirs[s] for s in loaded}
    clock("compare", _compare, run_dirs, out, scoring, scores, results)
    report, say, main = PilotReport(), (lambda _m: None), loaded[MAIN_SCENARIO]
    clock("pareto", st.pareto_step, main, out / "pareto", 7, None, report, say)
    clock("measures", st.measures_step, main, out / "measures", None, report, say)
    clock("allocation", st.allocation_step, main, out / "allocation", None, report, say)
    if args.profile:
        clock.profile.dump_stats(str(args.profile))
    steps = {k: {"cpu": round(v[0], 3), "wall": round(v[1], 3)} for k, v in clock.steps.items()}
    total = round(sum(v[0] for v in clock.steps.values()), 3)
    print(json.dumps({"steps": steps, "cpu_total": total, "load": [load0, os.getloadavg()[0]]}))


if __name__ == "__main__":
    main()
