"""HiGHS through highspy: the only module that touches the solver.

The hand-over compiles the Pyomo model to CSR arrays (:mod:`symbio.solvers.matrix`) and
passes them with ``Highs.passModel``: no LP file, and rows and columns stay mapped to the
Pyomo components, so values, the IIS and the diagnosis speak in sites and resources.
:class:`PersistentHighs` keeps the solver instance: after parameters, bounds, fixings, the
objective or the set of active constraints change, :meth:`PersistentHighs.solve` sends
only the differences (column bounds, row bounds, costs, new rows and columns). See
``docs/formulation.md`` for the measured hand-over times.
"""

from __future__ import annotations

import math
import time

import highspy
import numpy as np
import pyomo.environ as pyo

from symbio.errors import SolverError
from symbio.solvers.matrix import (
    COEFFICIENT_LIMIT,
    SCALING_RATIO,
    Compiler,
    active_constraints,
    active_objective,
    coefficient_range,
    scaling_report,
)
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome, Status
from symbio.solvers.tuning import size_options

INF = math.inf
HIGHS_DEFAULT_GAP = 1e-4
HIGHS_DEFAULT_ABS_GAP = 1e-6
INT_TOL = 1e-6
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


def _new_highs() -> object:
    # highspy.Highs prints a banner from its constructor (callbacks are enabled before any
    # option can be set); the core class does not, and has every method used here.
    cls = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)
    h = cls()
    h.setOptionValue("output_flag", False)
    return h


#: Threads of HiGHS's process-wide scheduler once it has started (None: not yet).
_SCHEDULER: dict[str, int | None] = {"threads": None}


def _set_threads(h: object, threads: int | None) -> None:
    """Set ``threads``, restarting HiGHS's global scheduler when the count changes.

    HiGHS starts one scheduler per process with the first run's thread count and fails later
    runs that ask for another count. ``None`` keeps the running count (1 at first use, for
    reproducible MIP runs).
    """
    running = _SCHEDULER["threads"]
    want = int(threads) if threads is not None else (running or 1)
    if running is not None and want != running:
        type(h).resetGlobalScheduler(True)
    h.setOptionValue("threads", want)
    _SCHEDULER["threads"] = want


def solver_version() -> str:
    """HiGHS version string."""
    return str(_new_highs().version())


