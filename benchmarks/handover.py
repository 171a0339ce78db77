"""Measure the ways of handing a symbio model to HiGHS (one fresh process per measurement).

Paths, all on the same Pyomo model of a synthetic park (``benchmarks.parks``), integrality
relaxed so that the solve is short and the hand-over dominates:

* ``direct``   symbio's :class:`~symbio.solvers.highs.PersistentHighs`: compile to CSR, passModel
* ``lp``       Pyomo LP writer (``symbolic_solver_labels=False``) -> ``Highs.readModel`` -> values
               loaded by the symbol map
* ``appsi``    ``pyomo.contrib.appsi.solvers.highs.Highs`` (persistent)
* ``contrib``  ``pyomo.contrib.solver.solvers.highs.Highs`` (persistent)

For the persistent paths a second solve after changing one mutable Param (an epsilon limit
on CO2, activated) measures the re-solve hand-over.

    python -m benchmarks.handover 1000 4000 10000
    python -m benchmarks.handover --parts 5000     # the direct hand-over's parts, CPU s

``--parts`` times, on one model (integrality kept), the parts of the direct hand-over, each
the best of five CPU times on a fresh :class:`~symbio.solvers.matrix.Compiler` (so a map it
makes on first use is counted in the part that needs it): ``columns`` (the variables in
column order), ``rows`` (recorded rows taken, the others compiled), ``bounds`` (column
bounds), ``objective``, ``handover`` (all of :class:`~symbio.solvers.highs.PersistentHighs`), ``join`` (joining the
recorded rows, column bounds, cost and column list anew, as the build's end does:
:func:`~symbio.model.record_join.join_at_build`), ``rejoin`` (a hand-over with nothing
kept, as after a change of the rows),
``passmodel_lp`` (a raw ``passModel`` of the very ``HighsLp`` the hand-over produced, read
back, into a fresh instance: the issue's yardstick, as in ``benchmarks.build_memory``) and
``compiled`` (the hand-over with every row and the objective compiled from Pyomo
expressions, no recording used). ``handover_first`` is the first hand-over of the process
(what ``benchmarks.build_memory`` times); ``ratio_first`` and ``ratio`` divide it and the
best hand-over by ``passmodel_lp``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

PATHS = ("direct", "lp", "appsi", "contrib")


class _Clock:
    """Wall and CPU seconds since creation (CPU time is robust on a shared machine)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, rec: dict, key: str) -> None:
        rec[key] = round(time.perf_counter() - self.wall, 4)
        rec[f"{key}_cpu"] = round(time.process_time() - self.cpu, 4)
        self.wall, self.cpu = time.perf_counter(), time.process_time()


def _model(n: int) -> object:
    import pyomo.environ as pyo

    from benchmarks.parks import generate_park
    from symbio.model import build_model

    m = build_model(generate_park(n, 0))
    pyo.TransformationFactory("core.relax_integer_vars").apply_to(m)
    return m


def _tighten(m: object) -> None:
    import pyomo.environ as pyo

    m.objective_eps["co2"] = 0.999 * pyo.value(m.objective_expr["co2"])
    m.objective_eps_limit["co2"].activate()


