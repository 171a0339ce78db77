"""The end of a run: its provenance record and the assembled :class:`~symbio.results.Result`.

:func:`provenance` is the last step of :data:`symbio.run.STEPS` (what ``summary.json``
records besides the KPIs); :func:`assemble` joins the cases' tables into the result.
"""

from __future__ import annotations

import pandas as pd

from symbio.flows.load import scenario_origin
from symbio.model.kpis import criterion_kpi, kpi_unit
from symbio.result_tables import JoinedTables
from symbio.results import SITE_KPI_COLUMNS, Result, compare_kpis
from symbio.run.state import RunState
from symbio.savings import savings_gap
from symbio.solvers.highs import solver_version


def _cap_notes(st: RunState) -> None:
    base = st.cases.get("baseline")
    if base is None:
        return
    for k, cap in st.scenario.policy.caps.items():
        crit = "energy" if k == "energy_tce" else k
        if crit in base.criteria and base.criteria[crit] > cap * (1 + 1e-9) + 1e-9:
            st.notes.append(
                f"the baseline exceeds the cap on {k} ({base.criteria[crit]:,.6g} > {cap:,.6g})"
            )


def _objective(st: RunState) -> tuple[str, dict]:
    """The objective's name and its record (values of both cases, weights)."""
    weights, outcomes = st.weights, st.outcomes
    name = "weighted" if weights else st.mopts.objective
    if weights:
        value = outcomes["optimized"].objective
        base_value = outcomes["baseline"].objective if "baseline" in outcomes else None
    else:
        criteria = {c: r.criteria for c, r in st.cases.items()}
        value = criteria.get("optimized", {}).get(name)
        base_value = criteria.get("baseline", {}).get(name)
    record = {
        "name": name,
        "value": value,
        "baseline_value": base_value,
        **({"weights": weights} if weights else {}),
    }
    return name, record


def provenance(st: RunState) -> None:
    """Scenario hash, versions, timings, objective, savings gap, factors and notes."""
    from symbio import __version__

    _cap_notes(st)
    origin = scenario_origin(st.scenario)
    name, objective = _objective(st)
    unit = "weighted" if st.weights else kpi_unit(st.ix, criterion_kpi(name))
    outcomes = st.outcomes
    st.provenance = {
        "scenario": {
            "name": st.scenario.name.en,
            "name_zh": st.scenario.name.zh,
            "file": origin.get("file"),
            "sha256": origin["sha256"],
        },
        "symbio_version": __version__,
        "solver": {"name": "highs", "version": solver_version()},
        "timings": st.timings,
        "objective": objective,
        "savings_gap": savings_gap(
            name, unit, outcomes.get("baseline"), outcomes["optimized"], st.sopts.savings_gap
        ),
        "factors": origin.get("factors", []),
        "notes": st.notes,
        "link_bounds": {k: v for k, v in st.ix.link_bound_kind.items() if v == "park total"},
        "canonical_flows": st.canonical,
        "audit": st.audit,
    }


def assemble(st: RunState) -> Result:
    """The :class:`~symbio.results.Result` of a state that went through every step."""
    frames = [c.sites for c in st.cases.values()]
    site_kpis = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SITE_KPI_COLUMNS)
    )
    park = {case: c.park for case, c in st.cases.items()}
    units = {k: kpi_unit(st.ix, k) for case_park in park.values() for k in case_park}
    return Result(
        JoinedTables([c.tables for c in st.cases.values()]),  # joined when read
        compare_kpis(park, units),
        site_kpis[SITE_KPI_COLUMNS],
        st.outcomes,
        st.provenance,
        extra=st.extra,
        scenario=st.scenario,
    )
