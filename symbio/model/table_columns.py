"""The columns of each planner table of one solved case, from the raw values and the index.

Each function returns the table's columns, ``{name: list or array}`` in their order, computed
from the raw value lists (:class:`~symbio.model.extract.RawValues`) in plain Python and
numpy, or :class:`NoRows` (its column names) or a DataFrame when the table is empty (:mod:`symbio.model.tables` builds the frames).
The same tables written with pandas operations on the raw frames are
:mod:`symbio.model.tables_pandas`, the reference these equal value for value and dtype for
dtype (``tests/model/test_tables_fast.py``); an empty flows or activity table comes from
there, since its column dtypes are what pandas infers from no data.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from symbio.model import tables_pandas as reference
from symbio.model.balance import BALANCE_TERMS
from symbio.model.extract import RawValues
from symbio.model.index import ModelIndex
from symbio.model.objectives import emission_terms
from symbio.model.tables_pandas import BUILD_COLUMNS, TOL

#: A table's columns by name, in order (lists, arrays or Series of equal length).
Columns = dict[str, object]


@dataclass(frozen=True)
class NoRows:
    """A table without rows: its column names. Its frame, ``pd.DataFrame(columns=...)``
    (object columns), is made only when it is read (:mod:`symbio.model.tables`)."""

    columns: tuple[str, ...]

    def frame(self) -> pd.DataFrame:
        """The empty table, as the builders first returned it."""
        return pd.DataFrame(columns=list(self.columns))


def slice_values(raw: RawValues, var: str) -> dict[tuple, list[tuple[str, float]]]:
    """``key without slice -> [(slice, value), ...]`` of ``var`` (empty when it is absent)."""
    out: dict[tuple, list[tuple[str, float]]] = defaultdict(list)
    keys, vals = raw.entries(var)
    for (*key, t), v in zip(keys, vals, strict=True):
        out[tuple(key)].append((t, v))
    return out


def _built(ix: ModelIndex, raw: RawValues, family: str) -> dict[str, bool]:
    keys, vals = raw.entries(f"{family}_build")
    chosen = {k[0] if isinstance(k, tuple) else k: v > 0.5 for k, v in zip(keys, vals, strict=True)}
    recs = ix.links if family == "link" else ix.processes
    return {k: (chosen.get(k, False) if rec.candidate else True) for k, rec in recs.items()}


def _rows_of_built(ix: ModelIndex, raw: RawValues, family: str) -> tuple[list, list, list]:
    """Asset, slice and value of ``<family>_flow``/``_activity`` for existing or built assets."""
    keys, vals = raw.entries("link_flow" if family == "link" else "process_activity")
    built = _built(ix, raw, family)
    rows = [(k, t, v) for (k, t), v in zip(keys, vals, strict=True) if built.get(k, True)]
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def _sizes(raw: RawValues, family: str) -> dict[str, float]:
    keys, vals = raw.entries(f"{family}_size")
    return {k[0] if isinstance(k, tuple) else k: v for k, v in zip(keys, vals, strict=True)}


def _transpose(names: tuple[str, ...] | list[str], rows: list[tuple]) -> Columns:
    """Columns from rows (at least one row)."""
    return dict(zip(names, map(list, zip(*rows, strict=True)), strict=True))


def _share(part: np.ndarray, whole: list[float]) -> np.ndarray:
    """``part / whole`` where ``whole > 0``, else 0 (NaN also becomes 0)."""
    w = np.asarray(whole, dtype=float)
    with np.errstate(invalid="ignore"):
        out = part / np.where(w > 0, w, np.nan)
    out[np.isnan(out)] = 0.0
    return out


def flows(ix: ModelIndex, raw: RawValues) -> Columns | pd.DataFrame | NoRows:
    """Flow on every existing or built link and slice, with loss and utilisation of its bound."""
    links, slices, amount = _rows_of_built(ix, raw, "link")
    if not links:
        return reference.flows(ix, raw)
    recs = [ix.links[k] for k in links]
    resource = [rec.resource for rec in recs]
    sizes = _sizes(raw, "link")  # a sized link's bound is its chosen size's share
    bound = [
        min(ix.link_bound[k, t], ix.per_slice(sizes[k], t)) if k in sizes else ix.link_bound[k, t]
        for k, t in zip(links, slices, strict=True)
    ]
    a = np.asarray(amount, dtype=float)
    cols = {
        "link": links,
        "resource": resource,
        "from": [rec.from_ for rec in recs],
        "to": [rec.to for rec in recs],
        "slice": slices,
        "amount": amount,
        "delivered": a * (1 - np.asarray([ix.loss[k] for k in links], dtype=float)),
        "unit": [ix.resources[r].unit for r in resource],
        "bound": bound,
        "utilisation": _share(a, bound),
        "candidate": [rec.candidate for rec in recs],
    }
    return cols


def _build_row(ix: ModelIndex, family: str, k: str, rec: object, b: bool, size: float) -> tuple:
    """One asset's row of the builds table (``size``: its chosen size, if sized)."""
    link = family == "link"
    capex = ix.link_capex[k] if link else rec.capex_cny
    annual = ix.link_annual_capex if link else ix.process_annual_capex
    cap_a = annual[k] if (b and rec.candidate) else 0.0
    chosen = None
    if rec.candidate and rec.sizing is not None:
        chosen = size if b else 0.0
        capex += rec.sizing.capex_cny_per_unit * chosen
        if b:
            cap_a += rec.sizing.capex_cny_per_unit * chosen * ix.crf(rec.lifetime_y)
    om = rec.fixed_om_cny_a if b else 0.0
    return (
        family,
        k,
        rec.from_ if link else rec.site,
        rec.to if link else None,
        rec.resource if link else None,
        rec.candidate,
        b,
        rec.capacity,
        chosen,
        getattr(rec, "length_km", None),
        capex if rec.candidate else 0.0,
        cap_a,
        om,
        cap_a + om,
        rec.lifetime_y,
    )


