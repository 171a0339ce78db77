"""park_summary: the plain-data overview behind ``symbio show``."""

from __future__ import annotations

import json

from symbio.flows.load import load_scenario
from symbio.flows.summary import park_summary
from symbio.paths import scenarios_dir

SMALL_PARK = scenarios_dir() / "examples" / "small-park.yaml"


def test_summary_is_json_ready_and_complete() -> None:
    summary = park_summary(load_scenario(SMALL_PARK))
    json.dumps(summary)  # plain data only
    assert [r["id"] for r in summary["resources"]][:2] == ["electricity", "natural_gas"]
    assert len(summary["sites"]) == 6
    assert {p["id"]: p["candidate"] for p in summary["processes"]}["hcl_oxidation"] is True


def test_links_include_generated_candidates() -> None:
    links = {lk["id"]: lk for lk in park_summary(load_scenario(SMALL_PARK))["links"]}
    gen = links["hp_steam.incinerator.utility"]
    assert (gen["candidate"], gen["generated_by"], gen["from"], gen["to"]) == (
        True,
        "hp_steam",
        "incinerator",
        "utility",
    )
    assert round(gen["length_km"], 3) == round((1.5**2 + 0.2**2) ** 0.5, 3)
    assert links["cl2_pipe"]["candidate"] is False and links["cl2_pipe"]["generated_by"] is None


def test_balance_per_resource() -> None:
    balance = {b["resource"]: b for b in park_summary(load_scenario(SMALL_PARK))["balance"]}
    lp = balance["steam_lp"]
    assert (lp["supplied"], lp["demanded"]) == (0, 280000 + 40000 + 160000)
    assert lp["made_by"] == ["letdown"]
    hcl = balance["hcl"]
    assert hcl["supplied"] == 70000
    assert hcl["sell"] == [
        {"id": "hcl_acid_sale", "site": "isocyanate", "price_cny": 50, "cap": 20000}
    ]
    assert [d["id"] for d in hcl["disposal"]] == ["hcl_neutralise"]
    assert balance["electricity"]["buy"][0]["site"] is None  # every site
    assert balance["steam_hp"]["links"] == {"existing": 0, "candidate": 1}


def test_measures_expand_generators() -> None:
    measures = {m["id"]: m for m in park_summary(load_scenario(SMALL_PARK))["measures"]}
    assert measures["waste_heat"]["members"] == ["hp_steam.incinerator.utility"]
