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
from dataclasses import replace

from symbio.flows.magnitudes import magnitude_warnings
from symbio.flows.schema import Scenario
from symbio.model.policy import CAP_CRITERION
from symbio.results import Result
from symbio.run import STEPS, RunState, prepare, solve
from symbio.run.record import assemble
from symbio.run.state import configure
from symbio.solvers.mutable import set_params
from symbio.solvers.options import SolverOptions

__all__ = ["WarmRuns", "param_changes"]

#: Scenario fields that never change the model (labels, provenance tables, solver settings).
_NEUTRAL = ("name", "description", "extends", "solver", "estimates", "sources")


def _structure(s: Scenario) -> dict:
    """The scenario without the fields a warm run can change (price, cap values, labels)."""
    data = s.model_dump(exclude=set(_NEUTRAL))
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
    if _structure(base) != _structure(new):
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
        Solver options (default: each scenario's ``solver:`` settings).

    Attributes
    ----------
    warm, cold : int
        Points solved on the kept model and points solved (or built) from scratch.
    """

    def __init__(self, objective: str | None = None, options: SolverOptions | None = None):
        self.objective = objective
        self.options = options
        self.state: RunState | None = None
        self.warm = self.cold = 0

    def __call__(self, scenario: Scenario) -> Result:
        """Solve ``scenario`` (baseline and optimized) like :func:`symbio.run.solve`."""
        params = None if self.state is None else param_changes(self.state.scenario, scenario)
        if self.state is not None and params is None:
            self.cold += 1
            return solve(scenario, self.objective, options=self.options)
        if self.state is None:
            st = prepare(scenario, self.objective, options=self.options)
            if st.weights:  # payoff scales depend on the prices: keep every point cold
                self.cold += 1
                return _finish(st)
            self.state = st
            self.cold += 1
            return _finish(st)
        self.warm += 1
        return _finish(self._reuse(scenario, params))

    def _reuse(self, scenario: Scenario, params: dict) -> RunState:
        base = self.state
        t0 = time.perf_counter()
        graph = replace(base.ix.graph, scenario=scenario)
        ix = replace(base.ix, graph=graph)
        base.model.symbio_index = ix
        base.model.symbio_build_seconds = 0.0  # this point builds nothing (timings "build")
        set_params(base.solver, params)
        base.solver.h.clearSolver()
        sopts = self.options or SolverOptions.from_settings(scenario.solver)
        st = RunState(scenario, ix, base.model, base.solver, sopts.started(), base.mopts, {}, True)
        configure(st, "baseline")
        st.notes = [f"warning: {w}" for w in magnitude_warnings(scenario)]
        if base.solver.scaling_note:
            st.notes.append(f"warning: {base.solver.scaling_note}")
        st.timings["index"] = {"seconds": 0.0, "reused_model_seconds": time.perf_counter() - t0}
        return st


def _finish(st: RunState) -> Result:
    for step in STEPS:
        t0 = time.perf_counter()
        step(st)
        st.timings.setdefault("steps", {})[step.__name__] = time.perf_counter() - t0
    return assemble(st)
