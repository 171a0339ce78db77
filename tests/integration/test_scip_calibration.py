"""Calibration of the SCIP scenarios against the pilot plan and public park figures.

The expected values come from the sources (the SCIP pilot plan 2022, SUEZ's published plant
figures, SCIP's 2021 statistics), never from what the code printed. Each check states its
tolerance and whether the checked number was calibrated (the data were set to reproduce it) or
is independent of the calibration. See docs/data-sources.md §5-§6.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pytest

import symbio

pytestmark = pytest.mark.integration

SCIP = Path(__file__).resolve().parents[2] / "scenarios" / "scip"

# --- figures from the sources --------------------------------------------------------------
#: [PLAN] Table 2: SECCO's by-product hydrogen to Shanghai Petrochemical, Hualin, Pujiang and the
#: park industrial-gas company.
PLAN_H2_T = 24_000.0
H2_LINKS = ("h2_secco_spc", "h2_secco_hualin", "h2_secco_pujiang", "h2_secco_gases")
#: [PLAN] Table 2: the exchange reduces other enterprises' fossil fuel by about 7,968 tce ...
PLAN_AVOIDED_TCE = 7_968.0
#: ... and the park's CO2 by about 1.4 万吨 (two significant figures: 13,500-14,500 t).
PLAN_AVOIDED_CO2_T = 14_000.0
#: Natural gas: GB/T 2589 35,544 kJ/m3 -> 1.2143 tce/km3; CO2 at the same heating value
#: 35.544 GJ/km3 x 15.3 tC/TJ x 0.99 x 44/12 = 1.9741 t/km3. The NDRC guideline's 2.1622 t/km3
#: rests on 38,931 kJ/m3 (the pair the plan's figure matches: 7,968 x 2.1622 / 1.2143 = 14,188 t).
NG_TCE_PER_KM3 = 35.544 / 29.307
NG_CO2_PER_KM3 = 35.544 * 15.3 * 0.99 * 44 / 12 / 1000
NG_CO2_GUIDELINE = 389.31 / 10 * 15.3 * 0.99 * 44 / 12 / 1000
#: SCIP 2021: industrial output 1401.62 亿元 at 0.679 tce per 万元 → 9.517 Mt ce.
PARK_OUTPUT_1E4CNY_2021 = 14_016_200.0
PARK_ENERGY_TCE_2021 = PARK_OUTPUT_1E4CNY_2021 * 0.679
#: SUEZ, The Essential 2018: 50,000 m3 of wastewater treated every day at SCIP.
WWTP_M3_A = 50_000.0 * 365
#: SUEZ NWS: hazardous-waste-to-energy plant, three lines, 120,000 t/a.
INCINERATOR_T_A = 120_000.0
#: SUEZ Asia: industrial water supply capacity 300,000 m3/d.
WATER_CAPACITY_M3_A = 300_000.0 * 365
#: Shanghai Chemical Industry Park 2006 (SCIP administration): 9.6106 t water per 万元 output.
WATER_INTENSITY_2006_T_PER_1E4CNY = 9.6106
#: Bellona: grey SMR hydrogen 328 gCO2/kWh H2 × 33.33 kWh/kg = 10.93 t/t at the guideline's
#: 2.1622 tCO2/km3 → 5.056 km3 gas per t H2 = 6.14 tce; at the consistent 1.9741 t/km3 that gas
#: emits 9.98 t CO2 per t H2.
SMR_GAS_KM3_PER_T_H2 = 0.328 * 33.33 / NG_CO2_GUIDELINE
SMR_TCE_PER_T_H2 = SMR_GAS_KM3_PER_T_H2 * NG_TCE_PER_KM3
SMR_CO2_PER_T_H2 = SMR_GAS_KM3_PER_T_H2 * NG_CO2_PER_KM3

ALL_FILES = sorted(p.name for p in SCIP.glob("*.yaml"))


@cache
def solved(name: str) -> symbio.Result:
    """Solve one SCIP scenario once per test session (baseline and optimized)."""
    return symbio.solve(SCIP / name)


def kpi(result: symbio.Result, name: str, case: str = "optimized") -> float:
    k = result.kpis
    return float(k.loc[k["kpi"] == name, case].iloc[0])


def link_flow(result: symbio.Result, link: str, case: str = "optimized") -> float:
    fl = result.tables["flows"]
    return float(fl.loc[(fl["case"] == case) & (fl["link"] == link), "amount"].sum())


def test_every_scip_file_is_there() -> None:
    for name in (
        "baseline-2021.yaml",
        "symbiosis-2025.yaml",
        "no-exchange.yaml",
        "carbon-price-100.yaml",
        "grid-national.yaml",
        "h2-growth.yaml",
        "co2-cap.yaml",
    ):
        assert name in ALL_FILES


@pytest.mark.parametrize("name", ALL_FILES)
def test_scip_scenario_solves_to_optimality(name: str) -> None:
    result = solved(name)
    for case in ("baseline", "optimized"):
        assert result.outcomes[case].status == "optimal", (name, case, result.outcomes[case].status)


@pytest.mark.parametrize("case", ["baseline", "optimized"])
def test_baseline_carries_secco_hydrogen_to_its_four_users(case: str) -> None:
    """[PLAN] Table 2: 24,000 t/a to four users. Tolerance ±0.5% (the syngas unit's hydrogen
    co-product leaves at most a few tonnes for which either source is equally cheap)."""
    result = solved("baseline-2021.yaml")
    flows = {lk: link_flow(result, lk, case) for lk in H2_LINKS}
    assert all(v > 0 for v in flows.values()), flows
    assert sum(flows.values()) == pytest.approx(PLAN_H2_T, rel=0.005)


def test_hydrogen_exchange_avoids_the_plans_energy_and_co2() -> None:
    """Baseline vs the no-exchange counterfactual. CALIBRATED BY CONSTRUCTION, both figures.

    Energy: the users' fossil alternative was set to 7,968 tce / 24,000 t, so ±1% only checks
    the bookkeeping. CO2: follows from the same gas at the consistent factor pair: 7,968 tce ×
    1.9741 / 1.2143 = 12,954 t, ±1%. The plan's "约1.4万吨" (±5% of 14,000) is what the
    guideline's mismatched pair gives (7,968 × 2.1622 / 1.2143 = 14,188 t): the plan's CO2 is
    not an independent check of the model, it is the same gas at another heating value.
    """
    base, counter = solved("baseline-2021.yaml"), solved("no-exchange.yaml")
    d_energy = kpi(counter, "energy_tce") - kpi(base, "energy_tce")
    d_co2 = kpi(counter, "co2_t") - kpi(base, "co2_t")
    assert d_energy == pytest.approx(PLAN_AVOIDED_TCE, rel=0.01)
    assert d_co2 == pytest.approx(PLAN_AVOIDED_TCE * NG_CO2_PER_KM3 / NG_TCE_PER_KM3, rel=0.01)
    plan_pair = PLAN_AVOIDED_TCE * NG_CO2_GUIDELINE / NG_TCE_PER_KM3
    assert plan_pair == pytest.approx(PLAN_AVOIDED_CO2_T, rel=0.05)
    assert sum(link_flow(counter, lk) for lk in H2_LINKS) == 0


def test_smr_counterfactual_shows_the_plans_figure_is_a_net_effect() -> None:
    """Independent physics: if the users made the hydrogen by steam reforming (Bellona), the
    exchange would avoid ~147,000 tce and ~240,000 t CO2, an order of magnitude above the
    plan's figures. ±3% for the model's bookkeeping of the Bellona-derived coefficients."""
    base, smr = solved("baseline-2021.yaml"), solved("h2-smr-counterfactual.yaml")
    d_energy = kpi(smr, "energy_tce") - kpi(base, "energy_tce")
    d_co2 = kpi(smr, "co2_t") - kpi(base, "co2_t")
    assert d_energy == pytest.approx(PLAN_H2_T * SMR_TCE_PER_T_H2, rel=0.03)
    assert d_co2 == pytest.approx(PLAN_H2_T * SMR_CO2_PER_T_H2, rel=0.03)
    assert d_energy > 10 * PLAN_AVOIDED_TCE


def test_park_energy_is_of_the_order_of_the_2021_statistics() -> None:
    """SCIP 2021: 0.679 tce/万元 × 1401.62 亿元 = 9.52 Mtce (including feedstock energy, as
    Chinese industrial energy statistics count it). The model counts the cracker's naphtha and
    the CO unit's gas feed but not other feedstocks bought from outside, so it should be lower,
    within −25% … +5%. Partly calibrated: the non-modelled enterprises' demand is an assumption."""
    energy = kpi(solved("baseline-2021.yaml"), "energy_tce", "baseline")
    assert 0.75 * PARK_ENERGY_TCE_2021 <= energy <= 1.05 * PARK_ENERGY_TCE_2021, energy


