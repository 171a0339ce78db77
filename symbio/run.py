"""One run: the baseline and the optimized case of a scenario, compared.

The baseline is the same model with every candidate build decision fixed at 0 (existing
links and processes only) and without the policy caps (targets for the planned network,
not the status quo; the summary notes when the baseline exceeds one). Both cases are
solved on one persistent HiGHS instance: the optimized case unfixes the candidates,
activates the caps and starts from the baseline's solution.

Savings are measured from the baseline's objective, so the baseline's MIP gap overstates
them one to one. When that gap exceeds the run's relative gap *of the savings*
(``mip_gap * |baseline - optimized|``, at least ``1e-4 * |baseline|``), the baseline is
solved again, from its own solution, to that absolute gap. ``provenance["savings_gap"]``
(``summary.json``) bounds the objective's saving by both cases' gaps (:func:`savings_gap`).
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
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
from symbio.solvers.highs import (
    HIGHS_DEFAULT_ABS_GAP,
    HIGHS_DEFAULT_GAP,
    PersistentHighs,
    solver_version,
)
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome, Status


def _case(ix: ModelIndex, m: pyo.ConcreteModel, case: str) -> tuple[dict, pd.DataFrame, dict, dict]:
    raw = extract(m)
    tables = case_tables(ix, raw, case)
    criteria = lookup(raw, "objective_expr", "criterion")
    park, sites = case_kpis(ix, tables, criteria)
    sites.insert(3, "case", case)
    return tables, sites, park, criteria


#: KPI of each criterion (the objective's saving is this KPI's saving).
CRITERION_KPI = {
    "cost": "total_cost_cny",
    "energy": "energy_tce",
    "co2": "co2_t",
    "co2e": "co2e_t",
}


def _rel_gap(objective: float, bound: float) -> float:
    """HiGHS's relative gap ``|objective - bound| / max(|objective|, 1e-10)``."""
    return abs(objective - bound) / max(abs(objective), 1e-10)


def _abs_gap(out: SolveOutcome) -> float:
    """``objective - bound`` of a minimisation with a solution (inf without a finite bound)."""
    if out.bound is None or not math.isfinite(out.bound):
        return math.inf
    return max(out.objective - out.bound, 0.0)


def _baseline_target(base: SolveOutcome, opt: SolveOutcome, sopts: SolverOptions) -> float | None:
    """Absolute gap to solve the baseline to again, or None when its gap is already within it.

    The baseline's gap overstates the savings one to one, so it should be at most the run's
    relative gap *of the savings* (``mip_gap * |baseline - optimized|``), not of the total
    cost. The target is never below HiGHS's default precision of the baseline
    (``1e-4 * |baseline|``) nor below the run's own absolute gap.
    """
    if not (base.has_solution and opt.has_solution):
        return None
    eps = sopts.mip_gap if sopts.mip_gap is not None else HIGHS_DEFAULT_GAP
    target = max(
        eps * abs(base.objective - opt.objective),
        HIGHS_DEFAULT_GAP * abs(base.objective),
        sopts.mip_abs_gap if sopts.mip_abs_gap is not None else HIGHS_DEFAULT_ABS_GAP,
    )
    return target if _abs_gap(base) > target * (1 + 1e-9) else None


def savings_gap(name: str, unit: str, base: SolveOutcome | None, opt: SolveOutcome) -> dict | None:
    """Bounds on the objective's saving implied by the two cases' MIP gaps.

    With the baseline's objective ``B`` and bound ``B_lb`` and the optimized case's ``O`` and
    ``O_lb`` (minimisation), the reported saving is ``S = B - O``; the best-operated status
    quo costs at least ``B_lb``, so the optimized network saves at least ``S - (B - B_lb)``
    (``lower``), and no network can save more than ``S + (O - O_lb)`` (``upper``). ``gap`` is
    the width ``upper - lower``; ``relative`` is ``gap / |S|``.
    """
    if base is None or not base.has_solution or not opt.has_solution:
        return None
    gb, go = _abs_gap(base), _abs_gap(opt)
    saving = base.objective - opt.objective
    return {
        "objective": name,
        "kpi": CRITERION_KPI.get(name, f"emission_{name}_t") if name != "weighted" else None,
        "unit": unit,
        "saving": saving,
        "lower": saving - gb,
        "upper": saving + go,
        "baseline_gap": gb,
        "optimized_gap": go,
        "gap": gb + go,
        "relative": (gb + go) / abs(saving) if saving else None,
    }


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
    case_tables_: dict[str, dict[str, pd.DataFrame]] = {}
    site_frames: dict[str, pd.DataFrame] = {}
    park, criteria = {}, {}
    timings: dict[str, dict] = {"index": {"seconds": index_s}}
    extra: dict = {}
    starts: dict[str, np.ndarray | None] = {}

    def extract_case(case: str, out: SolveOutcome) -> None:
        t0 = time.perf_counter()
        case_tables_[case], site_frames[case], park[case], criteria[case] = _case(ix, m, case)
        timings[case] = {**out.timings, "tables": time.perf_counter() - t0}
        starts[case] = solver.last_solution

    for case in ("baseline", "optimized") if baseline else ("optimized",):
        if case == "optimized" and baseline:
            m.link_build.unfix()
            m.process_build.unfix()
            if mopts.policy_caps:
                m.policy_limit.activate()
        out = solver.solve(sopts, warm_start=case == "optimized")
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
        extract_case(case, out)
    if "baseline" in park:
        target = _baseline_target(outcomes["baseline"], outcomes["optimized"], sopts)
        if target is not None:
            # The baseline's gap would overstate the savings by more than the run's relative
            # gap of the savings themselves: solve it again to that absolute gap.
            m.link_build.fix(0)
            m.process_build.fix(0)
            if hasattr(m, "policy_limit"):
                m.policy_limit.deactivate()
            first = outcomes["baseline"]
            out = solver.solve(
                replace(sopts, mip_gap=0.0, mip_abs_gap=target), start=starts["baseline"]
            )
            if out.has_solution:
                out.bound = max(out.bound, first.bound)  # both bound the same problem
                out.gap = _rel_gap(out.objective, out.bound)
                out.timings = {
                    k: first.timings.get(k, 0.0) + (out.timings[k] if k != "build" else 0.0)
                    for k in out.timings
                }
                outcomes["baseline"] = out
                extract_case("baseline", out)
                notes.append(
                    f"baseline solved again to an absolute gap of {target:,.6g} (the run's "
                    f"relative gap of the savings); its gap was {_abs_gap(first):,.6g}"
                )
            else:
                notes.append(f"baseline: tightening its gap failed ({out.message})")
    for case in park:
        for name, df in case_tables_[case].items():
            tables.setdefault(name, []).append(df)
        if outcomes[case].status == Status.FEASIBLE:
            notes.append(
                f"{case}: time or other limit reached; solution with gap {outcomes[case].gap}"
            )
    site_frames_ = [site_frames[c] for c in park]
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
        "savings_gap": savings_gap(
            name,
            "weighted" if weights else kpi_unit(ix, CRITERION_KPI.get(name, f"emission_{name}_t")),
            outcomes.get("baseline"),
            outcomes["optimized"],
        ),
        "factors": origin.get("factors", []),
        "notes": notes,
        "link_bounds": {k: v for k, v in ix.link_bound_kind.items() if v == "park total"},
    }
    joined = {k: pd.concat(v, ignore_index=True) for k, v in tables.items()}
    site_kpis = (
        pd.concat(site_frames_, ignore_index=True)
        if site_frames_
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
