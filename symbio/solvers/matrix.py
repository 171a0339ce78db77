"""Compile a Pyomo model to sparse arrays, keeping rows and columns mapped to components.

One row per active constraint (``row_lower <= A x <= row_upper``, ranged rows kept whole),
one column per variable of the model (fixed variables are columns with ``lower = upper``,
so fixing and unfixing only changes bounds). Expressions are linearised by Pyomo's
``LinearRepnVisitor`` (the visitor behind its LP writer); nothing is written to disk. The
:class:`Compiler` is incremental: rows and columns added later (epsilon constraints, new
variables) are appended without touching what was compiled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.numeric_types import native_types, value
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
        """Lower and upper bounds and integrality of columns ``first:`` (fixed: lower = upper)."""
        cols = self.cols.columns[first:]
        lower = np.empty(len(cols))
        upper = np.empty(len(cols))
        integer = np.zeros(len(cols), dtype=bool)
        for j, v in enumerate(cols):
            if v.fixed:
                lower[j] = upper[j] = v.value
            else:
                lb, ub = v.bounds
                lower[j] = -INF if lb is None else lb
                upper[j] = INF if ub is None else ub
            integer[j] = v.is_integer()
        return lower, upper, integer

    def linear(self, expr: object) -> tuple[list[int], list[float], float]:
        """Columns, coefficients and constant of a linear expression."""
        repn = self.visitor.walk_expression(expr)
        if repn.nonlinear is not None:
            raise ValueError(f"nonlinear expression cannot be passed to the linear solver: {expr}")
        col_of = self.cols.col_of
        return [col_of[k] for k in repn.linear], list(repn.linear.values()), float(value(repn.constant))

    def rows(self, constraints: list) -> Rows:
        """Compile ``constraints`` (ConstraintData) to CSR rows."""
        n = len(constraints)
        lower = np.empty(n)
        upper = np.empty(n)
        offsets = np.empty(n)
        start = np.zeros(n + 1, dtype=np.int64)
        index: list[int] = []
        data: list[float] = []
        parametric = []
        for k, con in enumerate(constraints):
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
        return Rows(list(constraints), lower, upper, offsets, parametric, start,
                    np.asarray(index, dtype=np.int32), np.asarray(data, dtype=float))

    def row_bounds(self, con: object, offset: float) -> tuple[float, float]:
        """Current bounds of a compiled row (re-evaluating mutable Params)."""
        lb, _, ub = con.to_bounded_expression()
        lb, ub = value(lb), value(ub)
        lo = -INF if lb is None or lb == -INF else lb - offset
        hi = INF if ub is None or ub == INF else ub - offset
        return lo, hi

    def objective(self, obj: object) -> tuple[np.ndarray, float, int]:
        """Dense cost vector over all columns, constant, and sense (1 min, -1 max)."""
        cols, coefs, const = self.linear(obj.expr)
        cost = np.zeros(len(self.cols.columns))
        np.add.at(cost, np.asarray(cols, dtype=np.int64), np.asarray(coefs, dtype=float))
        return cost, const, (1 if obj.sense == pyo.minimize else -1)


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
