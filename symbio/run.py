"""One run: the baseline and the optimized case of a scenario, compared.

A run is a sequence of named steps over one :class:`RunState` (:data:`STEPS`), each a
function that can be called, tested and timed alone::

    prepare            scenario -> graph -> model index -> Pyomo model -> persistent HiGHS
    solve_baseline     existing links and processes only, no policy caps
    solve_optimized    candidates unfixed, caps active, warm-started from the baseline,
                       stopped at a share of the savings (:mod:`symbio.solvers.stoprule`)
    tighten_baseline   the baseline solved again when its gap would overstate the savings
    canonical_flows    per case: the optimum with the least transport (:mod:`symbio.canonical`)
    case_tables        per case: planner tables, park and site KPIs
    audit              per case: plain checks of the tables against the model's data
                       (:mod:`symbio.audit`; after the tables, since it reads them)
    provenance         scenario hash, versions, timings, objective, savings gap, notes

:func:`solve` runs them in this order and assembles the :class:`~symbio.results.Result`.
The baseline is the same model with every candidate build decision fixed at 0 and without
the policy caps (targets for the planned network, not the status quo; the summary notes
when the baseline exceeds one). Both cases share one persistent HiGHS instance.
Savings gap and baseline tightening: :mod:`symbio.savings`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from symbio.audit import audit_case, merge_audits
from symbio.canonical import canonical_flows as canonical_stage
from symbio.canonical import restore_values
from symbio.errors import InfeasibleError, SolverError
from symbio.flows.graph import ParkGraph, build_graph
from symbio.flows.load import load_scenario, scenario_origin
from symbio.flows.magnitudes import magnitude_warnings
from symbio.flows.schema import Scenario
from symbio.model.build import build_model
from symbio.model.extract import extract, lookup
from symbio.model.groups import sync_build_groups
from symbio.model.index import ModelIndex, build_index
from symbio.model.kpis import case_kpis, criterion_kpi, kpi_unit
from symbio.model.options import ModelOptions
from symbio.model.tables import case_tables as planner_tables
from symbio.results import SITE_KPI_COLUMNS, Result, compare_kpis, scenario_yaml
from symbio.savings import (  # noqa: F401 - re-exported (symbio.run.savings_gap)
    abs_gap,
    baseline_target,
    rel_gap,
    savings_gap,
)
from symbio.solvers.diagnose import diagnose
from symbio.solvers.highs import PersistentHighs, solver_version
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome, Status
from symbio.solvers.payoff import weighted_scales
from symbio.solvers.stoprule import savings_stop, solve_to_savings


@dataclass
class CaseResult:
    """Tables and KPIs of one solved case."""

    tables: dict[str, pd.DataFrame]
    sites: pd.DataFrame
    park: dict[str, float]
    criteria: dict[str, float]


@dataclass
class RunState:
    """Everything a run's steps read and write."""

    scenario: Scenario
    ix: ModelIndex
    model: pyo.ConcreteModel
    solver: PersistentHighs
    sopts: SolverOptions
    mopts: ModelOptions
    weights: dict[str, float]
    baseline: bool
    outcomes: dict[str, SolveOutcome] = field(default_factory=dict)
    solutions: dict[str, np.ndarray] = field(default_factory=dict)
    raw: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)
    cases: dict[str, CaseResult] = field(default_factory=dict)
    timings: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    audit: dict = field(default_factory=dict)
    canonical: dict[str, dict] = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)

    @property
    def solved(self) -> list[str]:
        """Cases with a solution, baseline first."""
        return [c for c in ("baseline", "optimized") if c in self.solutions]


def _normalise_weights(
    m: pyo.ConcreteModel, s: Scenario, weights: dict, sopts: SolverOptions, notes: list[str]
) -> None:
    """Scale each weighted criterion by its payoff-table range."""
    scales = weighted_scales(s, list(weights), solver_options=sopts)
    for k, v in scales.items():
        m.objective_scale[k] = v if v and v > 0 else 1.0
    notes.append(
        "weighted objective, each criterion divided by its payoff-table range: "
        + ", ".join(f"{k} {v:,.6g}" for k, v in scales.items())
    )


