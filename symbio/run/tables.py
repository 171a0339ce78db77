"""The per-case steps of a run after the solves: canonical flows, tables and KPIs, audit.

Each is a step ``f(state) -> None`` of :data:`symbio.run.STEPS` and loops over the solved
cases (baseline first). The audit comes after the tables, since it checks them.
"""

from __future__ import annotations

import time
from dataclasses import replace

from symbio.audit import audit_case, merge_audits
from symbio.canonical import canonical_flows as canonical_stage
from symbio.canonical import restore_values
from symbio.model.extract import extract, lookup
from symbio.model.kpis import case_kpis
from symbio.model.tables import case_tables as planner_tables
from symbio.run.state import CaseResult, RunState, configure
from symbio.solvers.outcome import Status


def canonical_flows(st: RunState) -> None:
    """Per solved case: the optimum with the least transport, then its raw values.

    See :mod:`symbio.canonical`; ``timings[case]["canonical"]`` is the stage's time.
    """
    for case in st.solved:
        configure(st, case)
        restore_values(st.solver, st.solutions[case])
        can = canonical_stage(st.solver, replace(st.sopts, mip_gap=None, mip_abs_gap=None))
        if can.message and can.message != "no links":
            st.notes.append(f"{case}: {can.message}")
        st.timings.setdefault(case, {})["canonical"] = can.seconds
        st.canonical[case] = {
            "applied": can.applied,
            "seconds": can.seconds,
            "transport_before": can.transport_before,
            "transport_after": can.transport_after,
            **{f"{k}_seconds": v for k, v in can.timings.items()},
        }
        t0 = time.perf_counter()
        st.raw[case] = extract(st.model)
        st.timings[case]["extract"] = time.perf_counter() - t0


def case_tables(st: RunState) -> None:
    """Per solved case: planner tables, park and site KPIs from the raw values."""
    for case in st.solved:
        t0 = time.perf_counter()
        raw = st.raw[case]
        tables = planner_tables(st.ix, raw, case)
        criteria = lookup(raw, "objective_expr", "criterion")
        park, sites = case_kpis(st.ix, tables, criteria)
        sites.insert(3, "case", case)
        st.cases[case] = CaseResult(tables, sites, park, criteria)
        extract_s = st.timings[case].pop("extract", 0.0)
        st.timings[case] = {
            **st.outcomes[case].timings,
            "tables": extract_s + time.perf_counter() - t0,
            **st.timings[case],
        }
        if st.outcomes[case].status == Status.FEASIBLE:
            st.notes.append(
                f"{case}: time or other limit reached; solution with gap {st.outcomes[case].gap}"
            )


def audit(st: RunState) -> None:
    """Per solved case: check the tables against the model's data (:mod:`symbio.audit`)."""
    t0 = time.perf_counter()
    per_case = {
        case: audit_case(st.ix, c.tables, c.park, c.sites, c.criteria, case=case)
        for case, c in st.cases.items()
    }
    st.audit = merge_audits(per_case)
    st.timings["audit"] = {"seconds": time.perf_counter() - t0}
