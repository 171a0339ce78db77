"""A solved case of the coalition model: its planner tables, site KPIs and marginal values.

The marginal value of resource ``r`` at site ``i`` in slice ``t`` is the dual of its balance
(``balance_site[i, r, t]``) in the LP that remains when every integer decision is fixed at
its optimum: what one more unit demanded there would cost the park (CNY per unit). It is
the locational price of the resource, the reference of the transfer-price rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyomo.environ as pyo

from symbio.allocation.coalitions import CoalitionSolver
from symbio.model.extract import extract, lookup
from symbio.model.kpis import case_kpis
from symbio.model.tables import case_tables

Pool = tuple[str, str, str]


@dataclass(frozen=True)
class CaseState:
    """One solved case: tables, site KPIs (``site, kpi, unit, value``), marginal values."""

    name: str
    cost: float
    tables: dict[str, pd.DataFrame]
    site_kpis: pd.DataFrame
    marginal: dict[Pool, float]
    built: tuple[str, ...]


def marginal_values(solver: CoalitionSolver) -> dict[Pool, float]:
    """Duals of the balances with every integer decision fixed at the loaded solution."""
    m = solver.model
    freed = []
    for var in m.component_data_objects(pyo.Var):
        if var.is_integer() and not var.fixed:
            var.fix(round(pyo.value(var, exception=False) or 0.0))
            freed.append(var)
    try:
        solver._run(solver.options, solver.solver.last_solution)
        duals = solver.solver.duals()
    finally:
        for var in freed:
            var.unfix()
    return {key: duals.get(id(con), 0.0) for key, con in m.balance_site.items()}


def solve_case(solver: CoalitionSolver, name: str, coalition: frozenset[str] | None) -> CaseState:
    """Solve the baseline (``coalition=None``: no candidate) or a coalition's case."""
    if coalition is None:
        solver._fix(set())
        out = solver._run(solver.options, None)
        cost = float(out.objective)
    else:
        cost = solver.solve(coalition).cost
    raw = extract(solver.model)
    tables = case_tables(solver.index, raw, name)
    criteria = lookup(raw, "objective_expr", "criterion")
    _, sites = case_kpis(solver.index, tables, criteria)
    built = tuple(solver.built())
    return CaseState(name, cost, tables, sites, marginal_values(solver), built)