def test_park_wastewater_and_hazardous_waste_match_the_central_plants() -> None:
    """Calibrated through the non-modelled enterprises' supplies: wastewater to the central plant
    within ±10% of SUEZ's 50,000 m3/d; incineration between 85% and 100% of the 120,000 t/a."""
    result = solved("baseline-2021.yaml")
    pa = result.tables["process_activity"]
    base = pa[pa["case"] == "baseline"].set_index("process")["activity"]
    assert base["wastewater_treatment"] == pytest.approx(WWTP_M3_A, rel=0.10)
    assert 0.85 * INCINERATOR_T_A <= base["hw_incineration"] <= INCINERATOR_T_A * (1 + 1e-9)


def test_park_water_use_is_plausible() -> None:
    """No public 2021 water total was found. Independent bounds: fresh water below the plant's
    300,000 m3/d capacity, above the wastewater treated, and water per 万元 output below the
    2006 figure (9.61 t/万元; water efficiency has improved since)."""
    result = solved("baseline-2021.yaml")
    fresh = kpi(result, "fresh_water_t", "baseline")
    wastewater = kpi(result, "wastewater_discharge_t", "baseline")
    assert wastewater < fresh < WATER_CAPACITY_M3_A
    assert fresh / PARK_OUTPUT_1E4CNY_2021 < WATER_INTENSITY_2006_T_PER_1E4CNY


