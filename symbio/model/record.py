"""Rows recorded as arrays when they are built, for the hand-over to the solver.

A family that builds a constraint component from the index's arrays also records the rows
as CSR arrays: per row the positions of its variables (a variable component and the
position of the variable in that component's index order), its coefficients and its
lower and upper bounds. :mod:`symbio.solvers.batch` hands those arrays to HiGHS instead
of reading the Pyomo expressions back, as long as the constraint still holds the very
expression that was recorded (:meth:`RowRecord.current`): any ``set_value`` of a row
gives it a new expression, and a row deactivated later is left out. Fixing and unfixing,
bounds and mutable Params do not touch a recorded row (its coefficients and bounds are
plain numbers, and a fixed variable stays a column of its rows).

The arrays are the ones the compiler makes of the expression (same terms in the same
order, a variable twice merged as it merges them, both variable sides of an inequality as
``a - b <= 0``); ``tests/solvers/test_recorded.py`` compares them array for array.

``m.symbio_rows``      ``{constraint component name: RowRecord}``
``m.symbio_columns``   ``{variable component name: [VarData, ...]}`` in index order
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter

import numpy as np
import pyomo.environ as pyo
from pyomo.common.numeric_types import native_numeric_types
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from symbio.model.record_bounds import record_bounds
from symbio.model.watch import version, watch

INF = math.inf
_EXPR = attrgetter("_expr")
_ARGS = attrgetter("_args_")
_ACTIVE = attrgetter("_active")


class _TermColumns:
    """The HiGHS column of every term of a record, kept for the last column layout."""

    var: np.ndarray
    pos: np.ndarray

    def columns(self, first: tuple[int, ...]) -> np.ndarray:
        """Column of every term (int32) when variable component k starts at ``first[k]``."""
        kept = self.__dict__.get("_kept_columns")  # (frozen dataclasses too)
        if kept is None or kept[0] != first:
            offsets = np.array(first, dtype=np.int64)
            kept = (first, (offsets[self.var] + self.pos).astype(np.int32))
            self.__dict__["_kept_columns"] = kept
        return kept[1]


@dataclass
class RowRecord(_TermColumns):
    """The rows of one constraint component as CSR arrays over (variable component, position)."""

    exprs: list
    """Each row's relational expression when it was recorded."""
    var_names: tuple[str, ...]
    start: np.ndarray
    """Terms of row k: ``start[k]:start[k+1]``."""
    var: np.ndarray
    """Per term: its variable component (position in :attr:`var_names`)."""
    pos: np.ndarray
    """Per term: position of the variable in its component's index order."""
    coef: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    seen: tuple = (-1, [], None)
    """``(version, rows, active mask)`` when the component was last confirmed current."""

    def current(self, comp: object, trust: bool = True) -> tuple[list, np.ndarray] | None:
        """``(rows, active mask)`` when ``comp`` still holds the recorded rows, else None.

        The rows are the component's ConstraintData now; each must hold the expression
        recorded at its position (a new expression, a row added or removed: None). A
        watched component (:mod:`symbio.model.watch`) confirmed at its present version is
        taken as confirmed then when ``trust`` is set.
        """
        at = version(comp)
        data = comp._data  # noqa: SLF001 - read once, as Pyomo's values()
        if trust and at >= 0 and self.seen[0] == at and len(data) == len(self.exprs):
            return self.seen[1], self.seen[2]
        datas = list(data.values())
        if len(datas) != len(self.exprs):
            return None
        if not all(map(operator.is_, map(_EXPR, datas), self.exprs)):
            return None
        if not comp.active:
            mask = np.zeros(len(datas), dtype=bool)
        elif all(map(_ACTIVE, datas)):
            mask = np.ones(len(datas), dtype=bool)
        else:
            mask = np.fromiter(map(_ACTIVE, datas), dtype=bool, count=len(datas))
        if at >= 0:
            self.seen = (at, datas, mask)
        return datas, mask


class Positions:
    """Position of a variable's key in its component's index order, one dict per component."""

    def __init__(self, m: pyo.Block) -> None:
        self.m = m
        self.tables: dict[str, dict] = {}

    def of(self, name: str) -> dict:
        """``{key: position}`` of variable component ``name``."""
        got = self.tables.get(name)
        if got is None:
            keys = list(getattr(self.m, name).keys())
            got = self.tables[name] = dict(zip(keys, range(len(keys)), strict=True))
        return got


