"""The recorded rows of a whole model joined into one matrix, kept while nothing changes.

A hand-over from recordings (:mod:`symbio.model.record`) takes, per active constraint
component in declaration order, its recorded rows (those still active) and compiles the
rest. When every active row is recorded, the joined arrays depend on nothing but the
recordings taken, each one's active rows and the column layout: :func:`joined_rows`
keeps them on the model (``m.symbio_joined``) under exactly that key, so a later hand-over
of the unchanged model takes the kept arrays instead of joining them again, and a change
that reaches any of them (a row deactivated, replaced or added, a variable component
re-listed, a column added) makes a new key and a new join. What makes the key current is
:meth:`~symbio.model.record.RowRecord.current` (the change notice of
:mod:`symbio.model.watch`), as for a hand-over without a kept join.

Besides the CSR rows the compiler gives (explicit zeros kept, as a compiled row has them),
the join keeps the same matrix column-wise without its zeros (what HiGHS stores: handing
it over column-wise spares HiGHS its own transposition) and the coefficient range. Kept
arrays are read-only: a caller that wants to change one makes a copy.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.core.base.constraint import Constraint

from symbio.model.record import coefficient_range
from symbio.model.record_bounds import _JOINED as _BOUNDS_JOINED
from symbio.model.record_bounds import joined_bounds
from symbio.model.record_layout import _KEPT as _COLUMNS_JOINED
from symbio.model.record_layout import model_columns
from symbio.model.record_objective import _MEMO as _COST_MEMO
from symbio.model.record_objective import recorded_cost

_KEPT = "symbio_joined"


@dataclass(frozen=True, eq=False)
class Joined:
    """Every active row of a model, all recorded, as one matrix."""

    key: tuple
    """``(((record, rows, active mask, first columns), ...), number of columns)``."""
    constraints: tuple
    lower: np.ndarray
    upper: np.ndarray
    start: np.ndarray
    """CSR (int64 row starts, int32 columns, values), explicit zeros kept."""
    index: np.ndarray
    value: np.ndarray
    csc: tuple[np.ndarray, np.ndarray, np.ndarray]
    """The same matrix column-wise without zeros: int32 column starts, int32 rows, values."""
    coefficients: tuple[float, float]
    """:func:`~symbio.model.record.coefficient_range` of the values."""


def recorded_parts(model: pyo.Block, col_start: dict[str, int], trust: bool = True) -> tuple:
    """``(parts, pending)``: every active constraint component, recorded or to compile.

    A part is ``(record, rows, active mask, first columns)`` for a component whose
    recording is current (:meth:`~symbio.model.record.RowRecord.current`), else a range
    ``(a, b)`` of ``pending``, the active ConstraintData to compile. In declaration order.
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
            parts.append((rec, *now, tuple(col_start[v] for v in rec.var_names)))
    return parts, pending


def joined_rows(model: pyo.Block, parts: list, n_cols: int) -> Joined:
    """The join of ``parts`` (all recorded, or empty ranges), kept on the model.

    The kept join is taken when it was made of the very same recordings, rows and active
    masks (the same objects, or equal ones) over the same columns; otherwise the parts are
    joined and kept in its place.
    """
    key = (tuple(p for p in parts if len(p) == 4), n_cols)
    kept = getattr(model, _KEPT, None)
    if isinstance(kept, Joined) and _same_key(kept.key, key):
        return kept
    cons, lower, upper, _, _, start, index, value = join_parts(list(key[0]), None)
    csr = sp.csr_array((value, index, start), shape=(len(cons), n_cols))
    csc = csr.tocsc()
    csc.eliminate_zeros()
    columnwise = tuple(a.astype(np.int32, copy=False) for a in (csc.indptr, csc.indices)) + (
        csc.data,
    )
    joined = Joined(
        key, tuple(cons), lower, upper, start, index, value, columnwise, coefficient_range(value)
    )
    for arr in (lower, upper, start, index, value, *columnwise):
        arr.flags.writeable = False
    setattr(model, _KEPT, joined)
    return joined


def _same_key(a: tuple, b: tuple) -> bool:
    """Same recordings with the same rows and active rows over the same columns."""
    (parts_a, n_a), (parts_b, n_b) = a, b
    if n_a != n_b or len(parts_a) != len(parts_b):
        return False
    for (rec_a, rows_a, mask_a, first_a), (rec_b, rows_b, mask_b, first_b) in zip(
        parts_a, parts_b, strict=True
    ):
        if rec_a is not rec_b or first_a != first_b:
            return False
        if mask_a is not mask_b and not (
            mask_a.shape == mask_b.shape and np.array_equal(mask_a, mask_b)
        ):
            return False
        if rows_a is not rows_b and not (
            len(rows_a) == len(rows_b) and all(map(operator.is_, rows_a, rows_b))
        ):
            return False
    return True


def _take(rec: object, datas: list, mask: np.ndarray, first: tuple[int, ...]) -> tuple:
    """The recorded rows of ``mask`` as ``(datas, lower, upper, lengths, index, value)``."""
    index = rec.columns(first)
    lengths = np.diff(rec.start)
    if mask.all():
        return datas, rec.lower, rec.upper, lengths, index, rec.coef
    terms = np.repeat(mask, lengths)
    datas = [d for d, keep in zip(datas, mask.tolist(), strict=True) if keep]
    return datas, rec.lower[mask], rec.upper[mask], lengths[mask], index[terms], rec.coef[terms]


def join_parts(parts: list, done: object) -> tuple:
    """``constraints, lower, upper, offsets, parametric, start, index, value`` of ``parts``.

    Recorded parts are taken from their recordings; a range ``(a, b)`` is rows ``a:b`` of
    ``done`` (the pending rows compiled, a :class:`~symbio.solvers.matrix.Rows`).
    """
    cons: list = []
    lower, upper, offsets, lengths, index, value = [], [], [], [], [], []
    parametric: list[int] = []
    row_len = np.diff(done.start) if done is not None else None
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
            part = _take(*part)
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


def join_at_build(m: pyo.Block) -> None:
    """At the end of the build: join what a first hand-over takes, once, and keep it.

    The rows (:func:`joined_rows`, when every active row is recorded), the column bounds
    (:func:`~symbio.model.record_bounds.joined_bounds`) and the cost vector of the active
    objective (:func:`~symbio.model.record_objective.recorded_cost`), each kept under what
    it was made of; the hand-over of the unchanged model then passes them to the solver as
    they are, and a change remakes only the part it reaches.
    """
    variables, col_start, segments = model_columns(m)
    if col_start is None:
        return
    parts, pending = recorded_parts(m, col_start)
    if not pending:
        joined_rows(m, parts, len(variables))
    joined_bounds(m, variables, segments)
    objectives = list(m.component_data_objects(pyo.Objective, active=True, descend_into=False))
    if len(objectives) == 1:
        recorded_cost(m, objectives[0].expr, col_start, len(variables))


#: Where the joins are kept on a model (rows, column bounds, cost, column list).
KEPT_JOINS = (_KEPT, _BOUNDS_JOINED, _COST_MEMO, _COLUMNS_JOINED)  # their modules' names


def forget_joins(m: pyo.Block) -> None:
    """Drop every join kept on ``m`` (the next hand-over joins anew; for measurements)."""
    for name in KEPT_JOINS:
        if name in m.__dict__:
            delattr(m, name)
