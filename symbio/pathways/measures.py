"""Measures: what each planner-named set of candidates changes, its MAC and its co-control effect.

A measure (``measures:`` in the scenario) names candidate links, processes or candidate-link
generators; :meth:`ParkGraph.members` expands a generator to its links. On one model and one
persistent solver, with the cost criterion minimised in every run (at the scenario's carbon
price), symbio solves

* **baseline**: every candidate fixed off, policy caps off (the status quo, as ``symbio run``);
* **optimum**: every candidate free, caps on (the optimized network);
* **added** (one run per measure): the baseline with the measure's members fixed *built* and
  every other candidate off, caps off: what the measure does on its own;
* **removed** (one run per measure): the optimum with the measure's members fixed off and the
  other candidates free, caps on: what the optimum loses without it.

The MAC curve (:func:`symbio.pathways.macc.macc_table`) shows the **added** runs against the
baseline, the usual reading of a MACC (each measure alone, independent of the others); the
**removed** table is the same arithmetic against the optimum (the measure's marginal value
in the chosen network; interactions between measures make the two differ). Cost is the
annualised cost **without** the carbon-price term, so the MAC can be compared with a carbon
price. Quantities per run: ``cost`` (CNY/a), ``co2``, ``energy`` (tce/a), each pollutant
(t/a), ``water`` (fresh water bought, in its unit) and the pollution equivalents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import pyomo.environ as pyo

from symbio.errors import InputError
from symbio.flows.graph import build_graph
from symbio.flows.load import scenario_origin
from symbio.flows.schema import POLLUTANTS, Scenario
from symbio.model.pareto import set_weights
from symbio.pathways.cocontrol import cocontrol_table, measure_classes
from symbio.pathways.equivalents import PollutionEquivalents, load_equivalents
from symbio.pathways.macc import macc_table
from symbio.solvers.options import SolverOptions
from symbio.solvers.session import ModelSession

__all__ = ["MeasureAnalysis", "analyse_measures", "measure_members", "run_quantities"]

#: Resource categories counted as fresh water bought.
WATER_CATEGORIES = ("water",)


def measure_members(scenario: Scenario, candidates: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Candidate ids of each measure (generators expanded).

    Raises
    ------
    InputError
        When a member is neither a candidate link, a candidate process nor a generator.
    """
    graph = build_graph(scenario)
    file = scenario_origin(scenario).get("file") or "scenario"
    known = set(candidates)
    out: dict[str, tuple[str, ...]] = {}
    for ms in scenario.measures:
        ids: list[str] = []
        for member in ms.members:
            expanded = graph.members(member)
            missing = [x for x in expanded if x not in known]
            if missing:
                raise InputError(
                    file,
                    f"measures[{ms.id}].members",
                    f"{member!r} is not a candidate link, candidate process or link generator",
                )
            ids += expanded
        out[ms.id] = tuple(dict.fromkeys(ids))
    return out


def run_quantities(session: ModelSession) -> dict[str, float]:
    """Quantities of the loaded solution (see the module docstring)."""
    m = session.model
    q = session.values()
    if hasattr(m, "cost_term") and "carbon" in m.cost_term:
        q["cost"] = q["cost"] - float(pyo.value(m.cost_term["carbon"]))
    water = 0.0
    ix = getattr(m, "symbio_index", None)
    if ix is not None and hasattr(m, "market_buy"):
        for (mid, _i, _t), var in m.market_buy.items():
            res = ix.resources.get(ix.markets[mid].resource)
            if res is not None and res.category in WATER_CATEGORIES:
                water += float(pyo.value(var) or 0.0)
    q["water"] = water
    return q


@dataclass(frozen=True)
class MeasureAnalysis:
    """Everything :func:`analyse_measures` computed.

    Attributes
    ----------
    runs : pandas.DataFrame
        One row per run: ``run`` (baseline / optimum / added:<id> / removed:<id>), ``measure``,
        ``mode``, ``status``, ``gap``, the quantities and ``builds`` (ids built, ``;``-joined).
    macc : pandas.DataFrame
        MAC of each measure added alone to the baseline (the curve).
    macc_removed : pandas.DataFrame
        MAC of each measure removed from the optimum.
    cocontrol : pandas.DataFrame
        Co-control table of the added runs (and the optimum) against the baseline.
    classes : pandas.Series
        One co-control class per measure (and the optimum).
    members : dict[str, tuple[str, ...]]
        Candidate ids of each measure.
    equivalents : PollutionEquivalents
        Pollution-equivalent values used.
    """

    runs: pd.DataFrame
    macc: pd.DataFrame
    macc_removed: pd.DataFrame
    cocontrol: pd.DataFrame
    classes: pd.Series
    members: dict[str, tuple[str, ...]]
    equivalents: PollutionEquivalents


