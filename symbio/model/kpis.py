"""Key performance indicators of one solved case, for the park and for each site.

Names follow ``docs/formulation.md`` (the scoring engineer's indicator formulas read them).
A KPI is produced only when the scenario allows it (e.g. water KPIs need a resource of
category water). Amounts in t convert mass units (kg, kt) and, for water categories,
volumes at 1 t/m3; resources in other units are left out of the t totals.

Per-site values use the same names. Costs are attributed to the site where they arise
(processes, purchases, sales, disposal, carbon cost of the site's emissions); a link's
annualised cost and variable cost are split equally between its two ends.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from symbio.flows.factors import scenario_gwp
from symbio.model.exchange import net_rows
from symbio.model.index import ModelIndex
from symbio.model.kpi_units import CRITERION_KPI, criterion_kpi, kpi_unit, tonnes
from symbio.model.pandas_sums import group_sum, row_sum
from symbio.model.tables import table_column, table_has, table_rows

__all__ = [
    "CRITERION_KPI",
    "KPI_TABLES",
    "TOL",
    "case_kpis",
    "criterion_kpi",
    "kpi_unit",
    "park_kpis",
    "tonnes",
]

TOL = 1e-9
#: The planner tables the KPIs read (:func:`case_kpis`, :func:`park_kpis`).
KPI_TABLES = (
    "flows",
    "builds",
    "process_activity",
    "purchases",
    "sales",
    "disposal",
    "site_balances",
    "emissions",
)


def _by_site_resource(
    sites: list[str], resources: list[str], *columns: list[float]
) -> list[dict[tuple[str, str], float]]:
    """Per column of ``columns``: the sum of its values per site and resource, keys sorted.

    The rows are grouped once for all columns; each group's values are summed in row
    order (``math.fsum``), as one column alone would be.
    """
    rows: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, key in enumerate(zip(sites, resources, strict=True)):
        rows[key].append(n)
    keys = sorted(rows)
    out = []
    for values in columns:
        if len(values) != len(sites):
            raise ValueError(f"{len(values)} values for {len(sites)} rows")
        out.append({k: math.fsum([values[n] for n in rows[k]]) for k in keys})
    return out


def _columns(tables: dict[str, pd.DataFrame], name: str, *cols: str) -> list[list]:
    """Columns of a table as lists (Python scalars, as iterating the table gives them)."""
    return [table_column(tables, name, c) for c in cols]


class _Acc:
    """Accumulates KPI values per site (``None`` key: park-only values)."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str | None, float]] = defaultdict(lambda: defaultdict(float))

    def add(self, name: str, site: str | None, value: float) -> None:
        self.values[name][site] += value

    def touch(self, name: str) -> None:
        self.values[name]  # noqa: B018 - create the KPI with no contribution yet


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
    park, site_rows = _kpis(ix, tables, criteria, sites=True)
    return park, pd.DataFrame(site_rows, columns=["site", "kpi", "unit", "value"])


def park_kpis(
    ix: ModelIndex, tables: dict[str, pd.DataFrame], criteria: dict[str, float]
) -> dict[str, float]:
    """The park KPIs of :func:`case_kpis` alone (no site rows made), read from the tables
    in :data:`KPI_TABLES`: the same sums in the same order."""
    park, _ = _kpis(ix, tables, criteria, sites=False)
    return park


def _kpis(
    ix: ModelIndex, tables: dict[str, pd.DataFrame], criteria: dict[str, float], *, sites: bool
) -> tuple[dict, list]:
    acc = _Acc()
    site, res, supply, out, demand, proc_in, link_in, disp = _columns(
        tables, "site_balances", "site", "resource", "supply", "process_output", "demand",
        "process_input", "link_input", "disposal",
    )  # fmt: skip
    prod, supplied, use, used_in, disposed = _by_site_resource(
        site,
        res,
        [a + b for a, b in zip(supply, out, strict=True)],
        supply,
        [a + b + c for a, b, c in zip(demand, proc_in, link_in, strict=True)],
        proc_in,
        disp,
    )
    (buy,) = _by_site_resource(*_columns(tables, "purchases", "site", "resource", "amount"))
    (sell,) = _by_site_resource(*_columns(tables, "sales", "site", "resource", "amount"))
    amounts = {
        "prod": prod,
        "supplied": supplied,
        "use": use,
        "proc_in": used_in,
        "disp": disposed,
        "buy": buy,
        "sell": sell,
    }
    _money(ix, acc, tables)
    _energy(ix, acc, amounts)
    _water_wastes(ix, acc, amounts)
    _heat_renewables(ix, acc, amounts, tables)
    used = _links(ix, acc, tables)
    _scenario_kpis(ix, acc)
    return _aggregate(ix, acc, amounts["prod"], amounts["disp"], used, criteria, sites=sites)


