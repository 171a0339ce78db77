"""Compile a Pyomo model to sparse arrays, keeping rows and columns mapped to components.

One row per active constraint (``row_lower <= A x <= row_upper``, ranged rows kept whole),
one column per variable of the model (fixed variables are columns with ``lower = upper``,
so fixing and unfixing only changes bounds). Plain rows (sums of ``number * variable``)
are compiled in bulk by :mod:`symbio.solvers.batch`; other expressions are linearised by
Pyomo's ``LinearRepnVisitor`` (the visitor behind its LP writer); nothing is written to
disk (``tests/solvers/test_matrix_vs_lp.py`` compares the arrays with the LP file). The
:class:`Compiler` is incremental: rows and columns added later (epsilon constraints, new
variables) are appended without touching what was compiled.

The compiled problem is the one Pyomo's LP writer produces, up to the fixed columns:

* a fixed variable stays in its rows with its coefficient (the LP writer moves
  ``coefficient * value`` into the right-hand side), so an unfix needs only new bounds;
* a fixed integer variable is a *continuous* column (integrality is set on unfixed integer
  columns only). The LP writer drops it, so a model whose integers are all fixed is an LP on
  both paths. Passing it as an integer column would make HiGHS run its MIP solver, which
  checks the postsolved solution against the unscaled rows with the absolute
  ``mip_feasibility_tolerance`` (1e-6) and rejects it, as *infeasible*, when a row's terms
  are so large (a criterion definition ``value = cost``, 1e10 CNY) that rounding alone
  exceeds 1e-6;
* named Expressions are linearised afresh in every batch (the visitor's subexpression cache
  is cleared), so mutable Params inside them (the carbon price in ``cost_term``) are read
  at their current values when the objective or a new row is compiled.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.numeric_types import native_numeric_types, native_types, value
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.repn.linear import LinearRepnVisitor

from symbio.model.expr import paused_gc
from symbio.model.record import coefficient_range  # noqa: F401 - re-exported
from symbio.model.record_join import join_parts, joined_rows, recorded_parts
from symbio.model.record_layout import data_objects, model_columns
from symbio.model.record_objective import recorded_cost
from symbio.solvers.batch import batch_rows, split_row
from symbio.solvers.columns import column_bounds

INF = math.inf
#: Environment variable: when set, every hand-over confirms the recordings (tests, debugging).
VERIFY = "SYMBIO_VERIFY_RECORD"


class _Columns:
    """Variable recorder for the visitor: every variable seen gets a column, fixed or not.

    The maps by ``id`` are made on first use (a hand-over from recorded rows needs none).
    ``variables`` may be a tuple shared with the model's recording
    (:func:`~symbio.model.record_layout.model_columns`): it becomes a list of this
    recorder's own when a variable is added.
    """

    def __init__(self, variables: list | tuple | None = None) -> None:
        self.columns: list | tuple = variables if variables is not None else []
        self._maps: tuple[dict, dict] | None = None

    def _made(self) -> tuple[dict, dict]:
        if self._maps is None:
            keys = [id(v) for v in self.columns]
            self._maps = (
                dict(zip(keys, self.columns, strict=True)),
                dict(zip(keys, range(len(keys)), strict=True)),
            )
        return self._maps

    @property
    def var_map(self) -> dict[int, pyo.Var]:
        """``{id(variable): variable}``."""
        return self._made()[0]

    @property
    def col_of(self) -> dict[int, int]:
        """``{id(variable): column}``."""
        return self._made()[1]

    def add(self, var: object) -> None:
        var_map, col_of = self._made()
        key = id(var)
        if key not in col_of:
            if self.columns.__class__ is not list:
                self.columns = list(self.columns)
            var_map[key] = var
            col_of[key] = len(self.columns)
            self.columns.append(var)


@dataclass
class Rows:
    """Rows compiled in one batch (CSR arrays over the columns known at the time)."""

    constraints: list | tuple
    """A tuple when shared with the kept join (do not change it)."""
    lower: np.ndarray
    upper: np.ndarray
    offsets: np.ndarray
    parametric: list[int]
    """Positions (in this batch) of rows whose bounds are expressions of mutable Params."""
    start: np.ndarray
    index: np.ndarray
    value: np.ndarray
    csc: tuple | None = None
    """The same matrix column-wise without zeros (int32 starts, int32 rows, values), when
    kept (:func:`~symbio.model.record_join.joined_rows`)."""
    coefficients: tuple[float, float] | None = None
    """:func:`coefficient_range` of :attr:`value`, when kept."""


class Compiler:
    """Incremental linear compiler of a Pyomo model.

    Parameters
    ----------
    model
        A linear (MI)LP; all its variables become columns, in declaration order.
    recorded
        Take rows and the objective from the arrays recorded at build time where they are
        still current (False: compile every row from its expression, for comparisons).
    trust
        Take a recorded component as current while it has no change notice
        (:mod:`symbio.model.watch`); False reads every variable and row to confirm it.
        Default: True unless the environment variable ``SYMBIO_VERIFY_RECORD`` is set.
    """

    def __init__(self, model: pyo.Block, recorded: bool = True, trust: bool | None = None) -> None:
        self.model = model
        self.trust = recorded and (not os.environ.get(VERIFY) if trust is None else trust)
        variables, self.col_start, self.segments = model_columns(model, self.trust)
        if not recorded:
            self.col_start = None
        self.cols = _Columns(variables)
        self._visitor: LinearRepnVisitor | None = None

    @property
    def visitor(self) -> LinearRepnVisitor:
        """Pyomo's linear visitor, recording new variables as columns (made on first use)."""
        if self._visitor is None:
            self._visitor = LinearRepnVisitor({}, var_recorder=self.cols)
        return self._visitor

    def model_rows(self) -> Rows:
        """Every active row of the model, in declaration order.

        Rows recorded at build time and unchanged since come from the recording
        (:func:`~symbio.model.record_join.recorded_parts`); the others are compiled. When
        all are recorded, the joined rows kept on the model are taken
        (:func:`~symbio.model.record_join.joined_rows`: read-only arrays, and :attr:`Rows.csc`).
        """
        if self.col_start is None:
            return self.rows(active_constraints(self.model))
        with paused_gc():
            parts, pending = recorded_parts(self.model, self.col_start, self.trust)
            if pending:
                return Rows(*join_parts(parts, self.rows(pending)))
            j = joined_rows(self.model, parts, len(self.cols.columns))
        n = len(j.constraints)
        rows = (j.constraints, j.lower, j.upper, np.zeros(n), [], j.start, j.index, j.value)
        return Rows(*rows, j.csc, j.coefficients)

    @property
    def columns(self) -> list | tuple:
        """Variables, one per column (do not change it: :meth:`add` to a compiler's recorder)."""
        return self.cols.columns

    def column_bounds(self, first: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lower and upper bounds and integrality of columns ``first:``.

        A fixed column has ``lower = upper`` = its value and is continuous, integer or not
        (see the module docstring); unfixing it restores its bounds and integrality.
        """
        return column_bounds(self.cols.columns, self.segments, first, self.trust, self.model)

    def refresh(self) -> None:
        """Forget the linearised named Expressions (their Params may have changed)."""
        if self._visitor is not None:
            self._visitor.subexpression_cache.clear()

    def linear(self, expr: object) -> tuple[list[int], list[float], float]:
        """Columns, coefficients and constant of a linear expression.

        Named Expressions met since the last :meth:`refresh` are reused as linearised then.
        """
        repn = self.visitor.walk_expression(expr)
        if repn.nonlinear is not None:
            raise ValueError(f"nonlinear expression cannot be passed to the linear solver: {expr}")
        col_of = self.cols.col_of
        return (
            [col_of[k] for k in repn.linear],
            list(repn.linear.values()),
            float(value(repn.constant)),
        )

    def _fast_terms(self, expr: object, sign: float, cols: list, coefs: list) -> float | None:
        """Append the terms of a plain linear expression; return its constant (None: not plain).

        Handles what the model families build (sums of ``number * variable``) without the
        general visitor; anything else (Params in coefficients, named expressions) returns
        None and goes through :meth:`linear`.
        """
        cls = expr.__class__
        col_of = self.cols.col_of
        if cls in native_numeric_types:
            return sign * expr
        if cls is MonomialTermExpression:
            k, v = expr.args
            j = col_of.get(id(v))
            if k.__class__ not in native_numeric_types or j is None:
                return None
            cols.append(j)
            coefs.append(sign * k)
            return 0.0
        if cls is LinearExpression:
            const = 0.0
            for arg in expr.args:
                c = arg.__class__
                if c is MonomialTermExpression:
                    k, v = arg.args
                    j = col_of.get(id(v))
                    if k.__class__ not in native_numeric_types or j is None:
                        return None
                    cols.append(j)
                    coefs.append(sign * k)
                elif c in native_numeric_types:
                    const += arg
                else:
                    j = col_of.get(id(arg))
                    if j is None:
                        return None
                    cols.append(j)
                    coefs.append(sign)
            return sign * const
        j = col_of.get(id(expr))
        if j is None:
            return None
        cols.append(j)
        coefs.append(sign)
        return 0.0

    def _fast_row(self, con: object) -> tuple | None:
        """``(lb, ub, cols, coefs, const, parametric)`` of a plain linear constraint, else None."""
        split = split_row(con)
        if split is None:
            return None
        lb, ub, sides = split
        cols: list[int] = []
        coefs: list[float] = []
        const = 0.0
        for side, sign in sides:
            c = self._fast_terms(side, sign, cols, coefs)
            if c is None:
                return None
            const += c
        parametric = lb.__class__ not in native_types or ub.__class__ not in native_types
        if parametric:
            lb, ub = value(lb), value(ub)
        if len(set(cols)) != len(cols):
            merged: dict[int, float] = {}
            for j, k in zip(cols, coefs, strict=True):
                merged[j] = merged.get(j, 0.0) + k
            cols, coefs = list(merged), list(merged.values())
        return lb, ub, cols, coefs, const, parametric

    def _row(self, con: object) -> tuple:
        """``(lb, ub, cols, coefs, const, parametric)`` of one constraint, plain or not."""
        fast = self._fast_row(con)
        if fast is not None:
            return fast
        lb, body, ub = con.to_bounded_expression()
        parametric = lb.__class__ not in native_types or ub.__class__ not in native_types
        if parametric:
            lb, ub = value(lb), value(ub)
        cols, coefs, const = self.linear(body)
        return lb, ub, cols, coefs, const, parametric

    def rows(self, constraints: list) -> Rows:
        """Compile ``constraints`` (ConstraintData) to CSR rows.

        The plain rows go through :func:`~symbio.solvers.batch.batch_rows` in bulk, the
        others through :meth:`_row` one by one.
        """
        if not constraints:
            empty = np.zeros(0)
            return Rows(
                [], empty, empty, empty, [], np.zeros(1, np.int64), np.zeros(0, np.int32), empty
            )
        self.refresh()
        with paused_gc():
            arrays = batch_rows(constraints, self.cols.col_of, self._row)
        lower, upper, offsets, parametric, start, index, data = arrays
        return Rows(list(constraints), lower, upper, offsets, parametric, start, index, data)

    def row_bounds(self, con: object, offset: float) -> tuple[float, float]:
        """Current bounds of a compiled row (re-evaluating mutable Params)."""
        lb, _, ub = con.to_bounded_expression()
        lb, ub = value(lb), value(ub)
        lo = -INF if lb is None or lb == -INF else lb - offset
        hi = INF if ub is None or ub == INF else ub - offset
        return lo, hi

    def objective(self, obj: object) -> tuple[np.ndarray, float, int]:
        """Dense cost vector over all columns, constant, and sense (1 min, -1 max).

        An objective made of named Expressions recorded at build time (and unchanged) is
        linearised from the recording (:mod:`symbio.model.record_objective`; the cost vector is
        then read-only), else by the visitor.
        """
        sense = 1 if obj.sense == pyo.minimize else -1
        if self.col_start is not None:  # None: no recording, or not to be used
            got = recorded_cost(self.model, obj.expr, self.col_start, len(self.cols.columns))
            if got is not None:
                return got[0], float(value(got[1])), sense
        self.refresh()
        cols, coefs, const = self.linear(obj.expr)
        cost = np.zeros(len(self.cols.columns))
        np.add.at(cost, np.asarray(cols, dtype=np.int64), np.asarray(coefs, dtype=float))
        return cost, const, sense


def active_constraints(model: pyo.Block) -> list:
    """Active constraints of ``model`` in declaration order."""
    return data_objects(model, pyo.Constraint, active=True)


def active_objective(model: pyo.Block) -> object:
    """The single active objective.

    Raises
    ------
    ValueError
        When none or several objectives are active.
    """
    objs = list(model.component_data_objects(pyo.Objective, active=True, descend_into=True))
    if len(objs) != 1:
        raise ValueError(f"expected one active objective, found {len(objs)}")
    return objs[0]


def to_csr(rows: Rows, n_cols: int) -> sp.csr_array:
    """The rows as a SciPy CSR matrix (for tests and other solvers)."""
    return sp.csr_array((rows.value, rows.index, rows.start), shape=(len(rows.constraints), n_cols))


#: Ratio of largest to smallest coefficient beyond which a model is reported as badly scaled
#: (the bundled SCIP and example scenarios reach about 5e10).
SCALING_RATIO = 1e12
#: Largest coefficient HiGHS handles reliably (it treats 1e20 as infinite).
COEFFICIENT_LIMIT = 1e15


def scaling_report(lo: float, hi: float) -> str:
    """One sentence on the coefficient range; says what to do when it is a problem."""
    text = f"matrix and objective coefficients range from {lo:.1e} to {hi:.1e}"
    if hi > COEFFICIENT_LIMIT or (lo > 0 and hi / lo > SCALING_RATIO):
        text += (
            f" (HiGHS is reliable up to a ratio of about {SCALING_RATIO:.0e} and values of "
            f"{COEFFICIENT_LIMIT:.0e}): check the units of the largest and smallest numbers "
            "of the scenario (t vs kt, CNY vs 10^4 CNY)"
        )
    return text
