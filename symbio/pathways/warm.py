"""Runs of one scenario at several prices and caps on one model: ``run --set`` without rebuilds.

A grid point that changes only the carbon price or the values of existing caps (plus names,
descriptions, provenance notes and solver settings) has the same model structure as the first
point: only mutable Params differ (``policy_carbon_price``, ``policy_cap[k]``). :class:`WarmRuns`
builds the run's model and persistent HiGHS instance once, and for each such point sets the
Params (:func:`symbio.solvers.mutable.set_params`: the objective and every compiled row that
holds them), then runs the same steps as :func:`symbio.run.solve` (baseline, optimized,
tightening, canonical flows, tables, audit, provenance). Any other change (a new cap, another
discount rate, a site...) is solved cold. The solver's state is cleared before each point, so
a point solves as a cold run of the same scenario does (``tests/pathways/test_warm.py`` holds
them equal on the SCIP carbon-price scenarios).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace

from symbio.flows.magnitudes import check_magnitudes
from symbio.flows.schema import Scenario
from symbio.flows.yamlsource import format_path
from symbio.model.policy import CAP_CRITERION
from symbio.results import Result
from symbio.run import RunState, prepare, run_steps
from symbio.run.record import assemble
from symbio.run.state import configure
from symbio.solvers.mutable import set_params
from symbio.solvers.options import SolverOptions
from symbio.solvers.tuning import resolve_options

__all__ = ["WarmRuns", "param_changes"]

#: Scenario fields that never change the model (labels, provenance tables, solver settings).
_NEUTRAL = ("name", "description", "extends", "solver", "estimates", "sources")


def _structure(s: Scenario, data: dict | None = None) -> dict:
    """The scenario without the fields a warm run can change (price, cap values, labels).

    ``data``: the scenario's :func:`_dump`, when made already (one dump per point serves
    this and the magnitude warnings; the schema's JSON form is one-to-one with its values).
    """
    data = {k: v for k, v in (data or _dump(s)).items() if k not in _NEUTRAL}
    pol = s.policy
    data["policy"] = {
        "discount_rate": pol.discount_rate,
        "factor_set": pol.factor_set,
        "gwp_set": pol.gwp_set,
        "caps": sorted(pol.caps),
    }
    return data


def param_changes(base: Scenario, new: Scenario) -> dict | None:
    """The Params that turn ``base``'s model into ``new``'s, or None when its structure differs.

    Returns ``{"policy_carbon_price": price, "policy_cap": {criterion: cap}}`` (every value,
    changed or not).
    """
    return _params(_structure(base), new)


def _params(base: dict, new: Scenario, data: dict | None = None) -> dict | None:
    """:func:`param_changes` from the base's :func:`_structure` (``data``: ``new``'s dump)."""
    if base != _structure(new, data):
        return None
    caps = {CAP_CRITERION.get(k, k): float(v) for k, v in new.policy.caps.items()}
    out: dict = {"policy_carbon_price": float(new.policy.carbon_price_cny_t)}
    if caps:
        out["policy_cap"] = caps
    return out


class WarmRuns:
    """``solve(scenario) -> Result`` that reuses the first scenario's model where it can.

    Parameters
    ----------
    objective
        Objective of every run (default: each scenario's).
    options
        Solver options (default: each scenario's ``solver:`` settings). A warm point solves
        with :func:`~symbio.solvers.tuning.resolve_options` of them.
    audit
        Run the audit step (default). ``run --set`` keeps only each point's status, gap,
        KPIs and build decisions (:func:`symbio.pathways.grid.grid_row`), which the audit
        does not change, so :func:`~symbio.pathways.grid.run_grid` leaves it out.

    Attributes
    ----------
    warm, cold : int
        Points solved on the kept model and points solved (or built) from scratch.
    graph : ParkGraph or None
        The park graph of the last point (its network: the kept one for a warm point).
    """

    def __init__(
        self,
        objective: str | None = None,
        options: SolverOptions | None = None,
        *,
        audit: bool = True,
    ):
        self.objective = objective
        self.options = options
        self.audit = audit
        self.state: RunState | None = None
        self.warnings: _Warnings | None = None
        self.graph = None
        self.structure: dict | None = None  # the kept model's scenario, _structure
        self.warm = self.cold = 0

    def __call__(self, scenario: Scenario) -> Result:
        """Solve ``scenario`` (baseline and optimized) like :func:`symbio.run.solve`."""
        data = _dump(scenario)
        params = None if self.state is None else _params(self.structure, scenario, data)
        if params is None:
            st = prepare(scenario, self.objective, options=self.options)
            self.cold += 1
            if self.state is None and not st.weights:  # weights: payoff scales change, cold
                self.state, self.warnings = st, _Warnings(scenario, data)
                self.structure = _structure(scenario, data)
        else:
            self.warm += 1
            st = self._reuse(scenario, params, data)
        self.graph = st.ix.graph
        return _finish(st, self.audit)

    def _reuse(self, scenario: Scenario, params: dict, data: dict) -> RunState:
        base = self.state
        t0 = time.perf_counter()
        graph = replace(base.ix.graph, scenario=scenario)
        ix = replace(base.ix, graph=graph)
        base.model.symbio_index = ix
        base.model.symbio_build_seconds = 0.0  # this point builds nothing (timings "build")
        set_params(base.solver, params)
        base.solver.h.clearSolver()
        sopts = resolve_options(self.options or SolverOptions.from_settings(scenario.solver))
        st = RunState(scenario, ix, base.model, base.solver, sopts.started(), base.mopts, {}, True)
        configure(st, "baseline")
        st.notes = [f"warning: {w}" for w in self.warnings.of(scenario, data)]
        if base.solver.scaling_note:
            st.notes.append(f"warning: {base.solver.scaling_note}")
        st.timings["index"] = {"seconds": 0.0, "reused_model_seconds": time.perf_counter() - t0}
        return st


class _Warnings:
    """:func:`~symbio.flows.magnitudes.magnitude_warnings` of points that share most data.

    The numbers are checked once for the first point; a later point rechecks only the
    top-level sections that differ from it (its policy, labels...). Same list, same order.
    """

    def __init__(self, scenario: Scenario, data: dict | None = None):
        self.data = data or _dump(scenario)
        self.groups = _grouped(self.data, self.data)

    def of(self, scenario: Scenario, data: dict | None = None) -> list[str]:
        """The warnings of ``scenario`` (a point of the same structure; ``data``: its dump)."""
        data = data or _dump(scenario)
        changed = [k for k in data if data[k] != self.data.get(k)]
        groups = {**self.groups, **_grouped(data, changed)}
        return [w for k in data for w in groups.get(k, [])]


def _dump(scenario: Scenario) -> dict:
    return scenario.model_dump(mode="json", by_alias=True)


def _grouped(data: dict, keys: Iterable[str]) -> dict[str, list[str]]:
    """Warnings of the top-level sections ``keys`` of ``data``, by section, in file order."""
    keys = list(keys)
    part = {k: data[k] for k in data if k in keys or k == "resources"}  # resources: units
    _, warnings = check_magnitudes(part)
    out: dict[str, list[str]] = {k: [] for k in keys}
    for path, msg in warnings:
        if path[0] in out:
            out[path[0]].append(f"{format_path(path)}: {msg}")
    return out


def _finish(st: RunState, with_audit: bool = True) -> Result:
    """:func:`symbio.run.run_steps` (without the audit, when asked) and the assembled result."""
    run_steps(st, skip=() if with_audit else ("audit",))
    return assemble(st)