def record_rows(
    m: pyo.Block,
    name: str,
    keys: list,
    var_names: tuple[str, ...],
    arrays: tuple[np.ndarray, ...],
) -> bool:
    """Record the rows of constraint component ``name``; False (nothing recorded) if they differ.

    ``keys`` are the rows' indices in build order, ``arrays`` is ``(start, var, pos, coef,
    lower, upper)`` in that order. The rows are recorded only when the component holds
    exactly these rows in this order; a variable twice in a row is merged here the way the
    compiler merges it.
    """
    comp = getattr(m, name)
    data = comp._data  # noqa: SLF001 - insertion order, checked against the index order
    if len(data) != len(keys) or list(data) != list(keys) or list(comp.keys()) != list(keys):
        return False
    start, var, pos, coef, lower, upper = arrays
    start, var, pos, coef = _merge_twice(start, var, pos, coef)
    records = getattr(m, "symbio_rows", None)
    if records is None:
        records = m.symbio_rows = {}
    watch(comp)
    rec = records[name] = RowRecord(
        list(map(_EXPR, data.values())),
        tuple(var_names),
        np.asarray(start, dtype=np.int64),
        np.asarray(var, dtype=np.int64),
        np.asarray(pos, dtype=np.int64),
        np.asarray(coef, dtype=float),
        np.asarray(lower, dtype=float),
        np.asarray(upper, dtype=float),
    )
    rec.current(comp, trust=False)  # confirmed now: a hand-over trusts it until a change
    return True


def _merge_twice(start: np.ndarray, var: np.ndarray, pos: np.ndarray, coef: np.ndarray) -> tuple:
    """Merge a variable that occurs twice in a row, in first-occurrence order, as the compiler does.

    The compiler sums ``0.0 + c1 + c2 ...`` in term order (so ``-0.0`` becomes ``0.0``).
    """
    start, var, pos, coef = (np.asarray(a) for a in (start, var, pos, coef))
    row = np.repeat(np.arange(len(start) - 1), np.diff(start))
    key = var.astype(np.int64) * (int(pos.max(initial=0)) + 1) + pos
    order = np.lexsort((key, row))
    twice = (row[order][1:] == row[order][:-1]) & (key[order][1:] == key[order][:-1])
    bad = np.unique(row[order][1:][twice])
    if not len(bad):
        return start, var, pos, coef
    keep = np.ones(len(coef), dtype=bool)
    coef = np.array(coef, dtype=float)
    for k in bad.tolist():
        first: dict[int, int] = {}
        for j in range(int(start[k]), int(start[k + 1])):
            at = first.setdefault(int(key[j]), j)
            if at == j:
                coef[j] = 0.0 + coef[j]
            else:
                coef[at] = coef[at] + coef[j]
                keep[j] = False
    new_start = np.zeros_like(start)
    np.cumsum(np.bincount(row[keep], minlength=len(start) - 1), out=new_start[1:])
    return new_start, var[keep], pos[keep], coef[keep]


def record_columns(m: pyo.Block) -> None:
    """Record every variable component's data in index order (the recorded rows' positions).

    Each indexed component is watched from now on (:mod:`symbio.model.watch`) and its
    column bounds are read once here (:func:`~symbio.model.record_bounds.record_bounds`).
    """
    cols: dict[str, list] = {}
    comps = list(m.component_objects(pyo.Var, descend_into=False))
    for comp in comps:
        datas = list(comp._data.values())  # noqa: SLF001
        if not all(map(operator.is_, datas, comp.values())):
            return  # another order than the index's: nothing is taken from the recording
        cols[comp.local_name] = datas
    for comp in comps:
        datas = cols[comp.local_name]
        if datas and watch(comp):
            setattr(comp, _CONFIRMED, version(comp))
            record_bounds(comp, datas, version(comp))
    m.symbio_columns = cols


_CONFIRMED = "_symbio_columns_seen"


def same_columns(comp: object, datas: list, trust: bool = True) -> bool:
    """True when variable component ``comp`` holds exactly ``datas`` in that order.

    Confirmed once per version of a watched component (:mod:`symbio.model.watch`): with
    ``trust``, a component confirmed at its present version is not read again.
    """
    seen = version(comp)
    data = comp._data  # noqa: SLF001 - compared with the recording
    if len(data) != len(datas):
        return False
    if trust and seen >= 0 and getattr(comp, _CONFIRMED, None) == seen:
        return True
    if not all(map(operator.is_, data.values(), datas)):
        return False
    if seen >= 0:
        setattr(comp, _CONFIRMED, seen)
    return True


def record_pairs(
    m: pyo.Block, name: str, keys: list, var_names: tuple[str, ...], terms: tuple
) -> bool:
    """Record rows ``c0 * x0 + c1 * x1 <= 0``.

    ``terms`` is ``(var0, pos0, coef0, var1, pos1, coef1)``: per row, the first and the
    second term's variable component, position and coefficient.
    """
    var0, pos0, coef0, var1, pos1, coef1 = (np.asarray(a) for a in terms)
    n = len(keys)
    var = np.column_stack((np.broadcast_to(var0, n), np.broadcast_to(var1, n))).ravel()
    pos = np.column_stack((pos0, pos1)).ravel()
    coef = np.column_stack((np.broadcast_to(coef0, n), np.broadcast_to(coef1, n))).ravel()
    start = np.arange(0, 2 * n + 1, 2, dtype=np.int64)
    bounds = (np.full(n, -np.inf), np.zeros(n))
    return record_rows(m, name, keys, var_names, (start, var, pos, coef, *bounds))


