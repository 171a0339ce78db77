"""Profile the main job (``symbio pilot``) under cProfile and write a top-N table.

Usage::

    PYTHONPATH=. python benchmarks/profile_pilot.py --out /tmp/pilot-prof \
        --table benchmarks/results/profile-pilot-LABEL.md [--top 40] [--robust-samples 80]

The table lists the functions with the largest cumulative time and the steps the pilot
reports (seconds per step), with the machine's load average at start and end, so a
profile taken on a busy machine can be read as such.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import shutil
import time
from pathlib import Path


def main() -> None:
    """Run the pilot under cProfile and write the table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--table", type=Path, required=True)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--robust-samples", type=int, default=None)
    ap.add_argument("--no-profile", action="store_true", help="time only")
    args = ap.parse_args()
    from symbio.pilot import ROBUST_SAMPLES, run_pilot

    if args.out.exists():
        shutil.rmtree(args.out)
    samples = ROBUST_SAMPLES if args.robust_samples is None else args.robust_samples
    load0 = os.getloadavg()
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    if not args.no_profile:
        prof.enable()
    report = run_pilot(args.out, robust_samples=samples)
    if not args.no_profile:
        prof.disable()
    wall = time.perf_counter() - t0
    load1 = os.getloadavg()
    lines = [
        f"# Profile of the main job ({'cProfile' if not args.no_profile else 'no profiler'})",
        "",
        f"- machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        f"- load average at start {load0[0]:.1f}, at end {load1[0]:.1f}",
        f"- command: PYTHONPATH=. python benchmarks/profile_pilot.py --out {args.out} "
        f"--table {args.table} --robust-samples {samples}",
        f"- wall time: {wall:.1f} s",
        "",
        "## Steps",
        "",
        "| step | target | status | s |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {s['step']} | {s['target']} | {s['status']} | {s['seconds']} |" for s in report.steps
    ]
    if not args.no_profile:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(args.top)
        lines += ["", "## Top functions by cumulative time", "", "```", buf.getvalue(), "```"]
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(args.top)
        lines += ["", "## Top functions by own time", "", "```", buf.getvalue(), "```"]
    args.table.parent.mkdir(parents=True, exist_ok=True)
    args.table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wall {wall:.1f} s; table {args.table}")


if __name__ == "__main__":
    main()
