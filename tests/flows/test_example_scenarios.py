"""The teaching scenarios in scenarios/examples/: valid, and what they claim to teach."""

from __future__ import annotations

import pytest

from symbio.flows.factors import load_factor_set
from symbio.flows.graph import build_graph
from symbio.flows.load import load_scenario, scenario_origin
from symbio.flows.summary import park_summary
from symbio.paths import scenarios_dir

EXAMPLES = scenarios_dir() / "examples"


@pytest.mark.parametrize("file", sorted(EXAMPLES.glob("*.yaml")), ids=lambda f: f.name)
def test_example_is_valid(file) -> None:
    scenario = load_scenario(file)
    assert scenario.sites and scenario.resources


def test_hydrogen_pair_numbers_by_hand() -> None:
    s = load_scenario(EXAMPLES / "hydrogen-pair.yaml")
    (link,) = build_graph(s).links
    assert (link.from_, link.to, link.length_km) == ("cracker", "refinery", 3.0)
    crf = s.policy.discount_rate / (1 - (1 + s.policy.discount_rate) ** -link.lifetime_y)
    assert crf == pytest.approx(0.101852, abs=1e-6)
    assert link.length_km * link.capex_cny_per_km * crf == pytest.approx(916_670, abs=1)
    (buy,) = s.markets
    assert 6000 * buy.buy_cny == 120_000_000
    assert 6000 * buy.emissions["co2"] == 54_000


def test_small_park_shape() -> None:
    s = load_scenario(EXAMPLES / "small-park.yaml")
    assert 5 <= len(s.sites) <= 7
    assert [t.id for t in s.time_slices] == ["summer", "winter", "shoulder"]
    assert sum(t.hours for t in s.time_slices) == 8760
    # steam at two pressure levels with a let-down, a gas boiler and a waste-heat source
    letdown = next(p for p in s.processes if p.id == "letdown")
    assert set(letdown.inputs) == {"steam_hp"} and set(letdown.outputs) == {"steam_lp"}
    assert "natural_gas" in next(p for p in s.processes if p.id == "gas_boiler").inputs
    assert any(f.resource == "steam_hp" for f in s.site("incinerator").supplies)
    # the chlorine loop with a candidate HCl oxidation
    hcl_ox = next(p for p in s.processes if p.id == "hcl_oxidation")
    assert hcl_ox.candidate and "hcl" in hcl_ox.inputs and "cl2" in hcl_ox.outputs
    # reclaimed water with a maximum chloride at its demand
    rw = s.resource("reclaimed_water")
    assert rw.quality is not None and rw.quality.sense == "max"
    assert (
        next(d for d in s.site("polymer").demands if d.resource == "reclaimed_water").quality == 200
    )
    # candidate links from a generator, and measures naming them
    graph = build_graph(s)
    assert graph.generated == {"hp_steam": ("hp_steam.incinerator.utility",)}
    assert {m.id for m in s.measures} == {"waste_heat", "chlorine_loop"}


def test_small_park_factor_references_resolve_to_the_factor_set() -> None:
    s = load_scenario(EXAMPLES / "small-park.yaml")
    factors = load_factor_set(s.policy.factor_set)
    used = {u["factor"]: u["value"] for u in scenario_origin(s)["factors"]}
    assert set(used) >= {
        "grid_electricity_co2",
        "natural_gas_co2",
        "electricity_tce",
        "natural_gas_tce",
    }
    grid = next(m for m in s.markets if m.id == "grid_power")
    assert grid.emissions["co2"] == pytest.approx(factors["grid_electricity_co2"]["value"])  # t/MWh
    gas = next(m for m in s.markets if m.id == "pipeline_gas")
    assert gas.emissions["co2"] == pytest.approx(factors["natural_gas_co2"]["value"])  # t/km3


def test_small_park_can_meet_every_demand_without_candidates() -> None:
    # The baseline (existing links and processes only) must be able to serve each demand.
    s = load_scenario(EXAMPLES / "small-park.yaml")
    summary = park_summary(s)
    balance = {b["resource"]: b for b in summary["balance"]}
    existing = {p.id for p in s.processes if not p.candidate}
    for rid, b in balance.items():
        if b["demanded"]:
            made = set(b["made_by"]) & existing
            assert b["supplied"] or made or b["buy"], rid
    # by_slice of the polymer plant's LP steam adds up to its annual amount
    lp = next(d for d in s.site("polymer").demands if d.resource == "steam_lp")
    assert sum(lp.by_slice.values()) == lp.amount
