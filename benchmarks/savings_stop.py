"""Time to prove 1 % of the savings: the savings-relative stop rule on synthetic parks.

For each N, in this process: generate the park (``benchmarks.parks``), build the run's model,
solve the baseline, then the optimized case (warm-started from the baseline) with

* ``rule=savings``: the default stop, ``incumbent - bound <= 1 % x (baseline - bound)``
  (:mod:`symbio.solvers.stoprule`), HiGHS's ``mip_rel_gap`` at ``--mip-gap`` of the total;
* ``rule=objective``: the rule before it, ``mip_rel_gap`` alone (``--old-gap``, default 1 %
  of the total, the benchmarks' old default), with the savings it leaves unproven.

The callback's progress table (seconds, nodes, incumbent, bound) gives the root gap (the last
entry at node 0) as a share of the savings and the first time 1 % of the savings was proven.
Writes ``benchmarks/results/savings-stop-<tag>.json`` and ``.md`` with the load average.

    python -m benchmarks.savings_stop 200 1000 --rules savings objective
    python -m benchmarks.savings_stop 5000 --rules savings --baseline-gap 1e-3 --time-limit 1500
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def _share(primal: float, dual: float, baseline: float) -> float | None:
    room = baseline - dual
    return (primal - dual) / room if room > 0 else None


def _progress(trace: list, baseline: float, tol: float, cpu_start: float | None = None) -> dict:
    """Root gap and first time the savings rule held, from the callback's trace."""
    trace = [t for t in trace if math.isfinite(t[2]) and math.isfinite(t[3])]
    root = [t for t in trace if t[1] == 0]
    first = next((t for t in trace if t[2] - t[3] <= tol * (baseline - t[3])), None)
    out: dict = {"trace_points": len(trace)}
    if root:
        r = root[-1]
        out |= {
            "root_seconds": r[0],
            "root_incumbent": r[2],
            "root_bound": r[3],
            "root_share": _share(r[2], r[3], baseline),
            "root_rel_gap": (r[2] - r[3]) / abs(r[2]),
        }
    if trace:
        out["first_bound"] = trace[0][3]
    out["seconds_to_tolerance"] = first[0] if first else None
    if first and len(first) > 4 and cpu_start is not None:
        out["cpu_seconds_to_tolerance"] = first[4] - cpu_start
    return out


