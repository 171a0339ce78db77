"""Options that shape the optimization model (not the solver)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ModelOptions:
    """What to build.

    Attributes
    ----------
    objective : str or None
        ``cost``, ``energy``, ``co2`` or a pollutant species; None takes the scenario's
        ``objective.minimize``.
    weights : mapping or None
        Weighted-sum objective ``sum_k objective_weight[k] * objective_expr[k] /
        objective_scale[k]``; None takes the scenario's ``objective.weights`` (and a single
        objective when that is empty too). Scales default to 1 (set them from a payoff
        table for a normalised sum).
    candidates : bool
        False builds the *baseline*: every candidate build decision is fixed at 0, so only
        existing links and processes operate (the model structure is unchanged).
    policy_caps : bool
        Enforce the scenario's ``policy.caps`` (the constraints exist either way and are
        deactivated when False).
    build_plan : frozenset of str or None
        A fixed build plan: every candidate build decision is fixed, at 1 for the link and
        process ids in the set and at 0 for the others (operate a chosen plan, e.g. to
        measure its regret under other data). Ignored with ``candidates=False``.
    elastic : bool
        Add penalised slacks to every balance, quality limit and cap and minimise their
        sum instead of the objective (the infeasibility diagnosis).
    """

    objective: str | None = None
    weights: Mapping[str, float] | None = None
    candidates: bool = True
    policy_caps: bool = True
    elastic: bool = False
    build_plan: frozenset[str] | None = None


def fix_builds(build: object, opts: ModelOptions) -> None:
    """Fix an indexed build variable as ``opts`` says: at 0 for the baseline, at the plan's
    decisions with a ``build_plan``, free otherwise."""
    if not opts.candidates:
        build.fix(0)  # type: ignore[attr-defined]
    elif opts.build_plan is not None:
        for key in build:  # type: ignore[attr-defined]
            build[key].fix(1 if key in opts.build_plan else 0)  # type: ignore[index]
