"""Accounting expressions (emissions, primary energy, annualised cost) and the objective.

Emissions of species k (t/a), by source:

    emission_total[k] = sum_{p,t} e[p,k] * process_activity[p,t]         direct: process, combustion, venting
                      + sum_{m,i,t} e[m,k] * market_buy[m,i,t]            purchased electricity, heat, ...
                      - sum_{m,i,t} e[m,k] * market_sell[m,i,t]           only if sell_emissions_credit
                      + sum_{d,i,t} e[d,k] * disposal_amount[d,i,t]       flaring, venting, incineration

Primary energy (t ce/a; comprehensive consumption, equivalent value, GB/T 2589):

    energy_total = sum_{m,i,t} tce_r * (market_buy[m,i,t] - market_sell[m,i,t])

Annualised cost (CNY/a), ``cost_term[c]`` for each component ``c``:

    capex      sum_l capex_l * CRF_l * link_build[l] + sum_p capex_p * CRF_p * process_build[p]
               + sum_{sized l} c_l * CRF_l * link_size[l] + sum_{sized p} c_p * CRF_p * process_size[p]
               (c: sizing.capex_cny_per_unit)
    fixed_om   fixed O&M of candidates x build + fixed O&M of existing links and processes
    variable   sum variable_om_p * process_activity + sum variable_cost_l * link_flow
    purchases  sum buy_cny * market_buy
    sales      - sum sell_cny * market_sell
    disposal   sum cost_cny * disposal_amount
    carbon     policy_carbon_price * emission_total[co2]

``objective_expr[k]`` holds one Expression per criterion: ``cost`` (the sum of the cost
terms), ``energy``, ``co2``, ``co2e`` (``co2 + GWP_ch4 * ch4 + GWP_n2o * n2o`` with the GWP set
of the factor set, ``flows.factors.scenario_gwp``) and every pollutant of ``schema.POLLUTANTS``
(the carbon price applies to CO2 only, as in China's ETS). The active
``objective`` minimises one of them, or the weighted sum
``sum_k objective_weight[k] * objective_expr[k] / objective_scale[k]`` (mutable Params),
or, in the elastic model, the total slack.

=================================  ===========================================
``emission_total[k]``              t of species k per year
``energy_total``                   t ce per year
``cost_term[c]``                   CNY per year of cost component c
``policy_carbon_price``            mutable Param, CNY/t CO2
``objective_expr[k]``              criterion k (cost, energy, co2, co2e, pollutants)
``objective_weight[k]``            mutable Param (weighted objective only)
``objective_scale[k]``             mutable Param (weighted objective only)
``objective``                      the active Objective
=================================  ===========================================
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from symbio.flows.factors import scenario_gwp
from symbio.flows.schema import CRITERIA, SPECIES
from symbio.model.expr import VarData, linear
from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions

COST_TERMS = ("capex", "fixed_om", "variable", "purchases", "sales", "disposal", "carbon")


def emission_terms(ix: ModelIndex) -> dict[str, list[tuple[str, tuple, float]]]:
    """``species -> [(var, key without slice, t per unit)]`` over processes, markets, disposal."""
    out: dict[str, list] = defaultdict(list)
    for (p, sp), e in ix.process_emissions.items():
        out[sp].append(("process_activity", (p,), e))
    for mid, i in ix.buys:
        for sp, e in ix.markets[mid].emissions.items():
            out[sp].append(("market_buy", (mid, i), float(e)))
    for mid, i in ix.sells:
        mk = ix.markets[mid]
        if mk.sell_emissions_credit:
            for sp, e in mk.emissions.items():
                out[sp].append(("market_sell", (mid, i), -float(e)))
    for d, i in ix.disposal_sites:
        for sp, e in ix.disposals[d].emissions.items():
            out[sp].append(("disposal_amount", (d, i), float(e)))
    return out


def _linear(data: VarData, ix: ModelIndex, terms: list[tuple[str, tuple, float]]) -> object:
    return linear((c, data[var][(*key, t)]) for var, key, c in terms if c for t in ix.slices)


def add_emissions(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add ``emission_total[k]`` for every species."""
    terms = emission_terms(ix)
    data = VarData(m)
    m.emission_total = pyo.Expression(
        list(SPECIES),
        rule=lambda m, sp: _linear(data, ix, terms.get(sp, [])),
        doc="t of the species per year",
    )


