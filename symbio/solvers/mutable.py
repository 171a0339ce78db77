"""Prices and caps as mutable coefficients of a persistent HiGHS instance.

:class:`~symbio.solvers.highs.PersistentHighs` re-reads, before every solve, the bounds of
rows that are expressions of mutable Params (a cap ``policy_cap[k]``, an epsilon limit) and
the whole objective (so a carbon price in the objective is current). It does not re-read the
*coefficients* of rows compiled earlier. A mutable Param that multiplies variables inside a
row, like the carbon price in every row built on ``objective_expr["cost"]`` (a Pareto
session's ``criterion_definition``, a cost cap ``policy_limit``, the canonical stage's
``objective_eps_limit``), would keep its old value there.

:func:`set_params` sets such Params and sends the rows that hold them to HiGHS again: each
compiled row of the :data:`PARAM_ROWS` families that holds one of them
(:func:`param_rows`) is recompiled, the coefficients that changed
go to HiGHS with ``changeCoeff`` and its bounds with ``changeRowBounds`` (the constant
moves to the bounds). No rebuild, no new hand-over; rows not compiled yet pick the new value
up when they are first compiled.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from weakref import WeakKeyDictionary

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.visitor import identify_mutable_parameters

from symbio.errors import SolverError
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.highs_setup import check

__all__ = ["PARAM_ROWS", "assign_params", "param_rows", "refresh_rows", "set_params"]

#: Constraint families built on the criteria (``objective_expr``), where a price sits in the
#: coefficients: the only rows :func:`set_params` recompiles.
PARAM_ROWS = ("criterion_definition", "policy_limit", "objective_eps_limit")


def _compiled_rows(solver: PersistentHighs, families: Iterable[str]) -> list[tuple[int, object]]:
    m = solver.model
    out = []
    for name in families:
        comp = m.component(name)
        if comp is None:
            continue
        for con in comp.values():
            k = solver.row_of.get(id(con))
            if k is not None:
                out.append((k, con))
    return out


#: Per solver: row -> names of the mutable Params in it (found once per row).
_PARAMS_IN_ROW: WeakKeyDictionary[PersistentHighs, dict[int, frozenset[str]]] = WeakKeyDictionary()
#: Per solver: (families, names) -> (compiled rows then, :func:`param_rows`' answer).
_FOUND: WeakKeyDictionary[PersistentHighs, dict[tuple, tuple[int, list]]] = WeakKeyDictionary()


def param_rows(
    solver: PersistentHighs, families: Iterable[str], names: Iterable[str]
) -> list[tuple[int, object]]:
    """The compiled rows of ``families`` whose expression holds one of the Params ``names``.

    Which Params a row holds is found once per row (Pyomo's
    ``identify_mutable_parameters``, into named expressions) and kept for later calls: on a
    park of 200 sites the cost row alone takes ~17 ms to walk, and a carbon price is in no
    other criterion's row.
    """
    known = _PARAMS_IN_ROW.setdefault(solver, {})
    families = tuple(families)  # read twice below: the key, then the rows
    wanted = frozenset(names)
    key = (families, wanted)
    # the same rows while no row was compiled since (rows are only ever added)
    kept = _FOUND.setdefault(solver, {}).get(key)
    if kept is not None and kept[0] == len(solver.row_cons):
        return kept[1]
    out = []
    for k, con in _compiled_rows(solver, families):
        if k not in known:
            params = identify_mutable_parameters(con.expr)
            known[k] = frozenset(p.parent_component().name for p in params)
        if known[k] & wanted:
            out.append((k, con))
    _FOUND[solver][key] = (len(solver.row_cons), out)
    return out


def refresh_rows(
    solver: PersistentHighs,
    families: Iterable[str] = PARAM_ROWS,
    names: Iterable[str] | None = None,
) -> int:
    """Send the current coefficients and bounds of the compiled rows of ``families``.

    ``names``: only the rows that hold one of these mutable Params (:func:`param_rows`);
    None: every compiled row of ``families``. Returns the number of coefficients changed.
    """
    rows = (
        _compiled_rows(solver, families) if names is None else param_rows(solver, families, names)
    )
    if not rows:
        return 0
    h, comp = solver.h, solver.compiler
    batch = comp.rows([con for _, con in rows])
    solver._add_columns()  # a recompiled row may name a variable HiGHS does not have yet
    changed = 0
    n = h.getNumCol()
    for pos, (k, _con) in enumerate(rows):
        lo, hi = int(batch.start[pos]), int(batch.start[pos + 1])
        new = np.zeros(n)
        new[batch.index[lo:hi]] = batch.value[lo:hi]
        _status, idx, val = h.getRowEntries(k)
        old = np.zeros(n)
        old[np.asarray(idx, dtype=np.int64)] = np.asarray(val, dtype=float)
        for j in np.flatnonzero(old != new).tolist():
            check(h.changeCoeff(k, j, float(new[j])), "changeCoeff")
            changed += 1
        solver.row_offset[k] = float(batch.offsets[pos])
        if solver.row_live[k]:
            h.changeRowBounds(k, float(batch.lower[pos]), float(batch.upper[pos]))
    return changed


def assign_params(m: pyo.Block, values: Mapping[str, float | Mapping[object, float]]) -> None:
    """Set mutable Params of a model: ``{name: value}`` or ``{name: {index: value}}``.

    Raises
    ------
    SolverError
        When a name is not a mutable Param of the model, or a value is not finite.
    """
    for name, value in values.items():
        par = m.component(name)
        if not isinstance(par, pyo.Param) or not par.mutable:
            raise SolverError(f"{name!r} is not a mutable parameter of the model")
        items = value.items() if isinstance(value, Mapping) else [(None, value)]
        for idx, v in items:
            if not math.isfinite(float(v)):
                raise SolverError(f"{name}[{idx}]: the value must be finite (got {v!r})")
            (par if idx is None else par[idx]).set_value(float(v))


def set_params(
    solver: PersistentHighs,
    values: Mapping[str, float | Mapping[object, float]],
    families: Iterable[str] = PARAM_ROWS,
) -> int:
    """Set mutable Params of the solver's model and send the rows that hold them to HiGHS.

    Parameters
    ----------
    solver
        The persistent instance of the model.
    values
        ``{param name: value}`` for a scalar Param, ``{param name: {index: value}}`` for an
        indexed one (e.g. ``{"policy_carbon_price": 200}``, ``{"policy_cap": {"co2": 5e5}}``).
    families
        Constraint families to recompile (default :data:`PARAM_ROWS`).

    Returns
    -------
    int
        The number of matrix coefficients changed.
    """
    assign_params(solver.model, values)
    return refresh_rows(solver, families, names=values.keys())
