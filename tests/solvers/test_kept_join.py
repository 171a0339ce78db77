"""A hand-over passes the arrays joined at build time while they are current, and only then.

The build joins the recorded rows (column-wise, for HiGHS), the column bounds, the cost
vector and the column list once and keeps them on the model (``symbio.model.record_join``,
``record_bounds.joined_bounds``, ``record_objective.recorded_cost``,
``record_layout.model_columns``), each under what it was made of. Each test makes one
change after a first hand-over and checks the model a fresh :class:`PersistentHighs`
passes to HiGHS (read back with ``getLp``) against the one a hand-over that compiles
every row and the objective from the Pyomo expressions passes, array for array (sign
bits included); it also checks that the change remade exactly the kept parts it reaches.
With the check of what a kept part was made of switched off, each change leaves the
hand-over stale, so the comparison can fail.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyomo.environ as pyo
import pytest

from benchmarks.parks import generate_park
from symbio.model import build_model, record_bounds, record_join, record_objective
from symbio.solvers import highs as highs_module
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.matrix import VERIFY, Compiler
from tests.solvers.test_recorded import _bits


def _first(comp: object) -> object:
    return comp[next(iter(comp))]


def _lp(solver: PersistentHighs) -> list:
    lp = solver.h.getLp()
    a = lp.a_matrix_
    assert a.format_ == highs_module.highspy.MatrixFormat.kColwise
    arrays = [lp.col_cost_, lp.col_lower_, lp.col_upper_, lp.row_lower_, lp.row_upper_]
    arrays += [a.start_, a.index_, a.value_, [int(v) for v in lp.integrality_]]
    return [*arrays, [lp.offset_, int(lp.sense_), lp.num_col_, lp.num_row_]]


def _compiled(m: pyo.ConcreteModel) -> PersistentHighs:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(highs_module, "Compiler", lambda model: Compiler(model, recorded=False))
        return PersistentHighs(m)


def _same(m: pyo.ConcreteModel) -> bool:
    """The trusted hand-over passes what the all-compiled one passes, to the bit."""
    got, want = PersistentHighs(m), _compiled(m)
    if [id(c) for c in got.row_cons] != [id(c) for c in want.row_cons]:
        return False
    if [id(v) for v in got.compiler.columns] != [id(v) for v in want.compiler.columns]:
        return False
    if got.coefficients != want.coefficients:
        return False
    return all(
        np.shape(a) == np.shape(b) and np.array_equal(_bits(a), _bits(b))
        for a, b in zip(_lp(got), _lp(want), strict=True)
    )


def _kept(m: pyo.ConcreteModel) -> dict[str, object]:
    """What is kept now: the joined rows, bounds and cost (by identity)."""
    memo = m.symbio_cost_memo
    return {
        "rows": m.symbio_joined,
        "bounds": m.symbio_bounds_joined,
        "cost": memo.cost[2] if memo.cost is not None else None,
    }


def _add_row(m: pyo.ConcreteModel) -> None:
    v = _first(m.link_flow)
    m.extra_limit = pyo.Constraint(expr=2.0 * v <= 7.0)


def _add_and_delete_row(m: pyo.ConcreteModel) -> None:
    _add_row(m)
    PersistentHighs(m)  # handed over with the new row, then the row goes again
    m.del_component(m.extra_limit)


def _delete_and_add(m: pyo.ConcreteModel) -> None:
    key = next(iter(m.link_capacity))
    lid, t = key
    del m.link_capacity[key]
    m.link_capacity[key] = m.link_flow[lid, t] <= 0.75 * m.link_build[lid]


def _new_column(m: pyo.ConcreteModel) -> None:
    m.extra = pyo.Var(bounds=(0, 3))
    m.extra_row = pyo.Constraint(expr=m.extra + _first(m.link_flow) >= 1)


def _cost_term(m: pyo.ConcreteModel) -> None:
    v = _first(m.process_activity)
    m.cost_term["variable"].set_value(m.cost_term["variable"].expr + 3.0 * v)


# name: (the change, kept parts the next hand-over must not take)
CHANGES: dict[str, tuple[Callable, set[str]]] = {
    "fix a variable": (lambda m: _first(m.process_build).fix(1), {"bounds"}),
    "fixed value changed": (lambda m: _first(m.process_build).set_value(0.5), {"bounds"}),
    "setub": (lambda m: _first(m.link_flow).setub(3.5), {"bounds"}),
    "component setlb": (lambda m: m.process_activity.setlb(0.25), {"bounds"}),
    "domain": (lambda m: setattr(_first(m.link_build), "domain", pyo.Reals), {"bounds"}),
    "component domain": (lambda m: setattr(m.link_build, "domain", pyo.Reals), {"bounds"}),
    "carbon price": (lambda m: m.policy_carbon_price.set_value(321.0), {"cost"}),
    "objective switched": (lambda m: m.objective.set_value(m.objective_expr["co2"]), {"cost"}),
    "objective Expression": (_cost_term, {"cost"}),
    "deactivate a row": (lambda m: _first(m.balance_site).deactivate(), {"rows"}),
    "component deactivated": (lambda m: m.quality_limit.deactivate(), {"rows"}),
    "row replaced": (
        lambda m: _first(m.link_capacity).set_value(
            _first(m.link_flow) <= 0.5 * _first(m.link_build)
        ),
        {"rows"},
    ),
    "row deleted and added": (_delete_and_add, {"rows"}),
    "row component added": (_add_row, {"rows"}),  # compiled, the kept join left alone
    "row component added and deleted": (_add_and_delete_row, set()),  # the kept join again
    "column added": (_new_column, {"rows", "bounds", "cost"}),
}
#: Changes that never reach a kept part's key: the value of a fixed variable is read at
#: every hand-over (loading a solution sets values without a notice); a changed row or
#: Expression (its recording is no longer current), a variable of another domain than its
#: component's, a new component go the general way.
KEY_FREE = {
    "fixed value changed",
    "domain",
    "objective Expression",
    "row replaced",
    "row deleted and added",
    "row component added",
    "row component added and deleted",
    "column added",
}


def _changed(name: str) -> tuple[pyo.ConcreteModel, set[str]]:
    """The model after the change, and the kept parts the next hand-over took."""
    m = build_model(generate_park(40, seed=3))
    if name == "fixed value changed":
        _first(m.process_build).fix(1)
    PersistentHighs(m)  # a first hand-over, from the arrays joined at build time
    before = _kept(m)
    CHANGES[name][0](m)
    solver = PersistentHighs(m)
    taken = {
        "rows": solver.row_cons is before["rows"].constraints,
        "bounds": solver.col_lower is before["bounds"][1],
        "cost": solver._cost is before["cost"],
    }
    return m, {part for part, yes in taken.items() if yes}


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The trusted hand-over (what these tests are about), also in a verify-mode run."""
    monkeypatch.delenv(VERIFY, raising=False)


