"""Compile the plain rows of a model in bulk: all their terms resolved in a few flat passes.

A *plain* row is a non-strict relation whose sides are sums of ``number * variable`` (the
``LinearExpression`` of monomials that :func:`symbio.model.expr.linear` builds), single
monomials or variables, against a fixed side. The per-row work is then only to tell the
row's sides apart (:func:`split_row`); the terms of every row go into one flat list, and
coefficients, variables and columns are read from it with list comprehensions and
``map`` instead of one expression walk per row.

Rows that are not plain in this sense (a constant among the terms, a Param coefficient, a
variable twice, a variable that is not a column, any other expression) are compiled one by
one by the caller's ``per_row`` function, so the result is the one the row-by-row compiler
gives, array for array.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import repeat
from operator import attrgetter

import numpy as np
from pyomo.common.numeric_types import native_numeric_types, native_types, value
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.core.expr.relational_expr import (
    EqualityExpression,
    InequalityExpression,
    RangedExpression,
)

INF = math.inf
_MONO = MonomialTermExpression
_ARGS = attrgetter("_args_")
_NUMBERS = frozenset(native_numeric_types) - {bool}


def _fixed(x: object) -> bool:
    """True for a number or an expression without variables (Params)."""
    return x.__class__ in native_numeric_types or not x.is_potentially_variable()


def split_row(con: object) -> tuple | None:
    """``(lb, ub, sides)`` of a non-strict relation, ``sides`` as ``((expr, sign), ...)``.

    ``lb``/``ub`` are the fixed sides (None when open); both variable sides of a relation
    become ``a - b`` against 0. None for anything else (strict, ranged with variable bounds).
    """
    expr = con.expr
    cls = expr.__class__
    if cls is EqualityExpression:
        a, b = expr.args
        if _fixed(b):
            return b, b, ((a, 1.0),)
        if _fixed(a):
            return a, a, ((b, 1.0),)
        return 0.0, 0.0, ((a, 1.0), (b, -1.0))
    if cls is InequalityExpression and not expr.strict:
        a, b = expr.args
        if _fixed(b):
            return None, b, ((a, 1.0),)
        if _fixed(a):
            return a, None, ((b, 1.0),)
        return None, 0.0, ((a, 1.0), (b, -1.0))
    if cls is RangedExpression and not any(expr.strict):
        lb, body, ub = expr.args
        if _fixed(lb) and _fixed(ub):
            return lb, ub, ((body, 1.0),)
    return None


def _collect(constraints: list) -> tuple[list, list, list, list]:
    """Terms, their signs and rows, and each row's split (None: not a relation we split)."""
    terms: list = []
    signs: list = []
    owner: list = []
    splits: list = []
    lin = LinearExpression
    for k, con in enumerate(constraints):
        split = split_row(con)
        splits.append(split)
        if split is None:
            continue
        for side, sign in split[2]:
            if side.__class__ is lin:
                args = side.args
                terms += args
                signs += [sign] * len(args)
                owner += [k] * len(args)
            else:
                terms.append(side)
                signs.append(sign)
                owner.append(k)
    return terms, signs, owner, splits


def _pairs(terms: list) -> tuple[list, list]:
    """Coefficients and variables of the flat terms (a variable alone has coefficient 1)."""
    if set(map(type, terms)) == {_MONO}:
        pairs = list(map(_ARGS, terms))
    else:
        pairs = [t._args_ if t.__class__ is _MONO else (1.0, t) for t in terms]  # noqa: SLF001
    if not pairs:
        return [], []
    coef, var = zip(*pairs, strict=True)
    return list(coef), list(var)


