"""A built model and a persistent solver, solved again and again with changed bounds.

Every objective mode (:mod:`symbio.solvers.payoff`, :mod:`symbio.pathways.modes`) works on a
:class:`ModelSession`: the model is built once,
the solver keeps it, and between solves only variable bounds (criterion bounds, fixed build
decisions), mutable objective weights and, through :meth:`ModelSession.set_params`, mutable
prices and caps (:mod:`symbio.solvers.mutable`) change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pyomo.environ as pyo

from symbio.errors import SolverError
from symbio.flows.schema import Scenario
from symbio.model import ModelOptions, build_model
from symbio.model.groups import sync_build_groups
from symbio.model.pareto import add_criteria, criterion_values
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.mutable import assign_params, set_params
from symbio.solvers.options import SolverOptions
from symbio.solvers.tuning import resolve_options

__all__ = ["ModelSession", "Step", "build_variables", "open_session", "persistent_solve"]


@dataclass(frozen=True)
class Step:
    """Outcome of one solve of a session.

    Attributes
    ----------
    ok : bool
        A solution is loaded (optimal, or feasible with a gap at a time limit).
    status : str
        Solver status in words (``optimal``, ``infeasible``, ``time_limit``...).
    gap : float
        Relative MIP gap (0 for an LP or a proven optimum; NaN when unknown).
    seconds : float
        Wall time of the solve.
    """

    ok: bool
    status: str
    gap: float = 0.0
    seconds: float = 0.0


#: ``solve(model) -> Step``: a persistent solve of a (possibly changed) model.
Solve = Callable[[pyo.ConcreteModel], Step]


def build_variables(m: pyo.ConcreteModel) -> dict[str, pyo.Var]:
    """Binary build decisions of the model by candidate id (links and processes).

    Every indexed binary variable whose name ends in ``_build`` counts (``link_build``,
    ``process_build``), so a new family of candidates needs no change here.
    """
    out: dict[str, pyo.Var] = {}
    for comp in m.component_objects(pyo.Var, active=True):
        if not comp.local_name.endswith("_build"):
            continue
        for idx, var in comp.items():
            key = idx if not isinstance(idx, tuple) else ".".join(map(str, idx))
            out[str(key)] = var
    return out


@dataclass
class ModelSession:
    """A model with criteria components and the solve function that keeps it.

    Parameters
    ----------
    model
        A built model exposing ``objective_expr``; criteria are added on creation.
    solve_fn
        Persistent solve of the model (see :func:`symbio.solvers.session.persistent_solve`).
    criteria
        Criteria to add (default: every key of ``objective_expr``).
    """

    model: pyo.ConcreteModel
    solve_fn: Solve
    criteria: Iterable[str] | None = None
    steps: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Add the criteria components and index the build decisions."""
        add_criteria(self.model, self.criteria)
        self.criteria = tuple(self.model.criteria)
        self.builds = build_variables(self.model)
        self._fixed0 = {k: (v.fixed, v.value) for k, v in self.builds.items()}

    def solve(self) -> Step:
        """Solve the model as it stands now; record and return the step."""
        step = self.solve_fn(self.model)
        self.steps.append(step)
        return step

    def set_params(self, values: Mapping[str, float | Mapping[object, float]]) -> int:
        """Set mutable Params (a price, a cap) for the next solves, without a rebuild.

        ``{"policy_carbon_price": 200}`` or ``{"policy_cap": {"co2": 5e5}}``; the rows of the
        persistent instance that hold them are sent again (:mod:`symbio.solvers.mutable`).
        Returns the number of matrix coefficients changed (0 before the first solve).
        """
        solver = getattr(self.solve_fn, "state", {}).get("highs")
        if solver is None or solver.model is not self.model:
            assign_params(self.model, values)
            return 0
        return set_params(solver, values)

    def values(self) -> dict[str, float]:
        """Criterion values of the loaded solution."""
        return criterion_values(self.model)

    def build_values(self) -> dict[str, int]:
        """Build decisions of the loaded solution (0/1 per candidate id)."""
        return {k: int(round(pyo.value(v, exception=False) or 0.0)) for k, v in self.builds.items()}

    def fix_builds(self, values: Mapping[str, int | None]) -> None:
        """Fix candidates to 0/1 (None frees one back to how it was built)."""
        unknown = set(values) - set(self.builds)
        if unknown:
            raise SolverError(f"no build decision for {sorted(unknown)}")
        for k, v in values.items():
            var = self.builds[k]
            if v is None:
                fixed, val = self._fixed0[k]
                if fixed:
                    var.fix(val)
                else:
                    var.unfix()
            else:
                var.fix(int(v))
        sync_build_groups(self.model)

    def free_builds(self) -> None:
        """Restore every build decision to how the model was built."""
        self.fix_builds({k: None for k in self.builds})

    @property
    def solves(self) -> int:
        """Number of solves so far."""
        return len(self.steps)


def persistent_solve(options: SolverOptions | None = None) -> Solve:
    """Return a solve function that creates one persistent HiGHS instance and reuses it.

    Every solve after the first is a re-solve and runs with
    :func:`~symbio.solvers.tuning.resolve_options` (same optima, less fixed cost per solve).
    The solver's own (undocumented) attribute ``solver.highs`` of the returned function gives
    access to the instance for tests and timings.
    """
    state: dict[str, PersistentHighs] = {}
    again = resolve_options(options)

    def solve(m: pyo.ConcreteModel) -> Step:
        solver = state.get("highs")
        fresh = solver is None or solver.model is not m
        if fresh:
            solver = state["highs"] = PersistentHighs(m)
        out = solver.solve(options if fresh else again)
        gap = out.gap if out.gap is not None else 0.0
        return Step(out.has_solution, str(out.status), float(gap), out.solve_seconds)

    solve.state = state  # type: ignore[attr-defined]
    return solve


def open_session(
    scenario: Scenario,
    *,
    criteria: Iterable[str] | None = None,
    solver_options: SolverOptions | None = None,
    model_options: ModelOptions | None = None,
) -> ModelSession:
    """Build the scenario's model (candidates allowed) and wrap it with a persistent solver.

    Parameters
    ----------
    scenario
        A validated scenario.
    criteria
        Criteria to expose (default: every criterion of the model).
    solver_options
        Options for every solve (default: the scenario's ``solver:`` settings).
    model_options
        Model options (default: candidates allowed, caps on).
    """
    opts = (solver_options or SolverOptions.from_settings(scenario.solver)).started()
    m = build_model(scenario, model_options or ModelOptions())
    return ModelSession(m, persistent_solve(opts), criteria)
