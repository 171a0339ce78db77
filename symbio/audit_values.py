"""Variable values of a run read back from its planner tables, for the self-audit.

:func:`values_from_tables` turns the tables (flows, process_activity, purchases, sales,
disposal, builds) into ``{variable: {index: value}}``; :func:`balance_terms` recomputes each
term of the pool balance from them (:mod:`symbio.audit` checks the balance with it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np
import pandas as pd

from symbio.model.balance import BALANCE_TERMS
from symbio.model.index import ModelIndex
from symbio.model.tables import table_column, table_has, table_rows

Values = dict[str, dict[tuple, float]]


def values_from_tables(tables: Mapping[str, pd.DataFrame]) -> Values:
    """Variable values ``{var: {(key..., slice): value}}`` read back from the planner tables."""
    spec = {
        "link_flow": ("flows", ["link", "slice"], "amount"),
        "process_activity": ("process_activity", ["process", "slice"], "activity"),
        "market_buy": ("purchases", ["market", "site", "slice"], "amount"),
        "market_sell": ("sales", ["market", "site", "slice"], "amount"),
        "disposal_amount": ("disposal", ["disposal", "site", "slice"], "amount"),
        "substitute_use": (
            "substitutes",
            ["kind", "owner", "resource", "substitute", "slice"],
            "amount",
        ),
    }
    out: Values = {}
    for var, (name, keys, col) in spec.items():
        acc = out[var] = defaultdict(float)
        if not rows(tables, name):
            continue
        # column lists (of the builders when they are plain): no frame is built
        columns = zip(*(table_column(tables, name, k) for k in keys), strict=True)
        for key, v in zip(columns, table_column(tables, name, col), strict=True):
            acc[key] += float(v)
    empty: list = []
    have = rows(tables, "builds")
    kind = table_column(tables, "builds", "kind") if have else empty
    cols = {c: _column(tables, c) if have else empty for c in ("id", "built", "size")}
    for fam in ("link", "process"):
        pick = [n for n, k in enumerate(kind) if k == fam]  # the rows of ``kind == fam``
        ids, built, size = ([col[n] for n in pick] if col else [] for col in cols.values())
        out[f"{fam}_build"] = {(k,): float(bool(x)) for k, x in zip(ids, built, strict=True)}
        out[f"{fam}_size"] = {
            (k,): float(x)
            for k, x in zip(ids, size, strict=True)
            if x is not None and not pd.isna(x)
        }
    return out


def rows(tables: Mapping[str, pd.DataFrame], name: str) -> int:
    """Rows of table ``name`` (0 when there is none), without building it."""
    return table_rows(tables, name) if name in tables else 0


def _column(tables: Mapping[str, pd.DataFrame], name: str) -> list:
    """A column of ``builds`` as a list (empty when the table lacks it)."""
    return table_column(tables, "builds", name) if table_has(tables, "builds", name) else []


def annual(values: Values, var: str, key: tuple, slices: list[str]) -> float:
    """Yearly total of ``var`` at ``key``: a build or size as is, a flow summed over ``slices``."""
    if var in ("link_build", "process_build", "link_size", "process_size"):
        return values[var].get(key, 0.0)
    return sum(values[var].get((*key, t), 0.0) for t in slices)


def balance_terms(ix: ModelIndex, values: Values) -> tuple[list[tuple], dict[str, np.ndarray]]:
    """Every balance term per pool and slice, recomputed from the values.

    Returns the ``(site, resource, slice)`` keys (pools in index order, slices within) and,
    per term label, its values aligned with them.
    """
    cols: dict[str, dict[tuple, float]] = defaultdict(lambda: defaultdict(float))
    for (i, r, t), v in ix.supply.items():
        cols["supply"][i, r, t] += v
    for (i, r, t), v in ix.demand.items():
        cols["demand"][i, r, t] += v
    for term in BALANCE_TERMS:
        if term.terms == "pool":
            continue
        vals = values.get(term.var, {})
        for (i, r), key, coef in ix.terms.get(term.terms, ()):
            for t in ix.slices:
                v = vals.get((*key, t))
                if v:
                    cols[term.label][i, r, t] += coef * v
    keys = [(i, r, t) for i, r in ix.pools for t in ix.slices]
    return keys, {
        label: np.array([d.get(k, 0.0) for k in keys], dtype=float) for label, d in cols.items()
    }