def measure(n: int, rule: str, args: argparse.Namespace) -> dict:
    """Baseline, then the optimized case under ``rule``; one record."""
    from dataclasses import replace

    import symbio
    from benchmarks.parks import generate_park
    from symbio.run import prepare
    from symbio.run.cases import solve_baseline
    from symbio.run.state import configure
    from symbio.solvers.options import SolverOptions
    from symbio.solvers.rens import rens_start
    from symbio.solvers.stoprule import SavingsStop, savings_stop, solve_to_savings

    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    graph = symbio.build_graph(generate_park(n, args.seed))
    sopts = SolverOptions(
        time_limit=args.time_limit,
        mip_gap=args.mip_gap if rule == "savings" else args.old_gap,
        threads=args.threads,
        savings_gap=args.savings_gap if rule == "savings" else 0.0,
        highs=dict(_highs_options(args.highs)),
    )
    st = prepare(graph, options=sopts)
    cuts = getattr(st.model, "process_link_build", None)
    if args.no_cuts and cuts is not None:
        cuts.deactivate()  # the formulation before the valid inequalities
    if args.cover:  # the general rule's rows on top (symbio.model.linkcuts)
        from symbio.model.linkcuts import add_link_cover_cuts

        add_link_cover_cuts(st.model, st.model.symbio_index)
    build_s = time.perf_counter() - t0
    if args.baseline_gap is not None:
        st.sopts = replace(st.sopts, mip_gap=args.baseline_gap)
    cpu_b = time.process_time()
    solve_baseline(st)
    cpu_b = time.process_time() - cpu_b
    st.sopts = replace(st.sopts, mip_gap=sopts.mip_gap)
    base = st.outcomes["baseline"]
    configure(st, "optimized")
    stop = savings_stop(base, st.sopts)
    # the objective rule runs with a rule that never stops it, only to record the trace
    stop = stop or SavingsStop(base.objective, 0.0, -1.0)
    stop.trace = []
    t1, cpu1 = time.perf_counter(), time.process_time()
    start = rens_start(st.solver, st.sopts, args.rens_gap) if args.rens else None
    rens = {"seconds": time.perf_counter() - t1, "cpu_seconds": time.process_time() - cpu1}
    if start is not None:
        cost = st.solver._cost  # noqa: SLF001 - the start's objective, for the record
        rens["objective"] = float(cost @ start[: len(cost)] + st.solver._offset)  # noqa: SLF001
    out = solve_to_savings(st.solver, replace(st.sopts), stop, warm_start=True, start=start)
    opt_s, cpu_o = time.perf_counter() - t1, time.process_time() - cpu1
    prog = _progress(stop.trace, base.objective, args.savings_gap, cpu1)
    return {
        "n": n,
        "rule": rule,
        "mip_gap": sopts.mip_gap,
        "savings_gap": sopts.savings_gap,
        "baseline_gap": args.baseline_gap,
        "threads": args.threads,
        "cuts": not args.no_cuts,
        "rens_gap": args.rens_gap,
        "cover": args.cover,
        "highs": dict(_highs_options(args.highs)),
        "load_before": load0,
        "load_after": os.getloadavg()[0],
        "build_seconds": build_s,
        "cpu_total": time.process_time() - cpu0,
        "baseline": {
            "objective": base.objective,
            "bound": base.bound,
            "seconds": base.solve_seconds,
            "cpu_seconds": cpu_b,
        },
        "optimized": {
            "status": str(out.status),
            "message": out.message,
            "objective": out.objective,
            "bound": out.bound,
            "rel_gap": out.gap,
            "unproven_share": _share(out.objective, out.bound, base.objective),
            "seconds": opt_s,
            "cpu_seconds": cpu_o,
            "cpu_start": cpu1,
            "solve_seconds": out.solve_seconds,
            "callback_calls": stop.calls,
        },
        "rens": rens if args.rens else None,
        "progress": prog,
        "trace": stop.trace,
    }


def _highs_options(pairs: list[str]) -> list[tuple[str, object]]:
    """``name=value`` pairs as HiGHS options (numbers and booleans parsed)."""
    out: list[tuple[str, object]] = []
    for pair in pairs:
        name, _, text = pair.partition("=")
        value: object = {"true": True, "false": False}.get(text.lower(), text)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = int(text) if text.lstrip("-").isdigit() else float(text)
        out.append((name, value))
    return out


def whole_run(n: int, args: argparse.Namespace) -> dict:
    """``symbio.solve(park, "cost")`` with the run's defaults: CPU and wall of all its steps."""
    import symbio
    from benchmarks.parks import generate_park
    from symbio.solvers.options import SolverOptions

    park, load0 = generate_park(n, args.seed), os.getloadavg()[0]
    t0, cpu0 = time.perf_counter(), time.process_time()
    opts = SolverOptions(threads=args.threads, time_limit=args.time_limit)
    r = symbio.solve(park, "cost", options=opts)
    b, o, g = r.outcomes["baseline"], r.outcomes["optimized"], r.provenance["savings_gap"]
    return {
        "n": n,
        "load": [load0, os.getloadavg()[0]],
        "wall": time.perf_counter() - t0,
        "cpu": time.process_time() - cpu0,
        "baseline": [b.objective, b.bound],
        "optimized": [o.objective, o.bound, str(o.status)],
        "unproven_share": g.get("unproven_share"),
        "saving": [g["lower"], g["saving"], g["upper"]],
        "timings": {k: r.provenance["timings"][k] for k in ("baseline", "optimized")},
    }


def _variant(r: dict) -> str:
    """Formulation and HiGHS options of a record (records before them: plain, defaults)."""
    text = ("cuts" if r.get("cuts") else "no cuts") + (" + cover" if r.get("cover") else "")
    text += " RENS" if r.get("rens") else ""
    if r.get("rens_gap") is not None:
        text += f" (gap {r['rens_gap']:g})"
    return " ".join([text, *(f"{k}={v}" for k, v in r.get("highs", {}).items())])


