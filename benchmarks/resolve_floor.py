"""The floor of a warm re-solve: HiGHS's own run on the kept instance, against a cold point.

A warm point (:mod:`benchmarks.resolve`) must give a cold run's answer, so HiGHS must run
its whole MIP search on the point's model, as a cold run does. This benchmark measures,
per point of the SCIP carbon sweep (10 prices) and of the cost/CO2 Pareto front (11 ε
points), all in CPU milliseconds of this process (``time.process_time``, so the machine's
load counts less than in wall time), median of ``--reps`` passes:

* ``warm``: the whole warm point (set the price or the ε bound, update, HiGHS, load);
* ``HiGHS run``: ``run()`` alone on the warm instance after ``clearSolver`` (its options are
  the warm point's); ``HiGHS clock``: HiGHS's own ``getRunTime()`` of that run (wall);
* ``presolve``: ``presolve()`` alone on a copy of the instance (same model and options);
* ``LP``: the relaxation (integrality dropped) on a copy, presolve included;
* ``cold``: a new session at that point (build, hand-over, HiGHS; the point's scenario is
  made before the clock starts, as in :mod:`benchmarks.resolve`);
* ``floor ratio`` = cold / HiGHS run: the ratio a warm point would reach if everything but
  HiGHS's run cost nothing. Below 5, no work outside HiGHS can give 5×.

It also times the HiGHS calls a warm point makes around ``run`` (``clearSolver``, ``getInfo``,
``changeColsCost``...) and a trivial MIP's ``run`` (HiGHS's fixed cost per run).

Each warm point's answer is checked against the cold one (sweep: every column to 1e-7
relative; Pareto: criteria to 1e-9 and builds, as :mod:`benchmarks.resolve_scan`).
Writes ``benchmarks/results/resolve-floor-<tag>.md``.

    python -m benchmarks.resolve_floor --tag 2026-12-05e
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

from benchmarks import resolve as R
from benchmarks.resolve_scan import _answer, _same, setup

COLUMNS = ("warm", "HiGHS run", "HiGHS clock", "presolve", "LP", "cold")


def _cpu(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return 1000 * (time.process_time() - t0)


def _copy(h: object, relax: bool = False) -> object:
    """A new HiGHS instance with ``h``'s model (no integrality when ``relax``) and options."""
    from symbio.solvers.highs_setup import _new_highs

    c = _new_highs()
    c.passOptions(h.getOptions())
    lp = h.getLp()
    if relax:
        lp.integrality_ = []
    c.passModel(lp)
    return c


def _point(warm: object, at: Callable, cold: Callable, p: float) -> dict[str, float]:
    """One pass over one point: CPU ms of each column."""
    ph = warm.solve_fn.state["highs"]
    out = {"warm": _cpu(lambda: (at(warm, p), warm.solve()))}
    h = ph.h
    h.clearSolver()
    clock = h.getRunTime()
    out["HiGHS run"] = _cpu(h.run)
    out["HiGHS clock"] = 1000 * (h.getRunTime() - clock)
    pre, lp = _copy(h), _copy(h, relax=True)
    out["presolve"] = _cpu(pre.presolve)
    out["LP"] = _cpu(lp.run)
    out["cold"] = _cpu(lambda: cold(p))
    return out


def measure(args: argparse.Namespace, kind: str) -> list[dict]:
    """Per point: the medians of each column, the floor ratio, and warm = cold."""
    warm, points, at, cold = setup(args, kind)
    ref = {p: _answer(cold(p)) for p in points}
    if kind == "sweep":  # the point's scenario made before the clock, as benchmarks.resolve
        made = {p: R._scenario(args, p) for p in points}
        cold = lambda p: R._solved(R._session(args, made[p], {"cost": 1.0}))  # noqa: E731
    rows = []
    for p in points:
        passes = [_point(warm, at, cold, p) for _ in range(args.reps)]
        row = {k: statistics.median(x[k] for x in passes) for k in COLUMNS}
        at(warm, p)
        warm.solve()
        row.update(point=p, same=_same(kind, _answer(warm), ref[p]))
        row["floor"] = row["cold"] / row["HiGHS run"]
        row["ratio"] = row["cold"] / row["warm"]
        rows.append(row)
        print(kind, {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()})
    return rows


