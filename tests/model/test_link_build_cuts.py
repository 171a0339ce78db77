"""``process_link_build``: valid inequalities that tighten the LP and keep every integer solution.

A link into a pool that only candidate processes drain (or out of one that only candidate
processes feed) can carry flow only if one of them is built: ``flow <= B * sum(build)``.
"""

from __future__ import annotations

from pathlib import Path

import pyomo.environ as pyo
import pytest
import yaml

from benchmarks.parks import generate_park
from symbio.flows.graph import build_graph
from symbio.flows.load import load_scenario, scenario_from_data
from symbio.model import build_model
from symbio.model.processes import sole_candidate_ends
from symbio.solvers import SolverOptions, solve_model

ROOT = Path(__file__).resolve().parents[2]

# Two waste producers (100 t/a each) may send to one utility site, whose only use for the
# waste is a candidate incinerator (capacity 200 t/a, fixed 2,000 CNY/a, earns 20 CNY/t).
# Link a1 costs 500 CNY/a (5 CNY/t at 100 t), link a2 2,500 CNY/a (25 CNY/t); landfill at
# either producer costs 10 CNY/t. One slice of 8,760 h, so per-slice = per-year amounts.
PARK = """
name: {{en: cut test}}
resources:
  - {{id: hw, unit: t, name: {{en: hazardous waste}}, category: hazardous_waste}}
sites:
  - {{id: a1, name: {{en: a1}}, supplies: [{{resource: hw, amount: 100}}]}}
  - {{id: a2, name: {{en: a2}}, supplies: [{{resource: hw, amount: 100}}]}}
  - {{id: u, name: {{en: u}}{u_extra}}}
links:
  - {{id: l1, resource: hw, from: a1, to: u, candidate: true, capex_cny: 0, fixed_om_cny_a: 500}}
  - {{id: l2, resource: hw, from: a2, to: u, candidate: true, capex_cny: 0,
      fixed_om_cny_a: 2500}}
processes:
  - {{id: inc, site: u, capacity: 200, candidate: true, inputs: {{hw: 1.0}}, capex_cny: 0,
      fixed_om_cny_a: 2000, variable_om_cny: -20}}
{more}
disposal:
  - {{id: fill1, resource: hw, site: a1, cost_cny: 10}}
  - {{id: fill2, resource: hw, site: a2, cost_cny: 10}}
"""


def _graph(u_extra: str = "", more: str = ""):
    data = yaml.safe_load(PARK.format(u_extra=u_extra, more=more))
    return build_graph(scenario_from_data(data, None, "<test>"))


def _solve(m: pyo.ConcreteModel, cuts: bool, relax: bool = False) -> float:
    if not cuts:
        m.process_link_build.deactivate()
    if relax:
        pyo.TransformationFactory("core.relax_integer_vars").apply_to(m)
    out = solve_model(m, SolverOptions(mip_gap=0.0, threads=1))
    assert out.has_solution, out.message
    return out.objective


def test_links_into_a_pool_only_a_candidate_drains():
    m = build_model(_graph())
    (t,) = m.symbio_index.slices
    assert sole_candidate_ends(m.symbio_index) == {("l1", t): ("inc",), ("l2", t): ("inc",)}
    assert {k: v for k, v in m.process_link_build.items()}.keys() == {("l1", t), ("l2", t)}


@pytest.mark.parametrize(
    "u_extra, more",
    [
        (", demands: [{resource: hw, amount: 5}]", ""),  # a demand drains the pool too
        ("", "  - {id: old, site: u, capacity: 50, inputs: {hw: 1.0}}"),  # an existing process
    ],
)
def test_no_cut_when_something_else_drains_the_pool(u_extra: str, more: str):
    assert sole_candidate_ends(build_model(_graph(u_extra, more)).symbio_index) == {}


def test_lp_bound_rises_to_the_mip_optimum_by_hand():
    # MIP: build l1, l2 and inc: 500 + 2,500 + 2,000 - 20 x 200 = 1,000 CNY/a (only l1 and
    # inc: 500 + 2,000 - 2,000 + landfill 1,000 = 1,500; nothing: 2,000).
    # LP without the cut: inc's bound is 200, so 100 t from a1 pay build 0.5 (1,000 CNY/a):
    # 500 + 1,000 - 2,000 + landfill of a2's 1,000 = 500 (a2's waste would cost
    # 25 + 10 - 20 = 15 CNY/t > 10 to send). With the cut, 100 t on l1 force build 1, and
    # then a2's waste costs 25 - 20 = 5 CNY/t < 10: everything is sent, 1,000 = the MIP.
    g = _graph()
    assert _solve(build_model(g), cuts=False, relax=True) == pytest.approx(500)
    assert _solve(build_model(g), cuts=True, relax=True) == pytest.approx(1000)
    assert _solve(build_model(g), cuts=True) == pytest.approx(1000)
    assert _solve(build_model(g), cuts=False) == pytest.approx(1000)


def _builds(m: pyo.ConcreteModel) -> frozenset[str]:
    on = [k for k, v in m.link_build.items() if v.value > 0.5]
    return frozenset(on + [k for k, v in m.process_build.items() if v.value > 0.5])


def _optimum(graph, cuts: bool, plan: frozenset[str] | None = None):
    from symbio.model.options import ModelOptions

    m = build_model(graph, ModelOptions(build_plan=plan))
    n_cuts = len(m.process_link_build)
    obj = _solve(m, cuts)
    return obj, _builds(m), n_cuts


@pytest.mark.parametrize(
    "source",
    [
        "park:60:0",
        "park:80:3",
        "scenarios/scip/symbiosis-2025.yaml",
        "scenarios/scip/h2-growth.yaml",
        "scenarios/scip/co2-cap.yaml",
    ],
)
def test_same_optimum_and_builds_with_and_without_the_cuts(source: str):
    """Solved to a proven optimum both ways: equal objectives, and each side's build plan,
    fixed in the other formulation, gives the same cost (no integer solution is cut)."""
    if source.startswith("park:"):
        _, n, seed = source.split(":")
        graph = build_graph(generate_park(int(n), int(seed)))
    else:
        graph = build_graph(load_scenario(ROOT / source))
    plain, plain_builds, n_cuts = _optimum(graph, cuts=False)
    tight, tight_builds, _ = _optimum(graph, cuts=True)
    if source.startswith("park:"):
        assert n_cuts > 0  # the synthetic parks have incinerators only waste links feed
    assert tight == pytest.approx(plain, rel=1e-7, abs=1e-3)
    for plan in {plain_builds, tight_builds}:
        with_cuts, _, _ = _optimum(graph, cuts=True, plan=plan)
        without, _, _ = _optimum(graph, cuts=False, plan=plan)
        assert with_cuts == pytest.approx(without, rel=1e-9, abs=1e-3)
        assert with_cuts == pytest.approx(plain, rel=1e-7, abs=1e-3)
