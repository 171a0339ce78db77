"""Column bounds and integrality of the compiled problem, one variable component at a time.

A fixed column has ``lower = upper`` = its value and is continuous, integer or not (see
:mod:`symbio.solvers.matrix`). The bounds are what ``VarData.lb/ub`` give (the tighter of
the variable's own bound and its domain's, +-inf for none). A component whose variables
share one domain and have plain numbers (or no number) as bounds is read with a few list
passes and numpy (:func:`~symbio.model.record_bounds.component_bounds`) and kept on the
component while it is unchanged (:mod:`symbio.model.watch`); anything else is read
variable by variable, through Pyomo where the bound is not a plain finite number.
"""

from __future__ import annotations

import math

import numpy as np

from symbio.model.record_bounds import (
    component_bounds,
    joined_bounds,
    kept_bounds,
    record_bounds,
)
from symbio.model.watch import version

INF = math.inf
_PLAIN = (int, float)


def column_bounds(
    columns: list, segments: list[tuple], first: int = 0, trust: bool = True, model: object = None
) -> tuple:
    """``(lower, upper, integer)`` arrays of ``columns[first:]``.

    ``segments`` are ranges ``(a, b, component, version)`` of columns that are all the
    variables of one component each, as
    :func:`~symbio.model.record_layout.model_columns` listed them; columns outside them are
    read one by one. With ``trust``, a watched component's bounds kept since its last
    change are taken (:func:`~symbio.model.record_bounds.kept_bounds`), and all columns of
    ``model`` from the join of them kept on it
    (:func:`~symbio.model.record_bounds.joined_bounds`; read-only arrays).
    """
    if trust and first == 0 and model is not None:
        got = joined_bounds(model, columns, segments)
        if got is not None:
            return got
    parts: list[tuple] = []
    at = first
    for a0, b, comp, listed in segments:
        a = max(a0, first)
        if b <= a:
            continue
        if at < a:
            parts.append(_each(columns[at:a]))
        got = _segment(columns[a0:b], comp, listed, trust)
        parts.append(tuple(p[a - a0 :] for p in got))
        at = b
    if at < len(columns):
        parts.append(_each(columns[at:]))
    if not parts:
        return np.zeros(0), np.zeros(0), np.zeros(0, dtype=bool)
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))


def _segment(datas: list, comp: object, listed: int, trust: bool) -> tuple:
    """Bounds of all the variables of one component: kept, read with numpy, or one by one.

    ``datas`` are the component's variables as listed at its change count ``listed``; after
    a later change they may not be its variables any more (one deleted, another added), so
    their bounds are then read but neither taken from nor kept on the component.
    """
    if version(comp) != listed:
        got = component_bounds(datas)
    elif trust and (got := kept_bounds(comp, datas)) is not None:
        pass
    else:
        got = record_bounds(comp, datas, listed)
    return got[:3] if got is not None else _each(datas)


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
