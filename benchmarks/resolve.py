"""Re-solves without rebuilds: a carbon-price sweep and a Pareto front, warm vs cold, per point.

Three measurements on one scenario (default the SCIP 2025 options), each point timed warm
and cold alternately (A B A B ..., so the machine's load falls on both alike):

* ``sweep (session)``: 10 carbon prices. Warm: one :class:`~symbio.solvers.session.ModelSession`
  minimising cost, :meth:`~symbio.solvers.session.ModelSession.set_params` then solve. Cold:
  the scenario at that price built, handed over and solved in a new session.
* ``sweep (run)``: the same prices as ``symbio run --set`` points (baseline, optimized,
  tightening, canonical flows, tables, audit). Warm: :class:`symbio.pathways.warm.WarmRuns`
  on the kept model, as ``run_grid`` uses it (no audit: a grid row holds none); cold:
  :func:`symbio.run.solve` of the point's scenario (what ``run --set`` did per point before).
* ``pareto``: the 11 ε points of ``pareto_front(session, "cost", "co2", 11)``. Warm: the ε
  bound set on the kept session and solved; cold: a new session with that bound.

Ratios are of wall time; "CPU ratio" is of this process's CPU time, which the load of other
processes blurs less. Each point also checks that warm and cold agree (criteria within 1e-6 relative), and times a
third run: cold, but with the re-solve options a warm point uses
(:func:`symbio.solvers.tuning.resolve_options`), to show what the option alone gives.
Writes ``benchmarks/results/resolve-<tag>.md`` (and ``.json``) with the load average.

    python -m benchmarks.resolve
    python -m benchmarks.resolve --park 200 --mip-gap 0.01 --tag n200
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SCIP = ROOT / "scenarios" / "scip" / "symbiosis-2025.yaml"
PRICES = (0, 50, 100, 150, 200, 300, 400, 500, 750, 1000)
PRICE = "policy.carbon_price_cny_t"


#: CPU seconds of the last :func:`_timed` call (this process; the load counts less).
_CPU: list[float] = [0.0]


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    _CPU[0] = time.process_time() - c0
    return time.perf_counter() - t0, out


def _close(a: dict, b: dict) -> bool:
    return all(abs(a[k] - b[k]) <= 1e-6 * max(1.0, abs(b[k])) for k in b)


def _scenario(args: argparse.Namespace, price: float | None = None) -> object:
    from symbio.flows.overrides import apply_overrides

    if args.park:
        from benchmarks.parks import generate_park

        s = generate_park(args.park, 0)
        if price is not None:
            s = s.model_copy(update={"policy": s.policy.model_copy(update={PRICE[7:]: price})})
        return s
    return apply_overrides(SCIP, {PRICE: price} if price is not None else {})


def _options(args: argparse.Namespace, same: bool = False) -> object:
    """The run's solver options; ``same``: with the re-solve options (a cold run like a warm)."""
    from symbio.solvers.options import SolverOptions
    from symbio.solvers.tuning import resolve_options

    opts = SolverOptions(mip_gap=args.mip_gap, threads=args.threads)
    return resolve_options(opts) if same else opts


def _session(
    args: argparse.Namespace, scenario: object, weights: dict, same: bool = False
) -> object:
    from symbio.model.pareto import set_weights
    from symbio.solvers.session import open_session

    sess = open_session(scenario, solver_options=_options(args, same))
    set_weights(sess.model, weights)
    return sess


def sweep_session(args: argparse.Namespace) -> list[dict]:
    """Carbon prices on one session vs a new session per price."""
    warm = _session(args, _scenario(args, 0.0), {"cost": 1.0})
    warm.solve()
    rows = []
    for p in PRICES:
        sc = _scenario(args, p)
        tw, _ = _timed(lambda p=p: (warm.set_params({"policy_carbon_price": p}), warm.solve()))
        sw, cw = warm.steps[-1].seconds, _CPU[0]
        tc, (cold, sc_) = _timed(lambda sc=sc: _solved(_session(args, sc, {"cost": 1.0}), True))
        cc = _CPU[0]
        ts, _ = _timed(lambda sc=sc: _solved(_session(args, sc, {"cost": 1.0}, True)))
        rows.append(_row(p, tw, tc, sw, sc_, _close(warm.values(), cold), ts, (cw, cc)))
    return rows


