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
from pyomo.core.base.constraint import Constraint
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


def recorded_rows(
    model: object, col_start: dict[str, int], compile_rows: Callable, trust: bool = True
) -> tuple:
    """``constraints, lower, upper, offsets, parametric, start, index, value`` of every active row.

    A constraint component whose rows were recorded at build time
    (:mod:`symbio.model.record`) and still hold the recorded expressions is taken from the
    recording (its active rows only; columns: ``col_start[variable] + position``); the
    others are compiled together by ``compile_rows(constraints)`` (a :class:`Rows`-like
    object). Rows stay in declaration order, as :func:`~symbio.solvers.matrix.active_constraints`.
    ``trust``: see :meth:`~symbio.model.record.RowRecord.current`.
    """
    records = getattr(model, "symbio_rows", None) or {}
    parts: list = []
    pending: list = []
    for comp in model.component_objects(Constraint, active=True, descend_into=False):
        rec = records.get(comp.local_name)
        now = None
        if rec is not None and all(v in col_start for v in rec.var_names):
            now = rec.current(comp, trust)
        if now is None:
            datas = [d for d in comp.values() if d.active]
            parts.append((len(pending), len(pending) + len(datas)))
            pending += datas
        else:
            parts.append(_take(rec, *now, col_start))
    done = compile_rows(pending)
    return _join(parts, done)


def _take(rec: object, datas: list, mask: np.ndarray, col_start: dict[str, int]) -> tuple:
    """The recorded rows of ``mask`` as ``(datas, lower, upper, lengths, index, value)``."""
    index = rec.columns(tuple(col_start[v] for v in rec.var_names))
    lengths = np.diff(rec.start)
    if mask.all():
        return datas, rec.lower, rec.upper, lengths, index, rec.coef
    terms = np.repeat(mask, lengths)
    datas = [d for d, keep in zip(datas, mask.tolist(), strict=True) if keep]
    return datas, rec.lower[mask], rec.upper[mask], lengths[mask], index[terms], rec.coef[terms]


def _join(parts: list, done: object) -> tuple:
    """Concatenate recorded parts and ranges ``(a, b)`` of the compiled rows ``done``."""
    cons: list = []
    lower, upper, offsets, lengths, index, value = [], [], [], [], [], []
    parametric: list[int] = []
    row_len = np.diff(done.start)
    for part in parts:
        if len(part) == 2:
            a, b = part
            cons += done.constraints[a:b]
            parametric += [len(cons) - (b - a) + k - a for k in done.parametric if a <= k < b]
            lo, hi = int(done.start[a]), int(done.start[b])
            part = (None, done.lower[a:b], done.upper[a:b], row_len[a:b])
            part += (done.index[lo:hi], done.value[lo:hi])
            offsets.append(done.offsets[a:b])
        else:
            cons += part[0]
            offsets.append(np.zeros(len(part[1])))
        for out, arr in zip((lower, upper, lengths, index, value), part[1:], strict=True):
            out.append(arr)
    start = np.zeros(len(cons) + 1, dtype=np.int64)
    if lengths:
        np.cumsum(np.concatenate(lengths), out=start[1:])
    cat = _concat
    return (
        cons,
        cat(lower, float),
        cat(upper, float),
        cat(offsets, float),
        parametric,
        start,
        cat(index, np.int32),
        cat(value, float),
    )


def _concat(arrays: list, dtype: type) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype)
