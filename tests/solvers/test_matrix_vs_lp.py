"""The compiled hand-over is Pyomo's LP writer's problem, array for array.

``test_differential.py`` compares the two paths by their optimum; this compares what they
hand to HiGHS: the same rows (matched by name through the LP writer's symbol map), the same
coefficients, row and column bounds, integrality, costs and objective constant. The LP
writer moves fixed variables into the right-hand side and leaves out variables that appear
nowhere; the compiled model keeps fixed columns (``lower = upper``), so their terms are moved
over here before comparing.

The models here are handed over from the rows the families recorded at build time
(``symbio.model.record``); each case checks that the recording was used, and one case
changes recorded rows after the build, which must then be compiled from their new
expressions.
"""

from __future__ import annotations

from pathlib import Path

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest
import scipy.sparse as sp

from benchmarks.parks import generate_park
from symbio.flows.load import load_scenario
from symbio.model import ModelOptions, build_model
from symbio.model.pareto import add_criteria, set_bound
from symbio.model.record import records_in_use as used_recordings
from symbio.solvers import PersistentHighs
from symbio.solvers.highs import _new_highs
from symbio.solvers.mutable import set_params

ROOT = Path(__file__).resolve().parents[2]
REL = 1e-9


def _lp_rows(lp: object) -> sp.csr_array:
    a = lp.a_matrix_
    shape = (lp.num_row_, lp.num_col_)
    mat = sp.csc_array((np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)), shape)
    return mat.tocsr()


def lp_writer_problem(m: pyo.ConcreteModel, path: Path) -> dict:
    """Rows ``{label: (lo, hi, {column: coef})}``, columns, costs and constant of the LP file."""
    _, smap_id = m.write(str(path), io_options={"symbolic_solver_labels": True})
    h = _new_highs()
    assert h.readModel(str(path)) != highspy.HighsStatus.kError
    lp = h.getLp()
    names = list(lp.col_names_)
    mat = _lp_rows(lp)
    rows: dict[str, list] = {}
    for k, name in enumerate(lp.row_names_):
        kind, label = name[:4], name[4:-1]  # c_e_ / c_u_ / c_l_ / r_l_ / r_u_ + label + _
        got = rows.setdefault(label, [-np.inf, np.inf, {}])
        lo, hi = lp.row_lower_[k], lp.row_upper_[k]
        if kind in ("c_e_", "c_l_", "r_l_"):
            got[0] = lo
        if kind in ("c_e_", "c_u_", "r_u_"):
            got[1] = hi
        cols = mat.indices[mat.indptr[k] : mat.indptr[k + 1]]
        got[2] = {
            names[j]: v
            for j, v in zip(cols, mat.data[mat.indptr[k] : mat.indptr[k + 1]], strict=True)
        }
    cost = dict(zip(names, lp.col_cost_, strict=True))
    constant = lp.offset_ + cost.pop("ONE_VAR_CONSTANT", 0.0)
    integer = dict(zip(names, [int(t) for t in lp.integrality_] or [0] * len(names), strict=True))
    bounds = dict(zip(names, zip(lp.col_lower_, lp.col_upper_, strict=True), strict=True))
    return {
        "rows": rows,
        "cost": cost,
        "constant": constant,
        "integer": integer,
        "bounds": bounds,
        "smap": m.solutions.symbol_map[smap_id],
    }


def compiled_problem(solver: PersistentHighs, smap: object) -> dict:
    """The same view of the compiled model, fixed columns moved to the right-hand side."""
    lp = solver.h.getLp()
    mat = _lp_rows(lp)
    columns = solver.compiler.columns
    fixed = np.array([v.fixed for v in columns])
    value = np.array([v.value if v.fixed else 0.0 for v in columns], dtype=float)
    label = [smap.byObject.get(id(v)) for v in columns]
    rows = {}
    for k, con in enumerate(solver.row_cons):
        cols = mat.indices[mat.indptr[k] : mat.indptr[k + 1]]
        vals = mat.data[mat.indptr[k] : mat.indptr[k + 1]]
        moved = float(np.dot(vals[fixed[cols]], value[cols][fixed[cols]]))
        terms = {label[j]: v for j, v in zip(cols, vals, strict=True) if not fixed[j]}
        rows[smap.byObject[id(con)][4:-1]] = (  # the row label without c_e_ ... _
            lp.row_lower_[k] - moved,
            lp.row_upper_[k] - moved,
            terms,
        )
    cost = np.asarray(lp.col_cost_)
    integer = [int(t) for t in lp.integrality_] or [0] * len(columns)
    free = [j for j in range(len(columns)) if not fixed[j]]
    return {
        "rows": rows,
        "cost": {label[j]: cost[j] for j in free},
        "constant": lp.offset_ + float(np.dot(cost[fixed], value[fixed])),
        "integer": {label[j]: integer[j] for j in free},
        "bounds": {label[j]: (lp.col_lower_[j], lp.col_upper_[j]) for j in free},
    }