def test_park_co2_is_consistent_with_its_energy() -> None:
    """No public SCIP CO2 total was found. Sanity bound: CO2 per tce of the park's energy lies
    between 0.5 (much of the energy is feedstock carbon that leaves in products) and 2.2 (all
    coal-like combustion)."""
    result = solved("baseline-2021.yaml")
    ratio = kpi(result, "co2_t", "baseline") / kpi(result, "energy_tce", "baseline")
    assert 0.5 < ratio < 2.2, ratio


def test_grid_factor_changes_park_co2_by_the_imported_electricity() -> None:
    """National (0.5703) vs Shanghai (0.42) grid factor: CO2 differs by the imported electricity
    × 0.1503 t/MWh (plus the purchased-heat default, unused here), and energy not at all."""
    sh, nat = solved("symbiosis-2025.yaml"), solved("grid-national.yaml")
    assert kpi(nat, "energy_tce") == pytest.approx(kpi(sh, "energy_tce"), rel=1e-6)
    imports = result_imports(nat)
    assert kpi(nat, "co2_t") - kpi(sh, "co2_t") == pytest.approx(
        imports * (0.5703 - 0.42), rel=0.02
    )


def result_imports(result: symbio.Result) -> float:
    pu = result.tables["purchases"]
    rows = pu[(pu["case"] == "optimized") & (pu["resource"] == "electricity")]
    return float(rows["amount"].sum())


def test_symbiosis_options_save_against_their_baseline() -> None:
    """The 2025 options must not raise cost, energy or CO2 against the same park's baseline."""
    result = solved("symbiosis-2025.yaml")
    for name in ("total_cost_cny", "energy_tce", "co2_t"):
        assert kpi(result, name) <= kpi(result, name, "baseline") * (1 + 1e-9), name
    assert math.isfinite(kpi(result, "co2_t"))


def test_co2_cap_binds() -> None:
    result = solved("co2-cap.yaml")
    assert kpi(result, "co2_t") <= 6_200_000 * (1 + 1e-6)
    assert kpi(solved("symbiosis-2025.yaml"), "co2_t") > 6_200_000  # it binds


#: [COV-2017]: the N2O catalysts of 2010 and 2016 avoid 450,000 + 210,000 t CO2e/a (at GWP 310)
#: and cut N2O by 65%; Covestro's MDI (0.6 Mt) and TDI (0.3 Mt) need 0.5036 and 0.7237 t HNO3/t.
COV_AVOIDED_CO2E = 450_000 + 210_000
COV_HNO3_T = 600_000 * 0.5036 + 300_000 * 0.7237
COV_N2O_UNABATED_T_PER_T = COV_AVOIDED_CO2E / 0.65 / 310 / COV_HNO3_T


def test_covestro_nitric_acid_n2o_follows_covestros_figures() -> None:
    """Baseline N2O of the nitric-acid plant = 35% of the unabated rate implied by Covestro's
    figures (6.31 kg/t) over the stoichiometric acid of its isocyanates; with the plan's 90%
    (the 2025 measure, built under the CO2e objective) it falls to 10%, i.e. by
    0.25 x 3,276 t N2O = 819 t = 254,000 t CO2e at SAR."""
    result = symbio.solve(SCIP / "symbiosis-2025.yaml", objective="co2e")
    em = result.tables["emissions"]
    n2o = em[(em["species"] == "n2o") & (em["source"].str.contains("covestro_nitric_acid"))]
    base = float(n2o.loc[n2o["case"] == "baseline", "amount_t"].sum())
    opt = float(n2o.loc[n2o["case"] == "optimized", "amount_t"].sum())
    assert base == pytest.approx(0.35 * COV_N2O_UNABATED_T_PER_T * COV_HNO3_T, rel=0.01)
    assert opt == pytest.approx(0.10 * COV_N2O_UNABATED_T_PER_T * COV_HNO3_T, rel=0.01)
    assert (base - opt) * 310 == pytest.approx(254_000, rel=0.01)
