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


def test_hash_of_the_shared_dump_is_the_hash_of_a_fresh_dump() -> None:
    """The hash reads the magnitude checks' dump: the same text as a dump of its own, and
    never another scenario's dump."""
    import hashlib
    import json

    from symbio.flows.load import load_scenario, scenario_sha256
    from symbio.flows.overrides import apply_overrides

    def fresh(s: object) -> str:
        content = s.model_dump(mode="json", by_alias=True, exclude={"extends"})
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    file = ROOT / "scenarios/scip/symbiosis-2025.yaml"
    a = load_scenario(file)
    assert a.extends  # the key left out of the hash is there
    b = apply_overrides(file, {"policy.carbon_price_cny_t": 321.0})
    for s in (a, b, a):
        assert scenario_sha256(s) == fresh(s)
    assert scenario_sha256(a) != scenario_sha256(b)
