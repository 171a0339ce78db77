"""One run: the baseline and the optimized case of a scenario, compared.

The baseline is the same model with every candidate build decision fixed at 0 (existing
links and processes only) and without the policy caps (targets for the planned network,
not the status quo; the summary notes when the baseline exceeds one). Both cases are
solved on one persistent HiGHS instance: the optimized case unfixes the candidates,
activates the caps and starts from the baseline's solution.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyomo.environ as pyo

from symbio.errors import InfeasibleError, SolverError
from symbio.flows.graph import ParkGraph, build_graph
from symbio.flows.load import load_scenario, scenario_origin
from symbio.flows.schema import Scenario
from symbio.model.build import build_model
from symbio.model.extract import extract, lookup
from symbio.model.index import ModelIndex, build_index
from symbio.model.kpis import case_kpis, kpi_unit
from symbio.model.options import ModelOptions
from symbio.model.tables import case_tables
from symbio.results import SITE_KPI_COLUMNS, Result, compare_kpis, scenario_yaml
from symbio.solvers.diagnose import diagnose
from symbio.solvers.highs import PersistentHighs, solver_version
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome, Status


def _case(ix: ModelIndex, m: pyo.ConcreteModel, case: str) -> tuple[dict, pd.DataFrame, dict, dict]:
    raw = extract(m)
    tables = case_tables(ix, raw, case)
    criteria = lookup(raw, "objective_expr", "criterion")
    park, sites = case_kpis(ix, tables, criteria)
    sites.insert(3, "case", case)
    return tables, sites, park, criteria


def _normalise_weights(
    m: pyo.ConcreteModel, s: Scenario, weights: dict, sopts: SolverOptions, notes: list[str]
) -> None:
    """Scale each weighted criterion by its payoff-table range (``symbio.pathways``)."""
    try:
        from symbio.pathways.engine import weighted_scales
    except ImportError:  # pragma: no cover - pathways not installed
        notes.append("weighted objective not normalised (symbio.pathways unavailable)")
        return
    scales = weighted_scales(s, list(weights), solver_options=sopts)
    for k, v in scales.items():
        m.objective_scale[k] = v if v and v > 0 else 1.0
    notes.append(
        "weighted objective, each criterion divided by its payoff-table range: "
        + ", ".join(f"{k} {v:,.6g}" for k, v in scales.items())
    )


def solve(
    scenario: Scenario | ParkGraph | str | Path,
    objective: str | None = None,
    *,
    options: SolverOptions | None = None,
    time_limit: float | None = None,
    mip_gap: float | None = None,
    baseline: bool = True,
    model_options: ModelOptions | None = None,
) -> Result:
    """Solve the baseline and the optimized case of a scenario and compare them.

    Parameters
    ----------
    scenario
        A scenario file, a loaded scenario or its park graph.
    objective
        ``cost``, ``energy``, ``co2`` or a pollutant; default the scenario's.
    options
        Solver options; default the scenario's ``solver:`` section, with ``time_limit``
        and ``mip_gap`` overriding it when given.
    baseline
        Solve the baseline too (savings are NaN without it).
    model_options
        Further model options (weights); ``objective`` overrides its objective.

    Returns
    -------
    Result

    Raises
    ------
    InfeasibleError
        When the optimized case has no feasible solution; ``diagnosis`` names the demands
        that cannot be met (site, resource, shortfall) and the caps or limits that bind.
    SolverError
        When the solver fails or stops without a solution.

    Examples
    --------
    >>> import symbio
    >>> r = symbio.solve("scenarios/examples/hydrogen-pair.yaml")  # doctest: +SKIP
    >>> round(r.kpi("total_cost_cny"))  # doctest: +SKIP
    916670
    """
    from symbio import __version__

    if isinstance(scenario, str | Path):
        scenario = load_scenario(scenario)
    graph = scenario if isinstance(scenario, ParkGraph) else build_graph(scenario)
    s = graph.scenario
    sopts = options or SolverOptions.from_settings(s.solver, time_limit=time_limit, mip_gap=mip_gap)
    mopts = model_options or ModelOptions()
    weights = (
        {} if objective else (mopts.weights if mopts.weights is not None else s.objective.weights)
    )
    weights = {k: float(w) for k, w in (weights or {}).items() if w}
    mopts = replace(
        mopts, objective=objective or mopts.objective or s.objective.minimize, weights=weights
    )
    start = time.perf_counter()
    ix = build_index(graph)
    index_s = time.perf_counter() - start
    notes: list[str] = []

    m = build_model(ix, replace(mopts, candidates=False, policy_caps=False) if baseline else mopts)
    if weights:
        _normalise_weights(m, s, weights, sopts, notes)
    solver = PersistentHighs(m)
    outcomes: dict[str, SolveOutcome] = {}
    tables: dict[str, list[pd.DataFrame]] = {}
    site_frames, park, criteria = [], {}, {}
    timings: dict[str, dict] = {"index": {"seconds": index_s}}
    extra: dict = {}
    for case in ("baseline", "optimized") if baseline else ("optimized",):
        if case == "optimized" and baseline:
            m.link_build.unfix()
            m.process_build.unfix()
            if mopts.policy_caps:
                m.policy_limit.activate()
        out = solver.solve(sopts, warm_start=case == "optimized")
        if case == "optimized" and baseline:
            out.timings["build"] = 0.0  # the baseline's model, reused
        outcomes[case] = out
        if out.status == Status.INFEASIBLE:
            diag = diagnose(
                ix,
                mopts
                if case == "optimized"
                else replace(mopts, candidates=False, policy_caps=False),
                sopts,
                solver,
            )
            if case == "optimized":
                raise InfeasibleError(
                    f"scenario {s.name.en!r}: the optimized case has no feasible solution.\n{diag}",
                    diag,
                )
            extra["baseline_diagnosis"] = diag.as_dict()
            notes.append(
                "the baseline (existing links and processes only) is infeasible:\n" + str(diag)
            )
            continue
        if not out.has_solution:
            if case == "optimized":
                raise SolverError(f"scenario {s.name.en!r}, optimized case: {out.message}")
            notes.append(f"baseline: {out.message}")
            continue
        t0 = time.perf_counter()
        case_t, sites, park[case], criteria[case] = _case(ix, m, case)
        for name, df in case_t.items():
            tables.setdefault(name, []).append(df)
        site_frames.append(sites)
        timings[case] = {**out.timings, "tables": time.perf_counter() - t0}
        if out.status == Status.FEASIBLE:
            notes.append(f"{case}: time or other limit reached; solution with gap {out.gap}")
    for k, cap in s.policy.caps.items():
        crit = "energy" if k == "energy_tce" else k
        if (
            crit in criteria.get("baseline", {})
            and criteria["baseline"][crit] > cap * (1 + 1e-9) + 1e-9
        ):
            notes.append(
                f"the baseline exceeds the cap on {k} ({criteria['baseline'][crit]:,.6g} > {cap:,.6g})"
            )
    units = {k: kpi_unit(ix, k) for case_park in park.values() for k in case_park}
    origin = scenario_origin(s)
    name = "weighted" if weights else mopts.objective
    provenance = {
        "scenario": {
            "name": s.name.en,
            "name_zh": s.name.zh,
            "file": origin.get("file"),
            "sha256": origin["sha256"],
        },
        "symbio_version": __version__,
        "solver": {"name": "highs", "version": solver_version()},
        "timings": timings,
        "objective": {
            "name": name,
            "value": outcomes["optimized"].objective
            if weights
            else criteria.get("optimized", {}).get(name),
            "baseline_value": (outcomes["baseline"].objective if "baseline" in outcomes else None)
            if weights
            else criteria.get("baseline", {}).get(name),
            **({"weights": weights} if weights else {}),
        },
        "factors": origin.get("factors", []),
        "notes": notes,
        "link_bounds": {k: v for k, v in ix.link_bound_kind.items() if v == "park total"},
    }
    joined = {k: pd.concat(v, ignore_index=True) for k, v in tables.items()}
    site_kpis = (
        pd.concat(site_frames, ignore_index=True)
        if site_frames
        else pd.DataFrame(columns=SITE_KPI_COLUMNS)
    )
    return Result(
        joined,
        compare_kpis(park, units),
        site_kpis[SITE_KPI_COLUMNS],
        outcomes,
        provenance,
        scenario_yaml(s),
        extra,
    )
