"""Criteria for the multi-objective modes, added on top of a built model (no rebuild).

    criterion_value[k] = objective_expr[k]                    for k in CRITERIA
    minimise  sum_k criterion_weight[k] * criterion_value[k]
    criterion_value[k] <= criterion bound                     (variable upper bound)

=======================  ===========================  ===========================================
symbol                   Pyomo attribute              meaning
=======================  ===========================  ===========================================
CRITERIA                 ``m.criteria``               criteria of the modes (``cost``, ``co2``...)
value_k                  ``m.criterion_value[k]``     free variable equal to objective_expr[k]
definition               ``m.criterion_definition``   value_k = objective_expr[k]
w_k                      ``m.criterion_weight[k]``    mutable weight in the criteria objective
objective                ``m.criterion_objective``    sum_k w_k value_k (replaces the model's)
=======================  ===========================  ===========================================

Weighted sums, lexicographic steps and ε-constraints all change only the mutable weights and the
variable bounds, so a persistent solver re-solves without a rebuild (only bounds and objective
coefficients change). :mod:`symbio.pathways.modes` drives them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn

__all__ = [
    "add_criteria",
    "clear_bounds",
    "criterion_values",
    "set_bound",
    "set_weights",
]


def add_criteria(m: pyo.ConcreteModel, names: Iterable[str] | None = None) -> None:
    """Add criterion variables, their definitions and the weighted criteria objective.

    The model's own active objectives are deactivated; ``m.criterion_objective`` is the only
    active one afterwards. Calling it again on the same model does nothing.

    Parameters
    ----------
    m
        A built model exposing ``m.objective_expr[name]``.
    names
        Criteria to add (default: every key of ``objective_expr``).

    Raises
    ------
    KeyError
        When a name is not a key of ``m.objective_expr``.
    """
    if hasattr(m, "criterion_objective"):
        return
    keys = list(m.objective_expr.keys())
    chosen = keys if names is None else list(dict.fromkeys(names))
    for k in chosen:
        if k not in m.objective_expr:
            raise KeyError(f"unknown criterion {k!r}; the model has {', '.join(map(str, keys))}")
    for obj in list(m.component_data_objects(pyo.Objective, active=True)):
        obj.deactivate()
    m.criteria = pyo.Set(initialize=chosen, ordered=True, doc="criteria of the modes")
    m.criterion_value = pyo.Var(m.criteria, within=pyo.Reals, doc="value of each criterion")
    m.criterion_weight = pyo.Param(
        m.criteria, mutable=True, initialize=0.0, doc="weight in the criteria objective"
    )

    scale = {k: _row_scale(m.objective_expr[k]) for k in chosen}

    @m.Constraint(m.criteria, doc="criterion value equals its objective expression (scaled)")
    def criterion_definition(m: pyo.ConcreteModel, k: str) -> pyo.Expression:
        return (m.criterion_value[k] - m.objective_expr[k]) / scale[k] == 0

    m.criterion_objective = pyo.Objective(
        expr=sum(m.criterion_weight[k] * m.criterion_value[k] for k in m.criteria),
        sense=pyo.minimize,
        doc="weighted sum of criteria",
    )


def _row_scale(expr: object) -> float:
    """Largest coefficient of a linear criterion (at least 1): its definition row's divisor.

    A criterion in CNY/a reaches 1e10 at a park's scale with coefficients up to 1e8 (capex of
    a build decision); unscaled, the row's double-precision round-off alone (~1e-6) exceeds
    HiGHS's absolute feasibility tolerance and the MIP ends in "Solve error". Divided by its
    largest coefficient the row is the same equation with coefficients of at most 1.
    """
    repn = generate_standard_repn(expr, compute_values=True, quadratic=False)
    coefs = [abs(float(c)) for c in repn.linear_coefs]
    return max([1.0, *coefs])


def set_weights(m: pyo.ConcreteModel, weights: Mapping[str, float]) -> None:
    """Set the objective weights; criteria not named get weight 0."""
    unknown = set(weights) - set(m.criteria)
    if unknown:
        raise KeyError(f"unknown criteria {sorted(unknown)}; known: {list(m.criteria)}")
    for k in m.criteria:
        m.criterion_weight[k].set_value(float(weights.get(k, 0.0)))


def set_bound(m: pyo.ConcreteModel, name: str, upper: float | None) -> None:
    """Bound criterion ``name`` from above (None removes the bound)."""
    m.criterion_value[name].setub(None if upper is None else float(upper))


def clear_bounds(m: pyo.ConcreteModel) -> None:
    """Remove every criterion bound."""
    for k in m.criteria:
        m.criterion_value[k].setub(None)


def criterion_values(m: pyo.ConcreteModel) -> dict[str, float]:
    """Values of the criteria in the loaded solution."""
    return {k: float(pyo.value(m.objective_expr[k])) for k in m.criteria}