def _money(ix: ModelIndex, acc: _Acc, tables: dict[str, pd.DataFrame]) -> None:
    """Cost by site (a link's costs split between its ends) and emissions by species."""
    price = ix.scenario.policy.carbon_price_cny_t
    gwp = scenario_gwp(ix.scenario)
    for name, col, sign in (
        ("purchases", "cost_cny", 1),
        ("sales", "revenue_cny", -1),
        ("disposal", "cost_cny", 1),
        ("process_activity", "variable_om_cny", 1),
    ):
        empty = not table_rows(tables, name)
        for site, v in group_sum(*_columns(tables, name, "site", col)) if not empty else ():
            acc.add("total_cost_cny", site, sign * v)
    for kind, aid, site, cost in zip(
        *_columns(tables, "builds", "kind", "id", "site", "annualised_cost_cny_a"), strict=True
    ):
        if kind == "process":
            acc.add("total_cost_cny", site, cost)
        else:  # a link's "to" (the table's column lists NaN for processes)
            acc.add("total_cost_cny", site, cost / 2)
            acc.add("total_cost_cny", ix.links[aid].to, cost / 2)
    for lid, amount in zip(*_columns(tables, "flows", "link", "amount"), strict=True):
        lk = ix.links[lid]
        acc.add("total_cost_cny", lk.from_, lk.variable_cost_cny * amount / 2)
        acc.add("total_cost_cny", lk.to, lk.variable_cost_cny * amount / 2)
    site, species, amount = _columns(tables, "emissions", "site", "species", "amount_t")
    for (i, sp), v in group_sum(zip(site, species, strict=True), amount):
        acc.add("co2_t" if sp == "co2" else f"emission_{sp}_t", i, v)
        if sp in gwp:
            acc.add("co2e_t", i, gwp[sp] * v)
        if sp == "co2":
            acc.add("total_cost_cny", i, price * v)
    acc.touch("total_cost_cny")
    acc.touch("co2_t")
    acc.touch("co2e_t")
    for sp in ix.species:
        if sp != "co2":
            acc.touch(f"emission_{sp}_t")


def _energy(ix: ModelIndex, acc: _Acc, amounts: dict[str, dict]) -> None:
    """Net purchased energy (tce), all and fossil."""
    acc.touch("energy_tce")
    acc.touch("fossil_energy_tce")
    for key, sign in (("buy", 1), ("sell", -1)):
        for (site, r), v in amounts[key].items():
            tce = ix.tce[r] * v * sign
            acc.add("energy_tce", site, tce)
            if not ix.resources[r].renewable:
                acc.add("fossil_energy_tce", site, tce)


def _water_wastes(ix: ModelIndex, acc: _Acc, amounts: dict[str, dict]) -> None:
    """Water, wastewater, wastes and by-products in t."""
    res = ix.resources
    cats = {r.category for r in res.values()}
    if "water" in cats or "reclaimed_water" in cats:
        for name in ("fresh_water_t", "water_use_t", "reused_water_t"):
            acc.touch(name)
    if "wastewater" in cats:
        acc.touch("wastewater_discharge_t")
    for cat in ("hazardous_waste", "solid_waste"):
        if cat in cats:
            acc.touch(f"{cat}_t")
            acc.touch(f"{cat}_utilised_t")
    t_per = {r: tonnes(ix, r) for r in res}
    if any(r.category == "byproduct" and t_per[r.id] for r in res.values()):
        acc.touch("byproduct_supply_t")
        acc.touch("byproduct_utilised_t")

    def add_t(name: str, key: str, category: str | tuple) -> None:
        cats_ = (category,) if isinstance(category, str) else category
        for (site, r), v in amounts[key].items():
            k = t_per[r]
            if res[r].category in cats_ and k:
                acc.add(name, site, v * k)

    add_t("fresh_water_t", "buy", "water")
    add_t("water_use_t", "use", ("water", "reclaimed_water"))
    add_t("reused_water_t", "use", "reclaimed_water")
    add_t("wastewater_discharge_t", "disp", "wastewater")
    for cat in ("hazardous_waste", "solid_waste"):
        add_t(f"{cat}_t", "prod", cat)
        add_t(f"{cat}_utilised_t", "proc_in", cat)
    add_t("byproduct_supply_t", "prod", "byproduct")
    disp = amounts["disp"]
    for (site, r), v in amounts["prod"].items():
        k = t_per[r]
        if res[r].category == "byproduct" and k:
            acc.add("byproduct_utilised_t", site, (v - disp.get((site, r), 0.0)) * k)


