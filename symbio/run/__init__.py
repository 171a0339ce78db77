"""One run: the baseline and the optimized case of a scenario, compared.

A run is a sequence of named steps over one :class:`RunState` (:data:`STEPS`), each a
function that can be called, tested and timed alone::

    prepare            scenario -> graph -> model index -> Pyomo model -> persistent HiGHS
    solve_baseline     existing links and processes only, no policy caps        (cases.py)
    solve_optimized    candidates unfixed, caps active, warm-started from the baseline,
                       stopped at a share of the savings (:mod:`symbio.solvers.stoprule`)
    tighten_baseline   the baseline solved again when its gap would overstate the savings
    canonical_flows    per case: the optimum with the least transport           (tables.py)
                       (:mod:`symbio.canonical`)
    case_tables        per case: planner tables, park and site KPIs
    audit              per case: plain checks of the tables against the model's data
                       (:mod:`symbio.audit`; after the tables, since it reads them)
    provenance         scenario hash, versions, timings, objective, savings gap, (record.py)
                       notes

:func:`solve` runs them in this order and assembles the :class:`~symbio.results.Result`
(:func:`symbio.run.record.assemble`). The state and the switch between the two cases:
:mod:`symbio.run.state`.
The baseline is the same model with every candidate build decision fixed at 0 and without
the policy caps (targets for the planned network, not the status quo; the summary notes
when the baseline exceeds one). Both cases share one persistent HiGHS instance.
Savings gap and baseline tightening: :mod:`symbio.savings`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pyomo.environ as pyo

from symbio.errors import SolverError
from symbio.flows.graph import ParkGraph, build_graph
from symbio.flows.load import load_scenario
from symbio.flows.magnitudes import magnitude_warnings
from symbio.flows.schema import Scenario
from symbio.model.build import build_model
from symbio.model.index import build_index
from symbio.model.options import ModelOptions
from symbio.results import Result
from symbio.run.cases import solve_baseline, solve_optimized, tighten_baseline
from symbio.run.record import assemble, provenance
from symbio.run.state import RunState, baseline_options
from symbio.run.tables import audit, canonical_flows, case_tables
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.options import SolverOptions
from symbio.solvers.payoff import weighted_scales


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
    m = build_model(ix, baseline_options(mopts) if baseline else mopts)
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
    run_steps(st)
    return assemble(st)


def run_steps(st: RunState, skip: tuple[str, ...] = ()) -> None:
    """Run :data:`STEPS` on a prepared state, timing each (``timings["steps"]``).

    ``skip``: names of steps to leave out (by name, so a wrapped step counts too).
    """
    for step in STEPS:
        if step.__name__ in skip:
            continue
        t0 = time.perf_counter()
        step(st)
        st.timings.setdefault("steps", {})[step.__name__] = time.perf_counter() - t0
