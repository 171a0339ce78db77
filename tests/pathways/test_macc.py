"""Marginal abatement cost arithmetic on hand-computed numbers."""

import math

import pytest

from symbio.pathways.equivalents import PollutionEquivalents
from symbio.pathways.macc import macc_table


def test_cost_per_tonne_order_and_widths():
    ref = {"cost": 1000.0, "co2": 500.0, "energy": 80.0, "so2": 2.0}
    cases = {
        "cheap": {"cost": 800.0, "co2": 400.0, "energy": 70.0, "so2": 1.0},  # -200/100 = -2
        "dear": {"cost": 1600.0, "co2": 300.0, "energy": 90.0, "so2": 2.5},  # 600/200 = 3
        "useless": {"cost": 1100.0, "co2": 520.0, "energy": 80.0, "so2": 2.0},  # adds CO2
    }
    pe = PollutionEquivalents({"so2": 0.95})
    t = macc_table(ref, cases, equivalents=pe)
    assert list(t["measure"]) == ["cheap", "dear", "useless"]
    assert list(t["mac_cny_per_t"][:2]) == pytest.approx([-2.0, 3.0])
    assert math.isnan(t.loc[2, "mac_cny_per_t"]) and not t.loc[2, "on_curve"]
    assert list(t["start_t"][:2]) == [0.0, 100.0]
    assert list(t["end_t"][:2]) == [100.0, 300.0]
    assert t.loc[0, "delta_energy"] == pytest.approx(-10.0)
    assert t.loc[0, "pe_avoided"] == pytest.approx(1000 / 0.95)
    assert t.loc[1, "pe_avoided"] == pytest.approx(-500 / 0.95)


def test_removed_from_optimum_sign():
    # optimum costs 100 with 10 t; without the measure 60 with 30 t: measure costs 40 for 20 t
    t = macc_table({"cost": 100.0, "co2": 10.0}, {"m": {"cost": 60.0, "co2": 30.0}}, sign=-1)
    assert t.loc[0, "delta_cost"] == pytest.approx(40.0)
    assert t.loc[0, "co2_avoided"] == pytest.approx(20.0)
    assert t.loc[0, "mac_cny_per_t"] == pytest.approx(2.0)
