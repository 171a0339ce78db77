"""Compile a Pyomo model to sparse arrays, keeping rows and columns mapped to components.

One row per active constraint (``row_lower <= A x <= row_upper``, ranged rows kept whole),
one column per variable of the model (fixed variables are columns with ``lower = upper``,
so fixing and unfixing only changes bounds). Expressions are linearised by Pyomo's
``LinearRepnVisitor`` (the visitor behind its LP writer); nothing is written to disk. The
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
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.numeric_types import native_numeric_types, native_types, value
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.core.expr.relational_expr import (
    EqualityExpression,
    InequalityExpression,
    RangedExpression,
)
from pyomo.repn.linear import LinearRepnVisitor

INF = math.inf


class _Columns:
    """Variable recorder for the visitor: every variable seen gets a column, fixed or not."""

    def __init__(self) -> None:
        self.var_map: dict[int, pyo.Var] = {}
        self.col_of: dict[int, int] = {}
        self.columns: list = []

    def add(self, var: object) -> None:
        key = id(var)
        if key not in self.col_of:
            self.var_map[key] = var
            self.col_of[key] = len(self.columns)
            self.columns.append(var)


@dataclass
class Rows:
    """Rows compiled in one batch (CSR arrays over the columns known at the time)."""

    constraints: list
    lower: np.ndarray
    upper: np.ndarray
    offsets: np.ndarray
    parametric: list[int]
    """Positions (in this batch) of rows whose bounds are expressions of mutable Params."""
    start: np.ndarray
    index: np.ndarray
    value: np.ndarray


class Compiler:
    """Incremental linear compiler of a Pyomo model.

    Parameters
    ----------
    model
        A linear (MI)LP; all its variables become columns, in declaration order.
    """

    def __init__(self, model: pyo.Block) -> None:
        self.model = model
        self.cols = _Columns()
        for v in model.component_data_objects(pyo.Var, descend_into=True):
            self.cols.add(v)
        self.visitor = LinearRepnVisitor({}, var_recorder=self.cols)

    @property
    def columns(self) -> list:
        """Variables, one per column."""
        return self.cols.columns

    def column_bounds(self, first: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lower and upper bounds and integrality of columns ``first:``.

        A fixed column has ``lower = upper`` = its value and is continuous, integer or not
        (see the module docstring); unfixing it restores its bounds and integrality.
        """
        cols = self.cols.columns[first:]
        lower = np.empty(len(cols))
        upper = np.empty(len(cols))
        integer = np.zeros(len(cols), dtype=bool)
        domains: dict[int, tuple] = {}
        for j, v in enumerate(cols):
            dom = v.domain
            info = domains.get(id(dom))
            if info is None:
                lo, hi, _ = dom.get_interval()
                info = domains[id(dom)] = (lo, hi, v.is_integer())
            if v.fixed:
                lower[j] = upper[j] = v.value
            else:
                lb, ub = v.lb, v.ub
                lower[j] = -INF if lb is None else lb
                upper[j] = INF if ub is None else ub
            integer[j] = info[2] and not v.fixed
        return lower, upper, integer

    def refresh(self) -> None:
        """Forget the linearised named Expressions (their Params may have changed)."""
        self.visitor.subexpression_cache.clear()

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
        expr = con.expr
        cls = expr.__class__
        if cls is EqualityExpression:
            a, b = expr.args
            if _fixed(b):
                lb = ub = b
                sides = ((a, 1.0),)
            elif _fixed(a):
                lb = ub = a
                sides = ((b, 1.0),)
            else:
                lb = ub = 0.0
                sides = ((a, 1.0), (b, -1.0))
        elif cls is InequalityExpression and not expr.strict:
            a, b = expr.args
            if _fixed(b):
                lb, ub, sides = None, b, ((a, 1.0),)
            elif _fixed(a):
                lb, ub, sides = a, None, ((b, 1.0),)
            else:
                lb, ub, sides = None, 0.0, ((a, 1.0), (b, -1.0))
        elif cls is RangedExpression and not any(expr.strict):
            lb, body, ub = expr.args
            if not (_fixed(lb) and _fixed(ub)):
                return None
            sides = ((body, 1.0),)
        else:
            return None
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

    def rows(self, constraints: list) -> Rows:
        """Compile ``constraints`` (ConstraintData) to CSR rows."""
        self.refresh()
        n = len(constraints)
        lower = np.empty(n)
        upper = np.empty(n)
        offsets = np.empty(n)
        start = np.zeros(n + 1, dtype=np.int64)
        index: list[int] = []
        data: list[float] = []
        parametric = []
        for k, con in enumerate(constraints):
            fast = self._fast_row(con)
            if fast is not None:
                lb, ub, cols, coefs, const, param = fast
                if param:
                    parametric.append(k)
            else:
                lb, body, ub = con.to_bounded_expression()
                if lb.__class__ not in native_types or ub.__class__ not in native_types:
                    parametric.append(k)
                    lb, ub = value(lb), value(ub)
                cols, coefs, const = self.linear(body)
            index += cols
            data += coefs
            start[k + 1] = len(index)
            offsets[k] = const
            lower[k] = -INF if lb is None else lb - const
            upper[k] = INF if ub is None else ub - const
        return Rows(
            list(constraints),
            lower,
            upper,
            offsets,
            parametric,
            start,
            np.asarray(index, dtype=np.int32),
            np.asarray(data, dtype=float),
        )

    def row_bounds(self, con: object, offset: float) -> tuple[float, float]:
        """Current bounds of a compiled row (re-evaluating mutable Params)."""
        lb, _, ub = con.to_bounded_expression()
        lb, ub = value(lb), value(ub)
        lo = -INF if lb is None or lb == -INF else lb - offset
        hi = INF if ub is None or ub == INF else ub - offset
        return lo, hi

    def objective(self, obj: object) -> tuple[np.ndarray, float, int]:
        """Dense cost vector over all columns, constant, and sense (1 min, -1 max)."""
        self.refresh()
        cols, coefs, const = self.linear(obj.expr)
        cost = np.zeros(len(self.cols.columns))
        np.add.at(cost, np.asarray(cols, dtype=np.int64), np.asarray(coefs, dtype=float))
        return cost, const, (1 if obj.sense == pyo.minimize else -1)


def _fixed(x: object) -> bool:
    """True for a number or an expression without variables (Params)."""
    return x.__class__ in native_numeric_types or not x.is_potentially_variable()


def active_constraints(model: pyo.Block) -> list:
    """Active constraints of ``model`` in declaration order."""
    return list(model.component_data_objects(pyo.Constraint, active=True, descend_into=True))


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


def coefficient_range(*arrays: np.ndarray) -> tuple[float, float]:
    """Smallest and largest non-zero ``|coefficient|`` over ``arrays``; (0, 0) when none."""
    values = [np.abs(np.asarray(a, dtype=float)) for a in arrays if len(a)]
    nonzero = np.concatenate([v[v > 0] for v in values]) if values else np.array([])
    if not nonzero.size:
        return 0.0, 0.0
    return float(nonzero.min()), float(nonzero.max())


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