def _root(p: dict) -> str:
    """Dual bound and incumbent at the end of the root node, millions."""
    if "root_bound" not in p:
        return "–"
    return f"{p['root_bound'] / 1e6:,.1f} / {p['root_incumbent'] / 1e6:,.1f}"


def _cpu(v: float | None) -> str:
    return "" if v is None else f" ({v:.1f})"


def _md(records: list[dict]) -> str:
    lines = [
        "| N | rule | variant | load before/after | build s | baseline s (CPU) | optimized s (CPU) | "
        "status | gap of total | unproven share of savings | root gap of savings | "
        "root bound / incumbent (M) | s to 1 % of savings (CPU) |",
        "|---:|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in records:
        o = r["optimized"]
        p = _progress(r["trace"], r["baseline"]["objective"], 0.01, o.get("cpu_start"))
        rens = (r.get("rens") or {}).get("seconds", 0.0)  # wall s before HiGHS's clock

        def pct(v: float | None) -> str:
            return "–" if v is None else f"{100 * v:.2f} %"

        lines.append(
            f"| {r['n']} | {r['rule']} | {_variant(r)} | {r['load_before']:.1f}/{r['load_after']:.1f} | "
            f"{r['build_seconds']:.1f} | {r['baseline']['seconds']:.1f}"
            f"{_cpu(r['baseline'].get('cpu_seconds'))} | {o['seconds']:.1f}"
            f"{_cpu(o.get('cpu_seconds'))} | {o['status']} | {pct(o['rel_gap'])} | "
            f"{pct(o['unproven_share'])} | {pct(p.get('root_share'))} | {_root(p)} | "
            + (
                "–"
                if p["seconds_to_tolerance"] is None
                else f"{p['seconds_to_tolerance'] + rens:.1f}"
            )
            + _cpu(p.get("cpu_seconds_to_tolerance"))
            + " |"
        )
    return "\n".join(lines) + "\n"


def _header(args: argparse.Namespace) -> str:
    return (
        f"# Time to 1 % of the savings ({args.tag})\n\n"
        f"`python -m benchmarks.savings_stop {' '.join(a for a in sys.argv[1:] if a != '--report')}`"
        "; seed "
        f"{args.seed}, {args.threads} thread(s); load = 1-min load average; CPU = seconds of "
        "the process's CPU time (one solver thread: the time a quiet machine would take).\n\n"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("sizes", type=int, nargs="+")
    ap.add_argument("--rules", nargs="+", default=["savings", "objective"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=900.0)
    ap.add_argument("--mip-gap", type=float, default=1e-4, help="gap of the total, savings rule")
    ap.add_argument("--old-gap", type=float, default=0.01, help="gap of the total, old rule")
    ap.add_argument("--savings-gap", type=float, default=0.01)
    ap.add_argument("--baseline-gap", type=float, help="gap of the baseline (default: the case's)")
    ap.add_argument("--no-cuts", action="store_true", help="deactivate process_link_build")
    ap.add_argument("--cover", action="store_true", help="add process_link_cover (linkcuts)")
    ap.add_argument("--highs", nargs="*", default=[], metavar="NAME=VALUE", help="HiGHS options")
    ap.add_argument("--whole-run", action="store_true", help="symbio.solve, one JSON line")
    ap.add_argument("--rens", action="store_true", help="start from RENS (symbio.solvers.rens)")
    ap.add_argument("--rens-gap", type=float, help="gap of the RENS neighbourhood MIP")
    ap.add_argument("--tag", default=time.strftime("%Y-%m-%d"))
    ap.add_argument("--report", action="store_true", help="only rewrite the .md from the .json")
    args = ap.parse_args(argv)
    if args.whole_run:
        for n in args.sizes:
            print(json.dumps(whole_run(n, args)), flush=True)
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"savings-stop-{args.tag}.json"
    records = json.loads(path.read_text()) if path.exists() else []
    if args.report:
        path.with_suffix(".md").write_text(_header(args) + _md(records))
        return 0
    for n in args.sizes:
        for rule in args.rules:
            rec = measure(n, rule, args)
            records.append(rec)
            print(_md([rec]).splitlines()[-1], flush=True)
            path.write_text(json.dumps(records, indent=1))
            md = path.with_suffix(".md")
            md.write_text(_header(args) + _md(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
