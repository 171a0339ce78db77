"""Column bounds of a variable component read with numpy, and kept while it is unchanged.

The bounds are what ``VarData.lb/ub`` give (the tighter of the variable's own bound and
its domain's, +-inf for none); a fixed variable has ``lower = upper`` = its value and is
continuous. :func:`component_bounds` reads a component whose variables share one domain
and have plain numbers (or nothing) as bounds with a few list passes; anything else
(mixed domains, infinite or NaN bounds, mutable Params) returns None and is read variable
by variable by :mod:`symbio.solvers.columns`.

:func:`record_bounds` keeps the arrays on a watched component (:mod:`symbio.model.watch`)
with the version they were read at; :func:`kept_bounds` gives them back while the
version is unchanged, with the values of fixed variables read again (solution loading
sets values without a change notice).
"""

from __future__ import annotations

import operator
from itertools import repeat
from operator import attrgetter

import numpy as np

from symbio.model.watch import version

INF = float("inf")
_DOMAIN, _FIXED = attrgetter("_domain"), attrgetter("_fixed")
_LB, _UB = attrgetter("_lb"), attrgetter("_ub")
_KEPT = "_symbio_bounds"


def _numbers(datas: list, get: attrgetter) -> np.ndarray | None:
    """A bound of every variable as floats (``None`` as NaN); None when one is not a number.

    NumPy converts numbers (and constant Params) to the float Pyomo's ``lb``/``ub`` would
    give and rejects expressions and mutable Params (those are left to Pyomo).
    """
    values = list(map(get, datas))
    try:
        out = np.array(values, dtype=float)
    except (TypeError, ValueError):
        return None
    missing = np.isnan(out)
    if missing.any() and values.count(None) != int(missing.sum()):
        return None  # a NaN bound (not None): leave it to Pyomo
    return out


def component_bounds(datas: list) -> tuple | None:
    """``(lower, upper, integer, fixed positions)`` of a component's variables, or None."""
    dom = datas[0]._domain  # noqa: SLF001
    if not all(map(operator.is_, map(_DOMAIN, datas), repeat(dom))):
        return None
    lb, ub = _numbers(datas, _LB), _numbers(datas, _UB)
    if lb is None or ub is None:
        return None
    if np.isinf(lb).any() or np.isinf(ub).any():
        return None  # Pyomo maps infinite bounds to none: leave those to it
    dlb, dub = dom.bounds()
    lower = np.where(np.isnan(lb), -INF if dlb is None else dlb, lb)
    upper = np.where(np.isnan(ub), INF if dub is None else dub, ub)
    if dlb is not None:
        lower = np.maximum(lower, float(dlb))
    if dub is not None:
        upper = np.minimum(upper, float(dub))
    integer = np.full(len(datas), datas[0].is_integer(), dtype=bool)
    at = np.zeros(0, dtype=np.int64)
    if any(map(_FIXED, datas)):
        at = np.flatnonzero(np.fromiter(map(_FIXED, datas), dtype=bool, count=len(datas)))
        _fixed_values(datas, at, lower, upper)
        integer[at] = False
    return lower, upper, integer, at


def _fixed_values(datas: list, at: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
    """Set the columns of the fixed variables ``at`` to their values (in place)."""
    values = np.array([datas[k].value for k in at.tolist()], dtype=float)
    lower[at] = values
    upper[at] = values


def record_bounds(comp: object, datas: list, seen: int) -> tuple | None:
    """Read ``datas`` (all of ``comp``, in order) and keep the arrays as of version ``seen``."""
    got = component_bounds(datas)
    if got is not None and seen >= 0:
        setattr(comp, _KEPT, (seen, len(datas), *got))
    return got


def kept_bounds(comp: object, datas: list) -> tuple | None:
    """The kept ``(lower, upper, integer, fixed positions)`` of ``comp`` if still current.

    Current: made at the component's present version, for as many variables as it has
    now. The fixed variables' values are read again (copies are returned then).
    """
    kept = getattr(comp, _KEPT, None)
    if kept is None or kept[0] != version(comp) or kept[1] != len(datas):
        return None
    lower, upper, integer, at = kept[2:]
    if len(at):
        lower, upper = lower.copy(), upper.copy()
        _fixed_values(datas, at, lower, upper)
    return lower, upper, integer, at


_JOINED = "symbio_bounds_joined"


def joined_bounds(model: object, columns: list, segments: list[tuple]) -> tuple | None:
    """``(lower, upper, integer)`` of all ``columns``, joined from each component's kept bounds.

    ``segments`` are the ranges ``(a, b, component, version listed)`` of
    :func:`~symbio.model.record_layout.model_columns`. Only when they cover the columns one
    after the other, every component watched, unchanged since listed and readable with
    numpy (a component whose kept bounds are out of date is read and kept again); None
    otherwise. The join is kept on the model while it is made of the very same kept
    arrays; the values of fixed variables are read each time (a copy when one changed).
    The arrays are read-only.
    """
    parts = []
    at = 0
    for a, b, comp, listed in segments:
        if a != at or listed < 0 or version(comp) != listed:
            return None
        kept = getattr(comp, _KEPT, None)
        if kept is None or kept[0] != listed or kept[1] != b - a:
            if record_bounds(comp, columns[a:b], listed) is None:
                return None
            kept = getattr(comp, _KEPT)
        parts.append(kept)
        at = b
    if not parts or at != len(columns):
        return None
    joined = getattr(model, _JOINED, None)
    if joined is None or not _same_parts(joined[0], parts):
        joined = _join_kept(parts, segments)
    made_of, lower, upper, integer, fixed, values = joined
    if len(fixed):
        now = np.array([columns[k].value for k in fixed.tolist()], dtype=float)
        if not np.array_equal(now.view(np.int64), values.view(np.int64)):
            lower, upper = lower.copy(), upper.copy()
            lower[fixed] = upper[fixed] = now
            joined = _read_only(made_of, lower, upper, integer, fixed, now)
    setattr(model, _JOINED, joined)
    return lower, upper, integer


def _same_parts(a: tuple, b: list) -> bool:
    """The very same kept arrays, component by component."""
    return len(a) == len(b) and all(map(operator.is_, a, b))


def _join_kept(parts: list[tuple], segments: list[tuple]) -> tuple:
    """``(parts, lower, upper, integer, fixed columns, their values)`` of the kept parts."""
    lower, upper, integer = (np.concatenate([p[k] for p in parts]) for k in (2, 3, 4))
    fixed = np.concatenate([seg[0] + p[5] for seg, p in zip(segments, parts, strict=True)])
    return _read_only(tuple(parts), lower, upper, integer, fixed, lower[fixed])


def _read_only(*joined: object) -> tuple:
    for arr in joined[1:]:
        arr.flags.writeable = False
    return joined