def prepare(
    scenario: Scenario | ParkGraph | str | Path,
    objective: str | None = None,
    *,
    options: SolverOptions | None = None,
    time_limit: float | None = None,
    mip_gap: float | None = None,
    baseline: bool = True,
    model_options: ModelOptions | None = None,
) -> RunState:
    """Load the scenario, build the index and the model, hand it to a persistent HiGHS."""
    if isinstance(scenario, str | Path):
        scenario = load_scenario(scenario)
    graph = scenario if isinstance(scenario, ParkGraph) else build_graph(scenario)
    s = graph.scenario
    sopts = options or SolverOptions.from_settings(s.solver, time_limit=time_limit, mip_gap=mip_gap)
    sopts = sopts.started()  # one time limit for every solve of the run
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
    notes: list[str] = [f"warning: {w}" for w in magnitude_warnings(s)]
    m = build_model(ix, _baseline_options(mopts) if baseline else mopts)
    if weights:
        _normalise_weights(m, s, weights, sopts, notes)
    solver = PersistentHighs(m)
    if sopts.expired():
        raise SolverError(
            f"scenario {s.name.en!r}: the time limit of {sopts.time_limit:g} s was used up "
            f"building the model ({time.perf_counter() - start:.1f} s) before any solve; "
            "raise --time-limit"
        )
    if solver.scaling_note:
        notes.append(f"warning: {solver.scaling_note}")
    st = RunState(s, ix, m, solver, sopts, mopts, weights, baseline)
    st.timings["index"] = {"seconds": index_s}
    st.notes = notes
    return st


def _baseline_options(mopts: ModelOptions) -> ModelOptions:
    return replace(mopts, candidates=False, policy_caps=False)


def configure(st: RunState, case: str) -> None:
    """Set the model to a case: the baseline fixes every candidate at 0 and drops the caps."""
    m = st.model
    if case == "baseline":
        m.link_build.fix(0)
        m.process_build.fix(0)
        sync_build_groups(m)
        if hasattr(m, "policy_limit"):
            m.policy_limit.deactivate()
    elif st.baseline:
        m.link_build.unfix()
        m.process_build.unfix()
        sync_build_groups(m)
        if st.mopts.policy_caps:
            m.policy_limit.activate()


def _keep(st: RunState, case: str, out: SolveOutcome) -> None:
    st.outcomes[case] = out
    if out.has_solution:
        st.solutions[case] = st.solver.last_solution


def solve_baseline(st: RunState) -> None:
    """Solve the baseline (when asked); an infeasible baseline becomes a note and a diagnosis."""
    if not st.baseline:
        return
    out = st.solver.solve(st.sopts)
    _keep(st, "baseline", out)
    if out.status == Status.INFEASIBLE:
        diag = diagnose(st.ix, _baseline_options(st.mopts), st.sopts, st.solver)
        st.extra["baseline_diagnosis"] = diag.as_dict()
        st.notes.append(
            "the baseline (existing links and processes only) is infeasible:\n" + str(diag)
        )
    elif not out.has_solution:
        st.notes.append(f"baseline: {out.message}")


def solve_optimized(st: RunState) -> None:
    """Solve the optimized case, warm-started from the baseline's solution.

    Raises
    ------
    InfeasibleError
        With the diagnosis, when the optimized case has no feasible solution.
    SolverError
        When the solver fails or stops without a solution.
    """
    configure(st, "optimized")
    rule = savings_stop(st.outcomes.get("baseline"), st.sopts)
    out = solve_to_savings(st.solver, st.sopts, rule, warm_start=st.baseline)
    _keep(st, "optimized", out)
    name = st.scenario.name.en
    if out.status == Status.INFEASIBLE:
        diag = diagnose(st.ix, st.mopts, st.sopts, st.solver)
        raise InfeasibleError(
            f"scenario {name!r}: the optimized case has no feasible solution.\n{diag}", diag
        )
    if not out.has_solution:
        raise SolverError(f"scenario {name!r}, optimized case: {out.message}")


