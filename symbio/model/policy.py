"""Policy caps and epsilon limits on the criteria.

    objective_expr[k] - policy_slack[k] <= policy_cap[k]       for every cap of policy.caps
    objective_expr[k] <= objective_eps[k]                      epsilon limits (deactivated)

Caps are annual: ``co2`` and each pollutant in t, ``energy_tce`` in t ce (criterion
``energy``). ``policy_cap`` and ``objective_eps`` are mutable Params, so a sweep or an
epsilon-constraint Pareto front changes them (and activates ``objective_eps_limit[k]``)
without rebuilding the model. ``policy_slack`` is the elastic violation, fixed at 0 outside
the diagnosis. The baseline (``ModelOptions(policy_caps=False)``) deactivates the caps:
they are targets for the planned network, not for the status quo.

=================================  ===========================================
``policy_cap[k]``                  mutable Param, the cap of criterion k
``policy_limit[k]``                the cap as a constraint
``policy_slack[k]``                elastic: amount above the cap
``objective_eps[k]``               mutable Param (default +inf)
``objective_eps_limit[k]``         epsilon limit on criterion k, deactivated until used
=================================  ===========================================
"""

from __future__ import annotations

import math

import pyomo.environ as pyo

from symbio.flows.schema import CRITERIA
from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions

#: Cap keys of ``policy.caps`` that are not named like their criterion.
CAP_CRITERION = {"energy_tce": "energy"}


def add_policy(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add caps and epsilon limits."""
    caps = {CAP_CRITERION.get(k, k): v for k, v in ix.scenario.policy.caps.items()}
    keys = [k for k in CRITERIA if k in caps]
    m.policy_cap = pyo.Param(keys, initialize=caps, mutable=True, doc="annual cap of the criterion")
    m.policy_slack = pyo.Var(keys, within=pyo.NonNegativeReals, doc="elastic: amount above the cap")
    if not opts.elastic:
        m.policy_slack.fix(0)

    @m.Constraint(keys, doc="policy cap")
    def policy_limit(m: pyo.ConcreteModel, k: str) -> object:
        return m.objective_expr[k] - m.policy_slack[k] <= m.policy_cap[k]

    if not opts.policy_caps:
        m.policy_limit.deactivate()
    m.objective_eps = pyo.Param(CRITERIA, initialize=math.inf, mutable=True, doc="epsilon limit")

    @m.Constraint(CRITERIA, doc="epsilon limit on the criterion")
    def objective_eps_limit(m: pyo.ConcreteModel, k: str) -> object:
        return m.objective_expr[k] <= m.objective_eps[k]

    m.objective_eps_limit.deactivate()
