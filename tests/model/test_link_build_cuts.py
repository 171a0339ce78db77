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
from symbio.model.linkcuts import LinkEndCut, add_link_cover_cuts, link_end_cuts
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


def _solve(m: pyo.ConcreteModel, cuts: bool, relax: bool = False, cover: bool = False) -> float:
    if not cuts:
        m.process_link_build.deactivate()
    if cover:  # the general rule's rows on top (symbio.model.linkcuts)
        add_link_cover_cuts(m, m.symbio_index)
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


@pytest.mark.parametrize(
    "u_extra, more, constant, others",
    [
        (", demands: [{resource: hw, amount: 5}]", "", 5.0, ()),
        (
            "",
            "  - {id: old, site: u, capacity: 50, inputs: {hw: 1.0}}",
            0.0,
            (("process_activity", ("old",), 1.0),),
        ),
    ],
)
def test_general_rule_puts_what_else_drains_the_pool_on_the_right_side(
    u_extra, more, constant, others
):
    ix = build_model(_graph(u_extra, more)).symbio_index
    (t,) = ix.slices
    cut = link_end_cuts(ix)["l1", t, "to"]
    # B = 100 (a1's supply), inc takes up to 200: min(100, 1 x 200) = 100
    assert cut == LinkEndCut(1.0, (("inc", 100.0),), constant, others)


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


# A capture unit at c (candidate, up to 200 t/a of CO2 from c's raw CO2, 100 CNY/t, fixed
# 20,000 CNY/a) may ship CO2 to two users (100 t/a each): l1 has a fixed cost of 1,000 CNY/a,
# l2 of 35,000 CNY/a. CO2 is bought anywhere (site: null) at 400 CNY/t; raw CO2 is vented free.
CAPTURE = """
name: {en: capture test}
resources:
  - {id: raw, unit: t, name: {en: raw CO2}, category: co2}
  - {id: co2, unit: t, name: {en: CO2}, category: co2}
sites:
  - {id: c, name: {en: c}, supplies: [{resource: raw, amount: 1000}]}
  - {id: u1, name: {en: u1}, demands: [{resource: co2, amount: 100}]}
  - {id: u2, name: {en: u2}, demands: [{resource: co2, amount: 100}]}
links:
  - {id: l1, resource: co2, from: c, to: u1, candidate: true, capex_cny: 0, fixed_om_cny_a: 1000}
  - {id: l2, resource: co2, from: c, to: u2, candidate: true, capex_cny: 0, fixed_om_cny_a: 35000}
processes:
  - {id: cap, site: c, capacity: 1000, candidate: true, inputs: {raw: 1.0},
     outputs: {co2: 1.0}, capex_cny: 0, fixed_om_cny_a: 20000, variable_om_cny: 100}
markets:
  - {id: co2_buy, resource: co2, buy_cny: 400}
disposal:
  - {id: vent, resource: raw, cost_cny: 0}
"""


def test_a_purchase_at_the_sender_is_on_the_right_side_and_the_lp_pays_the_build():
    # MIP: build cap and l1: 20,000 + 1,000 + 100 x 100 = 31,000; u2 buys 100 x 400 = 40,000:
    # 71,000 (buying everything: 80,000; l2 saves 400 - 100 = 300 CNY/t x 100 < 35,000).
    # cap's bound is what c's CO2 can leave by: B(l1) + B(l2) = 200 t/a (not 1,000).
    # LP without the cut: 100 t on l1 (build 1), cap at 100 of 200 -> build 0.5 (10,000):
    # 1,000 + 10,000 + 10,000 + 40,000 = 61,000. The cut l1 <= min(100, 200) build + buy at c
    # makes each shipped t either pay 1/100 of the build or 400 at c: 71,000 = the MIP.
    g = build_graph(scenario_from_data(yaml.safe_load(CAPTURE), None, "<test>"))
    ix = build_model(g).symbio_index
    (t,) = ix.slices
    assert ix.process_bound["cap", t] == pytest.approx(200)
    assert sole_candidate_ends(ix) == {}  # the purchase at c: only the general rule applies
    cut = link_end_cuts(ix)["l1", t, "from"]
    assert cut.builds == (("cap", pytest.approx(100)),)
    assert cut.others == (("market_buy", ("co2_buy", "c"), 1.0),)
    assert _solve(build_model(g), cuts=True, relax=True) == pytest.approx(61_000)
    assert _solve(build_model(g), cuts=True, relax=True, cover=True) == pytest.approx(71_000)
    assert _solve(build_model(g), cuts=True) == pytest.approx(71_000)
    assert _solve(build_model(g), cuts=True, cover=True) == pytest.approx(71_000)


def _most_violation(graph, cut: LinkEndCut, key: tuple, build: float) -> float:
    """max (left - right side) of one general row over the model *without* any cut, with the
    builds of the row's candidate processes fixed at ``build`` (0: the row is the tightest)."""
    m = build_model(graph)
    m.process_link_build.deactivate()
    m.objective.deactivate()
    lid, t, _ = key
    rhs = sum(c * m.process_build[p] for p, c in cut.builds) + cut.constant
    rhs = rhs + sum(c * getattr(m, var)[(*k, t)] for var, k, c in cut.others)
    for p, _ in cut.builds:
        m.process_build[p].fix(build)
    m.violation = pyo.Objective(expr=cut.scale * m.link_flow[lid, t] - rhs, sense=pyo.maximize)
    out = solve_model(m, SolverOptions(mip_gap=0.0, threads=1))
    assert out.has_solution, out.message
    return out.objective


@pytest.mark.parametrize("source", ["park:40:1", "capture"])
def test_no_cut_row_can_be_violated_by_a_solution_of_the_model_without_it(source: str):
    """Validity, row by row: the most any solution of the uncut model (builds free, the
    row's candidates fixed unbuilt or built) exceeds the row's right side is <= 0."""
    if source == "capture":
        graph = build_graph(scenario_from_data(yaml.safe_load(CAPTURE), None, "<test>"))
    else:
        _, n, seed = source.split(":")
        graph = build_graph(generate_park(int(n), int(seed)))
    cuts = link_end_cuts(build_model(graph).symbio_index)
    keys = sorted(cuts)[:: max(1, len(cuts) // 12)]  # a dozen rows, both ends
    assert {k[2] for k in keys} == ({"from", "to"} if source != "capture" else {"from"})
    worst = [_most_violation(graph, cuts[k], k, b) for k in keys for b in (0.0, 1.0)]
    # <= 0: valid; = 0: some solution meets the right side (the rows are tight, not vacuous)
    assert max(worst) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("source", ["park:60:0", "scenarios/scip/symbiosis-2025.yaml"])
def test_same_optimum_with_the_general_rows(source: str):
    if source.startswith("park:"):
        _, n, seed = source.split(":")
        graph = build_graph(generate_park(int(n), int(seed)))
    else:
        graph = build_graph(load_scenario(ROOT / source))
    plain = _solve(build_model(graph), cuts=True)
    assert _solve(build_model(graph), cuts=True, cover=True) == pytest.approx(plain, rel=1e-7)
