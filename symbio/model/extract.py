"""Generic mapping of a solved model's ``<family>_<quantity>`` components back to tables.

Every variable becomes a DataFrame with one column per index dimension (named by
:data:`DIMS`, else ``index0, index1, ...``) and a ``value`` column; every indexed
Expression likewise. Nothing here knows what a link or a market is: the planner tables of
:mod:`symbio.model.tables` are joins of these raw tables with the model index.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

#: Names of the index dimensions of each family's components (``<family>_<quantity>``).
DIMS: dict[str, tuple[str, ...]] = {
    "link_flow": ("link", "slice"),
    "link_build": ("link",),
    "process_activity": ("process", "slice"),
    "process_build": ("process",),
    "process_on": ("process", "slice"),
    "market_buy": ("market", "site", "slice"),
    "market_sell": ("market", "site", "slice"),
    "disposal_amount": ("disposal", "site", "slice"),
    "balance_shortfall": ("site", "resource", "slice"),
    "balance_surplus": ("site", "resource", "slice"),
    "quality_slack": ("site", "resource", "slice"),
    "policy_slack": ("criterion",),
    "emission_total": ("species",),
    "cost_term": ("component",),
    "objective_expr": ("criterion",),
}


def _frame(name: str, comp: object, values: list) -> pd.DataFrame:
    keys = list(comp.keys())
    if keys == [None]:
        return pd.DataFrame({"value": values})
    tuples = [k if isinstance(k, tuple) else (k,) for k in keys]
    width = len(tuples[0]) if tuples else len(DIMS.get(name, ()))
    cols = list(DIMS.get(name, ()))[:width] or [f"index{n}" for n in range(width)]
    df = pd.DataFrame(tuples, columns=cols) if tuples else pd.DataFrame(columns=cols)
    df["value"] = values
    return df


def _num(v: object) -> float:
    return float("nan") if v is None else float(v)


def extract(m: pyo.Block) -> dict[str, pd.DataFrame]:
    """Return ``{component name: DataFrame}`` for every variable and indexed expression.

    Unsolved variables have ``value`` NaN.
    """
    out: dict[str, pd.DataFrame] = {}
    for var in m.component_objects(pyo.Var, descend_into=True):
        vals = [float("nan") if v.value is None else float(v.value) for v in var.values()]
        out[var.local_name] = _frame(var.local_name, var, vals)
    for expr in m.component_objects(pyo.Expression, descend_into=True):
        vals = [_num(pyo.value(e, exception=False)) for e in expr.values()]
        out[expr.local_name] = _frame(expr.local_name, expr, vals)
    return out


def lookup(raw: dict[str, pd.DataFrame], name: str, key: str) -> dict:
    """``{index: value}`` of a one-dimensional raw table (e.g. ``cost_term``)."""
    df = raw[name]
    return dict(zip(df[key], df["value"], strict=True))
