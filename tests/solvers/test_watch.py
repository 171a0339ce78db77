"""A change made after the build reaches HiGHS although the hand-over trusts its recordings.

The hand-over takes recorded rows, columns and kept column bounds without reading the
model again while their component has no change notice (``symbio.model.watch``). Each
test makes one kind of change through Pyomo's API, the way symbio's own code or a user's
script makes it (``v.fix()``, ``setub``, ``deactivate``, ``set_value``, ...), after a first
hand-over, and checks the trusted hand-over against one compiled from the expressions.
The same change with the change notice switched off must leave the trusted hand-over
stale (the check can fail, and the notice is what keeps it right).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyomo.environ as pyo
import pytest

from benchmarks.parks import generate_park
from symbio.model import build_model
from symbio.model import watch as watch_module
from symbio.model.record import records_in_use
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.matrix import VERIFY, Compiler, active_objective
from tests.solvers.test_recorded import _bits, _problem


def _first(comp: object) -> object:
    return comp[next(iter(comp))]


def _capacity_row(m: pyo.ConcreteModel) -> None:
    key = next(iter(m.link_capacity))
    lid, t = key
    m.link_capacity[key].set_value(m.link_flow[lid, t] <= 0.25 * m.link_build[lid])


def _replace_row(m: pyo.ConcreteModel) -> None:
    key = next(iter(m.link_capacity))
    lid, t = key
    m.link_capacity[key] = m.link_flow[lid, t] <= 0.5 * m.link_build[lid]


def _delete_and_add(m: pyo.ConcreteModel) -> None:
    """Same number of rows, a new row object in place of the deleted one."""
    key = next(iter(m.link_capacity))
    lid, t = key
    del m.link_capacity[key]
    m.link_capacity[key] = m.link_flow[lid, t] <= 0.75 * m.link_build[lid]


def _bounds(v: object) -> None:
    v.bounds = (1.0, 2.0)


def _relax(m: pyo.ConcreteModel) -> None:
    pyo.TransformationFactory("core.relax_integer_vars").apply_to(m)


def _nothing(m: pyo.ConcreteModel) -> None:
    pass


# name: (a change made before the first hand-over, the change under test)
MUTATIONS: dict[str, tuple[Callable, Callable]] = {
    "fix": (_nothing, lambda m: _first(m.process_build).fix(1)),
    "fix component (run/state, diagnose)": (_nothing, lambda m: m.link_build.fix(0)),
    "unfix": (lambda m: m.process_build.fix(0), lambda m: _first(m.process_build).unfix()),
    "fixed = True": (_nothing, lambda m: setattr(_first(m.link_build), "fixed", True)),
    "setub": (_nothing, lambda m: _first(m.link_flow).setub(3.5)),
    "setlb": (_nothing, lambda m: _first(m.process_activity).setlb(0.5)),
    "ub =": (_nothing, lambda m: setattr(_first(m.link_flow), "ub", 4.5)),
    "lb =": (_nothing, lambda m: setattr(_first(m.link_flow), "lb", 0.25)),
    "bounds =": (_nothing, lambda m: _bounds(_first(m.process_activity))),
    "component setub": (_nothing, lambda m: m.link_flow.setub(9.0)),
    "domain": (_nothing, lambda m: setattr(_first(m.link_build), "domain", pyo.UnitInterval)),
    "component domain": (_nothing, lambda m: setattr(m.process_build, "domain", pyo.Reals)),
    "relax_integer_vars": (_nothing, _relax),
    "set_value": (_nothing, _capacity_row),
    "row replaced": (_nothing, _replace_row),
    "row deleted and added": (_nothing, _delete_and_add),
    "deactivate": (_nothing, lambda m: _first(m.balance_site).deactivate()),
    "activate again": (
        lambda m: _first(m.balance_site).deactivate(),
        lambda m: _first(m.balance_site).activate(),
    ),
    "component activate": (
        lambda m: _first(m.quality_limit).deactivate(),
        lambda m: (m.quality_limit.deactivate(), m.quality_limit.activate()),
    ),
}
#: Found without a change notice too (the component's own flag and its number of rows are
#: read at every hand-over; ``clear`` also counts a change).
UNWATCHED = {
    "component deactivate": (_nothing, lambda m: m.link_capacity.deactivate()),
    "component clear": (_nothing, lambda m: m.link_capacity.clear()),
}


def _mutated(name: str, notice: bool = True, monkeypatch: object = None) -> pyo.ConcreteModel:
    m = build_model(generate_park(40, seed=3))
    before, change = {**MUTATIONS, **UNWATCHED}[name]
    before(m)
    _problem(m, recorded=True)  # a first hand-over: everything confirmed and kept
    if not notice:
        monkeypatch.setattr(watch_module, "_bump", lambda comp: None)
    change(m)
    return m


def _same(m: pyo.ConcreteModel) -> bool:
    cons, cols, got = _problem(m, recorded=True)
    want_cons, want_cols, want = _problem(m, recorded=False)
    if cons != want_cons or cols != want_cols:
        return False
    return all(
        np.shape(a) == np.shape(b) and np.array_equal(_bits(a), _bits(b))
        for a, b in zip(got, want, strict=True)
    )


@pytest.mark.parametrize("name", [*MUTATIONS, *UNWATCHED])
def test_a_change_after_the_build_reaches_the_hand_over(name: str) -> None:
    assert _same(_mutated(name))


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_without_the_change_notice_the_hand_over_is_stale(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(VERIFY, raising=False)  # the trusted hand-over, also in a verify run
    assert not _same(_mutated(name, notice=False, monkeypatch=monkeypatch))


def test_unchanged_model_is_taken_from_the_recordings() -> None:
    """No change: every recording is used, and the trusted hand-over is the compiled one."""
    m = build_model(generate_park(40, seed=3))
    assert records_in_use(m) >= {"balance_site", "link_capacity", "process_capacity"}
    assert _same(m)
    assert _same(m)  # a second hand-over, from the kept arrays


def test_value_of_a_fixed_variable_is_read_again() -> None:
    """Loading a solution sets values without a notice; a fixed column follows its value."""
    m = build_model(generate_park(40, seed=3))
    v = _first(m.process_build)
    v.fix(0)
    _problem(m, recorded=True)
    v.set_value(1)
    comp = Compiler(m)
    lower, upper, _ = comp.column_bounds()
    j = next(k for k, c in enumerate(comp.columns) if c is v)
    assert (lower[j], upper[j]) == (1.0, 1.0)
    assert _same(m)


def test_verify_mode_reads_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """``SYMBIO_VERIFY_RECORD`` set: a change without notice is still found."""
    m = build_model(generate_park(40, seed=3))
    _problem(m, recorded=True)
    monkeypatch.setattr(watch_module, "_bump", lambda comp: None)
    _first(m.balance_site).deactivate()
    monkeypatch.setenv("SYMBIO_VERIFY_RECORD", "1")
    assert _same(m)


def test_a_session_sees_a_users_direct_fix() -> None:
    """A persistent instance re-solved after a direct ``v.fix()`` gets the new bounds."""
    m = build_model(generate_park(40, seed=3))
    solver = PersistentHighs(m)
    v = _first(m.link_flow)
    v.fix(0.125)
    solver.update()
    j = next(k for k, c in enumerate(solver.compiler.columns) if c is v)
    lp = solver.h.getLp()
    assert (lp.col_lower_[j], lp.col_upper_[j]) == (0.125, 0.125)
    cost, _, _ = solver.compiler.objective(active_objective(m))
    assert len(cost) == lp.num_col_


def test_zero_coefficients_are_left_out_before_pass_model() -> None:
    """Rows [0 2 0] / [] / [3 0]: entries 2 and 3 remain, starts 0, 1, 1, 2."""
    from symbio.solvers.batch import without_zeros as _without_zeros

    start, index, value = _without_zeros(
        np.array([0, 3, 3, 5]), np.array([4, 5, 6, 7, 8], np.int32), np.array([0, 2, 0, 3, 0.0])
    )
    assert start.tolist() == [0, 1, 1, 2]
    assert index.tolist() == [5, 7]
    assert value.tolist() == [2.0, 3.0]


def test_a_clone_carries_its_own_notices() -> None:
    """``m.clone()`` copies the recordings with the data: a change of the clone is seen,
    the original keeps its own (unchanged) recordings."""
    m = build_model(generate_park(40, seed=3))
    _problem(m, recorded=True)
    twin = m.clone()
    assert _same(twin)
    _first(twin.link_flow).setub(2.5)
    _first(twin.balance_site).deactivate()
    assert _same(twin)
    assert _same(m)
    assert records_in_use(twin) >= {"balance_site", "link_capacity"}


def test_bounds_read_for_an_old_column_list_are_not_kept_for_the_new_variables():
    """One variable deleted and another added leave the change count as two changes; the
    persistent instance's update reads its old columns, and a later fresh hand-over must
    not take those bounds for the component's new variables (0..4 and 0..99: -103)."""
    from symbio.model.record import record_columns
    from symbio.solvers.highs import solve_model

    m = pyo.ConcreteModel()
    m.z = pyo.Var(pyo.Any, dense=False)
    for i in (1, 2):
        m.z[i].setlb(0)
        m.z[i].setub(4)
    m.o = pyo.Objective(expr=-m.z[1] - m.z[2])
    record_columns(m)
    solver = PersistentHighs(m)
    assert solver.solve().objective == pytest.approx(-8)
    del m.z[2]
    m.z[7].setlb(0)
    m.z[7].setub(99)
    m.o.set_value(-m.z[1] - m.z[7])
    assert solver.solve().objective == pytest.approx(-103)
    assert solve_model(m).objective == pytest.approx(-103)