def _calls(h: object, n: int = 500) -> list[tuple[str, float]]:
    """CPU ms of the HiGHS calls a warm point makes around ``run``, and of a trivial MIP."""
    import highspy
    import numpy as np

    from symbio.solvers.highs_setup import _new_highs

    def each(fn: Callable[[], object]) -> float:
        return statistics.median(_cpu(fn) for _ in range(n))

    cost = np.asarray(h.getLp().col_cost_, dtype=float)
    idx = np.arange(len(cost), dtype=np.int32)
    tiny = _new_highs()  # min x + y, x + y >= 1.5, x binary, y in [0, 1]
    tiny.setOptionValue("threads", 1)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 2, 1
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.ones(2), np.zeros(2), np.ones(2)
    lp.row_lower_, lp.row_upper_ = np.array([1.5]), np.array([np.inf])
    lp.a_matrix_.start_, lp.a_matrix_.index_ = np.array([0, 1, 2]), np.array([0, 0])
    lp.a_matrix_.value_ = np.ones(2)
    lp.integrality_ = [highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous]
    tiny.passModel(lp)
    return [
        ("`clearSolver`", each(h.clearSolver)),
        ("`getInfo`", each(h.getInfo)),
        ("`getSolution`", each(h.getSolution)),
        (f"`changeColsCost` of all {len(cost)} columns", each(lambda: h.changeColsCost(len(idx), idx, cost))),
        ("`setOptionValue` (one option; a solve sets 12)", each(lambda: h.setOptionValue("mip_rel_gap", 1e-4))),
        ("a trivial MIP's `run` (2 columns, 1 row): HiGHS's fixed cost per run", each(lambda: (tiny.clearSolver(), tiny.run()))),
    ]  # fmt: skip


def _table(kind: str, rows: list[dict]) -> list[str]:
    head = " | ".join(f"{c} ms" for c in COLUMNS)
    lines = [
        f"### {kind}",
        "",
        f"| point | {head} | HiGHS share of warm | ratio cold/warm | floor ratio cold/HiGHS run "
        "| warm = cold |",
        "|---:|" + "---:|" * (len(COLUMNS) + 3) + "---|",
    ]
    for r in rows:
        cells = " | ".join(f"{r[c]:.2f}" for c in COLUMNS)
        lines.append(
            f"| {r['point']:g} | {cells} | {r['HiGHS run'] / r['warm']:.0%} | "
            f"{r['ratio']:.2f}× | {r['floor']:.2f}× | {'yes' if r['same'] else 'NO'} |"
        )
    med = {c: statistics.median(r[c] for r in rows) for c in (*COLUMNS, "ratio", "floor")}
    cells = " | ".join(f"{med[c]:.2f}" for c in COLUMNS)
    share = statistics.median(r["HiGHS run"] / r["warm"] for r in rows)
    lines.append(
        f"| **median** | {cells} | {share:.0%} | **{med['ratio']:.2f}×** | "
        f"**{med['floor']:.2f}×** | {'yes' if all(r['same'] for r in rows) else 'NO'} |"
    )
    above = sum(r["floor"] >= 5 for r in rows)
    lines += ["", f"Points whose floor ratio reaches 5×: {above} of {len(rows)}.", ""]
    return lines


def main(argv: list[str] | None = None) -> int:
    args = R.scip_args(__doc__, argv)
    load0 = os.getloadavg()
    results = {kind: measure(args, kind) for kind in ("sweep", "pareto")}
    warm = setup(args, "sweep")[0]
    calls = _calls(warm.solve_fn.state["highs"].h)
    load1 = os.getloadavg()
    lines = [
        f"# The floor of a warm re-solve: HiGHS's own run ({args.tag})",
        "",
        R.command("benchmarks.resolve_floor", argv)
        + " — SCIP 2025 options, mip_gap 1e-4, 1 thread; CPU ms of this process per point, median "
        f"of {args.reps} passes (HiGHS clock: HiGHS's own run time, wall). Load average before "
        f"{tuple(round(x, 1) for x in load0)}, after {tuple(round(x, 1) for x in load1)}. "
        "See the module docstring for each column.",
        "",
    ]
    for kind, rows in results.items():
        lines += _table(kind, rows)
    lines += ["### HiGHS calls around a run (sweep instance, median of 500)", ""]
    lines += ["| call | CPU ms |", "|---|---:|", *(f"| {c} | {ms:.4f} |" for c, ms in calls), ""]
    (R.RESULTS / f"resolve-floor-{args.tag}.md").write_text("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