def builds(ix: ModelIndex, raw: RawValues) -> Columns | pd.DataFrame | NoRows:
    """Every link and process: candidate or existing, built or not, capex and annualised cost (CNY/a).

    ``size`` is the chosen capacity of a sized candidate (0 when not built; empty without
    sizing); its capex includes ``capex_cny_per_unit * size``.
    """
    rows = []
    for family, recs in (("link", ix.links), ("process", ix.processes)):
        built = _built(ix, raw, family)
        sizes = _sizes(raw, family)
        rows += [
            _build_row(ix, family, k, rec, built[k], sizes.get(k, 0.0)) for k, rec in recs.items()
        ]
    if not rows:
        return pd.DataFrame(rows, columns=list(BUILD_COLUMNS))
    return _transpose(BUILD_COLUMNS, rows)


def process_activity(ix: ModelIndex, raw: RawValues) -> Columns | pd.DataFrame | NoRows:
    """Activity of every existing or built process per slice, with its load factor."""
    procs, slices, activity = _rows_of_built(ix, raw, "process")
    if not procs:
        return reference.process_activity(ix, raw)
    recs = [ix.processes[p] for p in procs]
    sizes = _sizes(raw, "process")
    capacity = [
        ix.per_slice(sizes.get(p, rec.capacity), t)
        for p, rec, t in zip(procs, recs, slices, strict=True)
    ]
    a = np.asarray(activity, dtype=float)
    cols = {
        "process": procs,
        "site": [rec.site for rec in recs],
        "slice": slices,
        "activity": activity,
        "activity_unit": [rec.activity_unit for rec in recs],
        "capacity": capacity,
        "load_factor": _share(a, capacity),
        "variable_om_cny": pd.Series([rec.variable_om_cny for rec in recs]).to_numpy() * a,
    }
    return cols


def _positive(raw: RawValues, var: str) -> tuple[list, list[float]]:
    """Keys and values of ``var`` above :data:`TOL` (NaN left out)."""
    keys, vals = raw.entries(var)
    rows = [(k, v) for k, v in zip(keys, vals, strict=True) if v > TOL]
    return [r[0] for r in rows], [r[1] for r in rows]


def _amounts(ix: ModelIndex, first: str, keys: list, amount: list, recs: list) -> Columns:
    """Id, site, resource, slice, amount and unit of a market or disposal option's rows."""
    resource = [rec.resource for rec in recs]
    return {
        first: [k[0] for k in keys],
        "site": [k[1] for k in keys],
        "resource": resource,
        "slice": [k[2] for k in keys],
        "amount": amount,
        "unit": [ix.resources[r].unit for r in resource],
    }


def _market_side(ix: ModelIndex, raw: RawValues, side: str) -> Columns | pd.DataFrame | NoRows:
    price = "buy_cny" if side == "buy" else "sell_cny"
    money = "cost_cny" if side == "buy" else "revenue_cny"
    cols = ["market", "site", "resource", "slice", "amount", "unit", "price_cny", money]
    keys, amount = _positive(raw, f"market_{side}")
    if not keys:
        return NoRows(tuple(cols))
    recs = [ix.markets[m] for m, _, _ in keys]
    data = _amounts(ix, "market", keys, amount, recs)
    data["price_cny"] = prices = pd.Series([getattr(rec, price) for rec in recs])
    data[money] = np.asarray(amount, dtype=float) * prices.to_numpy()
    return data


def purchases(ix: ModelIndex, raw: RawValues) -> Columns | pd.DataFrame | NoRows:
    """Amounts bought per market, site and slice, with cost."""
    return _market_side(ix, raw, "buy")


def sales(ix: ModelIndex, raw: RawValues) -> Columns | pd.DataFrame | NoRows:
    """Amounts sold per market, site and slice, with revenue."""
    return _market_side(ix, raw, "sell")


