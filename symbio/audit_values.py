"""Variable values of a run read back from its planner tables, for the self-audit.

:func:`values_from_tables` turns the tables (flows, process_activity, purchases, sales,
disposal, builds) into ``{variable: {index: value}}``; :func:`balance_terms` recomputes each
term of the pool balance from them (:mod:`symbio.audit` checks the balance with it).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from symbio.model.balance import BALANCE_TERMS
from symbio.model.index import ModelIndex

Values = dict[str, dict[tuple, float]]


def values_from_tables(tables: dict[str, pd.DataFrame]) -> Values:
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
        df = tables.get(name, pd.DataFrame())
        acc = out[var] = defaultdict(float)
        if df.empty:
            continue
        # column lists, not itertuples: the same Python values, several times faster
        columns = zip(*(df[k].tolist() for k in keys), strict=True)
        for key, v in zip(columns, df[col].tolist(), strict=True):
            acc[key] += float(v)
    b = tables.get("builds", pd.DataFrame())
    for fam in ("link", "process"):
        rows = b[b["kind"] == fam] if not b.empty else b
        ids, built, size = (_column(rows, c) for c in ("id", "built", "size"))
        out[f"{fam}_build"] = {(k,): float(bool(x)) for k, x in zip(ids, built, strict=True)}
        out[f"{fam}_size"] = {
            (k,): float(x)
            for k, x in zip(ids, size, strict=True)
            if x is not None and not pd.isna(x)
        }
    return out


def _column(df: pd.DataFrame, name: str) -> list:
    """A column's values as a list (empty when the table lacks it)."""
    return df[name].tolist() if name in df else []


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
