"""The state a run's steps share, and the switch between its two cases.

:class:`RunState` holds what :func:`symbio.run.prepare` built (scenario, index, model,
persistent HiGHS, options, weights) and what each step adds (outcomes, solutions, raw values,
per-case tables, timings, notes, audit, provenance). :func:`configure` is the one place that
switches the shared model between the baseline and the optimized case.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from symbio.flows.schema import Scenario
from symbio.model.groups import sync_build_groups
from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome


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

    def keep(self, case: str, out: SolveOutcome) -> None:
        """Record a case's solve outcome, and its solution vector when it has one."""
        self.outcomes[case] = out
        if out.has_solution:
            self.solutions[case] = self.solver.last_solution


def baseline_options(mopts: ModelOptions) -> ModelOptions:
    """The model options of the baseline: no candidates, no policy caps."""
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
