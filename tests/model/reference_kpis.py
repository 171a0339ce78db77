"""The KPIs of a case as first written, with pandas operations on the case's tables.

Kept unchanged (from symbio/model/kpis.py before the KPIs were computed from plain lists) as
the reference :mod:`symbio.model.kpis` must equal bit for bit (``test_tables_fast.py``).
Only the functions that used pandas are kept here; the others come from the package.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from symbio.flows.factors import scenario_gwp
from symbio.model.exchange import hub_sources, net_exchange
from symbio.model.index import ModelIndex
from symbio.model.kpis import TOL, _Acc, _aggregate, _energy, _scenario_kpis, _water_wastes


def _by_site_resource(df: pd.DataFrame, col: str) -> dict[tuple[str, str], float]:
    """Sum of ``col`` per site and resource, keys sorted."""
    acc: dict[tuple[str, str], list[float]] = defaultdict(list)
    if not df.empty:
        for key, v in zip(zip(df["site"].tolist(), df["resource"].tolist(), strict=True),
                          df[col].tolist(), strict=True):  # fmt: skip
            acc[key].append(v)
    return {k: math.fsum(acc[k]) for k in sorted(acc)}


def case_kpis(
    ix: ModelIndex, tables: dict[str, pd.DataFrame], criteria: dict[str, float]
) -> tuple[dict, pd.DataFrame]:
    """KPIs of one case.

    Parameters
    ----------
    ix
        The model index.
    tables
        The case's planner tables (:func:`symbio.model.tables.case_tables`).
    criteria
        Values of ``objective_expr`` (cost, energy, co2, pollutants).

    Returns
    -------
    park : dict
        ``{kpi: value}``.
    sites : DataFrame
        Columns ``site, kpi, unit, value``.
    """
    acc = _Acc()
    bal = tables["site_balances"]
    amounts = {
        "prod": _by_site_resource(bal.assign(x=bal["supply"] + bal["process_output"]), "x"),
        "supplied": _by_site_resource(bal, "supply"),
        "use": _by_site_resource(
            bal.assign(x=bal["demand"] + bal["process_input"] + bal["link_input"]), "x"
        ),
        "proc_in": _by_site_resource(bal, "process_input"),
        "disp": _by_site_resource(bal, "disposal"),
        "buy": _by_site_resource(tables["purchases"], "amount"),
        "sell": _by_site_resource(tables["sales"], "amount"),
    }
    _money(ix, acc, tables)
    _energy(ix, acc, amounts)
    _water_wastes(ix, acc, amounts)
    _heat_renewables(ix, acc, amounts, tables["process_activity"])
    used = _links(ix, acc, tables)
    _scenario_kpis(ix, acc)
    park, site_rows = _aggregate(ix, acc, amounts["prod"], amounts["disp"], used, criteria)
    return park, pd.DataFrame(site_rows, columns=["site", "kpi", "unit", "value"])


def _money(ix: ModelIndex, acc: _Acc, tables: dict[str, pd.DataFrame]) -> None:
    """Cost by site (a link's costs split between its ends) and emissions by species."""
    price = ix.scenario.policy.carbon_price_cny_t
    gwp = scenario_gwp(ix.scenario)
    for df, col, sign in (
        (tables["purchases"], "cost_cny", 1),
        (tables["sales"], "revenue_cny", -1),
        (tables["disposal"], "cost_cny", 1),
        (tables["process_activity"], "variable_om_cny", 1),
    ):
        for site, v in df.groupby("site")[col].sum().items() if not df.empty else ():
            acc.add("total_cost_cny", site, sign * v)
    for row in tables["builds"].itertuples():
        if row.kind == "process":
            acc.add("total_cost_cny", row.site, row.annualised_cost_cny_a)
        else:
            acc.add("total_cost_cny", row.site, row.annualised_cost_cny_a / 2)
            acc.add("total_cost_cny", row.to, row.annualised_cost_cny_a / 2)
    fl = tables["flows"]
    for lid, amount in zip(fl["link"], fl["amount"], strict=True):
        lk = ix.links[lid]
        acc.add("total_cost_cny", lk.from_, lk.variable_cost_cny * amount / 2)
        acc.add("total_cost_cny", lk.to, lk.variable_cost_cny * amount / 2)
    em = tables["emissions"]
    for (site, sp), v in (
        em.groupby(["site", "species"])["amount_t"].sum().items() if not em.empty else ()
    ):
        acc.add("co2_t" if sp == "co2" else f"emission_{sp}_t", site, v)
        if sp in gwp:
            acc.add("co2e_t", site, gwp[sp] * v)
        if sp == "co2":
            acc.add("total_cost_cny", site, price * v)
    acc.touch("total_cost_cny")
    acc.touch("co2_t")
    acc.touch("co2e_t")
    for sp in ix.species:
        if sp != "co2":
            acc.touch(f"emission_{sp}_t")


def _heat_renewables(
    ix: ModelIndex, acc: _Acc, amounts: dict[str, dict], activity: pd.DataFrame
) -> None:
    """Waste heat available and recovered, renewable energy (tce)."""
    res = ix.resources
    supplied, disp = amounts["supplied"], amounts["disp"]
    if any(res[r].category == "heat" for _, r in supplied):
        acc.touch("waste_heat_available_tce")
        acc.touch("waste_heat_recovered_tce")
        for (site, r), v in supplied.items():
            if res[r].category == "heat":
                acc.add("waste_heat_available_tce", site, v * ix.tce[r])
                acc.add(
                    "waste_heat_recovered_tce",
                    site,
                    max(v - disp.get((site, r), 0.0), 0.0) * ix.tce[r],
                )
    if any(p.renewable for p in ix.processes.values()) or any(r.renewable for r in res.values()):
        acc.touch("renewable_energy_tce")
        for row in activity.itertuples():
            p = ix.processes[row.process]
            for r, a in p.outputs.items():
                if p.renewable or res[r].renewable:
                    acc.add("renewable_energy_tce", row.site, a * row.activity * ix.tce[r])
        for key in ("supplied", "buy"):
            for (site, r), v in amounts[key].items():
                if res[r].renewable:
                    acc.add("renewable_energy_tce", site, v * ix.tce[r])


def _links(ix: ModelIndex, acc: _Acc, tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Links in use per site, and net exchange received per site (:mod:`.exchange`)."""
    fl = tables["flows"]
    acc.touch("symbiosis_links")
    used = fl.groupby("link")["amount"].sum() if not fl.empty else pd.Series(dtype=float)
    for lid, v in used.items():
        if v > TOL:
            lk = ix.links[lid]
            acc.add("symbiosis_links", lk.from_, 1)
            acc.add("symbiosis_links", lk.to, 1)
    for r in sorted({lk.resource for lk in ix.links.values()}):
        acc.touch(f"exchanged_{r}")
    hubs = {x.id for x in ix.scenario.sites if x.kind == "hub"}
    local = hub_sources(tables["site_balances"], hubs)
    net = net_exchange(fl, hubs, local)
    for (r, to), v in net.groupby(["resource", "to"])["amount"].sum().items():
        acc.add(f"exchanged_{r}", to, v)
    return used
