"""Column bounds and integrality of the compiled problem, one variable component at a time.

A fixed column has ``lower = upper`` = its value and is continuous, integer or not (see
:mod:`symbio.solvers.matrix`). The bounds are what ``VarData.lb/ub`` give (the tighter of
the variable's own bound and its domain's, +-inf for none). A component whose variables
share one domain and have plain numbers (or no number) as bounds is read with a few list
passes and numpy; anything else is read variable by variable, through Pyomo where the
bound is not a plain finite number.
"""

from __future__ import annotations

import math
import operator
from itertools import repeat
from operator import attrgetter

import numpy as np

INF = math.inf
_PLAIN = (int, float)
_DOMAIN, _FIXED = attrgetter("_domain"), attrgetter("_fixed")
_LB, _UB = attrgetter("_lb"), attrgetter("_ub")


def column_bounds(columns: list, segments: list[tuple[int, int]], first: int = 0) -> tuple:
    """``(lower, upper, integer)`` arrays of ``columns[first:]``.

    ``segments`` are ranges ``(a, b)`` of columns that belong to one variable component
    each; columns outside them are read one by one.
    """
    parts: list[tuple] = []
    at = first
    for a, b in segments:
        a = max(a, first)
        if b <= a:
            continue
        if at < a:
            parts.append(_each(columns[at:a]))
        parts.append(_component(columns[a:b]) or _each(columns[a:b]))
        at = b
    if at < len(columns):
        parts.append(_each(columns[at:]))
    if not parts:
        return np.zeros(0), np.zeros(0), np.zeros(0, dtype=bool)
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))


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


def _component(datas: list) -> tuple | None:
    """Bounds of one component's variables by list passes; None to read them one by one."""
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
    if any(map(_FIXED, datas)):
        fixed = np.fromiter(map(_FIXED, datas), dtype=bool, count=len(datas))
        at = np.flatnonzero(fixed)
        values = np.array([datas[k].value for k in at.tolist()], dtype=float)
        lower[at] = values
        upper[at] = values
        integer[at] = False
    return lower, upper, integer


def _each(variables: list) -> tuple:
    """Bounds read variable by variable."""
    lower: list[float] = []
    upper: list[float] = []
    integer: list[bool] = []
    domains: dict[int, tuple] = {}
    for v in variables:
        if v.fixed:
            lower.append(v.value)
            upper.append(v.value)
            integer.append(False)
            continue
        dom = v.domain
        info = domains.get(id(dom))
        if info is None:
            dlb, dub = dom.bounds()
            info = domains[id(dom)] = (dlb, dub, v.is_integer())
        lo, hi = _bounds(v, info)
        lower.append(lo)
        upper.append(hi)
        integer.append(info[2])
    return (
        np.array(lower, dtype=float),
        np.array(upper, dtype=float),
        np.array(integer, dtype=bool),
    )


def _bounds(v: object, info: tuple) -> tuple[float, float]:
    """``(lb, ub)`` of an unfixed variable as ``VarData.lb/ub`` give them, +-inf for none.

    Plain finite number bounds are combined with the domain's (``info``) here, as Pyomo
    does (the tighter one); anything else (Params, infinities) is left to Pyomo.
    """
    lb, ub, (dlb, dub, _) = v._lb, v._ub, info  # noqa: SLF001 - read, as VarData.lb does
    if lb is None:
        lb = dlb
    elif lb.__class__ in _PLAIN and -INF < lb < INF:
        lb = lb if dlb is None else max(lb, dlb)
    else:
        lb = v.lb
    if ub is None:
        ub = dub
    elif ub.__class__ in _PLAIN and -INF < ub < INF:
        ub = ub if dub is None else min(ub, dub)
    else:
        ub = v.ub
    return (-INF if lb is None else lb), (INF if ub is None else ub)