def tighten_baseline(st: RunState) -> None:
    """Solve the baseline again, from its solution, when its gap would overstate the savings."""
    if "baseline" not in st.solutions:
        return
    first = st.outcomes["baseline"]
    target = baseline_target(first, st.outcomes["optimized"], st.sopts)
    if target is None:
        return
    configure(st, "baseline")
    out = st.solver.solve(
        replace(st.sopts, mip_gap=0.0, mip_abs_gap=target), start=st.solutions["baseline"]
    )
    if not out.has_solution:
        st.notes.append(f"baseline: tightening its gap failed ({out.message})")
        return
    out.bound = max(out.bound, first.bound)  # both bound the same problem
    out.gap = rel_gap(out.objective, out.bound)
    out.timings = {
        k: first.timings.get(k, 0.0) + (out.timings[k] if k != "build" else 0.0)
        for k in out.timings
    }
    _keep(st, "baseline", out)
    st.notes.append(
        f"baseline solved again to an absolute gap of {target:,.6g} (the run's "
        f"relative gap of the savings); its gap was {abs_gap(first):,.6g}"
    )


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


def provenance(st: RunState) -> None:
    """Scenario hash, versions, timings, objective, savings gap, factors and notes."""
    from symbio import __version__

    _cap_notes(st)
    origin = scenario_origin(st.scenario)
    weights, outcomes = st.weights, st.outcomes
    name = "weighted" if weights else st.mopts.objective
    criteria = {c: r.criteria for c, r in st.cases.items()}
    if weights:
        value = outcomes["optimized"].objective
        base_value = outcomes["baseline"].objective if "baseline" in outcomes else None
    else:
        value = criteria.get("optimized", {}).get(name)
        base_value = criteria.get("baseline", {}).get(name)
    unit = "weighted" if weights else kpi_unit(st.ix, criterion_kpi(name))
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
        "objective": {
            "name": name,
            "value": value,
            "baseline_value": base_value,
            **({"weights": weights} if weights else {}),
        },
        "savings_gap": savings_gap(
            name, unit, outcomes.get("baseline"), outcomes["optimized"], st.sopts.savings_gap
        ),
        "factors": origin.get("factors", []),
        "notes": st.notes,
        "link_bounds": {k: v for k, v in st.ix.link_bound_kind.items() if v == "park total"},
        "canonical_flows": st.canonical,
        "audit": st.audit,
    }


#: The steps after :func:`prepare`, in order.
STEPS: tuple[Callable[[RunState], None], ...] = (
    solve_baseline,
    solve_optimized,
    tighten_baseline,
    canonical_flows,
    case_tables,
    audit,
    provenance,
)


def assemble(st: RunState) -> Result:
    """The :class:`~symbio.results.Result` of a state that went through every step."""
    joined: dict[str, list[pd.DataFrame]] = {}
    for c in st.cases.values():
        for name, df in c.tables.items():
            joined.setdefault(name, []).append(df)
    frames = [c.sites for c in st.cases.values()]
    site_kpis = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SITE_KPI_COLUMNS)
    )
    park = {case: c.park for case, c in st.cases.items()}
    units = {k: kpi_unit(st.ix, k) for case_park in park.values() for k in case_park}
    return Result(
        {k: pd.concat(v, ignore_index=True) for k, v in joined.items()},
        compare_kpis(park, units),
        site_kpis[SITE_KPI_COLUMNS],
        st.outcomes,
        st.provenance,
        scenario_yaml(st.scenario),
        st.extra,
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
    st = prepare(
        scenario,
        objective,
        options=options,
        time_limit=time_limit,
        mip_gap=mip_gap,
        baseline=baseline,
        model_options=model_options,
    )
    for step in STEPS:
        t0 = time.perf_counter()
        step(st)
        st.timings.setdefault("steps", {})[step.__name__] = time.perf_counter() - t0
    return assemble(st)
