"""Micro-benchmarks of the main job's parts: scenario loading and repeated scoring.

Usage::

    PYTHONPATH=. python benchmarks/micro_mainjob.py RUN_DIR [--repeat 3]

``RUN_DIR`` is a run directory written by ``symbio run`` (``OUT/runs/<scenario>`` of a
pilot). Prints seconds per ``load_scenario`` of each SCIP scenario and per ``score_result``
call (the first call reads the indicator library and weights; later ones reuse them), with
the load average. Compare two checkouts by running this script from each in turn.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path


def main() -> None:
    """Time loading and scoring; print one JSON line."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from symbio.flows.load import load_scenario
    from symbio.paths import scenarios_dir
    from symbio.pilot import scip_scoring_inputs
    from symbio.scoring import score_result

    load0 = os.getloadavg()[0]
    files = sorted((scenarios_dir() / "scip").glob("*.yaml"))
    t = time.perf_counter()
    for f in files:
        load_scenario(f)
    load_s = time.perf_counter() - t
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        score_result(args.run_dir, **scip_scoring_inputs())
        times.append(time.perf_counter() - t)
    print(json.dumps({
        "load_all_scenarios_s": round(load_s, 3), "score_result_s": [round(x, 3) for x in times],
        "load_avg_start": load0, "load_avg_end": os.getloadavg()[0],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
