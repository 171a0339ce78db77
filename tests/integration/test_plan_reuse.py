"""Operating a fixed plan on a solved run's model equals a cold run of that plan."""

from __future__ import annotations

import math

import pytest

from symbio.flows.load import load_scenario
from symbio.model.options import ModelOptions
from symbio.paths import scenarios_dir
from symbio.run import prepare, run_steps, solve
from symbio.run.plan import operate_plan
from symbio.sweep.adapter import built_candidates


def _cold(scenario, plan: frozenset[str]) -> dict[str, float]:  # noqa: ANN001
    r = solve(scenario, baseline=False, model_options=ModelOptions(build_plan=plan))
    return dict(zip(r.kpis["kpi"], r.kpis["optimized"], strict=True))


@pytest.mark.parametrize(
    ("file", "drop"), [("scip/symbiosis-2025.yaml", 2), ("examples/small-park.yaml", 1)]
)
def test_plan_on_the_run_model_equals_a_cold_run(file: str, drop: int) -> None:
    scenario = load_scenario(scenarios_dir() / file)
    st = prepare(scenario)
    run_steps(st)
    built = built_candidates(st.cases["optimized"].tables["builds"])
    assert built, "the optimum builds something"
    # a different plan from the run's own optimum: its first candidates left out
    plan = frozenset(built[drop:])
    warm = operate_plan(st, plan)
    cold = _cold(scenario, plan)
    assert set(warm) == set(cold)
    for k, v in cold.items():
        if isinstance(v, float) and math.isnan(v):
            assert math.isnan(warm[k]), k
        else:
            assert warm[k] == pytest.approx(v, rel=1e-6, abs=1e-6), k
    # and the plan costs more than the run's optimum (it is one of its choices, worse)
    assert warm["total_cost_cny"] >= st.cases["optimized"].park["total_cost_cny"] - 1e-6
