"""Build-group rows follow the build variables: fixed, freed, and in a persistent session."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from symbio.flows.load import load_scenario
from symbio.model.pareto import set_weights
from symbio.paths import scenarios_dir
from symbio.solvers.session import open_session

GROUPS = scenarios_dir() / "examples" / "build-groups.yaml"


def test_rows_are_the_tight_forms() -> None:
    s = open_session(load_scenario(GROUPS), criteria=["cost"])
    m = s.model
    # shared: one equality per further member; choice: a clique row (<= 1) and, for
    # exactly_one, its >= 1; requires: y_member <= y_required. No other coefficients.
    assert list(m.build_group_shared) == [("corridor", "steam_line")]
    for row in (m.build_group_most["new_boiler"], m.build_group_least["new_boiler"]):
        assert {abs(c) for c in row.body.linear_coefs} == {1.0}
    assert list(m.build_group_requires) == [("flue_needs_gas", "flue_recovery", "boiler_gas")]


def test_exactly_one_is_off_while_every_member_is_fixed_at_zero() -> None:
    # Measure analyses fix builds through the session: with both boilers fixed at 0 the
    # status quo (heat bought, 6.0 M; pipes free to be built: corridor 2.0 M) must stay
    # feasible: 8.0 M CNY/a. Freed again, the optimum is 5.6 M (gas boiler + recovery).
    s = open_session(load_scenario(GROUPS), criteria=["cost"])
    set_weights(s.model, {"cost": 1.0})  # as the measure analysis does
    s.fix_builds({"boiler_gas": 0, "boiler_bio": 0})
    assert not s.model.build_group_least["new_boiler"].active
    assert s.solve().ok
    assert pyo.value(s.model.objective_expr["cost"]) == pytest.approx(8_000_000)
    s.free_builds()
    assert s.model.build_group_least["new_boiler"].active
    assert s.solve().ok
    assert pyo.value(s.model.objective_expr["cost"]) == pytest.approx(5_600_000)
