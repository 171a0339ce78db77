"""Reading HiGHS's answers: the run's outcome in planner words, and the IIS."""

from __future__ import annotations

import highspy
import numpy as np

from symbio.solvers.matrix import scaling_report
from symbio.solvers.outcome import SolveOutcome, Status

#: HiGHS IIS strategy: from the LP (2) and made irreducible (4); the default finds only trivial ones.
IIS_STRATEGY = 6

_MS = highspy.HighsModelStatus
_LIMITS = {
    _MS.kTimeLimit,
    _MS.kIterationLimit,
    _MS.kSolutionLimit,
    _MS.kInterrupt,
    _MS.kObjectiveBound,
    _MS.kObjectiveTarget,
    _MS.kMemoryLimit,
    _MS.kUnknown,
}
_LIMITS |= {_MS.kHighsInterrupt} if hasattr(_MS, "kHighsInterrupt") else set()


def settle_unbounded_or_infeasible(h: object, costs: np.ndarray) -> object:
    """Tell infeasible from unbounded: a zero objective cannot be unbounded."""
    n = h.getNumCol()
    cost = np.zeros(n)
    cost[: len(costs)] = costs
    idx = np.arange(n, dtype=np.int32)
    h.changeColsCost(n, idx, np.zeros(n))
    h.run()
    feasible = h.getModelStatus() not in (_MS.kInfeasible, _MS.kUnboundedOrInfeasible)
    h.changeColsCost(n, idx, cost)
    return _MS.kUnbounded if feasible else _MS.kInfeasible


def read_outcome(
    h: object, status: object, is_mip: bool, offset: float, coefficients: tuple[float, float]
) -> SolveOutcome:
    """The SolveOutcome of HiGHS's last run, in planner words (``status`` settled)."""
    if status == _MS.kModelEmpty:  # nothing to decide: the empty solution is optimal
        return SolveOutcome(
            status=Status.OPTIMAL,
            termination=h.modelStatusToString(status),
            objective=float(offset),
            bound=float(offset),
            gap=0.0,
            solver="highs",
            solver_version=str(h.version()),
            message="optimal (nothing to decide: the model has no variables)",
        )
    info = h.getInfo()
    has_solution = int(info.primal_solution_status) == 2
    text = h.modelStatusToString(status)
    objective = float(info.objective_function_value) if has_solution else None
    bound = float(info.mip_dual_bound) if is_mip else objective
    gap = float(info.mip_gap) if is_mip and has_solution else (0.0 if has_solution else None)
    if status == _MS.kOptimal:
        st, msg = (
            Status.OPTIMAL,
            "optimal" + (f" (MIP gap {gap:.2%})" if is_mip and gap else ""),
        )
    elif status == _MS.kInfeasible:
        st, msg = Status.INFEASIBLE, "the model has no feasible solution"
    elif status == _MS.kUnbounded:
        st, msg = (
            Status.UNBOUNDED,
            (
                "the objective is unbounded: some flow can grow without limit "
                "(e.g. buying and selling the same resource at a profit)"
            ),
        )
    elif status in _LIMITS and has_solution:
        st = Status.FEASIBLE
        msg = f"stopped ({text}) with a feasible solution" + (
            f", gap {gap:.2%}" if gap is not None else ""
        )
    elif status in _LIMITS:
        st, msg = Status.NO_SOLUTION, f"stopped ({text}) before finding a feasible solution"
    else:
        st, msg = Status.ERROR, f"solver error: {text}; {scaling_report(*coefficients)}"
    if st in (Status.INFEASIBLE, Status.UNBOUNDED, Status.ERROR, Status.NO_SOLUTION):
        objective = bound = gap = None
    return SolveOutcome(
        status=st,
        termination=text,
        objective=objective,
        bound=bound,
        gap=gap,
        solver="highs",
        solver_version=str(h.version()),
        message=msg,
    )


def solution_matches_objective(h: object, cost: np.ndarray, offset: float) -> bool:
    """False when HiGHS reports an objective its returned solution does not have."""
    info = h.getInfo()
    if int(info.primal_solution_status) != 2:
        return True
    x = np.asarray(h.getSolution().col_value, dtype=float)
    obj = float(np.dot(cost, x[: len(cost)]) + offset)
    reported = float(info.objective_function_value)
    return abs(obj - reported) <= 1e-6 * max(1.0, abs(reported))


def read_iis(h: object, rows: list, columns: list) -> tuple[list, list]:
    """HiGHS's irreducible infeasible subset: ``([(constraint, bound)], [(variable, bound)])``.

    ``bound`` is ``lower``, ``upper``, ``boxed`` or ``free``. For a MIP, HiGHS works on
    the relaxation (an empty answer then means the integrality causes the conflict).
    """
    names = {2: "lower", 3: "upper", 4: "boxed"}
    try:
        h.setOptionValue("iis_strategy", IIS_STRATEGY)
        status, iis = h.getIis()
    except Exception:  # noqa: BLE001 - an IIS is a best-effort extra of the diagnosis
        return [], []
    if not getattr(iis, "valid_", False):
        return [], []
    found_rows = [
        (rows[k], names.get(int(b), ""))
        for k, b in zip(iis.row_index_, iis.row_bound_, strict=False)
        if k < len(rows)
    ]
    cols = [
        (columns[j], names[int(b)])
        for j, b in zip(iis.col_index_, iis.col_bound_, strict=False)
        if int(b) in names
    ]
    return found_rows, cols