def _heat_renewables(
    ix: ModelIndex, acc: _Acc, amounts: dict[str, dict], tables: dict[str, pd.DataFrame]
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
        for pid, site, activity_ in zip(
            *_columns(tables, "process_activity", "process", "site", "activity"), strict=True
        ):
            p = ix.processes[pid]
            for r, a in p.outputs.items():
                if p.renewable or res[r].renewable:
                    acc.add("renewable_energy_tce", site, a * activity_ * ix.tce[r])
        for key in ("supplied", "buy"):
            for (site, r), v in amounts[key].items():
                if res[r].renewable:
                    acc.add("renewable_energy_tce", site, v * ix.tce[r])


def _hub_own(
    tables: dict[str, pd.DataFrame], hubs: set[str]
) -> dict[tuple[str, str], dict[str, float]]:
    """``(resource, slice) -> {hub: amount}`` that hubs supply, produce or buy themselves.

    As :func:`symbio.model.exchange.hub_sources` and :func:`~.exchange.net_exchange` read it.
    """
    cols = [
        c for c in ("supply", "process_output", "purchase") if table_has(tables, "site_balances", c)
    ]
    own: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    site, res, sl, *parts = _columns(tables, "site_balances", "site", "resource", "slice", *cols)
    for i, r, t, *vals in zip(site, res, sl, *parts, strict=True):
        if i in hubs:
            v = row_sum(vals) if cols else 0.0
            if v > 0:
                own[r, t][i] = own[r, t].get(i, 0.0) + float(v)
    return own


def _links(ix: ModelIndex, acc: _Acc, tables: dict[str, pd.DataFrame]) -> list[float]:
    """Links in use per site, and net exchange received per site (:mod:`.exchange`).

    Returns the amount each link carries over the year.
    """
    flows = table_rows(tables, "flows")
    acc.touch("symbiosis_links")
    used = group_sum(*_columns(tables, "flows", "link", "amount")) if flows else []
    for lid, v in used:
        if v > TOL:
            lk = ix.links[lid]
            acc.add("symbiosis_links", lk.from_, 1)
            acc.add("symbiosis_links", lk.to, 1)
    for r in sorted({lk.resource for lk in ix.links.values()}):
        acc.touch(f"exchanged_{r}")
    if not flows:
        return []
    hubs = {x.id for x in ix.scenario.sites if x.kind == "hub"}
    cols = ("resource", "slice", "from", "to", "amount", "delivered")
    net = net_rows(
        zip(*_columns(tables, "flows", *cols), strict=True), hubs, _hub_own(tables, hubs)
    )
    for (r, to), v in group_sum([(n[0], n[3]) for n in net], [n[4] for n in net]):
        acc.add(f"exchanged_{r}", to, v)
    return [v for _, v in used]


def _scenario_kpis(ix: ModelIndex, acc: _Acc) -> None:
    s = ix.scenario
    for field in ("value_added_1e4cny", "output_value_1e4cny", "land_km2", "employees"):
        vals = [
            (x.id, getattr(x.economics, field))
            for x in s.sites
            if x.economics is not None and getattr(x.economics, field) is not None
        ]
        for site, v in vals:
            acc.add(field, site, v)
    ent = [x for x in s.sites if x.kind == "enterprise"]
    if ent:
        for x in ent:
            audited = bool(x.audits)
            multi = len(x.audits) >= 2 or any(a.round >= 2 for a in x.audits)
            acc.add("enterprises", x.id, 1)
            acc.add("key_enterprises", x.id, float(x.key_enterprise))
            acc.add("key_enterprises_audited", x.id, float(x.key_enterprise and audited))
            acc.add("enterprises_audited", x.id, float(audited))
            acc.add("enterprises_multi_round_audit", x.id, float(multi))


def _aggregate(
    ix: ModelIndex,
    acc: _Acc,
    prod: dict,
    disp: dict,
    used: list[float],
    criteria: dict[str, float],
    *,
    sites: bool = True,
) -> tuple[dict, list]:
    """Park values (sums over sites, or the criteria) and the site rows (none unless
    ``sites``)."""
    park: dict[str, float] = {}
    rows = []
    for name, by_site in acc.values.items():
        park[name] = float(sum(by_site.values()))
        if sites:
            unit = kpi_unit(ix, name)
            rows += [
                (site, name, unit, float(v)) for site, v in by_site.items() if site is not None
            ]
    # park values that are not sums over sites
    park["total_cost_cny"] = float(criteria.get("cost", park.get("total_cost_cny", 0.0)))
    park["energy_tce"] = float(criteria.get("energy", park.get("energy_tce", 0.0)))
    park["co2_t"] = float(criteria.get("co2", park.get("co2_t", 0.0)))
    park["co2e_t"] = float(criteria.get("co2e", park.get("co2e_t", 0.0)))
    for sp in ix.species:
        if sp != "co2":
            park[f"emission_{sp}_t"] = float(criteria.get(sp, park.get(f"emission_{sp}_t", 0.0)))
    park["symbiosis_links"] = float(sum(1 for v in used if v > TOL))
    for r, rec in ix.resources.items():
        if rec.category != "byproduct":
            continue
        total = sum(v for (_, rr), v in prod.items() if rr == r)
        if total > TOL:
            wasted = sum(v for (_, rr), v in disp.items() if rr == r)
            park[f"byproduct_utilisation_{r}"] = max(0.0, 1.0 - wasted / total)
            for (site, rr), v in prod.items() if sites else ():
                if rr == r and v > TOL:
                    share = max(0.0, 1.0 - disp.get((site, r), 0.0) / v)
                    rows.append((site, f"byproduct_utilisation_{r}", "share", share))
    park = {
        k: (0.0 if isinstance(v, float) and math.isclose(v, 0.0, abs_tol=1e-12) else v)
        for k, v in park.items()
    }
    return park, rows