def disposal(ix: ModelIndex, raw: RawValues) -> Columns | pd.DataFrame | NoRows:
    """Amounts disposed of per option, site and slice, with cost."""
    cols = ["disposal", "site", "resource", "slice", "amount", "unit", "cost_cny"]
    keys, amount = _positive(raw, "disposal_amount")
    if not keys:
        return NoRows(tuple(cols))
    recs = [ix.disposals[d] for d, _, _ in keys]
    data = _amounts(ix, "disposal", keys, amount, recs)
    cost = pd.Series([rec.cost_cny for rec in recs]).to_numpy()
    data["cost_cny"] = np.asarray(amount, dtype=float) * cost
    return data


def _term_sums(ix: ModelIndex, raw: RawValues, term: object, values: dict) -> dict | None:
    """``(site, resource, slice) -> sum`` of one balance term (None: the term is absent)."""
    if term.terms == "pool":
        keys, vals = raw.entries(term.var)
        return dict(zip(keys, vals, strict=True)) if keys else None
    if term.var not in values:
        values[term.var] = slice_values(raw, term.var)
    vals, acc = values[term.var], defaultdict(list)
    for (i, r), key, coef in ix.terms.get(term.terms, ()):
        for t, v in vals.get(key, ()):
            acc[i, r, t].append(v * coef)
    return {k: math.fsum(x) for k, x in acc.items()}


def site_balances(ix: ModelIndex, raw: RawValues) -> Columns | pd.DataFrame | NoRows:
    """Every pool and slice: supply, demand and each balance term, in the resource unit.

    Sources (supply, inflow, process_output, purchase) equal sinks (demand, outflow,
    process_input, sale, disposal); the elastic diagnosis adds shortfall and surplus.
    """
    idx = [(i, r, t) for i, r in ix.pools for t in ix.slices]
    cols: dict[str, list] = {
        "site": [k[0] for k in idx],
        "resource": [k[1] for k in idx],
        "slice": [k[2] for k in idx],
        "unit": [ix.resources[r].unit for _, r, _ in idx],
        "supply": [ix.supply.get(k, 0.0) for k in idx],
    }
    demand = [ix.demand.get(k, 0.0) for k in idx]
    values: dict[str, dict] = {}
    for term in BALANCE_TERMS:
        sums = _term_sums(ix, raw, term, values)
        if sums is None:
            continue
        if term.sign < 0 and "demand" not in cols:
            cols["demand"] = demand
        if term.label not in cols:
            cols[term.label] = [float(sums.get(k, 0.0)) for k in idx]
    return cols


def substitutes(ix: ModelIndex, raw: RawValues) -> Columns | pd.DataFrame | NoRows:
    """Amount of each substitute used in place of a process input or a demand, per slice.

    ``amount`` is in the substitute's unit; ``credited`` is the amount of the nominal
    resource it stands for (``amount / factor``). Rows of zero use are left out.
    """
    cols = ["kind", "owner", "site", "resource", "substitute", "slice", "amount", "unit"]
    cols += ["factor", "credited"]
    keys, amount = _positive(raw, "substitute_use")
    if not keys:
        return NoRows(tuple(cols))
    subs = {sb.key: sb for sb in ix.substitutes}
    recs = [subs[k[:4]] for k in keys]
    factor = pd.Series([sb.factor for sb in recs])
    data = {
        "kind": [k[0] for k in keys],
        "owner": [k[1] for k in keys],
        "site": [sb.site for sb in recs],
        "resource": [k[2] for k in keys],
        "substitute": [k[3] for k in keys],
        "slice": [k[4] for k in keys],
        "amount": amount,
        "unit": [ix.resources[k[3]].unit for k in keys],
        "factor": factor,
        "credited": np.asarray(amount, dtype=float) / factor.to_numpy(),
    }
    return data


#: Source kind of each emitting variable in the emissions table.
KINDS = {
    "process_activity": "process",
    "market_buy": "purchase",
    "market_sell": "sale credit",
    "disposal_amount": "disposal",
}


def emissions(ix: ModelIndex, raw: RawValues) -> Columns | pd.DataFrame | NoRows:
    """Emissions by site, source (process, market, disposal) and species, in t per year."""
    cols = ["site", "source_kind", "source", "species", "amount_t"]
    rows: list[tuple[str, str, str, str, float]] = []
    values: dict[str, dict] = {}
    for sp, terms in emission_terms(ix).items():
        by_var: dict[str, dict[tuple[str, str], list[float]]] = {}
        for var, key, coef in terms:
            site = ix.processes[key[0]].site if var == "process_activity" else key[1]
            if var not in values:
                values[var] = slice_values(raw, var)
            got = [v * coef for _, v in values[var].get(key, ())]
            if got:
                by_var.setdefault(var, defaultdict(list))[site, key[0]].extend(got)
        for var, acc in by_var.items():
            rows += [(i, KINDS[var], src, sp, math.fsum(x)) for (i, src), x in sorted(acc.items())]
    if not rows:
        return NoRows(tuple(cols))
    kept = [r for r in rows if abs(r[4]) > TOL]
    if not kept:  # the columns' dtypes as the rows give them, no row
        return pd.DataFrame(_transpose(cols, rows)).iloc[:0]
    return _transpose(cols, kept)