@pytest.mark.usefixtures("trusted")
def test_unchanged_model_passes_the_arrays_joined_at_build_time() -> None:
    m = build_model(generate_park(40, seed=3))
    kept = _kept(m)
    assert all(v is not None for v in kept.values())
    comp = Compiler(m)
    rows = comp.model_rows()
    assert rows.csc is m.symbio_joined.csc
    assert rows.constraints is m.symbio_joined.constraints
    assert comp.column_bounds()[0] is m.symbio_bounds_joined[1]
    solver = PersistentHighs(m)
    assert solver._cost is kept["cost"]
    assert _kept(m) == kept  # nothing remade
    assert Compiler(m).columns is comp.columns  # the column list is shared too
    for arr in (*rows.csc, rows.lower, rows.start, rows.value, solver._cost, solver.col_lower):
        assert not arr.flags.writeable
    assert _same(m)


@pytest.mark.usefixtures("trusted")
@pytest.mark.parametrize("name", list(CHANGES))
def test_a_change_remakes_what_it_reaches(name: str) -> None:
    m, taken = _changed(name)
    assert taken == {"rows", "bounds", "cost"} - CHANGES[name][1]
    assert _same(m)


@pytest.mark.usefixtures("trusted")
@pytest.mark.parametrize("name", [n for n in CHANGES if n not in KEY_FREE])
def test_without_the_key_check_a_kept_part_is_stale(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(record_join, "_same_key", lambda a, b: True)
    monkeypatch.setattr(record_bounds, "_same_parts", lambda a, b: True)
    monkeypatch.setattr(record_objective, "_same_terms", lambda a, b: True)
    assert not _same(_changed(name)[0])


def test_verify_mode_reads_past_a_missing_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    """``SYMBIO_VERIFY_RECORD``: a change without notice still reaches the kept join."""
    from symbio.model import watch

    m = build_model(generate_park(40, seed=3))
    PersistentHighs(m)
    monkeypatch.setattr(watch, "_bump", lambda comp: None)
    _first(m.balance_site).deactivate()
    _first(m.link_flow).setub(1.5)
    monkeypatch.setenv(VERIFY, "1")
    assert _same(m)


def test_a_clone_keeps_its_own_join() -> None:
    m = build_model(generate_park(40, seed=3))
    twin = m.clone()
    rows = Compiler(twin).model_rows()
    assert rows.csc is twin.symbio_joined.csc
    assert rows.constraints[0] is _first(twin.link_capacity)
    _first(twin.balance_site).deactivate()
    assert _same(twin)
    assert _same(m)
    assert Compiler(m).model_rows().csc is m.symbio_joined.csc