def _set_caps(m: pyo.ConcreteModel, on: bool) -> None:
    if hasattr(m, "policy_limit") and len(m.policy_limit):
        (m.policy_limit.activate if on else m.policy_limit.deactivate)()


def analyse_measures(
    scenario: Scenario,
    *,
    session: ModelSession | None = None,
    solver_options: SolverOptions | None = None,
    equivalents: PollutionEquivalents | None = None,
    pollutants: Sequence[str] | None = None,
) -> MeasureAnalysis:
    """Run the baseline, the optimum and each measure added and removed; tabulate MAC and co-control.

    Parameters
    ----------
    scenario
        A validated scenario with ``measures``.
    session
        A session of the scenario's model (default: opened here with candidates allowed).
    solver_options
        Options of every solve (default: the scenario's ``solver:`` settings).
    equivalents
        Pollution-equivalent values (default: ``data/pollution-equivalents.yaml``).
    pollutants
        Pollutants of the co-control table (default: every pollutant the baseline or a run emits).

    Raises
    ------
    InputError
        When the scenario has no measures or a member is not a candidate.
    InfeasibleError
        When the baseline or the optimum has no solution.
    """
    # Long: one session's run sequence (baseline, optimum, each measure on and off) and its tables.
    from symbio.errors import InfeasibleError
    from symbio.solvers.session import open_session

    if not scenario.measures:
        file = scenario_origin(scenario).get("file") or "scenario"
        raise InputError(file, "measures", "the scenario names no measures")
    if session is None:
        session = open_session(scenario, solver_options=solver_options)
    equivalents = equivalents or load_equivalents()
    m = session.model
    members = measure_members(scenario, list(session.builds))
    names = {ms.id: ms.name.en for ms in scenario.measures}
    set_weights(m, {"cost": 1.0})

    rows: list[dict[str, object]] = []
    quantities: dict[str, dict[str, float]] = {}

    def run(
        label: str, measure: str | None, mode: str, fixes: dict[str, int | None], caps: bool
    ) -> None:
        session.free_builds()
        session.fix_builds(fixes)
        _set_caps(m, caps)
        step = session.solve()
        row: dict[str, object] = {
            "run": label,
            "measure": measure or "",
            "mode": mode,
            "status": step.status,
            "gap": step.gap,
        }
        if step.ok:
            q = run_quantities(session)
            q["pollution_equivalents"] = equivalents.equivalents(q)
            quantities[label] = q
            row.update(q)
            row["builds"] = ";".join(k for k, v in sorted(session.build_values().items()) if v)
        rows.append(row)

    all_off = dict.fromkeys(session.builds, 0)
    try:
        run("baseline", None, "baseline", all_off, caps=False)
        run("optimum", None, "optimum", {}, caps=True)
        for mid, ids in members.items():
            run(f"added:{mid}", mid, "added", {**all_off, **dict.fromkeys(ids, 1)}, caps=False)
            run(f"removed:{mid}", mid, "removed", dict.fromkeys(ids, 0), caps=True)
    finally:
        session.free_builds()
        _set_caps(m, True)
    for ref in ("baseline", "optimum"):
        if ref not in quantities:
            raise InfeasibleError(f"the {ref} run of the measure analysis has no solution")

    base, opt = quantities["baseline"], quantities["optimum"]
    added = {mid: quantities[f"added:{mid}"] for mid in members if f"added:{mid}" in quantities}
    removed = {
        mid: quantities[f"removed:{mid}"] for mid in members if f"removed:{mid}" in quantities
    }
    keys = [k for k in base if k != "pollution_equivalents"]
    macc = macc_table({k: base[k] for k in keys}, added, equivalents=equivalents, names=names)
    macc_removed = macc_table(
        {k: opt[k] for k in keys}, removed, equivalents=equivalents, names=names, sign=-1
    )
    if pollutants is None:
        emitted = [p for p in POLLUTANTS if any(q.get(p, 0.0) > 0 for q in quantities.values())]
        pollutants = emitted
    cases = {**added, "optimum": opt}
    cc = cocontrol_table(base, cases, list(pollutants))
    classes = measure_classes(cc) if len(cc) else pd.Series(dtype=object, name="classification")
    runs = pd.DataFrame(rows)
    for col in ("cost", "co2"):
        if col not in runs:
            runs[col] = math.nan
    return MeasureAnalysis(runs, macc, macc_removed, cc, classes, members, equivalents)
