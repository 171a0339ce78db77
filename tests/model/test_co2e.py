"""CO2e: CO2 + GWP-weighted CH4 and N2O, with the GWP set of the factor set or the policy.

Hand case: a nitric-acid unit makes 1,000 t/a of acid (must run) and emits 2 t CO2, 0.01 t CH4
and 0.007 t N2O per t; a candidate abatement catalyst (annualised cost 50,000 CNY/a) removes
90% of the N2O. SAR (China's reporting set): CO2e per t = 2 + 21 x 0.01 + 310 x 0.007 = 4.38,
so the unit emits 4,380 t CO2e/a; abated, 2 + 0.21 + 310 x 0.0007 = 2.427 -> 2,427 t/a.
AR5 (28, 265): 2 + 0.28 + 1.855 = 4.135 -> 4,135 t/a.
"""

from __future__ import annotations

import pytest
from hand_case_helpers import scenario

import symbio

PLANT = """\
name: {en: nitric acid}
resources:
  - {id: acid, unit: t, name: {en: nitric acid}, category: product}
sites:
  - {id: plant, name: {en: plant}, demands: [{resource: acid, amount: 1000}]}
processes:
  - {id: hno3, site: plant, capacity: 1000, outputs: {acid: 1}, emissions: {co2: 2, ch4: 0.01, n2o: 0.007}}
  - id: hno3_abated
    site: plant
    candidate: true
    capacity: 1000
    outputs: {acid: 1}
    emissions: {co2: 2, ch4: 0.01, n2o: 0.0007}
    capex_cny: 0
    fixed_om_cny_a: 50000
policy: {discount_rate: 0.08GWP}
"""


def _run(gwp: str = "", objective: str = "cost") -> symbio.Result:
    text = PLANT.replace("GWP", f", gwp_set: {gwp}" if gwp else "")
    return symbio.solve(scenario(text), objective=objective)


def test_co2e_kpi_with_sar() -> None:
    r = _run()
    assert r.kpi("co2e_t", "baseline") == pytest.approx(4380)
    assert r.kpi("co2_t", "baseline") == pytest.approx(2000)
    assert r.kpi("co2e_t") == pytest.approx(4380)  # cost objective: the catalyst costs money


def test_co2e_objective_builds_the_abatement() -> None:
    r = _run(objective="co2e")
    assert r.kpi("co2e_t") == pytest.approx(2427)
    assert r.kpi("emission_n2o_t") == pytest.approx(0.7)


def test_policy_gwp_set_overrides_the_factor_set() -> None:
    assert _run("AR5").kpi("co2e_t", "baseline") == pytest.approx(4135)