@dataclass(frozen=True)
class ExprRecord(_TermColumns):
    """A named linear Expression as arrays: its terms as Pyomo's linear visitor gathers them."""

    expr: object
    """The expression held when recorded."""
    var_names: tuple[str, ...]
    var: np.ndarray
    pos: np.ndarray
    coef: np.ndarray
    """One entry per variable (a variable twice summed in term order, zeros dropped)."""
    constant: float
    data: object = None
    """The ExpressionData recorded (looked up by identity before its slow ``name``)."""


def record_expressions(m: pyo.Block) -> None:
    """Record every named Expression that is a sum of ``number * variable`` (and numbers).

    ``m.symbio_exprs`` maps the name of an ExpressionData to its :class:`ExprRecord`; the
    hand-over linearises an objective made of them (sums, products with Params) with numpy.
    """
    cols = getattr(m, "symbio_columns", None)
    if cols is None:
        return
    names = tuple(cols)
    ids = [id(v) for datas in cols.values() for v in datas]
    where = dict(zip(ids, range(len(ids)), strict=True))
    offsets = np.cumsum([0] + [len(d) for d in cols.values()])
    out: dict = {}
    for comp in m.component_objects(pyo.Expression, descend_into=False):
        for data in comp.values():
            got = _linear_terms(data.expr, where)
            if got is None:
                continue
            at, coef, constant = got
            var = np.searchsorted(offsets, at, side="right") - 1
            rec = ExprRecord(data.expr, names, var, at - offsets[var], coef, constant, data)
            out[data.name] = rec
    m.symbio_exprs = out


def _linear_terms(expr: object, where: dict) -> tuple | None:
    """``(columns, coefficients, constant)`` of a LinearExpression, as the visitor merges them.

    The visitor adds a variable's coefficients in term order and skips a zero coefficient
    on a variable's first occurrence; numbers among the terms add up to the constant.
    """
    if expr.__class__ is not LinearExpression:
        return None
    args = expr.args
    kinds = set(map(type, args))
    if not kinds <= {MonomialTermExpression, *native_numeric_types}:
        return None
    constant = 0
    if kinds != {MonomialTermExpression}:
        for arg in args:
            if arg.__class__ in native_numeric_types:
                constant += arg
        args = [arg for arg in args if arg.__class__ is MonomialTermExpression]
    if not args:
        return np.zeros(0, np.int64), np.zeros(0), constant
    coefs, variables = zip(*map(_ARGS, args), strict=True)
    try:  # numbers (a Param's value is what the visitor would use); expressions fail
        coef = np.array(coefs, dtype=float)
    except (TypeError, ValueError):
        return None
    if not set(map(type, coefs)) <= set(native_numeric_types):
        return None
    at = np.fromiter(map(where.get, map(id, variables), repeat(-1)), np.int64, len(variables))
    if (at < 0).any():
        return None
    if np.bincount(at).max() == 1:
        keep = coef != 0
        return at[keep], coef[keep], constant
    merged: dict[int, float] = {}
    for k, c in zip(at.tolist(), coefs, strict=True):
        if k in merged:
            merged[k] += c
        elif c:
            merged[k] = c
    keep = [k for k, c in merged.items() if c]
    return np.array(keep, dtype=np.int64), np.array([merged[k] for k in keep], float), constant


def records_in_use(m: pyo.Block) -> set[str]:
    """Constraint components whose rows a hand-over now would take from their recording."""
    return {
        name
        for name, rec in (getattr(m, "symbio_rows", None) or {}).items()
        if rec.exprs and rec.current(getattr(m, name)) is not None
    }


def coefficient_range(*arrays: np.ndarray) -> tuple[float, float]:
    """Smallest and largest non-zero ``|coefficient|`` over ``arrays``; (0, 0) when none."""
    lo, hi = INF, 0.0
    for a in arrays:
        if len(a):
            mag = np.abs(np.asarray(a, dtype=float))
            hi = max(hi, float(np.max(mag, where=mag > 0, initial=0.0)))  # NaN: not a size
            lo = min(lo, float(np.min(mag, where=mag > 0, initial=INF)))
    return (0.0, 0.0) if hi == 0 else (lo, hi)


def merged_range(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The :func:`coefficient_range` of two sets of arrays from the range of each."""
    if a[1] == 0:
        return b
    if b[1] == 0:
        return a
    return min(a[0], b[0]), max(a[1], b[1])
