"""provenance_summary: numbers counted by the provenance of their record."""

from __future__ import annotations

from pathlib import Path

import pytest
from teaching_copies import bare

from symbio.flows.load import load_scenario, scenario_from_data
from symbio.flows.provenance import provenance_summary
from symbio.paths import scenarios_dir

PARK = {
    "name": {"en": "provenance"},
    "resources": [
        {"id": "power", "unit": "MWh", "name": {"en": "power"}, "tce_per_unit": 0.1229},
        {"id": "h2", "unit": "t", "name": {"en": "h2"}},
    ],
    "sites": [
        {
            "id": "a",
            "name": {"en": "a"},
            "xy_km": [0, 0],  # 2 numbers, estimate (inherited from the site)
            "source": "plant survey 2021",
            "supplies": [
                # 1 number: its own estimate wins over the site's source
                {"resource": "h2", "amount": 100, "estimate": "capacity x 0.9"},
            ],
            "estimate": "map reading",
        },
        {
            "id": "b",
            "name": {"en": "b"},
            "demands": [{"resource": "h2", "amount": 60}],  # 1 number, none
            "economics": {"employees": 10, "source": "annual report"},  # 1 number, source
        },
    ],
    "markets": [
        # buy_cny: source; co2: from the factor set (not the record's source)
        {
            "id": "grid",
            "resource": "power",
            "buy_cny": 650,
            "emissions": {"co2": {"factor": "grid_electricity_co2"}},
            "source": "tariff",
        },
        {"id": "h2_buy", "resource": "h2", "site": "b", "buy_cny": 20000},  # 1 number, none
    ],
}


def test_counts_and_shares() -> None:
    summary = provenance_summary(scenario_from_data(PARK, None, "p.yaml"))
    # power tce 0.1229 (written, no provenance), xy 2, supply 1, demand 1, employees 1,
    # grid buy 1 + co2 1 (factor), h2_buy 1: 9 numbers.
    assert summary["numbers"] == 9
    assert summary["counts"] == {"estimate": 3, "source": 2, "factor": 1, "none": 3}
    assert summary["shares"]["estimate"] == pytest.approx(3 / 9)
    assert sum(summary["shares"].values()) == pytest.approx(1.0)
    assert summary["unsourced"] == [
        "resources[power].tce_per_unit",
        "sites[b].demands[h2].amount",
        "markets[h2_buy].buy_cny",
    ]
    assert summary["by_section"]["markets"] == {"estimate": 0, "source": 1, "factor": 1, "none": 1}


def test_defaults_are_not_counted() -> None:
    bare = {
        "name": {"en": "bare"},
        "resources": [{"id": "h2", "unit": "t", "name": {"en": "h2"}}],
        "sites": [{"id": "a", "name": {"en": "a"}}],
    }
    summary = provenance_summary(scenario_from_data(bare, None, "bare.yaml"))
    assert summary["numbers"] == 0
    assert summary["shares"] == {"estimate": 0.0, "source": 0.0, "factor": 0.0, "none": 0.0}


def test_small_park_numbers_all_have_provenance() -> None:
    summary = provenance_summary(load_scenario(scenarios_dir() / "examples" / "small-park.yaml"))
    assert summary["counts"]["none"] == 0
    assert summary["counts"]["factor"] == 6  # 4 standard-coal factors, 2 emission factors


def test_hydrogen_pair_numbers_all_have_provenance() -> None:
    summary = provenance_summary(load_scenario(bare("hydrogen-pair.yaml")))
    # 14 numbers: 2 xy_km x 2 sites, 2 amounts, 3 candidate-link, 2 market, 1 disposal, 2 policy
    assert summary["counts"] == {"estimate": 14, "source": 0, "factor": 0, "none": 0}
    assert summary["unsourced"] == []
    # the generated block: the 5 zeros are listed as choices, the other 9 get ±50 % ranges
    full = provenance_summary(load_scenario(scenarios_dir() / "examples" / "hydrogen-pair.yaml"))
    assert full["counts"] == {"estimate": 9, "source": 5, "factor": 0, "none": 0}
    assert (full["ranged"], full["unranged"]) == (9, 0)


def test_numbers_without_provenance_are_listed_by_path(tmp_path: Path) -> None:
    text = bare("hydrogen-pair.yaml").read_text(encoding="utf-8")
    policy_estimate = '  discount_rate: 0.08\n  estimate: "illustrative teaching value"\n'
    assert policy_estimate in text
    (tmp_path / "pair.yaml").write_text(
        text.replace(policy_estimate, "  discount_rate: 0.08\n"), encoding="utf-8"
    )
    summary = provenance_summary(load_scenario(tmp_path / "pair.yaml"))
    assert summary["unsourced"] == ["policy.carbon_price_cny_t", "policy.discount_rate"]
    assert summary["counts"] == {"estimate": 12, "source": 0, "factor": 0, "none": 2}
