"""Timing of ``symbio allocate`` (the main job's allocation step) and its coalition solves.

    # allocate as the main job does, write OUT/<scenario>/, print CPU and wall per scenario
    python -m benchmarks.allocation_timing run OUT scenarios/scip/*.yaml
    # every allocation file of A and B the same, but for the seconds fields
    python -m benchmarks.allocation_timing same A B
    # before/after, interleaved (before: a checkout of the old code, e.g. a git archive)
    python -m benchmarks.allocation_timing ab /tmp/before scenarios/scip/symbiosis-2025.yaml
    # persistent instance against a cold build per coalition
    python -m benchmarks.allocation_timing persistent scenarios/scip/symbiosis-2025.yaml --n 40

``run`` calls :func:`symbio.allocation.allocate` with the scenario's solver settings (as
``symbio pilot`` does) and reports each scenario's process CPU seconds (HiGHS included: it
runs on this thread) and wall seconds, with the load average. ``ab`` runs ``run`` of the old
checkout and of this one in turn (A B A B ...) in fresh processes, each under
``PYTHONHASHSEED=0`` (the core check sums over sets, whose order follows the hash seed), and
prints medians and the after/before ratio of each round; ``--check`` also compares the
outputs of the last round with ``same``. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: ``allocation.json`` fields that are timings.
SECONDS_FIELDS = ("build_seconds", "coalition_seconds_mean", "coalition_wall_seconds", "seconds")


def _load() -> str:
    return f"{platform.machine()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}"


def run(out: Path, files: list[str]) -> dict:
    """Allocate each scenario into ``out/<stem>``; CPU and wall seconds per scenario."""
    from symbio.allocation import allocate, write_allocation
    from symbio.flows.load import load_scenario
    from symbio.solvers.options import SolverOptions

    times = {}
    for f in files:
        s = load_scenario(f)
        w, c = time.perf_counter(), time.process_time()
        a = allocate(s, options=SolverOptions.from_settings(s.solver, time_limit=None))
        times[Path(f).stem] = {
            "wall_s": round(time.perf_counter() - w, 3),
            "cpu_s": round(time.process_time() - c, 3),
        }
        write_allocation(a, out / Path(f).stem, force=True)
    return {"times": times, "machine": _load()}


def _table(path: Path) -> list[list[str]]:
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if rows and "seconds" in rows[0]:
        k = rows[0].index("seconds")
        rows = [r[:k] + r[k + 1 :] for r in rows]
    return rows


def same(a: Path, b: Path) -> list[str]:
    """Files of the allocation directories under ``a`` and ``b`` that differ (seconds aside)."""
    bad = []
    for d in sorted(p for p in a.iterdir() if p.is_dir()):
        for f in sorted(d.iterdir()):
            g = b / d.name / f.name
            if not g.exists():
                bad.append(f"{d.name}/{f.name} (missing)")
            elif f.name == "allocation.json":
                x, y = json.loads(f.read_text()), json.loads(g.read_text())
                for k in SECONDS_FIELDS:
                    x.pop(k, None), y.pop(k, None)
                if x != y:
                    bad.append(f"{d.name}/{f.name}")
            elif f.name == "coalition_values.csv":
                if _table(f) != _table(g):
                    bad.append(f"{d.name}/{f.name}")
            elif f.read_bytes() != g.read_bytes():
                bad.append(f"{d.name}/{f.name}")
    return bad


def _child(tree: str, out: Path, files: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": tree, "PYTHONHASHSEED": "0"}
    # this file's ``run`` by path, ``symbio`` from ``tree`` (first on the path)
    code = (
        "import sys, json, importlib.util as u; from pathlib import Path;"
        "spec = u.spec_from_file_location('timing', sys.argv[1]); t = u.module_from_spec(spec);"
        "spec.loader.exec_module(t); print(json.dumps(t.run(Path(sys.argv[2]), sys.argv[3:])))"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).resolve()), str(out), *files],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def ab(before: str, files: list[str], rounds: int, check: bool) -> dict:
    """Old checkout (B) and this one (A) in turn; CPU/wall medians and A/B ratios."""
    after = str(Path(__file__).resolve().parents[1])
    tmp = Path(tempfile.mkdtemp(prefix="alloc-ab-"))
    per: dict[str, list] = {"before": [], "after": []}
    loads = [_load()]
    for k in range(rounds):
        for name, tree in (("before", before), ("after", after)):
            per[name].append(
                _child(tree, tmp / f"{name}{k}", [str(Path(f).resolve()) for f in files])
            )
        loads.append(_load())
    out: dict = {"scenarios": [Path(f).stem for f in files], "rounds": rounds, "load": loads}
    for stem in out["scenarios"]:
        row = {}
        for m in ("cpu_s", "wall_s"):
            b = [r["times"][stem][m] for r in per["before"]]
            a = [r["times"][stem][m] for r in per["after"]]
            row[m] = {
                "before": b,
                "after": a,
                "median_before": statistics.median(b),
                "median_after": statistics.median(a),
                "ratios": [round(x / y, 3) for x, y in zip(a, b, strict=True)],
            }
        out[stem] = row
    if check:
        last = rounds - 1
        out["differing_files"] = same(tmp / f"before{last}", tmp / f"after{last}")
    return out


def persistent(scenario: str, n: int, seed: int) -> dict:
    """Coalitions drawn at random, solved on the persistent instance and cold."""
    import numpy as np

    from symbio.allocation.coalitions import CoalitionSolver
    from symbio.flows.graph import build_graph
    from symbio.flows.load import load_scenario
    from symbio.model.build import build_model
    from symbio.model.index import build_index
    from symbio.model.options import ModelOptions
    from symbio.solvers.highs import PersistentHighs

    s = load_scenario(scenario)
    t0 = time.perf_counter()
    warm = CoalitionSolver(s)
    setup = time.perf_counter() - t0
    players = list(warm.players.active)
    rng = np.random.default_rng(seed)
    picks = [frozenset(p for p in players if rng.random() < 0.5) for _ in range(n)]

    def cold(coalition: frozenset[str]) -> float:
        ix = build_index(build_graph(s))
        m = build_model(ix, ModelOptions(objective="cost", weights={}, policy_caps=False))
        allowed = warm.players.allowed(coalition)
        for lid in ix.candidate_links:
            if lid not in allowed:
                m.link_build[lid].fix(0)
        for pid in ix.candidate_processes:
            if pid not in allowed:
                m.process_build[pid].fix(0)
        return float(PersistentHighs(m).solve(warm.options).objective)

    t0 = time.perf_counter()
    hot = [warm.solve(c).cost for c in picks]
    hot_s = (time.perf_counter() - t0) / len(picks)
    t0 = time.perf_counter()
    cold_costs = [cold(c) for c in picks]
    cold_s = (time.perf_counter() - t0) / len(picks)
    return {
        "scenario": scenario,
        "coalitions": len(picks),
        "persistent_s_per_coalition": round(hot_s, 4),
        "cold_s_per_coalition": round(cold_s, 4),
        "setup_s": round(setup, 3),
        "max_cost_difference_cny": float(np.max(np.abs(np.array(hot) - np.array(cold_costs)))),
        "machine": _load(),
    }


def main() -> None:
    """Parse the command line and print one JSON document."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run")
    p.add_argument("out", type=Path)
    p.add_argument("scenarios", nargs="+")
    p = sub.add_parser("same")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p = sub.add_parser("ab")
    p.add_argument("before")
    p.add_argument("scenarios", nargs="+")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--check", action="store_true")
    p = sub.add_parser("persistent")
    p.add_argument("scenario")
    p.add_argument("--n", type=int, default=40)
    p.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.cmd == "run":
        result = run(args.out, args.scenarios)
    elif args.cmd == "same":
        differ = same(args.a, args.b)
        print(json.dumps({"differing_files": differ}))
        sys.exit(1 if differ else 0)
    elif args.cmd == "ab":
        result = ab(args.before, args.scenarios, args.rounds, args.check)
    else:
        result = persistent(args.scenario, args.n, args.seed)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
