"""The solving steps of a run: the baseline, the optimized case, the baseline tightened.

Each is a step ``f(state) -> None`` of :data:`symbio.run.STEPS`. Both cases share the one
persistent HiGHS of the state; the optimized case is warm-started from the baseline. The
savings gap and the tightening target: :mod:`symbio.savings`.

With the savings stop (``solver.savings_gap`` > 0) and more than
:data:`~symbio.solvers.tuning.SMALL_MIP_INTEGERS` build decisions, the baseline is first
solved only to :data:`FIRST_BASELINE_GAP` of the total (proving 1e-4 of a large park's
total took 129 s of a 2-minute run at N = 1000) and afterwards tightened only as far as the
savings rule needs: to ``savings_gap`` of the found savings. The optimized case's rule
measures the room to save from the baseline's *bound*, so a loose baseline never makes it
stop early. Under the same conditions the optimized case starts from a RENS solution
(:mod:`symbio.solvers.rens`) instead of the baseline's.
"""

from __future__ import annotations

import time
from dataclasses import replace

from symbio.errors import InfeasibleError, SolverError
from symbio.run.state import RunState, baseline_options, configure
from symbio.savings import abs_gap, baseline_target, rel_gap
from symbio.solvers.diagnose import diagnose
from symbio.solvers.highs import HIGHS_DEFAULT_ABS_GAP, HIGHS_DEFAULT_GAP
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome, Status
from symbio.solvers.rens import rens_start
from symbio.solvers.stoprule import savings_stop, solve_to_savings
from symbio.solvers.tuning import SMALL_MIP_INTEGERS

#: Gap of the total a large baseline is first solved to under the savings stop.
FIRST_BASELINE_GAP = 1e-3


def _large(st: RunState) -> bool:
    """More build decisions than a small MIP (:mod:`symbio.solvers.tuning`) has."""
    return len(st.model.link_build) + len(st.model.process_build) > SMALL_MIP_INTEGERS


def _first_pass(st: RunState) -> SolverOptions | None:
    """The baseline's options for a loose first pass, or None to solve it as the run says."""
    sopts = st.sopts
    gap = sopts.mip_gap if sopts.mip_gap is not None else HIGHS_DEFAULT_GAP
    if not sopts.savings_gap or not _large(st) or gap >= FIRST_BASELINE_GAP:
        return None
    return replace(sopts, mip_gap=FIRST_BASELINE_GAP)


def solve_baseline(st: RunState) -> None:
    """Solve the baseline (when asked); an infeasible baseline becomes a note and a diagnosis."""
    if not st.baseline:
        return
    first = _first_pass(st)
    out = st.solver.solve(first or st.sopts)
    if first is not None:
        st.extra["baseline_first_gap"] = FIRST_BASELINE_GAP
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
    t0 = time.perf_counter()
    start = rens_start(st.solver, st.sopts) if rule is not None and _large(st) else None
    rens_s = time.perf_counter() - t0
    out = solve_to_savings(st.solver, st.sopts, rule, warm_start=st.baseline, start=start)
    if out.timings and start is not None:
        out.timings["solve"] = out.timings.get("solve", 0.0) + rens_s
    st.keep("optimized", out)
    name = st.scenario.name.en
    if out.status == Status.INFEASIBLE:
        diag = diagnose(st.ix, st.mopts, st.sopts, st.solver)
        raise InfeasibleError(
            f"scenario {name!r}: the optimized case has no feasible solution.\n{diag}", diag
        )
    if not out.has_solution:
        raise SolverError(f"scenario {name!r}, optimized case: {out.message}")


def _target(st: RunState, first: SolveOutcome, opt: SolveOutcome) -> float | None:
    """Absolute gap to solve the baseline again to (None: it is tight enough).

    After a loose first pass: ``savings_gap`` of the found savings (what the savings rule
    allows the optimized case); otherwise :func:`symbio.savings.baseline_target`.
    """
    if "baseline_first_gap" not in st.extra:
        return baseline_target(first, opt, st.sopts)
    if not (first.has_solution and opt.has_solution):
        return None
    floor = st.sopts.mip_abs_gap if st.sopts.mip_abs_gap is not None else HIGHS_DEFAULT_ABS_GAP
    need = max(st.sopts.savings_gap * abs(first.objective - opt.objective), floor)
    return need if abs_gap(first) > need * (1 + 1e-9) else None


def tighten_baseline(st: RunState) -> None:
    """Solve the baseline again, from its solution, when its gap would overstate the savings."""
    if "baseline" not in st.solutions:
        return
    first = st.outcomes["baseline"]
    target = _target(st, first, st.outcomes["optimized"])
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
