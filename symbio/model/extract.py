"""Generic mapping of a solved model's ``<family>_<quantity>`` components back to tables.

Every variable becomes a DataFrame with one column per index dimension (named by
:data:`DIMS`, else ``index0, index1, ...``) and a ``value`` column; every indexed
Expression likewise. Nothing here knows what a link or a market is: the planner tables of
:mod:`symbio.model.tables` are joins of these raw tables with the model index.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pandas as pd
import pyomo.environ as pyo
from pyomo.common.numeric_types import native_numeric_types
from pyomo.core.expr.numeric_expr import (
    LinearExpression,
    MonomialTermExpression,
    ProductExpression,
    SumExpression,
)

#: Names of the index dimensions of each family's components (``<family>_<quantity>``).
DIMS: dict[str, tuple[str, ...]] = {
    "link_flow": ("link", "slice"),
    "link_build": ("link",),
    "link_size": ("link",),
    "process_activity": ("process", "slice"),
    "process_build": ("process",),
    "process_size": ("process",),
    "process_on": ("process", "slice"),
    "market_buy": ("market", "site", "slice"),
    "market_sell": ("market", "site", "slice"),
    "disposal_amount": ("disposal", "site", "slice"),
    "substitute_use": ("kind", "owner", "resource", "substitute", "slice"),
    "balance_shortfall": ("site", "resource", "slice"),
    "balance_surplus": ("site", "resource", "slice"),
    "quality_slack": ("site", "resource", "slice"),
    "policy_slack": ("criterion",),
    "emission_total": ("species",),
    "cost_term": ("component",),
    "objective_expr": ("criterion",),
}


def _frame(name: str, keys: list, values: list) -> pd.DataFrame:
    if keys == [None]:
        return pd.DataFrame({"value": values})
    tuples = [k if isinstance(k, tuple) else (k,) for k in keys]
    width = len(tuples[0]) if tuples else len(DIMS.get(name, ()))
    cols = list(DIMS.get(name, ()))[:width] or [f"index{n}" for n in range(width)]
    df = pd.DataFrame(tuples, columns=cols) if tuples else pd.DataFrame(columns=cols)
    df["value"] = values
    return df


class RawValues(Mapping[str, pd.DataFrame]):
    """The values of a solved model's components, by component name.

    ``keys[name]`` (the component's index, as Pyomo lists it) and ``values[name]`` (floats,
    NaN when unsolved) are read once; the DataFrame of a component (one column per index
    dimension and ``value``) is built only when asked for (``raw[name]``), since the planner
    tables read the lists.
    """

    def __init__(self) -> None:
        self.keys: dict[str, list] = {}
        self.values: dict[str, list[float]] = {}
        self._frames: dict[str, pd.DataFrame] = {}

    def add(self, name: str, keys: list, values: list[float]) -> None:
        """Record one component's index and values."""
        self.keys[name] = keys
        self.values[name] = values

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = _frame(name, self.keys[name], self.values[name])
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def __contains__(self, name: object) -> bool:
        return name in self.values

    def entries(self, name: str) -> tuple[list, list[float]]:
        """``(keys, values)`` of a component; empty lists when the model has none."""
        return self.keys.get(name, []), self.values.get(name, [])


def _num(v: object) -> float:
    return float("nan") if v is None else float(v)


def fast_value(e: object, memo: dict[int, float]) -> float:
    """Value of an expression built by the model families, named sub-expressions memoised.

    Sums of monomials, sums and products of named expressions and Params are evaluated
    directly (``pyo.value`` would walk a criterion's every term again for each reference);
    anything else falls back to ``pyo.value``.
    """
    cls = e.__class__
    if cls in native_numeric_types:
        return float(e)
    if cls is LinearExpression:
        total = 0.0
        for a in e.args:
            if a.__class__ is MonomialTermExpression:
                c, v = a.args
                total += (c if c.__class__ in native_numeric_types else pyo.value(c)) * _num(
                    v.value
                )
            else:
                total += fast_value(a, memo)
        return total
    if e.is_named_expression_type():
        key = id(e)
        if key not in memo:
            memo[key] = fast_value(e.expr, memo)
        return memo[key]
    if e.is_variable_type():
        return _num(e.value)
    if cls is SumExpression:
        return sum(fast_value(a, memo) for a in e.args)
    if cls in (ProductExpression, MonomialTermExpression):
        a, b = e.args
        return fast_value(a, memo) * fast_value(b, memo)
    return _num(pyo.value(e, exception=False))


def extract(m: pyo.Block) -> RawValues:
    """Return ``{component name: DataFrame}`` for every variable and indexed expression.

    Unsolved variables have ``value`` NaN.
    """
    out = RawValues()
    for var in m.component_objects(pyo.Var, descend_into=True):
        vals = [float("nan") if v.value is None else float(v.value) for v in var.values()]
        out.add(var.local_name, list(var.keys()), vals)
    memo: dict[int, float] = {}
    for expr in m.component_objects(pyo.Expression, descend_into=True):
        vals = [fast_value(e, memo) for e in expr.values()]
        out.add(expr.local_name, list(expr.keys()), vals)
    return out


def lookup(raw: RawValues, name: str, key: str) -> dict:
    """``{index: value}`` of a one-dimensional raw table (e.g. ``cost_term``)."""
    keys, values = raw.entries(name)
    if keys and not isinstance(keys[0], tuple) and DIMS.get(name, ())[:1] == (key,):
        return dict(zip(keys, values, strict=True))
    df = raw[name]
    return dict(zip(df[key], df["value"], strict=True))
