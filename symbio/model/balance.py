"""Balance of every resource at every site and time slice.

    supply[i,r,t] + sum_{source terms} coef * var  =  demand[i,r,t] + sum_{sink terms} coef * var

(a link's ``inputs`` — e.g. compression electricity — are a sink term at its sending site,
``in[l,r] * link_flow[l,t]``)

for every pool (i, r) and slice t (``balance_site[i, r, t]``). The terms come from
:data:`BALANCE_TERMS`, one row per family: the variable, the index list of
``(pool, key, coefficient)`` triples in :class:`~symbio.model.index.ModelIndex` (``terms``),
and the side. A new family is one more row; the balance logic does not change. Supplies
are fixed and must leave the pool (use, link out, process input, sale or disposal);
demands are met exactly.

In the elastic model (infeasibility diagnosis) every balance also gets a shortfall (a
source: demand that cannot be met) and a surplus (a sink: supply that cannot be placed).
A pool with no variable term at all gets the two slacks fixed at zero, so that it stays a
row the solver (and the diagnosis) can name.

=================================  ===========================================
``balance_site[i, r, t]``          balance of resource r at site i in slice t
``balance_shortfall[i, r, t]``     elastic: amount of r missing at i
``balance_surplus[i, r, t]``       elastic: amount of r at i that cannot be placed
=================================  ===========================================
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.core.expr.relational_expr import EqualityExpression

from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions
from symbio.model.record import record_rows


@dataclass(frozen=True)
class BalanceTerm:
    """One family's contribution to the balances."""

    var: str
    """Model variable (indexed by ``key + (slice,)``)."""
    terms: str
    """Key of the ``(pool, key, coefficient)`` list in ``ModelIndex.terms``."""
    sign: int
    """+1 for a source (left-hand side), -1 for a sink."""
    label: str
    """Column of the term in the site-balance table."""


BALANCE_TERMS: tuple[BalanceTerm, ...] = (
    BalanceTerm("link_flow", "link_in", +1, "inflow"),
    BalanceTerm("process_activity", "process_out", +1, "process_output"),
    BalanceTerm("market_buy", "market_buy", +1, "purchase"),
    BalanceTerm("substitute_use", "substitute_credit", +1, "substituted"),
    BalanceTerm("balance_shortfall", "pool", +1, "shortfall"),
    BalanceTerm("link_flow", "link_out", -1, "outflow"),
    BalanceTerm("link_flow", "link_input", -1, "link_input"),
    BalanceTerm("process_activity", "process_in", -1, "process_input"),
    BalanceTerm("substitute_use", "substitute_draw", -1, "substitute_input"),
    BalanceTerm("market_sell", "market_sell", -1, "sale"),
    BalanceTerm("disposal_amount", "disposal_amount", -1, "disposal"),
    BalanceTerm("balance_surplus", "pool", -1, "surplus"),
)


def pool_terms(ix: ModelIndex) -> dict[tuple[str, str], list[tuple[BalanceTerm, tuple, float]]]:
    """Group the balance terms by pool (elastic slacks excluded)."""
    rows: dict[tuple[str, str], list] = defaultdict(list)
    for term in BALANCE_TERMS:
        for pool, key, coef in ix.terms.get(term.terms, ()):
            rows[pool].append((term, key, coef))
    return rows


class _Columns:
    """Every variable the balances use, in one object array, with per-slice positions."""

    def __init__(self, m: pyo.ConcreteModel, slices: tuple[str, ...]) -> None:
        self.m, self.slices = m, slices
        self.objs: list = []
        self.tables: dict[str, tuple[int, dict, bool]] = {}

    def _table(self, name: str) -> tuple[int, dict, bool]:
        got = self.tables.get(name)
        if got is None:
            comp = getattr(self.m, name)
            keys = list(comp.keys())
            n_t = len(self.slices)
            # the families index their variables key by key, slice by slice: then the
            # position of (key, slice s) is that of (key, first slice) + s
            blocked = bool(keys) and keys == [
                (*k[:-1], t) for k in keys[::n_t] for t in self.slices
            ]
            got = (len(self.objs), dict(zip(keys, range(len(keys)), strict=True)), blocked)
            self.objs += comp.values()
            self.tables[name] = got
        return got

    def positions(self, name: str, keys: list[tuple]) -> np.ndarray:
        """``[slice, term]`` positions in :attr:`objs` of the variable ``name[(*key, t)]``."""
        offset, pos, blocked = self._table(name)
        slices = self.slices
        if blocked:
            first = np.array([pos[(*key, slices[0])] for key in keys], dtype=np.int64)
            return offset + first[None, :] + np.arange(len(slices))[:, None]
        return offset + np.array(
            [[pos[(*key, t)] for key in keys] for t in slices], dtype=np.int64
        ).reshape(len(slices), len(keys))


