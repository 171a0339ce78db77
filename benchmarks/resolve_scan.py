"""HiGHS on re-solves: options and MIP starts tried on warm points, against cold answers.

A warm point of :mod:`benchmarks.resolve` is mostly HiGHS's own MIP run. This scan tries
what could make that run cheaper on the kept instance: HiGHS options (symmetry detection,
heuristics, presolve, restarts...), the previous point's solution as a start
(``Highs.setSolution``), and keeping HiGHS's state (no ``clearSolver``). Per setting it gives
HiGHS's CPU milliseconds per point (``time.process_time`` around ``run`` only, median of
``--reps`` passes, so the machine's load counts less than in wall time) and at how many points
the answer is a cold run's:

* ``sweep``: 10 carbon prices minimising cost on one session; identical = the same
  objective (1e-9 relative) and the same column values (1e-7 relative) as a new session.
* ``pareto``: the 11 ε points of the cost/CO2 front (the walk's order, each start from the
  point before); identical = the same criteria (1e-9) and build decisions as a new session.

Options are reset before each point (``resetOptions`` and the re-solve options), so one
setting never leaks into the next. Writes ``benchmarks/results/resolve-scan-<tag>.md``.

    python -m benchmarks.resolve_scan --tag 2026-12-05d
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from benchmarks import resolve as R

#: (label, HiGHS options, offer the previous solution, clear the solver first)
SETTINGS: tuple[tuple[str, dict, bool, bool], ...] = (
    ("re-solve options (as shipped)", {}, False, True),
    ("+ feasibility jump on (HiGHS default)", {"mip_heuristic_run_feasibility_jump": True}, False, True),
    ("keep HiGHS's state (no clearSolver)", {}, False, False),
    ("previous point's solution as start", {}, True, True),
    ("mip_detect_symmetry off", {"mip_detect_symmetry": False}, False, True),
    ("mip_heuristic_effort 0", {"mip_heuristic_effort": 0.0}, False, True),
    ("zi_round + shifting off", {"mip_heuristic_run_zi_round": False, "mip_heuristic_run_shifting": False}, False, True),
    ("mip_pscost_minreliable 0", {"mip_pscost_minreliable": 0}, False, True),
    ("simplex_strategy 4 (primal)", {"simplex_strategy": 4}, False, True),
    ("mip_allow_restart off", {"mip_allow_restart": False}, False, True),
    ("presolve off", {"presolve": "off"}, False, True),
)  # fmt: skip


def _points(args: argparse.Namespace, kind: str) -> tuple[object, list, Callable, dict]:
    """The warm session, its points, a function setting a point, and the cold answers."""
    warm, points, at, cold = setup(args, kind)
    return warm, points, at, {p: _answer(cold(p)) for p in points}


def setup(args: argparse.Namespace, kind: str) -> tuple[object, list, Callable, Callable]:
    """The warm session, its points, ``at(session, point)`` and ``cold(point) -> session``."""
    from symbio.model.pareto import set_bound
    from symbio.pathways.modes import pareto_front

    if kind == "sweep":
        warm = R._session(args, R._scenario(args, 0.0), {"cost": 1.0})
        warm.solve()
        points = list(R.PRICES)

        def at(sess: object, p: float) -> None:
            sess.set_params({"policy_carbon_price": p})

        def cold(p: float) -> object:
            s = R._session(args, R._scenario(args, p), {"cost": 1.0})
            s.solve()
            return s
    else:
        sc = R._scenario(args)
        warm = R._session(args, sc, {})
        front = pareto_front(warm, "cost", "co2", 11)
        weights = {k: float(warm.model.criterion_weight[k].value) for k in warm.model.criteria}
        points = [float(gp.eps) for gp in front.walk.solved]

        def at(sess: object, eps: float) -> None:
            set_bound(sess.model, "co2", eps)

        def cold(eps: float) -> object:
            s = R._session(args, sc, weights)
            at(s, eps)
            s.solve()
            return s

    return warm, points, at, cold


def _answer(sess: object) -> tuple[float, np.ndarray, dict, dict]:
    h = sess.solve_fn.state["highs"].h
    x = np.asarray(h.getSolution().col_value, dtype=float)
    return h.getInfo().objective_function_value, x, sess.values(), sess.build_values()


def _same(kind: str, got: tuple, ref: tuple) -> bool:
    obj, x, crit, builds = got
    robj, rx, rcrit, rbuilds = ref
    if kind == "sweep":
        close = np.abs(x - rx) <= 1e-7 * np.maximum(1.0, np.abs(rx))
        return abs(obj - robj) <= 1e-9 * abs(robj) and bool(close.all())
    return builds == rbuilds and all(
        abs(crit[k] - rcrit[k]) <= 1e-9 * max(1.0, abs(rcrit[k])) for k in rcrit
    )


def scan(args: argparse.Namespace, kind: str) -> list[tuple[str, float, int, int]]:
    """``(setting, HiGHS CPU ms per point, points identical to cold, points)`` per setting."""
    from symbio.solvers.tuning import resolve_options

    warm, points, at, ref = _points(args, kind)
    ph = warm.solve_fn.state["highs"]
    opts = resolve_options(R._options(args))
    out = []
    for label, extra, start, clear in SETTINGS:
        cpu, same = [], 0
        for rep in range(args.reps):
            for p in points:
                at(warm, p)
                prev = ph.last_solution
                ph.update()
                ph.h.resetOptions()
                ph.apply_options(opts)
                for k, v in extra.items():
                    _check_option(ph.h.setOptionValue(k, v), k)
                if clear:
                    ph.h.clearSolver()
                if start and prev is not None:
                    ph._offer_start(prev)
                t0 = time.process_time()
                ph.h.run()
                cpu.append(time.process_time() - t0)
                ph.load()
                if rep == 0:
                    same += _same(kind, _answer(warm), ref[p])
        out.append((label, 1000 * statistics.median(cpu), same, len(points)))
        print(f"{kind} {label}: {out[-1][1]:.2f} ms, {same}/{len(points)}", flush=True)
    return out


def _check_option(status: object, what: str) -> None:
    """Fail on an option HiGHS does not know."""
    from symbio.solvers.highs_setup import check

    check(status, f"option {what}")


def main(argv: list[str] | None = None) -> int:
    args = R.scip_args(__doc__, argv)
    load0 = os.getloadavg()
    results = {kind: scan(args, kind) for kind in ("sweep", "pareto")}
    load1 = os.getloadavg()
    lines = [
        f"# HiGHS on re-solves: options and starts ({args.tag})",
        "",
        R.command("benchmarks.resolve_scan", argv)
        + f" — SCIP 2025 options, mip_gap 1e-4, 1 thread; HiGHS `run` CPU ms per point, median of "
        f"{args.reps} passes. Load average before {tuple(round(x, 1) for x in load0)}, after "
        f'{tuple(round(x, 1) for x in load1)}. "= cold": points whose answer is a new '
        "session's (sweep: objective to 1e-9 and every column value to 1e-7 relative; Pareto: "
        "criteria to 1e-9 and build decisions).",
        "",
        "| setting | sweep: HiGHS CPU ms | sweep: = cold | Pareto: HiGHS CPU ms | Pareto: = cold |",
        "|---|---:|---:|---:|---:|",
    ]
    for (label, sms, ss, sn), (_, pms, ps, pn) in zip(*results.values(), strict=True):
        lines.append(f"| {label} | {sms:.2f} | {ss}/{sn} | {pms:.2f} | {ps}/{pn} |")
    path = R.RESULTS / f"resolve-scan-{args.tag}.md"
    Path(path).write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
