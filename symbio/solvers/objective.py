"""Linearise an objective made of recorded named Expressions with numpy.

The criteria of a park model (``objective_expr[k]``) are sums of named Expressions
(``cost_term[c]``, ``emission_total[k]``, ...) and products of them with mutable Params
(the carbon price, objective weights). The named linear Expressions were recorded as
arrays at build time (:func:`symbio.model.record.record_expressions`); this module walks
only the few nodes above them, with the arithmetic of Pyomo's ``LinearRepnVisitor``
(a sum adds its terms' coefficients in order, a product with a fixed factor scales the
multiplier, the multiplier is applied when a term is added to a sum or at the end, zero
coefficients are dropped), so the cost vector and the constant are the visitor's, bit for
bit (``tests/solvers/test_recorded.py``). Anything else returns None: the caller then
uses the visitor.
"""

from __future__ import annotations

import numpy as np
from pyomo.common.numeric_types import native_numeric_types, value
from pyomo.core.expr.numeric_expr import ProductExpression, SumExpression


class _Records:
    """Recorded Expressions by identity of their ExpressionData.

    The records travel with their model (a clone copies them with its data), so a named
    Expression that is not found by identity was not recorded (or was declared anew);
    Pyomo's ``name``, slow to make, is not needed.
    """

    __slots__ = ("by_id",)

    def __init__(self, records: dict) -> None:
        self.by_id = {id(rec.data): rec for rec in records.values()}

    def of(self, node: object) -> object:
        rec = self.by_id.get(id(node))
        return rec if rec is not None and rec.data is node else None


class _Linear:
    """``multiplier * (constant + sum coef * column)``, one entry per column."""

    __slots__ = ("mult", "const", "cols", "coefs")

    def __init__(self, const: object, cols: np.ndarray, coefs: np.ndarray) -> None:
        self.mult: object = 1
        self.const = const
        self.cols = cols
        self.coefs = coefs


def recorded_objective(expr: object, records: dict, col_start: dict[str, int]) -> tuple | None:
    """``(columns, coefficients, constant)`` of ``expr`` from the recordings; None if not possible."""
    got = _walk(expr, _Records(records), col_start)
    if got is None:
        return None
    if not isinstance(got, _Linear):
        return np.zeros(0, np.int64), np.zeros(0), got
    mult, cols, coefs, const = got.mult, got.cols, got.coefs, got.const
    if mult == 0:
        return np.zeros(0, np.int64), np.zeros(0), 0
    if mult != 1:
        coefs = mult * coefs
        if const:
            const *= mult
    keep = coefs != 0
    return cols[keep], coefs[keep], const


def _walk(node: object, records: dict, col_start: dict[str, int]) -> object:
    """A number (a constant), a :class:`_Linear`, or None (not handled here)."""
    cls = node.__class__
    if cls in native_numeric_types:
        return node
    if not node.is_potentially_variable():
        return value(node)
    if node.is_named_expression_type():
        rec = records.of(node)
        if rec is None or node.expr is not rec.expr:
            return _walk(node.expr, records, col_start)
        if any(v not in col_start for v in rec.var_names):
            return None
        if not len(rec.coef):
            return 0 + rec.constant
        first = tuple(col_start[v] for v in rec.var_names)
        return _Linear(0 + rec.constant, rec.columns(first), rec.coef)
    if cls is SumExpression:
        return _sum(node, records, col_start)
    if cls is ProductExpression:
        a, b = (_walk(arg, records, col_start) for arg in node.args)
        if a is None or b is None:
            return None
        linear_a, linear_b = isinstance(a, _Linear), isinstance(b, _Linear)
        if linear_a and linear_b:
            return None
        if linear_b:
            b.mult *= a
            return b
        if linear_a:
            a.mult *= b
            return a
        return a * b
    return None


def _sum(node: object, records: dict, col_start: dict[str, int]) -> object:
    """A sum, as ``LinearRepn.append`` adds its terms."""
    const: object = 0
    cols: list[np.ndarray] = []
    coefs: list[np.ndarray] = []
    for arg in node.args:
        got = _walk(arg, records, col_start)
        if got is None:
            return None
        if not isinstance(got, _Linear):
            const += got
            continue
        mult = got.mult
        if mult == 1:
            const += got.const
            cols.append(got.cols)
            coefs.append(got.coefs)
        elif mult != 0:
            if got.const:
                const += mult * got.const
            cols.append(got.cols)
            coefs.append(mult * got.coefs)
    if not cols:
        return const
    col, coef = np.concatenate(cols), np.concatenate(coefs)
    if len(cols) > 1 and len(col):  # a column in several terms: summed in term order
        count = np.bincount(col)
        if count.max() > 1:  # bincount adds the weights in term order, as np.add.at would
            merged = np.bincount(col, weights=coef, minlength=len(count))
            col = np.flatnonzero(count)
            coef = merged[col]
    return _Linear(const, col, coef)