def _resolve(terms: list, signs: list, owner: list, col_of: dict) -> tuple:
    """Columns and signed coefficients of the flat terms; rows that need the per-row path."""
    coef, var = _pairs(terms)
    col = np.fromiter(map(col_of.get, map(id, var), repeat(-1)), dtype=np.int64, count=len(var))
    if set(map(type, coef)) <= _NUMBERS:
        ok = col >= 0
        values = np.asarray(coef, dtype=float)
    else:  # Params or expressions as coefficients: those rows go the per-row way
        ok = np.fromiter((c.__class__ in _NUMBERS for c in coef), dtype=bool, count=len(coef))
        ok &= col >= 0
        values = np.asarray([c if good else 0.0 for c, good in zip(coef, ok, strict=True)])
    values = values * np.asarray(signs, dtype=float)
    own = np.asarray(owner, dtype=np.int64)
    irregular = set(own[~ok].tolist())
    # a column twice in one row: the per-row path merges the duplicates
    order = np.lexsort((col, own))
    twice = (own[order][1:] == own[order][:-1]) & (col[order][1:] == col[order][:-1])
    irregular.update(own[order][1:][twice].tolist())
    return col, values, irregular


def batch_rows(
    constraints: list, col_of: dict, per_row: Callable[[object], tuple]
) -> tuple[np.ndarray, ...]:
    """``lower, upper, offsets, parametric, start, index, value`` of ``constraints``.

    ``per_row(con)`` gives ``(lb, ub, cols, coefs, const, parametric)`` of one row; it is
    called for the rows that are not plain (see the module docstring).
    """
    n = len(constraints)
    terms, signs, owner, splits = _collect(constraints)
    col, values, irregular = _resolve(terms, signs, owner, col_of)
    own = np.asarray(owner, dtype=np.int64)
    first = np.searchsorted(own, np.arange(n + 1))  # terms of row k: first[k]:first[k+1]
    lower, upper, offsets = np.empty(n), np.empty(n), np.zeros(n)
    seg_start, seg_len = first[:-1].copy(), np.diff(first)
    extra_cols: list[int] = []
    extra_vals: list[float] = []
    parametric = []
    base = len(col)
    for k, (con, split) in enumerate(zip(constraints, splits, strict=True)):
        if split is None or k in irregular:
            lb, ub, cols, coefs, const, param = per_row(con)
            seg_start[k], seg_len[k] = base + len(extra_cols), len(cols)
            extra_cols += cols
            extra_vals += coefs
            offsets[k] = const
        else:
            lb, ub, const = split[0], split[1], 0.0
            param = lb.__class__ not in native_types or ub.__class__ not in native_types
            if param:
                lb, ub = value(lb), value(ub)
        if param:
            parametric.append(k)
        lower[k] = -INF if lb is None else lb - const
        upper[k] = INF if ub is None else ub - const
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(seg_len, out=start[1:])
    gather = np.repeat(seg_start - start[:-1], seg_len) + np.arange(start[-1])
    all_cols = np.concatenate([col, np.asarray(extra_cols, dtype=np.int64)])
    all_vals = np.concatenate([values, np.asarray(extra_vals, dtype=float)])
    return (
        lower,
        upper,
        offsets,
        parametric,
        start,
        all_cols[gather].astype(np.int32),
        all_vals[gather],
    )


def without_zeros(start: np.ndarray, index: np.ndarray, value: np.ndarray) -> tuple:
    """CSR arrays (``start`` as int32) without the entries whose value is 0."""
    zeros = np.flatnonzero(value == 0)
    if not len(zeros):
        return start.astype(np.int32), index, value
    start = start - np.searchsorted(zeros, start)
    if len(zeros) > 1000:
        keep_mask = value != 0
        return start.astype(np.int32), index[keep_mask], value[keep_mask]
    cuts = zip(np.r_[0, zeros + 1].tolist(), np.r_[zeros, len(value)].tolist(), strict=True)
    keep = [slice(a, b) for a, b in cuts if b > a]  # the few zeros cut a few long runs
    index = np.concatenate([index[k] for k in keep]) if keep else index[:0]
    value = np.concatenate([value[k] for k in keep]) if keep else value[:0]
    return start.astype(np.int32), index, value
