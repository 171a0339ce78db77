"""A closed-form stand-in for the optimizer on the hydrogen-pair scenario (test helper).

It computes by hand what the MILP must find, so the sweep machinery (planning, resume,
index, executors) can be tested quickly and independently of the optimizer:

    baseline  = D · (b + e·p)
    optimized = min(baseline, L·c·CRF + max(0, D − S) · (b + e·p))

(D demand, S by-product supply, b purchase price, e purchase CO2 factor, p carbon price,
L pipe length, c capex per km, CRF the capital recovery factor). A demand above supply
with a purchase cap of zero is infeasible; ``policy.caps.co2 == 13`` without a purchase
cap crashes the worker process (as a segfault or the out-of-memory killer would).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from symbio.errors import InfeasibleError


def crf(rate: float, years: int) -> float:
    """Capital recovery factor."""
    return rate / (1 - (1 + rate) ** -years)


def hydrogen_pair(scenario) -> dict:  # noqa: ANN001
    """Baseline and optimized cost of a hydrogen-pair variant, computed by hand."""
    supply = scenario.site("cracker").supplies[0].amount
    demand = scenario.site("refinery").demands[0].amount
    market = scenario.markets[0]
    gen = scenario.candidate_links[0]
    p = scenario.policy.carbon_price_cny_t
    unit = market.buy_cny + market.emissions.get("co2", 0.0) * p
    cap = math.inf if market.buy_cap is None else market.buy_cap
    length = math.dist(scenario.site("cracker").xy_km, scenario.site("refinery").xy_km)
    pipe = length * gen.capex_cny_per_km * crf(scenario.policy.discount_rate, gen.lifetime_y)
    baseline = demand * unit if demand <= cap else math.inf
    with_pipe = pipe + max(0.0, demand - supply) * unit
    if length > gen.max_km or max(0.0, demand - supply) > cap:
        with_pipe = math.inf
    optimized = min(baseline, with_pipe)
    if math.isinf(optimized):
        raise InfeasibleError(
            "no feasible network", diagnosis="refinery h2 demand cannot be met (purchase cap)"
        )
    built = with_pipe < baseline
    return {
        "objective_baseline": None if math.isinf(baseline) else baseline,
        "objective_optimized": optimized,
        "builds": ["h2_pipe.cracker.refinery"] if built else [],
        "measures": ["h2_pipeline"] if built else [],
    }


def run(scenario, options, out: Path) -> dict:  # noqa: ANN001
    """Runner contract of ``symbio.sweep.execute``."""
    if scenario.policy.caps.get("co2") == 13 and scenario.markets[0].buy_cap is None:
        os._exit(13)  # simulate a worker that dies (segfault, out of memory)
    fields = hydrogen_pair(scenario)
    (out / "result.txt").write_text(repr(fields), encoding="utf-8")
    fields["solver_status"] = "optimal"
    fields["kpis"] = {
        "cost_saving": (fields["objective_baseline"] or 0) - fields["objective_optimized"]
    }
    return fields


def alone(scenario, options, out: Path) -> dict:  # noqa: ANN001
    """:func:`run`, also writing what the folder around ``out`` holds (``neighbours.txt``)."""
    neighbours = sorted(os.listdir(out.parent))
    (out / "neighbours.txt").write_text("\n".join(neighbours), encoding="utf-8")
    return run(scenario, options, out)


def where_temp(scenario, options, out: Path) -> dict:  # noqa: ANN001
    """:func:`run`, also writing the folder the worker's temporary files go to (``temp.txt``)."""
    import tempfile

    (out / "temp.txt").write_text(tempfile.gettempdir(), encoding="utf-8")
    return run(scenario, options, out)