def _close(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= REL * max(1.0, abs(a), abs(b))


def assert_same_problem(m: pyo.ConcreteModel, path: Path) -> None:
    """The compiled arrays and the LP writer's file describe one problem."""
    want = lp_writer_problem(m, path)
    got = compiled_problem(PersistentHighs(m), want["smap"])
    written = set(want["bounds"]) - {"ONE_VAR_CONSTANT"}
    for name, (lo, hi, terms) in got["rows"].items():
        if name not in want["rows"]:  # every variable of the row fixed: the writer leaves it out
            assert not terms and lo <= REL and hi >= -REL, name
            continue
        wlo, whi, wterms = want["rows"][name]
        assert _close(lo, wlo) and _close(hi, whi), (name, lo, hi, wlo, whi)
        assert set(terms) == set(wterms), name
        assert all(_close(terms[c], wterms[c]) for c in terms), name
    assert set(want["rows"]) <= set(got["rows"])
    for name in got["bounds"]:
        if name not in written:  # in no row and not in the objective
            assert got["cost"][name] == 0.0, name
            continue
        assert got["bounds"][name] == pytest.approx(want["bounds"][name], rel=REL), name
        assert got["integer"][name] == want["integer"][name], name
        assert _close(got["cost"][name], want["cost"][name]), name
    assert _close(got["constant"], want["constant"])


@pytest.mark.parametrize(
    "name",
    [
        "scenarios/scip/symbiosis-2025.yaml",
        "scenarios/examples/small-park.yaml",
        "scenarios/examples/substitutes.yaml",
    ],
)
def test_scenario_matrix_equals_lp_writer(name: str, tmp_path: Path) -> None:
    """Scenario models, as built and with their build decisions fixed at 0."""
    m = build_model(load_scenario(ROOT / name), ModelOptions())
    assert "balance_site" in used_recordings(m)
    assert_same_problem(m, tmp_path / "m.lp")
    for comp in (m.link_build, m.process_build):
        for v in comp.values():
            v.fix(0)
    assert_same_problem(m, tmp_path / "fixed.lp")


def test_synthetic_park_matrix_equals_lp_writer(tmp_path: Path) -> None:
    """A synthetic park (every balance, link, market and disposal family), elastic too."""
    park = generate_park(40, seed=3)
    m = build_model(park)
    assert used_recordings(m) >= {"balance_site", "link_capacity", "process_capacity"}
    assert_same_problem(m, tmp_path / "park.lp")
    assert_same_problem(build_model(park, ModelOptions(elastic=True)), tmp_path / "elastic.lp")
    plan = build_model(park, ModelOptions(build_plan=frozenset()))
    assert_same_problem(plan, tmp_path / "plan.lp")


def test_carbon_price_and_pareto_rows_equal_lp_writer(tmp_path: Path) -> None:
    """SCIP 2025 after ``set_params`` of the carbon price, with an epsilon row, then Pareto."""
    m = build_model(load_scenario(ROOT / "scenarios/scip/symbiosis-2025.yaml"))
    set_params(PersistentHighs(m), {"policy_carbon_price": 250.0})
    m.objective_eps["co2"] = 1e6
    m.objective_eps_limit["co2"].activate()
    assert used_recordings(m) >= {"balance_site", "link_capacity"}
    assert_same_problem(m, tmp_path / "price.lp")
    add_criteria(m)
    set_bound(m, "co2", 2e6)
    assert_same_problem(m, tmp_path / "pareto.lp")


def test_changed_recorded_rows_equal_lp_writer(tmp_path: Path) -> None:
    """Rows changed after the build are handed over as they are now, not as recorded."""
    m = build_model(generate_park(40, seed=3))
    for k, key in enumerate(list(m.link_capacity)[:3]):
        lid, t = key
        m.link_capacity[key].set_value(m.link_flow[lid, t] <= (k + 0.5) * m.link_build[lid])
    key = next(iter(m.balance_site))
    m.balance_site[key].set_value(m.balance_site[key].body == 1.0)
    assert not used_recordings(m) & {"link_capacity", "balance_site"}
    assert_same_problem(m, tmp_path / "changed.lp")
