"""The planner tables as first written: pandas operations on the raw frames.

The reference that :mod:`symbio.model.tables` (which computes the same tables from the raw value
lists, several times faster) must equal value for value and dtype for dtype
(``tests/model/test_tables_fast.py``, ``benchmarks/case_tables_dump.py``). An empty flows
or activity table is still made here, since its column dtypes are what pandas infers from
no data.

Each function returns a tidy DataFrame with a ``case`` column and explicit unit columns
(``unit`` is the resource's unit; money in CNY or CNY/a; emissions in t). Rows of zero
purchases, sales, disposal and emissions are left out; flows list every existing or built
link.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from symbio.model.balance import BALANCE_TERMS
from symbio.model.extract import DIMS
from symbio.model.index import ModelIndex
from symbio.model.objectives import emission_terms

#: Rows of purchases, sales, disposal, substitutes and emissions are left out only when exactly
#: zero: a scenario may hold amounts far below any fixed threshold (a demand of 1e-9 t), and
#: every row left out would be missing from the cost and emissions the audit recomputes.
TOL = 0.0


def slice_values(raw: dict[str, pd.DataFrame], var: str) -> dict[tuple, list[tuple[str, float]]]:
    """``key without slice -> [(slice, value), ...]`` of ``var`` (empty when it is absent)."""
    out: dict[tuple, list[tuple[str, float]]] = defaultdict(list)
    df = raw.get(var)
    if df is None or df.empty:
        return out
    keys = [df[c].tolist() for c in DIMS[var][:-1]]
    for *key, t, v in zip(*keys, df["slice"].tolist(), df["value"].tolist(), strict=True):
        out[tuple(key)].append((t, v))
    return out


def _built(ix: ModelIndex, raw: dict[str, pd.DataFrame], family: str) -> dict[str, bool]:
    name = f"{family}_build"
    chosen = (
        dict(zip(raw[name][family], raw[name]["value"] > 0.5, strict=True)) if name in raw else {}
    )
    recs = ix.links if family == "link" else ix.processes
    return {k: (chosen.get(k, False) if rec.candidate else True) for k, rec in recs.items()}


def _rows_of_built(
    ix: ModelIndex, raw: dict[str, pd.DataFrame], family: str, value: str
) -> pd.DataFrame:
    """Rows of ``<family>_flow``/``_activity`` for existing or built assets, value renamed."""
    var = "link_flow" if family == "link" else "process_activity"
    built = _built(ix, raw, family)
    df = raw[var].rename(columns={"value": value})
    return df[df[family].map(built).astype(bool)].copy()


def _sizes(raw: dict[str, pd.DataFrame], family: str) -> dict[str, float]:
    name = f"{family}_size"
    if name not in raw or raw[name].empty:
        return {}
    return dict(zip(raw[name][family], raw[name]["value"], strict=True))


def flows(ix: ModelIndex, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Flow on every existing or built link and slice, with loss and utilisation of its bound."""
    df = _rows_of_built(ix, raw, "link", "amount")
    lk = ix.links
    df["resource"] = df["link"].map(lambda k: lk[k].resource)
    df["from"] = df["link"].map(lambda k: lk[k].from_)
    df["to"] = df["link"].map(lambda k: lk[k].to)
    df["candidate"] = df["link"].map(lambda k: lk[k].candidate)
    df["delivered"] = df["amount"] * (1 - df["link"].map(ix.loss))
    df["unit"] = df["resource"].map(lambda r: ix.resources[r].unit)
    sizes = _sizes(raw, "link")  # a sized link's bound is its chosen size's share
    df["bound"] = [
        min(ix.link_bound[k, t], ix.per_slice(sizes[k], t)) if k in sizes else ix.link_bound[k, t]
        for k, t in zip(df["link"], df["slice"], strict=True)
    ]
    df["utilisation"] = (df["amount"] / df["bound"].where(df["bound"] > 0)).fillna(0.0)
    cols = [
        "link",
        "resource",
        "from",
        "to",
        "slice",
        "amount",
        "delivered",
        "unit",
        "bound",
        "utilisation",
        "candidate",
    ]
    return df[cols].reset_index(drop=True)


#: Columns of the builds table.
BUILD_COLUMNS = (
    "kind",
    "id",
    "site",
    "to",
    "resource",
    "candidate",
    "built",
    "capacity",
    "size",
    "length_km",
    "capex_cny",
    "annualised_capex_cny_a",
    "fixed_om_cny_a",
    "annualised_cost_cny_a",
    "lifetime_y",
)