def _balance_rows(m: pyo.ConcreteModel, ix: ModelIndex, slack_pools: list) -> tuple:
    """The balance terms as arrays, sorted by pool (terms of a pool in family order).

    Returns the start of each pool's terms, their coefficients, the variables of every
    slice (one list per slice, same order), the pools' row positions and the columns
    ``(variable names, their offsets, [slice, term] positions)`` for the recording.
    """
    cols = _Columns(m, ix.slices)
    pool_of = {pool: k for k, pool in enumerate(ix.pools)}
    parts = [(term, ix.terms.get(term.terms, ())) for term in BALANCE_TERMS if term.terms != "pool"]
    parts += [
        (term, [(p, p, 1.0) for p in slack_pools]) for term in BALANCE_TERMS if term.terms == "pool"
    ]
    pool_ids, coefs, positions = [], [], []
    for term, triples in parts:
        keep = [
            (pool_of[pool], key, term.sign * coef) for pool, key, coef in triples if pool in pool_of
        ]
        if not keep:
            continue
        pool_ids.append(np.array([g for g, _, _ in keep], dtype=np.int64))
        coefs.append(np.array([c for _, _, c in keep], dtype=float))
        positions.append(cols.positions(term.var, [key for _, key, _ in keep]))
    n_t = len(ix.slices)
    if not pool_ids:
        empty = np.zeros(len(ix.pools) + 1, dtype=np.int64)
        return empty, [], [[] for _ in range(n_t)], pool_of, None
    pool_id, coef = np.concatenate(pool_ids), np.concatenate(coefs)
    pos = np.concatenate(positions, axis=1)
    live = coef != 0  # zero coefficients are dropped, as linear() does
    order = np.flatnonzero(live)[np.argsort(pool_id[live], kind="stable")]
    start = np.zeros(len(ix.pools) + 1, dtype=np.int64)
    np.cumsum(np.bincount(pool_id[order], minlength=len(ix.pools)), out=start[1:])
    objs = np.empty(len(cols.objs), dtype=object)
    objs[:] = cols.objs
    per_slice = [objs[pos[s, order]].tolist() for s in range(n_t)]
    columns = (tuple(cols.tables), [cols.tables[v][0] for v in cols.tables], pos[:, order])
    return start, coef[order].tolist(), per_slice, pool_of, columns


def _record(m: pyo.ConcreteModel, ix: ModelIndex, keys: list, rows: tuple, rhs: list) -> None:
    """Record ``balance_site`` (rows ``g, t`` in pool-then-slice order) as arrays."""
    start, coef, _, _, columns = rows
    n_t = len(ix.slices)
    length = np.diff(start)
    if columns is None or not length.all():
        return
    names, offsets, pos = columns
    g_of = np.repeat(np.arange(len(length)), n_t)
    s_of = np.tile(np.arange(n_t), len(length))
    row_start = np.zeros(len(g_of) + 1, dtype=np.int64)
    np.cumsum(length[g_of], out=row_start[1:])
    term = np.repeat(start[g_of] - row_start[:-1], length[g_of]) + np.arange(row_start[-1])
    at = pos[np.repeat(s_of, length[g_of]), term]
    var = np.searchsorted(np.asarray(offsets), at, side="right") - 1
    bounds = np.asarray(rhs, dtype=float)
    arrays = (row_start, var, at - np.asarray(offsets)[var], np.asarray(coef)[term])
    record_rows(m, "balance_site", keys, names, (*arrays, bounds, bounds))


def add_balance(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add the balance of every pool and slice (and the elastic slacks).

    The rows are assembled from numpy arrays over the index's term lists (one pass per
    family, not one dictionary walk per row); each row is the ``LinearExpression`` that
    :func:`~symbio.model.expr.linear` makes of its terms, in the same order.
    """
    rows = pool_terms(ix)
    dead = [pool for pool in ix.pools if not rows.get(pool)]
    slack_pools = list(ix.pools) if opts.elastic else dead
    index = [(i, r, t) for i, r in slack_pools for t in ix.slices]
    m.balance_shortfall = pyo.Var(index, within=pyo.NonNegativeReals, doc="elastic: amount missing")
    m.balance_surplus = pyo.Var(
        index, within=pyo.NonNegativeReals, doc="elastic: amount that cannot be placed"
    )
    if not opts.elastic:
        m.balance_shortfall.fix(0)
        m.balance_surplus.fix(0)
    rows = _balance_rows(m, ix, slack_pools)
    start, coef, per_slice, pool_of, _ = rows
    supply, demand = ix.supply, ix.demand
    exprs = {}
    sides = []
    for (i, r), g in pool_of.items():
        a, b = int(start[g]), int(start[g + 1])
        for t, objs in zip(ix.slices, per_slice, strict=True):
            rhs = demand.get((i, r, t), 0.0) - supply.get((i, r, t), 0.0)
            sides.append(rhs)
            if a == b:
                exprs[i, r, t] = rhs == 0.0
            else:
                body = LinearExpression(
                    list(map(MonomialTermExpression, zip(coef[a:b], objs[a:b], strict=True)))
                )
                exprs[i, r, t] = EqualityExpression((body, rhs))
    keys = list(exprs)
    m.balance_site = pyo.Constraint(
        keys, rule=lambda m, *k: exprs[k], doc="balance of the resource at the site"
    )
    _record(m, ix, keys, rows, sides)
