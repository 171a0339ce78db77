"""The one place :mod:`symbio.pathways` meets the optimizer: build a model, open a session.

A session is built once per scenario (``build_model`` with candidates allowed) and solved by
one :class:`~symbio.solvers.highs.PersistentHighs`; every later solve sends HiGHS only the
changed bounds and objective coefficients.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyomo.environ as pyo

from symbio.flows.schema import Scenario
from symbio.model import ModelOptions, build_model
from symbio.pathways.session import ModelSession, Solve, Step
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.options import SolverOptions

__all__ = ["open_session", "persistent_solve", "weighted_scales"]


def persistent_solve(options: SolverOptions | None = None) -> Solve:
    """Return a solve function that creates one persistent HiGHS instance and reuses it.

    The solver's own (undocumented) attribute ``solver.highs`` of the returned function gives
    access to the instance for tests and timings.
    """
    state: dict[str, PersistentHighs] = {}

    def solve(m: pyo.ConcreteModel) -> Step:
        solver = state.get("highs")
        if solver is None or solver.model is not m:
            solver = state["highs"] = PersistentHighs(m)
        out = solver.solve(options)
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


def weighted_scales(
    scenario: Scenario,
    criteria: Iterable[str],
    *,
    solver_options: SolverOptions | None = None,
) -> dict[str, float]:
    """Normalisation scale of each criterion of a weighted sum: its payoff-table range.

    ``nadir - utopia`` from the lexicographic payoff table of ``criteria``, floored at
    ``1e-6 * max(|utopia|, |nadir|)`` (:data:`~symbio.pathways.modes.RANGE_REL_FLOOR`; a
    smaller range is the lexicographic tolerance, not a trade-off) and 1 when the criterion
    is 0 at every payoff optimum (:meth:`~symbio.pathways.modes.PayoffTable.range`). Set
    ``m.objective_scale[k]`` of a model built with ``objective.weights`` to these to
    minimise the normalised weighted sum.
    """
    from symbio.pathways.modes import payoff_table

    names = list(criteria)
    session = open_session(scenario, criteria=names, solver_options=solver_options)
    payoff = payoff_table(session, names)
    return {k: payoff.range(k) for k in names}