def builds(ix: ModelIndex, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every link and process: candidate or existing, built or not, capex and annualised cost (CNY/a).

    ``size`` is the chosen capacity of a sized candidate (0 when not built; empty without
    sizing); its capex includes ``capex_cny_per_unit * size``.
    """
    rows = []
    for family, recs, annual in (
        ("link", ix.links, ix.link_annual_capex),
        ("process", ix.processes, ix.process_annual_capex),
    ):
        built = _built(ix, raw, family)
        sizes = _sizes(raw, family)
        for k, rec in recs.items():
            b = built[k]
            capex = ix.link_capex[k] if family == "link" else rec.capex_cny
            cap_a = annual[k] if (b and rec.candidate) else 0.0
            size = None
            if rec.candidate and rec.sizing is not None:
                size = sizes.get(k, 0.0) if b else 0.0
                capex += rec.sizing.capex_cny_per_unit * size
                if b:
                    cap_a += rec.sizing.capex_cny_per_unit * size * ix.crf(rec.lifetime_y)
            om = rec.fixed_om_cny_a if b else 0.0
            rows.append(
                {
                    "kind": family,
                    "id": k,
                    "site": rec.from_ if family == "link" else rec.site,
                    "to": rec.to if family == "link" else None,
                    "resource": rec.resource if family == "link" else None,
                    "candidate": rec.candidate,
                    "built": b,
                    "capacity": rec.capacity,
                    "size": size,
                    "length_km": getattr(rec, "length_km", None),
                    "capex_cny": capex if rec.candidate else 0.0,
                    "annualised_capex_cny_a": cap_a,
                    "fixed_om_cny_a": om,
                    "annualised_cost_cny_a": cap_a + om,
                    "lifetime_y": rec.lifetime_y,
                }
            )
    return pd.DataFrame(rows, columns=list(BUILD_COLUMNS))


def process_activity(ix: ModelIndex, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Activity of every existing or built process per slice, with its load factor."""
    df = _rows_of_built(ix, raw, "process", "activity")
    pr = ix.processes
    df["site"] = df["process"].map(lambda p: pr[p].site)
    df["activity_unit"] = df["process"].map(lambda p: pr[p].activity_unit)
    sizes = _sizes(raw, "process")
    df["capacity"] = [
        ix.per_slice(sizes[p] if p in sizes else pr[p].capacity, t)
        for p, t in zip(df["process"], df["slice"], strict=True)
    ]
    df["load_factor"] = (df["activity"] / df["capacity"].where(df["capacity"] > 0)).fillna(0.0)
    df["variable_om_cny"] = df["process"].map(lambda p: pr[p].variable_om_cny) * df["activity"]
    return df[
        [
            "process",
            "site",
            "slice",
            "activity",
            "activity_unit",
            "capacity",
            "load_factor",
            "variable_om_cny",
        ]
    ].reset_index(drop=True)


def _market_side(ix: ModelIndex, raw: dict[str, pd.DataFrame], side: str) -> pd.DataFrame:
    var = f"market_{side}"
    price = "buy_cny" if side == "buy" else "sell_cny"
    money = "cost_cny" if side == "buy" else "revenue_cny"
    cols = ["market", "site", "resource", "slice", "amount", "unit", "price_cny", money]
    df = raw[var].rename(columns={"value": "amount"})
    df = df[df["amount"] > TOL].copy()
    if df.empty:
        return pd.DataFrame(columns=cols)
    mk = ix.markets
    df["resource"] = df["market"].map(lambda m: mk[m].resource)
    df["unit"] = df["resource"].map(lambda r: ix.resources[r].unit)
    df["price_cny"] = df["market"].map(lambda m: getattr(mk[m], price))
    df[money] = df["amount"] * df["price_cny"]
    return df[cols].reset_index(drop=True)


def purchases(ix: ModelIndex, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Amounts bought per market, site and slice, with cost."""
    return _market_side(ix, raw, "buy")


def sales(ix: ModelIndex, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Amounts sold per market, site and slice, with revenue."""
    return _market_side(ix, raw, "sell")


def disposal(ix: ModelIndex, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Amounts disposed of per option, site and slice, with cost."""
    cols = ["disposal", "site", "resource", "slice", "amount", "unit", "cost_cny"]
    df = raw["disposal_amount"].rename(columns={"value": "amount"})
    df = df[df["amount"] > TOL].copy()
    if df.empty:
        return pd.DataFrame(columns=cols)
    dp = ix.disposals
    df["resource"] = df["disposal"].map(lambda d: dp[d].resource)
    df["unit"] = df["resource"].map(lambda r: ix.resources[r].unit)
    df["cost_cny"] = df["amount"] * df["disposal"].map(lambda d: dp[d].cost_cny)
    return df[cols].reset_index(drop=True)


def site_balances(ix: ModelIndex, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every pool and slice: supply, demand and each balance term, in the resource unit.

    Sources (supply, inflow, process_output, purchase) equal sinks (demand, outflow,
    process_input, sale, disposal); the elastic diagnosis adds shortfall and surplus.
    """
    keys = ["site", "resource", "slice"]
    idx = pd.MultiIndex.from_tuples([(i, r, t) for i, r in ix.pools for t in ix.slices], names=keys)
    out = pd.DataFrame(index=idx)
    out["unit"] = [ix.resources[r].unit for _, r, _ in idx]
    out["supply"] = [ix.supply.get(k, 0.0) for k in idx]
    out["demand"] = [ix.demand.get(k, 0.0) for k in idx]
    order = ["supply"]
    values: dict[str, dict] = {}
    for term in BALANCE_TERMS:
        if term.terms == "pool":
            part = raw.get(term.var)
            if part is None or part.empty:
                continue
            sums = dict(
                zip(part[keys].itertuples(index=False, name=None), part["value"], strict=True)
            )
        else:
            if term.var not in values:
                values[term.var] = slice_values(raw, term.var)
            vals, acc = values[term.var], defaultdict(list)
            for (i, r), key, coef in ix.terms.get(term.terms, ()):
                for t, v in vals.get(key, ()):
                    acc[i, r, t].append(v * coef)
            sums = {k: math.fsum(x) for k, x in acc.items()}
        out[term.label] = [float(sums.get(k, 0.0)) for k in idx]
        if term.sign < 0 and "demand" not in order:
            order.append("demand")
        if term.label not in order:
            order.append(term.label)
    return out.reset_index()[[*keys, "unit", *order]]


def substitutes(ix: ModelIndex, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Amount of each substitute used in place of a process input or a demand, per slice.

    ``amount`` is in the substitute's unit; ``credited`` is the amount of the nominal
    resource it stands for (``amount / factor``). Rows of zero use are left out.
    """
    cols = ["kind", "owner", "site", "resource", "substitute", "slice", "amount", "unit"]
    cols += ["factor", "credited"]
    part = raw.get("substitute_use")
    if part is None or part.empty:
        return pd.DataFrame(columns=cols)
    df = part.rename(columns={"value": "amount"})
    df = df[df["amount"] > TOL].copy()
    if df.empty:
        return pd.DataFrame(columns=cols)
    subs = {sb.key: sb for sb in ix.substitutes}
    key = list(zip(df["kind"], df["owner"], df["resource"], df["substitute"], strict=True))
    df["site"] = [subs[k].site for k in key]
    df["unit"] = df["substitute"].map(lambda r: ix.resources[r].unit)
    df["factor"] = [subs[k].factor for k in key]
    df["credited"] = df["amount"] / df["factor"]
    return df[cols].reset_index(drop=True)


def emissions(ix: ModelIndex, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Emissions by site, source (process, market, disposal) and species, in t per year."""
    cols = ["site", "source_kind", "source", "species", "amount_t"]
    frames = []
    kinds = {
        "process_activity": "process",
        "market_buy": "purchase",
        "market_sell": "sale credit",
        "disposal_amount": "disposal",
    }
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
            rows = [(i, src, math.fsum(x)) for (i, src), x in sorted(acc.items())]
            df = pd.DataFrame(rows, columns=["site", "source", "amount_t"])
            df["species"], df["source_kind"] = sp, kinds[var]
            frames.append(df)
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    return out[out["amount_t"].abs() > TOL][cols].reset_index(drop=True)


#: Table name -> function, in the order they are written.
TABLES = {
    "flows": flows,
    "builds": builds,
    "process_activity": process_activity,
    "purchases": purchases,
    "sales": sales,
    "disposal": disposal,
    "substitutes": substitutes,
    "site_balances": site_balances,
    "emissions": emissions,
}


def case_tables(ix: ModelIndex, raw: dict[str, pd.DataFrame], case: str) -> dict[str, pd.DataFrame]:
    """All planner tables of one case, each with ``case`` as first column."""
    out = {}
    for name, fn in TABLES.items():
        df = fn(ix, raw)
        df.insert(0, "case", case)
        out[name] = df
    return out
