"""The solving steps of a run: the baseline, the optimized case, the baseline tightened.

Each is a step ``f(state) -> None`` of :data:`symbio.run.STEPS`. Both cases share the one
persistent HiGHS of the state; the optimized case is warm-started from the baseline. The
savings gap and the tightening target: :mod:`symbio.savings`.
"""

from __future__ import annotations

from dataclasses import replace

from symbio.errors import InfeasibleError, SolverError
from symbio.run.state import RunState, baseline_options, configure
from symbio.savings import abs_gap, baseline_target, rel_gap
from symbio.solvers.diagnose import diagnose
from symbio.solvers.outcome import Status
from symbio.solvers.stoprule import savings_stop, solve_to_savings


def solve_baseline(st: RunState) -> None:
    """Solve the baseline (when asked); an infeasible baseline becomes a note and a diagnosis."""
    if not st.baseline:
        return
    out = st.solver.solve(st.sopts)
    st.keep("baseline", out)
    if out.status == Status.INFEASIBLE:
        diag = diagnose(st.ix, baseline_options(st.mopts), st.sopts, st.solver)
        st.extra["baseline_diagnosis"] = diag.as_dict()
        st.notes.append(
            "the baseline (existing links and processes only) is infeasible:\n" + str(diag)
        )
    elif not out.has_solution:
        st.notes.append(f"baseline: {out.message}")


def solve_optimized(st: RunState) -> None:
    """Solve the optimized case, warm-started from the baseline's solution.

    It stops at a share of the savings (:mod:`symbio.solvers.stoprule`) or at the MIP gap
    of the total, whichever comes first.

    Raises
    ------
    InfeasibleError
        With the diagnosis, when the optimized case has no feasible solution.
    SolverError
        When the solver fails or stops without a solution.
    """
    configure(st, "optimized")
    rule = savings_stop(st.outcomes.get("baseline"), st.sopts)
    out = solve_to_savings(st.solver, st.sopts, rule, warm_start=st.baseline)
    st.keep("optimized", out)
    name = st.scenario.name.en
    if out.status == Status.INFEASIBLE:
        diag = diagnose(st.ix, st.mopts, st.sopts, st.solver)
        raise InfeasibleError(
            f"scenario {name!r}: the optimized case has no feasible solution.\n{diag}", diag
        )
    if not out.has_solution:
        raise SolverError(f"scenario {name!r}, optimized case: {out.message}")


def tighten_baseline(st: RunState) -> None:
    """Solve the baseline again, from its solution, when its gap would overstate the savings."""
    if "baseline" not in st.solutions:
        return
    first = st.outcomes["baseline"]
    target = baseline_target(first, st.outcomes["optimized"], st.sopts)
    if target is None:
        return
    configure(st, "baseline")
    out = st.solver.solve(
        replace(st.sopts, mip_gap=0.0, mip_abs_gap=target), start=st.solutions["baseline"]
    )
    if not out.has_solution:
        st.notes.append(f"baseline: tightening its gap failed ({out.message})")
        return
    out.bound = max(out.bound, first.bound)  # both bound the same problem
    out.gap = rel_gap(out.objective, out.bound)
    out.timings = {
        k: first.timings.get(k, 0.0) + (out.timings[k] if k != "build" else 0.0)
        for k in out.timings
    }
    st.keep("baseline", out)
    st.notes.append(
        f"baseline solved again to an absolute gap of {target:,.6g} (the run's "
        f"relative gap of the savings); its gap was {abs_gap(first):,.6g}"
    )