def _solved(sess: object, seconds: bool = False) -> dict | tuple[dict, float]:
    step = sess.solve()
    return (sess.values(), step.seconds) if seconds else sess.values()


def _row(
    point: float,
    tw: float,
    tc: float,
    sw: float,
    sc: float,
    same: bool,
    ts: float,
    cpu: tuple[float, float],
) -> dict:
    """One point: wall seconds warm and cold, HiGHS ``run`` seconds of each, agreement.

    ``ts``: wall seconds of a cold point with the re-solve options (``resolve_options``);
    ``cpu``: CPU seconds of this process, warm and cold.
    """
    return {
        "warm_cpu_s": cpu[0],
        "cold_cpu_s": cpu[1],
        "cold_same_options_s": ts,
        "point": point,
        "warm_s": tw,
        "cold_s": tc,
        "warm_highs_s": sw,
        "cold_highs_s": sc,
        "same": same,
    }


def sweep_run(args: argparse.Namespace) -> list[dict]:
    """``run --set`` points: WarmRuns vs symbio.run.solve."""
    from symbio.pathways.warm import WarmRuns
    from symbio.run import solve

    opts = _options(args)
    warm = WarmRuns(options=opts, audit=False)  # as run_grid uses it
    warm(_scenario(args, 0.0))
    rows = []
    for p in PRICES:
        sc = _scenario(args, p)
        tw, hot = _timed(lambda sc=sc: warm(sc))
        cw = _CPU[0]
        tc, cold = _timed(lambda sc=sc: solve(sc, options=opts))
        cc = _CPU[0]
        ts, _ = _timed(lambda sc=sc: solve(sc, options=_options(args, True)))
        a = dict(zip(hot.kpis["kpi"], hot.kpis["optimized"], strict=True))
        b = dict(zip(cold.kpis["kpi"], cold.kpis["optimized"], strict=True))
        rows.append(_row(p, tw, tc, _highs(hot), _highs(cold), _close(a, b), ts, (cw, cc)))
    return rows


def _highs(result: object) -> float:
    """HiGHS seconds of a run: both cases' solves and canonical stages."""
    t = result.provenance["timings"]
    return sum(t.get(c, {}).get(k, 0.0) for c in ("baseline", "optimized") for k in ("solve",))


def pareto(args: argparse.Namespace) -> list[dict]:
    """The ε points of an 11-point cost/CO2 front: kept session vs a new one per point."""
    from symbio.model.pareto import set_bound
    from symbio.pathways.modes import pareto_front

    sc = _scenario(args)
    warm = _session(args, sc, {})
    front = pareto_front(warm, "cost", "co2", 11)
    weights = {k: float(warm.model.criterion_weight[k].value) for k in warm.model.criteria}
    rows = []
    for gp in front.walk.solved:
        eps = float(gp.eps)

        def hot(eps: float = eps) -> tuple[dict, float]:
            set_bound(warm.model, "co2", eps)
            return _solved(warm, True)

        def cold(eps: float = eps, same: bool = False) -> tuple[dict, float]:
            sess = _session(args, sc, weights, same)
            set_bound(sess.model, "co2", eps)
            return _solved(sess, True)

        tw, (a, sw) = _timed(hot)
        cw = _CPU[0]
        tc, (b, sc_) = _timed(cold)
        cc = _CPU[0]
        ts, _ = _timed(lambda eps=eps: cold(eps, True))
        rows.append(_row(eps, tw, tc, sw, sc_, _close(a, b), ts, (cw, cc)))
    return rows


