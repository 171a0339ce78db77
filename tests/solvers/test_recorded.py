"""The hand-over from rows recorded at build time is the compiled hand-over, bit for bit.

``Compiler(m)`` takes the families' recorded arrays (``symbio.model.record``) for the rows,
reads column bounds per component and linearises a recorded objective with numpy;
``Compiler(m, recorded=False)`` compiles every row from its Pyomo expression and the
objective with Pyomo's linear visitor. Both must give the very same arrays (sign bits of
zeros too), and a row or Expression changed after the build must not be taken from the
recording.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest

from benchmarks.parks import generate_park
from symbio.flows.load import load_scenario
from symbio.model import ModelOptions, build_model
from symbio.model.pareto import add_criteria, set_bound
from symbio.model.record import records_in_use as used_recordings
from symbio.model.record_objective import recorded_objective
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.matrix import Compiler, active_objective
from symbio.solvers.mutable import set_params

ROOT = Path(__file__).resolve().parents[2]
RECORDED = {"balance_site", "link_capacity", "process_capacity", "quality_limit"}


def _bits(a: object) -> np.ndarray:
    arr = np.asarray(a)
    return arr.astype(float).view(np.int64) if arr.dtype.kind == "f" else arr


def _problem(m: pyo.ConcreteModel, recorded: bool) -> tuple[list, list, list]:
    comp = Compiler(m, recorded=recorded)
    rows = comp.model_rows()
    cost, const, sense = comp.objective(active_objective(m))
    arrays = [rows.lower, rows.upper, rows.offsets, rows.start, rows.index, rows.value]
    arrays += [*comp.column_bounds(), cost, [const], [sense]]
    return [id(c) for c in rows.constraints], [id(v) for v in comp.columns], arrays


def assert_recorded_equals_compiled(m: pyo.ConcreteModel) -> None:
    """The recorded hand-over and the compiled one: same rows, columns and arrays."""
    cons, cols, got = _problem(m, recorded=True)
    want_cons, want_cols, want = _problem(m, recorded=False)
    assert cons == want_cons
    assert cols == want_cols
    for k, (a, b) in enumerate(zip(got, want, strict=True)):
        assert np.shape(a) == np.shape(b), k
        assert np.array_equal(_bits(a), _bits(b)), k


def _objective_recorded(m: pyo.ConcreteModel) -> bool:
    comp = Compiler(m)
    return recorded_objective(active_objective(m).expr, m.symbio_exprs, comp.col_start) is not None


@pytest.mark.parametrize(
    "name",
    ["scenarios/scip/symbiosis-2025.yaml", "scenarios/examples/small-park.yaml"],
)
@pytest.mark.parametrize("elastic", [False, True])
def test_scenarios_recorded_equals_compiled(name: str, elastic: bool) -> None:
    m = build_model(load_scenario(ROOT / name), ModelOptions(elastic=elastic))
    assert used_recordings(m) >= {"balance_site", "link_capacity", "process_capacity"}
    assert _objective_recorded(m) is not elastic  # the elastic penalty is not a named sum
    assert_recorded_equals_compiled(m)


@pytest.mark.parametrize("elastic", [False, True])
def test_synthetic_park_recorded_equals_compiled(elastic: bool) -> None:
    m = build_model(generate_park(40, seed=3), ModelOptions(elastic=elastic))
    assert used_recordings(m) >= RECORDED
    assert ("process_link_build" in used_recordings(m)) is not elastic  # no cuts when elastic
    assert_recorded_equals_compiled(m)


@pytest.mark.parametrize(
    "options",
    [
        ModelOptions(candidates=False),
        ModelOptions(build_plan=frozenset()),
        ModelOptions(objective="co2e"),
        ModelOptions(weights={"cost": 1.0, "co2": 0.5, "energy": 2.0}),
    ],
)
def test_fixed_builds_and_other_objectives(options: ModelOptions) -> None:
    m = build_model(generate_park(40, seed=3), options)
    assert used_recordings(m) >= RECORDED
    assert _objective_recorded(m)
    assert_recorded_equals_compiled(m)
    for v in m.process_build.values():  # fixed after the build, as a session does
        v.fix(1)
    assert_recorded_equals_compiled(m)


def test_carbon_price_and_pareto_rows() -> None:
    """After ``set_params`` of the carbon price, with epsilon rows and Pareto criteria."""
    m = build_model(load_scenario(ROOT / "scenarios/scip/symbiosis-2025.yaml"))
    solver = PersistentHighs(m)
    set_params(solver, {"policy_carbon_price": 321.5})
    assert _objective_recorded(m)
    assert_recorded_equals_compiled(m)
    m.objective_eps["co2"] = 1e6
    m.objective_eps_limit["co2"].activate()
    assert_recorded_equals_compiled(m)
    add_criteria(m)
    set_bound(m, "co2", 2e6)
    assert used_recordings(m) >= {"balance_site", "link_capacity", "process_capacity"}
    assert_recorded_equals_compiled(m)


def _row(solver: PersistentHighs, con: object) -> dict[int, float]:
    k = solver.row_cons.index(con)
    _, idx, val = solver.h.getRowEntries(k)
    return dict(zip(np.asarray(idx).tolist(), np.asarray(val).tolist(), strict=True))


def test_changed_rows_are_not_taken_from_the_recording() -> None:
    """A row given a new expression, a deactivated row and a changed Expression."""
    m = build_model(generate_park(40, seed=3))
    key = next(iter(m.link_capacity))
    lid, t = key
    m.link_capacity[key].set_value(m.link_flow[lid, t] <= 0.25 * m.link_build[lid])
    pool = next(iter(m.balance_site))
    m.balance_site[pool].deactivate()
    m.cost_term["variable"] = 7.0 * m.link_flow[lid, t]
    assert "link_capacity" not in used_recordings(m)
    assert "balance_site" in used_recordings(m)  # deactivation only masks the row
    assert_recorded_equals_compiled(m)
    solver = PersistentHighs(m)
    assert m.balance_site[pool] not in solver.row_cons
    cols = {id(v): j for j, v in enumerate(solver.compiler.columns)}
    row = _row(solver, m.link_capacity[key])
    assert row[cols[id(m.link_build[lid])]] == -0.25
    flow = cols[id(m.link_flow[lid, t])]
    assert solver.h.getLp().col_cost_[flow] == pytest.approx(7.0 + 0.0)