def add_energy(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add ``energy_total``: purchases minus sales, in t ce."""
    terms = [("market_buy", (mid, i), ix.tce[ix.markets[mid].resource]) for mid, i in ix.buys]
    terms += [("market_sell", (mid, i), -ix.tce[ix.markets[mid].resource]) for mid, i in ix.sells]
    m.energy_total = pyo.Expression(
        expr=_linear(VarData(m), ix, terms), doc="primary energy, t ce per year"
    )


def cost_terms(ix: ModelIndex) -> tuple[dict[str, list[tuple[str, tuple, float]]], float]:
    """Linear cost terms per component (annual, slice-summed) and the constant fixed O&M."""
    out: dict[str, list] = defaultdict(list)
    const = 0.0
    for lid, lk in ix.links.items():
        if lk.candidate:
            out["capex"].append(("link_build", (lid,), ix.link_annual_capex[lid]))
            out["fixed_om"].append(("link_build", (lid,), lk.fixed_om_cny_a))
            if lk.sizing is not None:
                k = lk.sizing.capex_cny_per_unit * ix.crf(lk.lifetime_y)
                out["capex"].append(("link_size", (lid,), k))
        else:
            const += lk.fixed_om_cny_a
        out["variable"].append(("link_flow", (lid,), lk.variable_cost_cny))
    for p, rec in ix.processes.items():
        if rec.candidate:
            out["capex"].append(("process_build", (p,), ix.process_annual_capex[p]))
            out["fixed_om"].append(("process_build", (p,), rec.fixed_om_cny_a))
            if rec.sizing is not None:
                k = rec.sizing.capex_cny_per_unit * ix.crf(rec.lifetime_y)
                out["capex"].append(("process_size", (p,), k))
        else:
            const += rec.fixed_om_cny_a
        out["variable"].append(("process_activity", (p,), rec.variable_om_cny))
    out["purchases"] = [("market_buy", (mid, i), ix.markets[mid].buy_cny) for mid, i in ix.buys]
    out["sales"] = [("market_sell", (mid, i), -ix.markets[mid].sell_cny) for mid, i in ix.sells]
    out["disposal"] = [
        ("disposal_amount", (d, i), ix.disposals[d].cost_cny) for d, i in ix.disposal_sites
    ]
    return out, const


def add_costs(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add ``cost_term[c]`` and the mutable carbon price."""
    terms, const = cost_terms(ix)
    data = VarData(m)
    m.policy_carbon_price = pyo.Param(
        initialize=ix.scenario.policy.carbon_price_cny_t, mutable=True, doc="CNY per t CO2"
    )

    def rule(m: pyo.ConcreteModel, c: str) -> object:
        if c == "carbon":
            return m.policy_carbon_price * m.emission_total["co2"]
        if c in ("capex", "fixed_om"):  # per build decision, not per slice
            expr = linear((k, getattr(m, var)[key]) for var, key, k in terms.get(c, []))
            return expr + const if c == "fixed_om" else expr
        return _linear(data, ix, terms.get(c, []))

    m.cost_term = pyo.Expression(COST_TERMS, rule=rule, doc="CNY per year")


def add_criteria(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add ``objective_expr[k]`` for cost, energy, co2, co2e and every pollutant."""
    gwp = scenario_gwp(ix.scenario)

    def rule(m: pyo.ConcreteModel, k: str) -> object:
        if k == "cost":
            return pyo.quicksum(m.cost_term[c] for c in COST_TERMS)
        if k == "energy":
            return m.energy_total
        if k == "co2e":
            return pyo.quicksum(w * m.emission_total[sp] for sp, w in gwp.items())
        return m.emission_total[k]

    m.objective_expr = pyo.Expression(
        CRITERIA, rule=rule, doc="criteria that can be minimised or capped"
    )


def elastic_penalty(m: pyo.ConcreteModel, ix: ModelIndex) -> object:
    """Total slack of the elastic model.

    Shortfalls, surpluses and cap excesses count 1 per unit; a quality violation (quality x
    amount) counts per unit of the limit, i.e. as the amount that would be entirely off-spec.
    """
    terms = [
        (1.0, v)
        for name in ("balance_shortfall", "balance_surplus", "policy_slack")
        for v in getattr(m, name).values()
    ]
    for (j, r, _), v in m.quality_slack.items():
        terms.append((1.0 / max(abs(ix.quality_limits[j, r][0]), 1.0), v))
    return linear(terms)


def add_objective(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add the active objective: one criterion, a weighted sum, or the elastic penalty."""
    if opts.elastic:
        m.objective = pyo.Objective(expr=elastic_penalty(m, ix), sense=pyo.minimize)
        return
    weights = opts.weights if opts.weights is not None else ix.scenario.objective.weights
    if weights:
        m.objective_weight = pyo.Param(
            CRITERIA, initialize=lambda m, k: float(weights.get(k, 0.0)), mutable=True
        )
        m.objective_scale = pyo.Param(CRITERIA, initialize=1.0, mutable=True)
        m.objective = pyo.Objective(
            expr=pyo.quicksum(
                m.objective_weight[k] / m.objective_scale[k] * m.objective_expr[k]
                for k in CRITERIA
                if weights.get(k)
            ),
            sense=pyo.minimize,
        )
        return
    name = opts.objective or ix.scenario.objective.minimize
    if name not in CRITERIA:
        raise ValueError(f"unknown objective {name!r}; use one of: {', '.join(CRITERIA)}")
    m.objective = pyo.Objective(expr=m.objective_expr[name], sense=pyo.minimize)