def measure(path: str, n: int) -> dict:
    """Time build, hand-over, solve, load (and a re-solve) of one path."""
    import highspy
    import pyomo.environ as pyo

    rec: dict = {"path": path, "n": n}
    clock = _Clock()
    m = _model(n)
    clock.lap(rec, "build")
    rec["vars"] = sum(1 for _ in m.component_data_objects(pyo.Var))
    rec["rows"] = sum(1 for _ in m.component_data_objects(pyo.Constraint, active=True))
    if path == "direct":
        from symbio.solvers.highs import PersistentHighs

        clock = _Clock()
        solver = PersistentHighs(m)
        clock.lap(rec, "handover")
        solver.h.run()
        clock.lap(rec, "solve")
        solver.load()
        clock.lap(rec, "load")
        rec["objective"] = solver.h.getInfo().objective_function_value
        _tighten(m)
        clock = _Clock()
        solver.update()
        clock.lap(rec, "resolve_handover")
    elif path == "lp":
        with tempfile.TemporaryDirectory() as d:
            file = os.path.join(d, "m.lp")
            clock = _Clock()
            _, smap_id = m.write(file, io_options={"symbolic_solver_labels": False})
            clock.lap(rec, "write")
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
            h.readModel(file)
            clock.lap(rec, "read")
            rec["handover"] = rec["write"] + rec["read"]
            rec["handover_cpu"] = rec["write_cpu"] + rec["read_cpu"]
            h.run()
            clock.lap(rec, "solve")
            smap = m.solutions.symbol_map[smap_id]
            names = h.getLp().col_names_
            for name, val in zip(names, h.getSolution().col_value, strict=True):
                v = smap.bySymbol.get(name)
                if v is not None:
                    v.set_value(val, skip_validation=True)
            clock.lap(rec, "load")
            rec["objective"] = h.getInfo().objective_function_value
    else:
        if path == "appsi":
            from pyomo.contrib.appsi.solvers.highs import Highs
        else:
            from pyomo.contrib.solver.solvers.highs import Highs
        opt = Highs()
        clock = _Clock()
        opt.set_instance(m)
        clock.lap(rec, "handover")
        opt.solve(m)
        clock.lap(rec, "solve_and_load")
        rec["objective"] = pyo.value(m.objective)
        _tighten(m)
        clock = _Clock()
        opt.solve(m)
        clock.lap(rec, "resolve_total")
    rec["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return rec


def _best(f: object, k: int = 5) -> tuple[float, object]:
    """Least CPU seconds of ``k`` calls of ``f()`` and the last result."""
    return _best_on(lambda: None, lambda _: f(), k)


def _best_on(make: object, f: object, k: int = 5) -> tuple[float, object]:
    """Least CPU seconds of ``f(make())`` over ``k`` calls, ``make()`` not timed."""
    best, out = float("inf"), None
    for _ in range(k):
        arg = make()
        t = time.process_time()
        out = f(arg)
        best = min(best, time.process_time() - t)
    return round(best, 4), out


def parts(n: int) -> dict:
    """CPU seconds of the parts of the direct hand-over (see the module docstring)."""
    import highspy

    from benchmarks.parks import generate_park
    from symbio.model import build_model
    from symbio.model.record_join import forget_joins, join_at_build
    from symbio.solvers.highs import PersistentHighs
    from symbio.solvers.matrix import Compiler, active_objective

    m = build_model(generate_park(n, 0))
    rec: dict = {"n": n, "loadavg": os.getloadavg()[0]}
    t = time.process_time()
    solver = PersistentHighs(m)  # the first hand-over of the process, as build_memory times it
    rec["handover_first"] = round(time.process_time() - t, 4)
    rec["columns"], _ = _best(lambda: Compiler(m))
    # each part on a fresh Compiler (its lazy maps are part of the part's cost)
    rec["rows"], _ = _best_on(lambda: Compiler(m), lambda c: c.model_rows())
    rec["bounds"], _ = _best_on(lambda: Compiler(m), lambda c: c.column_bounds())
    rec["objective"], _ = _best_on(lambda: Compiler(m), lambda c: c.objective(active_objective(m)))
    rec["handover"], solver = _best(lambda: PersistentHighs(m))
    lp = solver.h.getLp()
    rec["join"], _ = _best_on(lambda: forget_joins(m), lambda _: join_at_build(m))
    rec["rejoin"], _ = _best_on(lambda: forget_joins(m), lambda _: PersistentHighs(m))

    def raw() -> None:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)

    rec["passmodel_lp"], _ = _best(raw)
    rec["ratio_first"] = round(rec["handover_first"] / rec["passmodel_lp"], 2)
    rec["ratio"] = round(rec["handover"] / rec["passmodel_lp"], 2)

    def compiled() -> None:
        c = Compiler(m, recorded=False)
        c.model_rows()
        c.column_bounds()
        c.objective(active_objective(m))

    rec["compiled"], _ = _best(compiled, 3)
    return rec


def main(argv: list[str]) -> None:
    """Run every path for every N in a fresh process and print one JSON line each."""
    if argv and argv[0] == "--parts":
        print(json.dumps(parts(int(argv[1]))))  # noqa: T201
        return
    if argv and argv[0] == "--one":
        print(json.dumps(measure(argv[1], int(argv[2]))))  # noqa: T201
        return
    for n in [int(a) for a in argv] or [1000]:
        for path in PATHS:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.handover", "--one", path, str(n)],
                capture_output=True,
                text=True,
                check=False,
            )
            print(out.stdout.strip() or out.stderr.strip()[-500:], flush=True)  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
