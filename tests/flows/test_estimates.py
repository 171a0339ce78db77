"""Field-level provenance: the ``estimates`` table, its checks and ``uncertain_numbers``."""

from __future__ import annotations

from pathlib import Path

import pytest
from teaching_copies import bare

from symbio.errors import ScenarioError
from symbio.flows.load import load_scenario
from symbio.flows.overrides import apply_overrides
from symbio.flows.provenance import UncertainNumber, provenance_summary, uncertain_numbers

BASE = bare("small-park.yaml")  # without its generated ranges


def _variant(tmp_path: Path, body: str, name: str = "v.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"extends: {bare(BASE.name, path.parent)}\n{body}", encoding="utf-8")
    return path


GOOD = """estimates:
  processes[hcl_oxidation].capex_cny: {method: vendor quote, low: 4.0e8, high: 9.0e8, group: capex}
  markets[hcl_acid_sale].sell_cny: {method: quotes, low: 0, high: 100, dist: uniform}
  policy.carbon_price_cny_t: {method: ETS outlook, low: 50, high: 200}
"""


def test_uncertain_numbers_sorted_with_values(tmp_path: Path) -> None:
    numbers = uncertain_numbers(load_scenario(_variant(tmp_path, GOOD)))
    # values as written in small-park.yaml: capex 6.0e8, HCl acid 50 CNY/t, carbon 100 CNY/t
    assert numbers == [
        UncertainNumber("markets[hcl_acid_sale].sell_cny", 50.0, 0, 100, "uniform", None, "quotes"),
        UncertainNumber(
            "policy.carbon_price_cny_t", 100.0, 50, 200, "triangular", None, "ETS outlook"
        ),
        UncertainNumber(
            "processes[hcl_oxidation].capex_cny",
            6.0e8,
            4.0e8,
            9.0e8,
            "triangular",
            "capex",
            "vendor quote",
        ),
    ]


def test_show_counts_ranged_estimates(tmp_path: Path) -> None:
    base = provenance_summary(load_scenario(BASE))
    summary = provenance_summary(load_scenario(_variant(tmp_path, GOOD)))
    # the teaching park is all estimates by record; three of them now have ranges
    assert base["ranged"] == 0
    assert summary["ranged"] == 3
    assert summary["unranged"] == base["unranged"] - 3
    assert summary["counts"] == base["counts"]


def test_estimate_wins_over_factor(tmp_path: Path) -> None:
    body = (
        "estimates:\n  markets[grid_power].emissions.co2: {method: grid mix, low: 0.3, high: 0.7}\n"
    )
    base = provenance_summary(load_scenario(BASE))
    summary = provenance_summary(load_scenario(_variant(tmp_path, body)))
    assert summary["counts"]["factor"] == base["counts"]["factor"] - 1
    assert summary["counts"]["estimate"] == base["counts"]["estimate"] + 1


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "policy.carbon_price_cny_t: {method: m, low: 0, high: 10}",
            "100, lies outside the range [0, 10]",
        ),
        (
            "processes[nope].capex_cny: {method: m, low: 0, high: 10}",
            "no record 'nope' in 'processes'",
        ),
        ("name.en: {method: m, low: 0, high: 10}", "names a str, not a number"),
        (
            "policy.discount_rate: {method: m, low: 0.2, high: 0.1}",
            "low (0.2) must be less than high",
        ),
        ("policy.discount_rate: {low: 0, high: 0.1}", "method: required field is missing"),
        ("policy.discount_rate: {method: m, low: 0, high: 0.1, dist: normal}", "dist"),
    ],
)
def test_bad_entries_are_located(tmp_path: Path, entry: str, message: str) -> None:
    path = _variant(tmp_path, f"estimates:\n  {entry}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    text = str(err.value)
    assert message in text
    assert f"{path}:3:" in text  # file and line of the entry


def test_entries_deep_merge_through_extends(tmp_path: Path) -> None:
    _variant(tmp_path, GOOD, "mid.yaml")
    child = tmp_path / "child.yaml"
    child.write_text(
        "extends: mid.yaml\nestimates:\n  policy.carbon_price_cny_t: {high: 300}\n",
        encoding="utf-8",
    )
    by_path = {u.path: u for u in uncertain_numbers(load_scenario(child))}
    assert len(by_path) == 3
    assert (
        by_path["policy.carbon_price_cny_t"].low,
        by_path["policy.carbon_price_cny_t"].high,
    ) == (50, 300)


def test_override_outside_the_range_drops_the_entry(tmp_path: Path) -> None:
    scenario = apply_overrides(_variant(tmp_path, GOOD), {"policy.carbon_price_cny_t": 500})
    assert scenario.policy.carbon_price_cny_t == 500
    assert [u.path for u in uncertain_numbers(scenario)] == [
        "markets[hcl_acid_sale].sell_cny",
        "processes[hcl_oxidation].capex_cny",
    ]
