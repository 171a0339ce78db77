"""A re-solve finds every new variable and every activated, deactivated or added row.

:class:`~symbio.solvers.scan.ModelScan` takes a watched component without a change notice
as it was at its last walk. After each kind of change (the watch tests' list, plus a new
variable, a new row family, an unwatched row switched off) the rows it gives must be
Pyomo's own ``component_data_objects`` (the same objects, in order) and every variable the
solver's columns lack must be offered. With the change notice switched off the scan must
miss the watched changes (the check can fail).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest

from benchmarks.parks import generate_park
from symbio.model import build_model
from symbio.model import watch as watch_module
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.scan import ModelScan
from tests.solvers.test_watch import MUTATIONS, UNWATCHED, _first


def _new_family(m: pyo.ConcreteModel) -> None:
    m.extra = pyo.Var(bounds=(0, 1))
    m.extra_row = pyo.Constraint(expr=m.extra + _first(m.link_flow) <= 7)


def _unwatched_row_off(m: pyo.ConcreteModel) -> None:
    m.plain = pyo.Constraint([1, 2], rule=lambda m, k: _first(m.link_flow) <= 10 * k)
    m.plain[1].deactivate()


CHANGES = {
    **{k: v[1] for k, v in {**MUTATIONS, **UNWATCHED}.items()},
    "new variable and row": _new_family,
    "unwatched row deactivated": _unwatched_row_off,
    "nothing": lambda m: None,
}
#: Changes a scan finds only through the change notice.
NOTICED = ("deactivate", "row deleted and added", "component activate")


def _scanned(name: str, notice: bool = True, monkeypatch: object = None) -> tuple:
    m = build_model(generate_park(40, seed=3))
    before = {**MUTATIONS, **UNWATCHED}.get(name, (lambda m: None, None))[0]
    before(m)
    scan = ModelScan(m)
    known: set[int] = set()
    scan.scan(lambda v: known.add(id(v)))
    if not notice:
        monkeypatch.setattr(watch_module, "_bump", lambda comp: None)
    CHANGES[name](m)
    offered: set[int] = set()
    rows, same = scan.scan(lambda v: offered.add(id(v)))
    want = list(m.component_data_objects(pyo.Constraint, active=True, descend_into=True))
    every = {id(v) for v in m.component_data_objects(pyo.Var, descend_into=True)}
    found = len(rows) == len(want) and all(a is b for a, b in zip(rows, want, strict=False))
    return found, every - known <= offered, same


#: Changes after which the active rows are other objects than at the last walk.
ROW_CHANGES = {
    "row deleted and added",
    "deactivate",
    "activate again",
    "component activate",
    "component deactivate",
    "component clear",
    "new variable and row",
    "unwatched row deactivated",
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_the_scan_finds_every_change(name: str) -> None:
    rows, variables, same = _scanned(name)
    assert rows and variables
    assert same == (name not in ROW_CHANGES)  # "same": only mutable bounds are sent


@pytest.mark.parametrize("name", NOTICED)
def test_without_the_change_notice_the_scan_is_stale(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows, _, _ = _scanned(name, notice=False, monkeypatch=monkeypatch)
    assert not rows


def test_verify_mode_reads_every_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``trust`` False a change without notice is still found."""
    m = build_model(generate_park(40, seed=3))
    scan = ModelScan(m, trust=False)
    scan.scan(lambda v: None)
    monkeypatch.setattr(watch_module, "_bump", lambda comp: None)
    row = _first(m.balance_site)
    row.deactivate()
    rows, same = scan.scan(lambda v: None)
    assert not same and all(r is not row for r in rows)


def test_a_reused_row_list_keeps_mutable_bounds_current() -> None:
    """Rows unchanged since the last update: a cap Param's new value still reaches HiGHS."""
    m = build_model(generate_park(40, seed=3))
    m.cap = pyo.Param(mutable=True, initialize=5.0)
    m.capped = pyo.Constraint(expr=_first(m.link_flow) <= m.cap)
    solver = PersistentHighs(m)
    solver.update()  # the rows are walked once; the next update finds them unchanged
    m.cap = 3.0
    solver.update()
    k = solver.row_of[id(m.capped)]
    assert solver.h.getLp().row_upper_[k] == pytest.approx(3.0 - solver.row_offset[k])
    m.capped.deactivate()
    solver.update()
    assert np.isinf(solver.h.getLp().row_upper_[k])
