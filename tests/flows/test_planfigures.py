"""The plan's audit CO2 (33,104.7 t/a) recomputed from its savings: which factor set it used.

By hand, Shanghai defaults before 2022, steam valued as 1.0 MPa-class (0.35 t/t):
  electricity 15,475.7 MWh x 0.788 = 12,194.85; steam 48,550.22 t x 0.35 = 16,992.58;
  gas 2,126.5 km3 x 1.9741 = 4,197.92; coal 64.45 t x 1.9003 = 122.47; diesel 3.6 t x 3.1454 = 11.32;
  total 33,519.1 t = 1.013 x the plan's figure.
With the 2022 Shanghai defaults (0.42 t/MWh, 0.1909 t/t steam): 6,499.79 + 9,268.24 + 4,197.92
  + 133.79 = 20,099.7 t = 0.607 x: the plan's CO2 is on the pre-2022 factors.
"""

from __future__ import annotations

import pytest

from symbio.flows.planfigures import audit_co2_check, plan_figures


def test_plan_figures_are_the_plans() -> None:
    audit = plan_figures()["audit_results_2016_2020"]
    assert audit["co2_t"] == 33104.7
    assert audit["savings"]["electricity_mwh"] == pytest.approx(1547.57 * 10)  # 万kWh -> MWh
    assert audit["savings"]["natural_gas_km3"] == pytest.approx(212.65 * 10)  # 万m3 -> km3


def test_pre2022_factors_reproduce_the_plans_co2() -> None:
    check = audit_co2_check("shanghai-pre2022", "mp")
    assert check["total_t"] == pytest.approx(33519.1, abs=0.5)
    assert check["ratio"] == pytest.approx(1.013, abs=0.001)


def test_2022_factors_do_not() -> None:
    check = audit_co2_check("shanghai-2022", "mp")
    assert check["total_t"] == pytest.approx(20099.7, abs=0.5)
    assert check["ratio"] < 0.7
