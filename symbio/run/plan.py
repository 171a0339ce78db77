"""Operate a fixed plan on a solved run's model: the build decisions set, the operation re-solved.

The robustness study asks, for every sample, what the recommended plan (the builds of the
point optimum) does in the sample's world. That is the sample's optimized case with every
candidate build decision fixed — 1 for the plan's candidates, 0 for the others — solved on
the run's persistent HiGHS instance, with no second model build. It is the same problem as
a cold run with ``ModelOptions(build_plan=...)`` and no baseline, and gives the same
KPIs (``tests/integration/test_plan_reuse.py``); its flows are made canonical the same way.
"""

from __future__ import annotations

from dataclasses import replace

from symbio.canonical import canonical_flows
from symbio.errors import InfeasibleError, SolverError
from symbio.model.extract import extract, lookup
from symbio.model.groups import sync_build_groups
from symbio.model.kpis import KPI_TABLES, park_kpis
from symbio.model.options import ModelOptions, fix_builds
from symbio.model.tables import case_tables
from symbio.run.state import RunState, configure
from symbio.solvers.outcome import Status


def operate_plan(st: RunState, plan: frozenset[str]) -> dict[str, float]:
    """Park KPIs of the optimized case with the build decisions fixed to ``plan``.

    Raises
    ------
    InfeasibleError
        The plan cannot be operated in this scenario (no diagnosis is made).
    SolverError
        The solver failed or found no solution within its limits.
    """
    configure(st, "optimized")
    m = st.model
    fixed = ModelOptions(build_plan=plan)  # the same fixing as a cold run of the plan
    fix_builds(m.link_build, fixed)
    fix_builds(m.process_build, fixed)
    sync_build_groups(m)
    out = st.solver.solve(st.sopts)
    name = st.scenario.name.en
    if not out.has_solution:
        if out.status == Status.INFEASIBLE:
            raise InfeasibleError(f"scenario {name!r}: the plan cannot be operated (infeasible)")
        raise SolverError(f"scenario {name!r}, plan: {out.message}")
    canonical_flows(st.solver, replace(st.sopts, mip_gap=None, mip_abs_gap=None))
    raw = extract(m)
    tables = case_tables(st.ix, raw, "plan", KPI_TABLES)  # the KPIs' tables only
    return park_kpis(st.ix, tables, lookup(raw, "objective_expr", "criterion"))
