"""The derived bounds ``B`` and ``U`` (the big-M's of the build rows) cut off no flow.

For a sample of candidate links and processes of a synthetic park: with the candidate's build
fixed to 1, its own derived bound lifted to its plain capacity (variable bound; capacity row
off) and the model relaxed to an LP, the most flow (activity) any solution can put on it in a slice is at most the derived
bound, and for most of them equal to it (the bound is tight, not merely valid). A bound
derived too small by :mod:`symbio.model.bounds` fails here.
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from benchmarks.parks import generate_park
from symbio.flows.graph import build_graph
from symbio.model import build_model
from symbio.solvers import SolverOptions, solve_model


@pytest.fixture(scope="module")
def graph():
    return build_graph(generate_park(40, 2))


def _most(graph, family: str, key: str, t: str) -> float:
    """max flow (activity) of one candidate in slice ``t``, build 1, bound = its capacity."""
    m = build_model(graph)
    ix = m.symbio_index
    rec = (ix.links if family == "link" else ix.processes)[key]
    cap = None if rec.capacity is None else ix.per_slice(rec.capacity, t)
    m.objective.deactivate()
    m.process_link_build.deactivate()  # they use B too
    var, build, row = {
        "link": (m.link_flow, m.link_build, m.link_capacity),
        "process": (m.process_activity, m.process_build, m.process_capacity),
    }[family]
    build[key].fix(1)
    row[key, t].deactivate()
    var[key, t].setub(cap)
    pyo.TransformationFactory("core.relax_integer_vars").apply_to(m)
    m.most = pyo.Objective(expr=var[key, t], sense=pyo.maximize)
    out = solve_model(m, SolverOptions(threads=1))
    assert out.has_solution, out.message
    return out.objective


def test_link_bounds_are_valid_and_mostly_tight(graph):
    m = build_model(graph)
    ix = m.symbio_index
    t = ix.slices[0]
    links = [lid for lid in ix.candidate_links if ix.link_bound_kind[lid] != "park total"]
    sample = links[:: max(1, len(links) // 8)]
    most = {lid: _most(graph, "link", lid, t) for lid in sample}
    for lid, v in most.items():
        assert v <= ix.link_bound[lid, t] * (1 + 1e-9) + 1e-6, lid
    tight = [lid for lid, v in most.items() if v >= ix.link_bound[lid, t] * (1 - 1e-6)]
    assert len(tight) >= len(sample) // 2


def test_process_bounds_are_valid_and_mostly_tight(graph):
    ix = build_model(graph).symbio_index
    t = ix.slices[0]
    sample = ix.candidate_processes[:: max(1, len(ix.candidate_processes) // 8)]
    most = {p: _most(graph, "process", p, t) for p in sample}
    for p, v in most.items():
        assert v <= ix.process_bound[p, t] * (1 + 1e-9) + 1e-6, p
    tight = [p for p, v in most.items() if v >= ix.process_bound[p, t] * (1 - 1e-6)]
    assert len(tight) >= len(sample) // 2