class PersistentHighs:
    """A HiGHS instance holding one Pyomo model, re-solvable after changes.

    Parameters
    ----------
    model
        A linear (MI)LP with one active objective.

    Notes
    -----
    Changes picked up by :meth:`update` (called by every :meth:`solve` after the first):
    variable bounds, fixing and domains; bounds of constraints that are expressions of
    mutable Params; constraints activated, deactivated or added (and their new
    variables); the active objective (recompiled each time, so Params in it may change).
    Coefficients of constraints compiled earlier are not re-read: keep mutable Params of
    existing constraints in their bounds (``expr <= m.cap``), or add a new constraint.

    Examples
    --------
    >>> solver = PersistentHighs(m)  # doctest: +SKIP
    >>> first = solver.solve()  # doctest: +SKIP
    >>> m.objective_eps["co2"] = 5e4; m.objective_eps_limit["co2"].activate()  # doctest: +SKIP
    >>> second = solver.solve()  # doctest: +SKIP
    """

    def __init__(self, model: pyo.Block) -> None:
        start = time.perf_counter()
        self.model = model
        self.compiler = Compiler(model)
        self.h = _new_highs()
        cons = active_constraints(model)
        rows = self.compiler.rows(cons)
        lower, upper, integer = self.compiler.column_bounds()
        cost, offset, sense = self.compiler.objective(active_objective(model))
        self._cost, self._offset = cost, offset
        self.row_cons: list = list(cons)
        self.row_of: dict[int, int] = {id(c): k for k, c in enumerate(cons)}
        self.row_offset = list(rows.offsets)
        self.row_live = [True] * len(cons)
        self.row_param = set(rows.parametric)
        self.col_lower, self.col_upper, self.col_integer = lower, upper, integer
        n = len(self.compiler.columns)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(cons)
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lower, upper
        lp.row_lower_, lp.row_upper_ = rows.lower, rows.upper
        lp.offset_ = offset
        lp.sense_ = highspy.ObjSense.kMinimize if sense == 1 else highspy.ObjSense.kMaximize
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = rows.start.astype(np.int32)
        lp.a_matrix_.index_ = rows.index
        lp.a_matrix_.value_ = rows.value
        self.coefficients = coefficient_range(rows.value, cost)
        if self.h.passModel(lp) == highspy.HighsStatus.kError:
            raise SolverError(f"HiGHS rejected the model: {scaling_report(*self.coefficients)}")
        if integer.any():
            idx = np.flatnonzero(integer).astype(np.int32)
            self.h.changeColsIntegrality(len(idx), idx, np.ones(len(idx), dtype=np.uint8))
        self.handover_seconds = time.perf_counter() - start
        self._solved = False
        self._last: np.ndarray | None = None

    # -- updates ---------------------------------------------------------------------
    def update(self) -> None:
        """Send every change of the model since the last solve to HiGHS."""
        comp, h, model = self.compiler, self.h, self.model
        for v in model.component_data_objects(pyo.Var, descend_into=True):
            comp.cols.add(v)
        cons = active_constraints(model)
        seen = set()
        new = []
        for con in cons:
            k = self.row_of.get(id(con))
            if k is None:
                new.append(con)
            else:
                seen.add(k)
        batch = comp.rows(new) if new else None
        self._add_columns()
        for k, con in enumerate(self.row_cons):
            live = k in seen
            if live and (k in self.row_param or not self.row_live[k]):
                lo, hi = comp.row_bounds(con, self.row_offset[k])
                h.changeRowBounds(k, lo, hi)
            elif not live and self.row_live[k]:
                h.changeRowBounds(k, -INF, INF)
            self.row_live[k] = live
        if batch is not None:
            first = len(self.row_cons)
            self._check(
                h.addRows(
                    len(new),
                    batch.lower,
                    batch.upper,
                    len(batch.index),
                    batch.start[:-1].astype(np.int32),
                    batch.index,
                    batch.value,
                ),
                "addRows",
            )
            for k, con in enumerate(new):
                self.row_of[id(con)] = first + k
            self.row_cons += new
            self.row_offset += list(batch.offsets)
            self.row_live += [True] * len(new)
            self.row_param |= {first + k for k in batch.parametric}
        lower, upper, integer = comp.column_bounds()
        changed = np.flatnonzero((lower != self.col_lower) | (upper != self.col_upper))
        if len(changed):
            idx = changed.astype(np.int32)
            h.changeColsBounds(len(idx), idx, lower[idx], upper[idx])
        flipped = np.flatnonzero(integer != self.col_integer).astype(np.int32)
        if len(flipped):
            h.changeColsIntegrality(len(flipped), flipped, integer[flipped].astype(np.uint8))
        self.col_lower, self.col_upper, self.col_integer = lower, upper, integer
        cost, offset, sense = comp.objective(active_objective(model))
        self._cost, self._offset = cost, offset
        idx = np.arange(len(cost), dtype=np.int32)
        h.changeColsCost(len(idx), idx, cost)
        h.changeObjectiveOffset(offset)
        h.changeObjectiveSense(
            highspy.ObjSense.kMinimize if sense == 1 else highspy.ObjSense.kMaximize
        )

    def _add_columns(self) -> None:
        n_have = self.h.getNumCol()
        n_new = len(self.compiler.columns) - n_have
        if n_new <= 0:
            return
        lower, upper, integer = self.compiler.column_bounds(n_have)
        empty = np.zeros(0, dtype=np.int32)
        self._check(
            self.h.addCols(n_new, np.zeros(n_new), lower, upper, 0, empty, empty, np.zeros(0)),
            "addCols",
        )
        self.col_lower = np.concatenate([self.col_lower, lower])
        self.col_upper = np.concatenate([self.col_upper, upper])
        self.col_integer = np.concatenate([self.col_integer, np.zeros(n_new, dtype=bool)])

    # -- solving ---------------------------------------------------------------------
    def apply_options(self, options: SolverOptions) -> None:
        """Set HiGHS options for the next run (unset ones return to their defaults)."""
        h = self.h
        left = options.seconds_left()  # what is left of the run's time limit
        h.setOptionValue("time_limit", left if left is not None else INF)
        h.setOptionValue(
            "mip_rel_gap",
            float(options.mip_gap) if options.mip_gap is not None else HIGHS_DEFAULT_GAP,
        )
        h.setOptionValue(
            "mip_abs_gap",
            float(options.mip_abs_gap)
            if options.mip_abs_gap is not None
            else HIGHS_DEFAULT_ABS_GAP,
        )
        _set_threads(h, options.threads)
        h.setOptionValue("random_seed", int(options.seed or 0))
        h.setOptionValue("log_file", options.log_file or "")
        h.setOptionValue("output_flag", bool(options.verbose or options.log_file))
        h.setOptionValue("log_to_console", bool(options.verbose))
        free = self.col_integer & (self.col_lower < self.col_upper)
        for key, val in {**size_options(int(free.sum())), **options.highs}.items():
            self._check(h.setOptionValue(key, val), f"option {key}")

    def solve(
        self,
        options: SolverOptions | None = None,
        warm_start: bool = False,
        start: np.ndarray | None = None,
    ) -> SolveOutcome:
        """Solve (after sending the model's changes) and load the values into the model.

        Parameters
        ----------
        options
            Solver options for this run.
        warm_start
            Offer the previous solution to HiGHS as a start (a MIP incumbent when it is
            still feasible, e.g. the baseline for the optimized case).
        start
            Offer this solution (one value per column, e.g. an earlier
            :attr:`last_solution`) instead of the previous one.
        """
        options = options or SolverOptions()
        handover = self.handover_seconds
        if self._solved:
            t0 = time.perf_counter()
            self.update()
            handover = time.perf_counter() - t0
        self._solved = True
        self.apply_options(options)
        offered = start if start is not None else (self._last if warm_start else None)
        started = offered is not None
        if started:
            self._offer_start(offered)
        t0 = time.perf_counter()
        self.h.run()
        if started and not self._solution_matches_objective():
            # HiGHS 1.16 can report the improved objective but return the start's values
            # (seen when presolve solves the MIP): solve again without the start.
            self.h.clearSolver()
            self.h.run()
        status = self.h.getModelStatus()
        if status == _MS.kUnboundedOrInfeasible:
            status = self._settle_unbounded_or_infeasible()
        solve_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        outcome = self._outcome(status)
        if outcome.has_solution:
            self.load()
        load_s = time.perf_counter() - t0
        outcome.timings = {
            "build": float(getattr(self.model, "symbio_build_seconds", 0.0)),
            "handover": handover,
            "solve": solve_s,
            "load": load_s,
        }
        return outcome

    def _settle_unbounded_or_infeasible(self) -> object:
        """Tell infeasible from unbounded: a zero objective cannot be unbounded."""
        h = self.h
        n = h.getNumCol()
        cost = np.zeros(n)
        cost[: len(self._cost)] = self._cost
        idx = np.arange(n, dtype=np.int32)
        h.changeColsCost(n, idx, np.zeros(n))
        h.run()
        feasible = h.getModelStatus() not in (_MS.kInfeasible, _MS.kUnboundedOrInfeasible)
        h.changeColsCost(n, idx, cost)
        return _MS.kUnbounded if feasible else _MS.kInfeasible

    @property
    def scaling_note(self) -> str:
        """A note when the coefficients are badly scaled ("" when they are fine)."""
        lo, hi = self.coefficients
        bad = hi > COEFFICIENT_LIMIT or (lo > 0 and hi / lo > SCALING_RATIO)
        return scaling_report(lo, hi) if bad else ""

    def _outcome(self, status: object) -> SolveOutcome:
        h = self.h
        if status == _MS.kModelEmpty:  # nothing to decide: the empty solution is optimal
            return SolveOutcome(
                status=Status.OPTIMAL,
                termination=h.modelStatusToString(status),
                objective=float(self._offset),
                bound=float(self._offset),
                gap=0.0,
                solver="highs",
                solver_version=str(h.version()),
                message="optimal (nothing to decide: the model has no variables)",
            )
        info = h.getInfo()
        has_solution = int(info.primal_solution_status) == 2
        is_mip = bool(self.col_integer.any())
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
            st, msg = Status.ERROR, f"solver error: {text}; {scaling_report(*self.coefficients)}"
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

    @property
    def last_solution(self) -> np.ndarray | None:
        """Column values of the last loaded solution (None before one)."""
        return None if self._last is None else self._last.copy()

    def load(self) -> np.ndarray:
        """Copy the solution into the model's variables; return it as an array."""
        x = np.asarray(self.h.getSolution().col_value, dtype=float)
        if self.col_integer.any():
            ints = self.col_integer
            r = np.round(x[ints])
            close = np.abs(x[ints] - r) <= INT_TOL
            x[ints] = np.where(close, r, x[ints])
        for v, val in zip(self.compiler.columns, x.tolist(), strict=False):
            if not v.fixed:
                v.set_value(val, skip_validation=True)
        self._last = x
        return x

    def duals(self) -> dict[int, float]:
        """Row duals of the last solve, by ``id`` of the Pyomo constraint (LPs only).

        The dual of a row is the change of the objective per unit increase of the row's
        bound (HiGHS's sign convention, minimisation). A MIP has none: fix its integer
        variables first (fixed integers compile to continuous columns).
        """
        sol = self.h.getSolution()
        if not sol.dual_valid:
            return {}
        dual = np.asarray(sol.row_dual, dtype=float)
        return {
            id(con): float(dual[k])
            for k, con in enumerate(self.row_cons)
            if self.row_live[k] and k < len(dual)
        }

    def _solution_matches_objective(self) -> bool:
        info = self.h.getInfo()
        if int(info.primal_solution_status) != 2:
            return True
        x = np.asarray(self.h.getSolution().col_value, dtype=float)
        obj = float(np.dot(self._cost, x[: len(self._cost)]) + self._offset)
        reported = float(info.objective_function_value)
        return abs(obj - reported) <= 1e-6 * max(1.0, abs(reported))

    def _offer_start(self, x: np.ndarray) -> None:
        n = self.h.getNumCol()
        start = np.zeros(n)
        start[: min(n, len(x))] = x[:n]
        start = np.clip(start, self.col_lower, self.col_upper)
        sol = highspy.HighsSolution()
        sol.col_value = start.tolist()
        sol.value_valid = True
        self.h.setSolution(sol)

    def iis(self) -> tuple[list[tuple[object, str]], list[tuple[object, str]]]:
        """HiGHS's irreducible infeasible subset: ``([(constraint, bound)], [(variable, bound)])``.

        ``bound`` is ``lower``, ``upper``, ``boxed`` or ``free``. For a MIP, HiGHS works on
        the relaxation (an empty answer then means the integrality causes the conflict).
        """
        names = {2: "lower", 3: "upper", 4: "boxed"}
        try:
            self.h.setOptionValue("iis_strategy", IIS_STRATEGY)
            status, iis = self.h.getIis()
        except Exception:  # noqa: BLE001 - an IIS is a best-effort extra of the diagnosis
            return [], []
        if not getattr(iis, "valid_", False):
            return [], []
        rows = [
            (self.row_cons[k], names.get(int(b), ""))
            for k, b in zip(iis.row_index_, iis.row_bound_, strict=False)
            if k < len(self.row_cons)
        ]
        cols = [
            (self.compiler.columns[j], names[int(b)])
            for j, b in zip(iis.col_index_, iis.col_bound_, strict=False)
            if int(b) in names
        ]
        return rows, cols

    @staticmethod
    def _check(status: object, what: str) -> None:
        if status == highspy.HighsStatus.kError:
            raise SolverError(f"HiGHS rejected the model ({what})")


def solve_model(model: pyo.Block, options: SolverOptions | None = None) -> SolveOutcome:
    """Solve a model once with HiGHS and load the values.

    Parameters
    ----------
    model
        A model from :func:`symbio.model.build_model` (or any linear Pyomo model).
    options
        Time limit, MIP gap, threads, seed, log file.

    Returns
    -------
    SolveOutcome
        Status, objective, bound, gap and ``timings`` {build, handover, solve, load}.
    """
    return PersistentHighs(model).solve(options)
