"""The main job's wall and whole-tree CPU time, code versions interleaved, in two scopes.

    python benchmarks/mainjob_pairs.py --code before=/tmp/old --code after=. --pairs 3 \
        --tag 2026-12-05f

Scopes: ``filed`` is what ``symbio pilot`` produced when issue 20 set its 10-second target
(validation, the 11 runs and their scores, compare, Pareto front, measures, both briefings:
``--robust-samples 0 --no-allocation``); ``full`` is the whole job of today, with the
robustness study and the allocation that later issues added (issue 20: "plus what the other
open issues add, within 2×"). Every measurement runs ``python -m symbio pilot`` of one
checkout from an empty directory under :mod:`tree_cpu` (every process of the tree counted),
in the order pair 1: each scope, each code; pair 2: the same; ... so the machine's load falls
on all alike. Writes ``benchmarks/results/mainjob-<tag>.md`` with each measurement, the
1-minute load average before and after it, the medians and the ratios to the first code.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCOPES = {"filed": ["--robust-samples", "0", "--no-allocation"], "full": []}
TREE = re.compile(r"tree: wall ([\d.]+) s, CPU ([\d.]+) s")


def measure(checkout: Path, flags: list[str]) -> dict:
    """One pilot of ``checkout`` with ``flags``: wall and tree CPU seconds, load, exit code."""
    with tempfile.TemporaryDirectory(prefix="mainjob-") as tmp:
        env = {**os.environ, "PYTHONPATH": str(checkout), "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, str(ROOT / "benchmarks" / "tree_cpu.py"), sys.executable,
                   "-m", "symbio", "pilot", "--out", f"{tmp}/scip", *flags]  # fmt: skip
        load = os.getloadavg()[0]
        done = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True)
    found = TREE.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{checkout}: exit {done.returncode}\n{done.stderr[-2000:]}")
    wall, cpu = map(float, found.groups())
    return {"wall": wall, "cpu": cpu, "load": (load, os.getloadavg()[0])}


def main(argv: list[str] | None = None) -> None:
    """Measure and write the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--code", action="append", required=True, help="LABEL=CHECKOUT (2+)")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--scopes", default="filed,full")
    ap.add_argument("--tag", required=True)
    args = ap.parse_args(argv)
    codes = dict(c.split("=", 1) for c in args.code)
    scopes = args.scopes.split(",")
    rows = []
    for pair in range(1, args.pairs + 1):
        for scope in scopes:
            for label, checkout in codes.items():
                m = measure(Path(checkout).resolve(), SCOPES[scope])
                rows.append({"pair": pair, "scope": scope, "code": label, **m})
                print(pair, scope, label, m, flush=True)
    out = ROOT / "benchmarks" / "results" / f"mainjob-{args.tag}.md"
    out.write_text(report(rows, codes, scopes, args), encoding="utf-8")
    print(out)


def report(rows: list[dict], codes: dict, scopes: list[str], args: argparse.Namespace) -> str:
    """The markdown table: medians and ratios per scope, then every measurement."""
    first = next(iter(codes))
    lines = [f"# Main job, code versions interleaved ({args.tag})", "",
             f"`python benchmarks/mainjob_pairs.py {' '.join(sys.argv[1:])}` on "
             f"{platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()}); "
             "codes: " + ", ".join(f"{k} = `{v}`" for k, v in codes.items()) + ".", "",
             "| scope | code | wall s (median) | tree CPU s (median) | wall / " + first
             + " | CPU / " + first + " |", "|---|---|---:|---:|---:|---:|"]  # fmt: skip
    for scope in scopes:
        base = {k: statistics.median(r[k] for r in rows if r["scope"] == scope
                                     and r["code"] == first) for k in ("wall", "cpu")}  # fmt: skip
        for label in codes:
            mine = [r for r in rows if r["scope"] == scope and r["code"] == label]
            wall = statistics.median(r["wall"] for r in mine)
            cpu = statistics.median(r["cpu"] for r in mine)
            lines.append(f"| {scope} | {label} | {wall:.1f} | {cpu:.1f} | "
                         f"{wall / base['wall']:.2f} | {cpu / base['cpu']:.2f} |")  # fmt: skip
    lines += ["", "| pair | scope | code | wall s | tree CPU s | load before → after |",
              "|---:|---|---|---:|---:|---|"]  # fmt: skip
    for r in rows:
        lines.append(f"| {r['pair']} | {r['scope']} | {r['code']} | {r['wall']:.1f} | "
                     f"{r['cpu']:.1f} | {r['load'][0]:.1f} → {r['load'][1]:.1f} |")  # fmt: skip
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
