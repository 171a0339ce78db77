"""Shared fixtures for the scoring tests: the bundled library and weights, fake results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symbio.scoring import load_library, load_weights
from symbio.scoring.pipeline import default_paths

#: Saaty (1990) EJOR 48:9-26, Table 2: criteria of buying a house.
HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]
CRITERIA = ["size", "transport", "neighbourhood", "age", "yard", "modern", "condition", "financing"]


@pytest.fixture
def house():
    """Saaty's (1990) house criteria matrix (a fresh copy)."""
    return [row[:] for row in HOUSE]


@pytest.fixture
def criteria():
    """Labels of the house criteria."""
    return list(CRITERIA)


#: Park KPIs of a plausible optimized case (invented for tests, not SCIP data).
PARK_KPIS = {
    "energy_tce": 4.0e6,
    "fossil_energy_tce": 3.5e6,
    "renewable_energy_tce": 1.0e5,
    "co2_t": 9.0e6,
    "value_added_1e4cny": 9.0e6,
    "emission_nox_t": 3000.0,
    "emission_so2_t": 900.0,
    "emission_vocs_t": 4000.0,
    "emission_cod_t": 600.0,
    "fresh_water_t": 5.0e7,
    "water_use_t": 4.0e8,
    "reused_water_t": 3.5e8,
    "wastewater_discharge_t": 3.0e7,
    "hazardous_waste_t": 2.0e5,
    "hazardous_waste_utilised_t": 8.0e4,
    "solid_waste_t": 3.0e5,
    "solid_waste_utilised_t": 2.7e5,
    "byproduct_supply_t": 1.0e5,
    "byproduct_utilised_t": 9.0e4,
    "waste_heat_available_tce": 2.0e5,
    "waste_heat_recovered_tce": 1.5e5,
    "symbiosis_links": 12.0,
    "land_km2": 29.4,
    "enterprises": 100.0,
    "key_enterprises": 40.0,
    "key_enterprises_audited": 40.0,
    "enterprises_audited": 52.0,
    "enterprises_multi_round_audit": 27.0,
    "ts_energy_elasticity": 0.19,
    "ts_co2_elasticity": -0.1,
    "ts_co2_intensity_reduction_pct": 3.5,
}


@pytest.fixture(scope="session")
def library():
    """The bundled indicator library."""
    return load_library(default_paths()["indicators"])


@pytest.fixture(scope="session")
def weights():
    """Weights from the bundled ILLUSTRATIVE panel (AIJ, eigenvector)."""
    return load_weights(default_paths()["weights"])


@pytest.fixture
def park_kpis():
    """A fresh copy of the test park KPIs."""
    return dict(PARK_KPIS)


def write_result_dir(
    root: Path, kpis: dict, baseline: dict | None = None, sites: list | None = None
) -> Path:
    """Write a minimal ``symbio run`` result directory."""
    root.mkdir(parents=True, exist_ok=True)
    summary = {"status": "optimal", "scenario": {"name": "test", "sha256": "0" * 64}, "kpis": kpis}
    if baseline is not None:
        summary["baseline_kpis"] = baseline
    (root / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    if sites:
        lines = ["site,kpi,unit,case,value", *(",".join(map(str, row)) for row in sites)]
        (root / "site_kpis.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def make_result_dir():
    """The :func:`write_result_dir` helper, as a fixture."""
    return write_result_dir


@pytest.fixture
def result_dir(tmp_path, park_kpis):
    """A fake result directory with baseline, optimized and two sites."""
    baseline = dict(
        park_kpis, waste_heat_recovered_tce=0.0, byproduct_utilised_t=5.0e4, symbiosis_links=8.0
    )
    sites = [
        ("secco", "energy_tce", "tce", "optimized", 1.2e6),
        ("secco", "fossil_energy_tce", "tce", "optimized", 1.1e6),
        ("secco", "waste_heat_available_tce", "tce", "optimized", 8e4),
        ("secco", "waste_heat_recovered_tce", "tce", "optimized", 7e4),
        ("huasheng", "solid_waste_t", "t", "optimized", 1e4),
        ("huasheng", "solid_waste_utilised_t", "t", "optimized", 9.9e3),
    ]
    return write_result_dir(tmp_path / "result", park_kpis, baseline, sites)
