"""Transfer prices of the exchanges between accounts.

With ``s`` the seller's and ``b`` the buyer's marginal value of the resource in the baseline
(:mod:`symbio.allocation.cases`: what a unit is worth to each where it is, without the new
exchanges), the rules of ``allocation.settlement`` price a delivered unit at

    market         b                       the buyer's alternative
    cost_plus      s + margin * |s|        the seller's marginal cost and a margin
    split_savings  s + share * (b - s)     the seller gets ``savings_share`` of the surplus
    rational       found by an LP (:func:`rational_prices`)

**Individually rational prices.** One price per resource, seller, buyer and slice (a
*group*) in the optimized case; the baseline stays settled at market prices (the status
quo). An LP looks for prices with every account's net cost at most its baseline net cost:

    min Σ_e slack_e   s.t.  net_e(p) - slack_e ≤ net_e(baseline),  slack_e ≥ 0

If the least total slack is zero, a second LP keeps every account whole and moves the
prices as little as possible from the market prices (``min Σ_g q_g |p_g - market_g|``).
Otherwise no such prices exist; the accounts with a positive slack block, by that amount.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyomo.environ as pyo

from symbio.errors import SolverError
from symbio.flows.schema import AllocationSettings
from symbio.solvers.highs import PersistentHighs

#: LP unit: million CNY (keeps the coefficients near 1).
SCALE = 1e6
Group = tuple[str, str, str, str]


def rule_price(settings: AllocationSettings, s: float, b: float) -> float:
    """Price per unit under the scenario's rule (``rational`` starts from market)."""
    rule = settings.settlement
    if rule == "cost_plus":
        return s + settings.cost_plus_margin * abs(s)
    if rule == "split_savings":
        return s + settings.savings_share * (b - s)
    return b


@dataclass(frozen=True)
class RationalPrices:
    """Outcome of the individually rational price LP.

    Attributes
    ----------
    feasible : bool
        Prices exist that leave no account worse off than in the baseline.
    prices : dict
        Price per group ``(resource, seller, buyer, slice)``, CNY per unit.
    blocking : dict
        Account -> shortfall (CNY/a) it keeps at the least-shortfall prices (empty when
        feasible).
    """

    feasible: bool
    prices: dict[Group, float]
    blocking: dict[str, float]


def _groups(settlement: pd.DataFrame) -> pd.DataFrame:
    g = settlement.groupby(["resource", "seller", "buyer", "slice"], as_index=False).agg(
        q=("delivered", "sum"), payment=("payment_cny", "sum")
    )
    g["market"] = g["payment"] / g["q"]
    return g


def rational_prices(
    optimized: pd.DataFrame, own_optimized: dict[str, float], net_baseline: dict[str, float]
) -> RationalPrices:
    """Individually rational prices (see the module docstring).

    Parameters
    ----------
    optimized
        The optimized case's settlement at market prices (:func:`~symbio.allocation.accounts.settle`).
    own_optimized
        Account -> own cost in the optimized case.
    net_baseline
        Account -> net cost in the baseline (settled at market prices).
    """
    g = _groups(optimized)
    accounts = sorted(set(own_optimized) | set(net_baseline))
    m = pyo.ConcreteModel()
    m.p = pyo.Var(range(len(g)), within=pyo.Reals)
    m.slack = pyo.Var(accounts, within=pyo.NonNegativeReals)
    q = g["q"].to_numpy() / SCALE
    col = {c: g[c].tolist() for c in ("resource", "seller", "buyer", "slice", "market")}

    def net(e: str) -> object:
        buy = [k for k, b in enumerate(col["buyer"]) if b == e]
        sell = [k for k, s in enumerate(col["seller"]) if s == e]
        return (
            own_optimized.get(e, 0.0) / SCALE
            + sum(q[k] * m.p[k] for k in buy)
            - sum(q[k] * m.p[k] for k in sell)
        )

    m.ir = pyo.Constraint(
        accounts, rule=lambda m, e: net(e) - m.slack[e] <= net_baseline.get(e, 0.0) / SCALE
    )
    m.shortfall = pyo.Objective(expr=sum(m.slack.values()))
    solver = PersistentHighs(m)
    first = solver.solve()
    if not first.has_solution:
        raise SolverError(f"transfer-price LP: {first.message}")
    slack = {e: float(pyo.value(m.slack[e])) for e in accounts}
    size = max(1.0, max(abs(v) for v in net_baseline.values()) / SCALE)
    tol = 1e-6 * size  # a shortfall below this is the LP's round-off
    for e in accounts:
        m.slack[e].setub(slack[e] + 1e-10 * size)
    m.up = pyo.Var(range(len(g)), within=pyo.NonNegativeReals)
    m.down = pyo.Var(range(len(g)), within=pyo.NonNegativeReals)
    m.dev = pyo.Constraint(
        range(len(g)), rule=lambda m, k: m.p[k] - col["market"][k] == m.up[k] - m.down[k]
    )
    m.shortfall.deactivate()
    m.closest = pyo.Objective(expr=sum(q[k] * (m.up[k] + m.down[k]) for k in range(len(g))))
    second = solver.solve()
    if not second.has_solution:
        raise SolverError(f"transfer-price LP: {second.message}")
    keys = zip(col["resource"], col["seller"], col["buyer"], col["slice"], strict=True)
    prices = {key: float(pyo.value(m.p[k])) for k, key in enumerate(keys)}
    blocking = {e: v * SCALE for e, v in slack.items() if v > tol}
    return RationalPrices(not blocking, prices, blocking)
