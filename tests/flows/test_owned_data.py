"""Validating data changes it only when the caller says it owns it, and gives the same scenario.

:func:`symbio.flows.load.scenario_from_data` resolves factor references and quantity strings;
given data it does not own, it works on a copy (the caller's tree must stay as read: a sweep
keeps its base tree for every variant), and given an owned copy it resolves it in place.
"""

from __future__ import annotations

import copy
from pathlib import Path

from symbio.flows.load import load_raw, scenario_from_data

ROOT = Path(__file__).resolve().parents[2]


def _park() -> tuple[dict, object]:
    """SCIP 2021 data with a factor reference and a quantity string (both resolved)."""
    file = ROOT / "scenarios/scip/baseline-2021.yaml"
    located = load_raw(file)
    data = copy.deepcopy(located.data)
    supply = data["sites"][1]["supplies"][0]
    assert supply["resource"] == "waste_heat_lt"  # in GJ
    supply["amount"] = "0.6 PJ"
    return data, located


def test_data_not_owned_is_left_as_it_was() -> None:
    data, located = _park()
    before = copy.deepcopy(data)
    scenario = scenario_from_data(data, located, "park.yaml")
    assert data == before
    assert before["resources"][0]["tce_per_unit"] == {"factor": "naphtha_tce"}
    assert scenario.resources[0].tce_per_unit != before["resources"][0]["tce_per_unit"]


def test_owned_data_gives_the_same_scenario() -> None:
    data, located = _park()
    plain = scenario_from_data(copy.deepcopy(data), located, "park.yaml")
    owned = scenario_from_data(data, located, "park.yaml", owned=True)
    dump = {"mode": "json", "by_alias": True}
    assert owned.model_dump(**dump) == plain.model_dump(**dump)
    assert owned._origin == plain._origin
    assert data["sites"][1]["supplies"][0]["amount"] == 600000.0  # resolved in place
