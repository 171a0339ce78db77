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
from symbio.model.record import merged_range
from symbio.model.record_objective import cost_range
from symbio.solvers.batch import without_zeros
from symbio.solvers.highs_answers import (
    _MS,
    read_iis,
    read_outcome,
    settle_unbounded_or_infeasible,
    solution_matches_objective,
)
from symbio.solvers.highs_setup import (  # noqa: F401 - HIGHS_DEFAULT_* and _set_threads re-exported
    HIGHS_DEFAULT_ABS_GAP,
    HIGHS_DEFAULT_GAP,
    _new_highs,
    _set_threads,
    apply_options,
    check,
    solver_version,
)
from symbio.solvers.matrix import (
    COEFFICIENT_LIMIT,
    SCALING_RATIO,
    Compiler,
    Rows,
    active_objective,
    coefficient_range,
    scaling_report,
)
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome
from symbio.solvers.scan import ModelScan

INF = math.inf
INT_TOL = 1e-6


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
        self.scan = ModelScan(model, self.compiler.trust)
        self.h = _new_highs()
        rows = self.compiler.model_rows()
        cons = rows.constraints
        lower, upper, integer = self.compiler.column_bounds()
        cost, offset, sense = self.compiler.objective(active_objective(model))
        self._cost, self._offset = cost, offset
        self.row_cons: list | tuple = cons  # a tuple may be shared: replaced, never changed
        self._row_of: dict[int, int] | None = None
        self.row_offset: np.ndarray = rows.offsets
        self.row_live = [True] * len(cons)
        self.row_param = set(rows.parametric)
        self.col_lower, self.col_upper, self.col_integer = lower, upper, integer
        matrix = (
            rows.coefficients if rows.coefficients is not None else coefficient_range(rows.value)
        )
        self.coefficients = merged_range(matrix, cost_range(model, cost))
        self._pass_model(rows, cost, offset, sense)
        self.handover_seconds = time.perf_counter() - start
        self._solved = False
        self._last: np.ndarray | None = None

    def _pass_model(self, rows: Rows, cost: np.ndarray, offset: float, sense: int) -> None:
        """Hand the compiled arrays to HiGHS in one ``passModel`` (no ``HighsLp`` copies).

        Column-wise when the rows come joined and kept with the recording
        (:attr:`Rows.csc`): HiGHS stores the matrix column-wise, so it need not transpose it
        (about 0.004 s at N = 5000). Otherwise row-wise: transposing here first is no
        faster than HiGHS's own. Explicit zero coefficients (a capacity row of a link whose
        bound is 0) are left out: HiGHS would drop them itself, at a higher price (about
        0.006 s for 136 zeros at N = 5000). The model it holds is the same array for array
        either way (dtypes as highspy takes them, so it copies nothing twice).
        """
        if rows.csc is not None:
            fmt, (start, index, value) = highspy.MatrixFormat.kColwise, rows.csc
        else:
            fmt = highspy.MatrixFormat.kRowwise
            start, index, value = without_zeros(rows.start, rows.index, rows.value)
        status = self.h.passModel(
            len(self.compiler.columns),
            len(self.row_cons),
            len(value),
            int(fmt),
            int(highspy.ObjSense.kMinimize if sense == 1 else highspy.ObjSense.kMaximize),
            float(offset),
            cost,
            self.col_lower,
            self.col_upper,
            rows.lower,
            rows.upper,
            start,
            index,
            value,
            self.col_integer.astype(np.int32),
        )
        if status == highspy.HighsStatus.kError:
            raise SolverError(f"HiGHS rejected the model: {scaling_report(*self.coefficients)}")

    @property
    def row_of(self) -> dict[int, int]:
        """``{id(constraint): row}`` of every compiled row (made on first use)."""
        if self._row_of is None:
            self._row_of = {id(c): k for k, c in enumerate(self.row_cons)}
        return self._row_of

    # -- updates ---------------------------------------------------------------------
    def update(self) -> None:
        """Send every change of the model since the last solve to HiGHS (rows and variables
        read where they may have changed, :class:`~symbio.solvers.scan.ModelScan`)."""
        comp, h = self.compiler, self.h
        try:
            cons, same = self.scan.scan(comp.cols.add)
            if same:  # the last update's rows: only mutable bounds can have moved
                for k in sorted(self.row_param):
                    if self.row_live[k]:
                        lo, hi = comp.row_bounds(self.row_cons[k], self.row_offset[k])
                        h.changeRowBounds(k, lo, hi)
                self._add_columns()
            else:
                self._update_rows(cons)
        except BaseException:
            self.scan.forget()  # the next update reads every row again
            raise
        self._update_columns()
        cost, offset, sense = comp.objective(active_objective(self.model))
        self._cost, self._offset = cost, offset
        idx = np.arange(len(cost), dtype=np.int32)
        h.changeColsCost(len(idx), idx, cost)
        h.changeObjectiveOffset(offset)
        h.changeObjectiveSense(
            highspy.ObjSense.kMinimize if sense == 1 else highspy.ObjSense.kMaximize
        )

    def _update_rows(self, cons: list) -> None:
        """Rows activated, deactivated (free bounds) or new (added), mutable bounds sent."""
        comp, h = self.compiler, self.h
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
            self._add_rows(new, batch)

    def _add_rows(self, new: list, batch: Rows) -> None:
        first = len(self.row_cons)
        check(
            self.h.addRows(
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
        self.row_cons = [*self.row_cons, *new]
        self.row_offset = np.concatenate([self.row_offset, batch.offsets])
        self.row_live += [True] * len(new)
        self.row_param |= {first + k for k in batch.parametric}

    def _update_columns(self) -> None:
        """Column bounds and integrality that changed."""
        h = self.h
        lower, upper, integer = self.compiler.column_bounds()
        changed = np.flatnonzero((lower != self.col_lower) | (upper != self.col_upper))
        if len(changed):
            idx = changed.astype(np.int32)
            h.changeColsBounds(len(idx), idx, lower[idx], upper[idx])
        flipped = np.flatnonzero(integer != self.col_integer).astype(np.int32)
        if len(flipped):
            h.changeColsIntegrality(len(flipped), flipped, integer[flipped].astype(np.uint8))
        self.col_lower, self.col_upper, self.col_integer = lower, upper, integer

    def _add_columns(self) -> None:
        n_have = self.h.getNumCol()
        n_new = len(self.compiler.columns) - n_have
        if n_new <= 0:
            return
        lower, upper, integer = self.compiler.column_bounds(n_have)
        empty = np.zeros(0, dtype=np.int32)
        check(
            self.h.addCols(n_new, np.zeros(n_new), lower, upper, 0, empty, empty, np.zeros(0)),
            "addCols",
        )
        self.col_lower = np.concatenate([self.col_lower, lower])
        self.col_upper = np.concatenate([self.col_upper, upper])
        self.col_integer = np.concatenate([self.col_integer, np.zeros(n_new, dtype=bool)])

    # -- solving ---------------------------------------------------------------------
    def apply_options(self, options: SolverOptions) -> None:
        """Set HiGHS options for the next run (unset ones return to their defaults)."""
        free = self.col_integer & (self.col_lower < self.col_upper)
        apply_options(self.h, options, int(free.sum()))

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
        if started and not solution_matches_objective(self.h, self._cost, self._offset):
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
        return settle_unbounded_or_infeasible(self.h, self._cost)

    def _outcome(self, status: object) -> SolveOutcome:
        is_mip = bool(self.col_integer.any())
        return read_outcome(self.h, status, is_mip, self._offset, self.coefficients)

    @property
    def scaling_note(self) -> str:
        """A note when the coefficients are badly scaled ("" when they are fine)."""
        lo, hi = self.coefficients
        bad = hi > COEFFICIENT_LIMIT or (lo > 0 and hi / lo > SCALING_RATIO)
        return scaling_report(lo, hi) if bad else ""

    def iis(self) -> tuple[list[tuple[object, str]], list[tuple[object, str]]]:
        """HiGHS's irreducible infeasible subset: ``([(constraint, bound)], [(variable, bound)])``.

        ``bound`` is ``lower``, ``upper``, ``boxed`` or ``free``. For a MIP, HiGHS works on
        the relaxation (an empty answer then means the integrality causes the conflict).
        """
        return read_iis(self.h, self.row_cons, self.compiler.columns)

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

    def _offer_start(self, x: np.ndarray) -> None:
        n = self.h.getNumCol()
        start = np.zeros(n)
        start[: min(n, len(x))] = x[:n]
        start = np.clip(start, self.col_lower, self.col_upper)
        sol = highspy.HighsSolution()
        sol.col_value = start.tolist()
        sol.value_valid = True
        self.h.setSolution(sol)


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
