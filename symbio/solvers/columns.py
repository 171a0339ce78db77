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
import pyomo.environ as pyo

from symbio.model.record import same_columns
from symbio.model.record_bounds import component_bounds, kept_bounds, record_bounds
from symbio.model.watch import version

INF = math.inf
_PLAIN = (int, float)


def model_columns(model: pyo.Block, trust: bool = True) -> tuple[list, dict | None, list]:
    """The model's variables in column order, each recorded component's first column, and
    the column range ``(a, b, component)`` of every component.

    A variable component recorded at build time (``m.symbio_columns``) whose data are
    still the recorded ones, in that order, gets a first column (``None`` for all when
    the model has sub-blocks or no recording: the recorded rows are then not used). With
    ``trust``, a watched component without a change notice since it was last confirmed is
    taken as it is (:mod:`symbio.model.watch`). A range is ``(a, b, component, version)``:
    the component's change count when its columns were listed.
    """
    recorded = getattr(model, "symbio_columns", None)
    if next(model.component_objects(pyo.Block, descend_into=True), None) is not None:
        return data_objects(model, pyo.Var, active=None), None, []
    out: list = []
    start: dict[str, int] = {}
    segments: list[tuple] = []
    for comp in model.component_objects(pyo.Var, descend_into=False):
        datas = (recorded or {}).get(comp.local_name)
        first = len(out)
        if datas is not None and same_columns(comp, datas, trust):
            start[comp.local_name] = first
            out += datas
        else:
            out += comp.values()
        if len(out) > first:
            segments.append((first, len(out), comp, version(comp)))
    return out, (None if recorded is None else start), segments


def data_objects(model: pyo.Block, ctype: type, active: bool | None) -> list:
    """``list(model.component_data_objects(ctype, active=active))``, component by component.

    The same objects in the same order (components in declaration order, then their data
    in index order), without Pyomo's generator per data object; a model with sub-blocks
    takes Pyomo's way.
    """
    if next(model.component_objects(pyo.Block, descend_into=True), None) is not None:
        return list(model.component_data_objects(ctype, active=active, descend_into=True))
    out: list = []
    for comp in model.component_objects(ctype, active=active, descend_into=False):
        if active:
            out += [d for d in comp.values() if d.active]
        else:
            out += comp.values()
    return out


def column_bounds(
    columns: list, segments: list[tuple], first: int = 0, trust: bool = True
) -> tuple:
    """``(lower, upper, integer)`` arrays of ``columns[first:]``.

    ``segments`` are ranges ``(a, b, component, version)`` of columns that are all the
    variables of one component each, as :func:`model_columns` listed them; columns outside
    them are read one by one. With ``trust``, a watched component's bounds kept since its
    last change are taken (:func:`~symbio.model.record_bounds.kept_bounds`).
    """
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