def _summary(name: str, rows: list[dict]) -> dict:
    ratios = [r["cold_s"] / r["warm_s"] for r in rows]
    # what a re-solve saves outside HiGHS: rebuild + hand-over vs the update
    outside = [
        (r["cold_s"] - r["cold_highs_s"]) / max(r["warm_s"] - r["warm_highs_s"], 1e-9) for r in rows
    ]
    return {
        "warm_highs_share": statistics.median(r["warm_highs_s"] / r["warm_s"] for r in rows),
        # HiGHS alone: a re-solve runs with resolve_options, a cold solve with the defaults
        "highs_ratio_median": statistics.median(
            r["cold_highs_s"] / max(r["warm_highs_s"], 1e-9) for r in rows
        ),
        "ratio_outside_highs_median": statistics.median(outside),
        "measure": name,
        "points": len(rows),
        "warm_median_s": statistics.median(r["warm_s"] for r in rows),
        "cold_median_s": statistics.median(r["cold_s"] for r in rows),
        "ratio_median": statistics.median(ratios),
        "ratio_min": min(ratios),
        # CPU of this process: the load of other processes counts less than in wall time
        "cpu_ratio_median": statistics.median(
            r["cold_cpu_s"] / max(r["warm_cpu_s"], 1e-9) for r in rows
        ),
        "ratio_same_options_median": statistics.median(
            r["cold_same_options_s"] / r["warm_s"] for r in rows
        ),
        "all_equal": all(r["same"] for r in rows),
    }


def command(module: str, argv: list[str] | None) -> str:
    """The command line of a study, as the results file quotes it (``python -m ...``)."""
    return f"`python -m {module} {' '.join(argv if argv is not None else sys.argv[1:])}`"


def scip_args(doc: str, argv: list[str] | None) -> argparse.Namespace:
    """``--reps``/``--tag`` of a re-solve study on the SCIP 2025 options (mip_gap 1e-4, 1 thread).

    ``doc``: the study's module docstring (its first line is the help text).
    """
    ap = argparse.ArgumentParser(description=doc.split("\n", 1)[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--tag", default=time.strftime("%Y-%m-%d"))
    args = ap.parse_args(argv)
    args.park, args.mip_gap, args.threads = None, 1e-4, 1
    return args


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--park", type=int, help="a synthetic park of N sites instead of SCIP")
    ap.add_argument("--mip-gap", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only", nargs="+", default=["session", "run", "pareto"])
    ap.add_argument("--tag", default=time.strftime("%Y-%m-%d"))
    args = ap.parse_args(argv)
    measures = {"session": sweep_session, "run": sweep_run, "pareto": pareto}
    names = {"session": "sweep (session)", "run": "sweep (run --set)", "pareto": "pareto"}
    load0 = os.getloadavg()
    out: dict = {"args": vars(args), "load_before": load0, "measures": {}}
    for key in args.only:
        rows = measures[key](args)
        out["measures"][key] = {"summary": _summary(names[key], rows), "points": rows}
        print(json.dumps(out["measures"][key]["summary"]), flush=True)
    out["load_after"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"resolve-{args.tag}.json"
    path.write_text(json.dumps(out, indent=1))
    path.with_suffix(".md").write_text(_markdown(out, argv))
    return 0


def _markdown(out: dict, argv: list[str] | None) -> str:
    a = out["args"]
    lines = [
        f"# Re-solves without rebuilds ({a['tag']})",
        "",
        command("benchmarks.resolve", argv)
        + f" — {'synthetic park N=' + str(a['park']) if a['park'] else 'SCIP 2025 options'}, "
        f"mip_gap {a['mip_gap']}, {a['threads']} thread(s). Load average (1/5/15 min) "
        f"before {tuple(round(x, 1) for x in out['load_before'])}, after "
        f"{tuple(round(x, 1) for x in out['load_after'])}. Warm and cold runs of each point "
        "alternate; ratio = cold / warm per point.",
        "",
        "| measure | points | warm median s | cold median s | ratio median | ratio min | "
        "CPU ratio median | ratio vs cold with re-solve options | "
        "HiGHS share of warm | HiGHS cold / warm | ratio outside HiGHS | warm = cold |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in out["measures"].values():
        s = m["summary"]
        lines.append(
            f"| {s['measure']} | {s['points']} | {s['warm_median_s']:.3f} | "
            f"{s['cold_median_s']:.3f} | {s['ratio_median']:.1f}× | {s['ratio_min']:.1f}× | "
            f"{s['cpu_ratio_median']:.1f}× | "
            f"{s['ratio_same_options_median']:.1f}× | "
            f"{s['warm_highs_share']:.0%} | {s['highs_ratio_median']:.1f}× | "
            f"{s['ratio_outside_highs_median']:.1f}× | "
            f"{'yes' if s['all_equal'] else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
