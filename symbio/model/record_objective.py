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

:func:`recorded_cost` keeps the merged terms of every sum and the dense cost vector of
the last walk on the model (:class:`CostMemo`), under what they were made of: the very
term arrays of each summand (recordings are never changed in place; a recording of an
Expression that was given a new expression is not used) and each one's multiplier (the
value of the Params above it). A sum whose summands and multipliers are those of the last
walk is taken as kept; a changed Param or Expression makes its sums (and the cost) anew.
"""

from __future__ import annotations

from copy import deepcopy

import numpy as np
from pyomo.common.numeric_types import native_numeric_types, value
from pyomo.core.expr.numeric_expr import ProductExpression, SumExpression

from symbio.model.record import coefficient_range

_MEMO = "symbio_cost_memo"


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


def _same_terms(a: tuple, b: tuple) -> bool:
    """Same summands: the same arrays (identity) and equal multipliers of the same type."""
    return len(a) == len(b) and all(
        ca is cb and ka is kb and type(ma) is type(mb) and ma == mb
        for (ca, ka, ma), (cb, kb, mb) in zip(a, b, strict=True)
    )


class CostMemo:
    """The merged sums and the cost vector of the last walk of a model's objective."""

    def __init__(self, records: dict) -> None:
        self.records = records
        self.found = _Records(records)
        self.last: dict[int, tuple] = {}
        self.now: dict[int, tuple] = {}
        self.cost: tuple | None = None

    def merged(self, node: object, terms: tuple) -> tuple | None:
        """The kept ``(columns, coefficients)`` of sum ``node`` made of ``terms``, or None."""
        got = self.now.get(id(node)) or self.last.get(id(node))
        if got is None or got[0] is not node or not _same_terms(got[1], terms):
            return None
        self.now[id(node)] = got
        return got[2]

    def keep(self, node: object, terms: tuple, merged: tuple) -> None:
        """Keep the merged ``(columns, coefficients)`` of sum ``node`` made of ``terms``."""
        self.now[id(node)] = (node, terms, merged)

    def __deepcopy__(self, memo: dict) -> CostMemo:
        """An empty memo for the copy's records (ids of the original mean nothing there)."""
        return CostMemo(deepcopy(self.records, memo))

    def __reduce__(self) -> tuple:
        return CostMemo, (self.records,)


def recorded_objective(
    expr: object, records: dict, col_start: dict[str, int], memo: CostMemo | None = None
) -> tuple | None:
    """``(columns, coefficients, constant)`` of ``expr`` from the recordings; None if not possible."""
    found = memo.found if memo is not None else _Records(records)
    got = _walk(expr, found, col_start, memo)
    if got is None:
        return None
    if not isinstance(got, _Linear):
        return np.zeros(0, np.int64), np.zeros(0), got
    return _final(got)


def _final(got: _Linear) -> tuple:
    mult, cols, coefs, const = got.mult, got.cols, got.coefs, got.const
    if mult == 0:
        return np.zeros(0, np.int64), np.zeros(0), 0
    if mult != 1:
        coefs = mult * coefs
        if const:
            const *= mult
    keep = coefs != 0
    return cols[keep], coefs[keep], const


def recorded_cost(
    model: object, expr: object, col_start: dict[str, int], n_cols: int
) -> tuple | None:
    """``(cost vector over n_cols columns, constant)`` of ``expr`` from the recordings, or None.

    Sums and the cost vector are kept on the model as of this walk (see the module
    docstring); a kept cost vector is read-only.
    """
    records = getattr(model, "symbio_exprs", None)
    if not records:
        return None
    memo = getattr(model, _MEMO, None)
    if not isinstance(memo, CostMemo) or memo.records is not records:
        memo = CostMemo(records)
        setattr(model, _MEMO, memo)
    memo.now = {}
    got = _walk(expr, memo.found, col_start, memo)
    if got is None:
        return None
    memo.last = memo.now
    if not isinstance(got, _Linear):
        return np.zeros(n_cols), got
    made_of = ((got.cols, got.coefs, got.mult),)
    kept = memo.cost
    if kept is None or kept[0] != n_cols or not _same_terms(kept[1], made_of):
        cols, coefs, _ = _final(got)
        cost = np.zeros(n_cols)
        cost[cols] = coefs
        cost.flags.writeable = False
        kept = memo.cost = (n_cols, made_of, cost, coefficient_range(cost))
    return kept[2], _final_constant(got)


def cost_range(model: object, cost: np.ndarray) -> tuple[float, float]:
    """:func:`~symbio.model.record_join.coefficient_range` of ``cost``, kept with a kept cost."""
    memo = getattr(model, _MEMO, None)
    if isinstance(memo, CostMemo) and memo.cost is not None and memo.cost[2] is cost:
        return memo.cost[3]
    return coefficient_range(cost)


def _final_constant(got: _Linear) -> object:
    """The constant :func:`_final` gives (without its arrays)."""
    mult, const = got.mult, got.const
    if mult == 0:
        return 0
    if mult != 1 and const:
        const *= mult
    return const


def _walk(node: object, records: _Records, col_start: dict[str, int], memo: object) -> object:
    """A number (a constant), a :class:`_Linear`, or None (not handled here)."""
    cls = node.__class__
    if cls in native_numeric_types:
        return node
    if not node.is_potentially_variable():
        return value(node)
    if node.is_named_expression_type():
        rec = records.of(node)
        if rec is None or node.expr is not rec.expr:
            return _walk(node.expr, records, col_start, memo)
        if any(v not in col_start for v in rec.var_names):
            return None
        if not len(rec.coef):
            return 0 + rec.constant
        first = tuple(col_start[v] for v in rec.var_names)
        return _Linear(0 + rec.constant, rec.columns(first), rec.coef)
    if cls is SumExpression:
        return _sum(node, records, col_start, memo)
    if cls is ProductExpression:
        a, b = (_walk(arg, records, col_start, memo) for arg in node.args)
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


def _sum(node: object, records: _Records, col_start: dict[str, int], memo: object) -> object:
    """A sum, as ``LinearRepn.append`` adds its terms."""
    const: object = 0
    terms: list[tuple] = []
    for arg in node.args:
        got = _walk(arg, records, col_start, memo)
        if got is None:
            return None
        if not isinstance(got, _Linear):
            const += got
            continue
        mult = got.mult
        if mult == 1:
            const += got.const
        elif mult != 0:
            if got.const:
                const += mult * got.const
        else:
            continue
        terms.append((got.cols, got.coefs, mult))
    if not terms:
        return const
    merged = memo.merged(node, tuple(terms)) if memo is not None else None
    if merged is None:
        merged = _merge(terms)
        if memo is not None:
            memo.keep(node, tuple(terms), merged)
    return _Linear(const, *merged)


def _merge(terms: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
    """Columns and coefficients of the summands, a column in several summed in term order."""
    col = np.concatenate([cols for cols, _, _ in terms])
    coef = np.concatenate([coefs if mult == 1 else mult * coefs for _, coefs, mult in terms])
    if len(terms) > 1 and len(col):
        count = np.bincount(col)
        if count.max() > 1:  # bincount adds the weights in term order, as np.add.at would
            merged = np.bincount(col, weights=coef, minlength=len(count))
            col = np.flatnonzero(count)
            coef = merged[col]
    return col, coef
