"""The briefing's top-assumptions table: ranged estimates, groups as one row, ranked."""

from __future__ import annotations

from pathlib import Path

import pytest
from teaching_copies import bare

from symbio.flows.load import load_scenario
from symbio.report.assumptions import assumption_rows, one_at_a_time_swings, top_assumptions

BASE = bare("small-park.yaml")  # without its generated ranges
# small-park values: HCl oxidation capex 6.0e8, HCl acid price 50 CNY/t, grid power 650 CNY/MWh
ESTIMATES = """estimates:
  processes[hcl_oxidation].capex_cny: {method: quote, low: 3.0e8, high: 1.2e9}
  markets[hcl_acid_sale].sell_cny: {method: quotes, low: 40, high: 60, group: prices}
  markets[grid_power].buy_cny: {method: tariff, low: 520, high: 780, group: prices}
"""


@pytest.fixture
def variant(tmp_path: Path) -> Path:
    path = tmp_path / "v.yaml"
    path.write_text(f"extends: {bare(BASE.name, path.parent)}\n{ESTIMATES}", encoding="utf-8")
    return path


def test_groups_are_one_row_ranked_by_relative_range(variant: Path) -> None:
    df = top_assumptions(load_scenario(variant))
    # capex: (1.2e9 - 3e8) / 6e8 = 1.5; the price group (first member by path, the grid
    # price): (780 - 520) / 650 = 0.4
    assert list(df["key"]) == ["processes[hcl_oxidation].capex_cny", "prices"]
    assert df["relative_range"].tolist() == pytest.approx([1.5, 0.4])
    assert df.loc[1, "paths"] == ["markets[grid_power].buy_cny", "markets[hcl_acid_sale].sell_cny"]


def test_measured_swings_rank_first(variant: Path) -> None:
    df = top_assumptions(load_scenario(variant), swings={"prices": 9.0, "x": 1.0})
    assert df.loc[0, "key"] == "prices"


def test_rows_for_the_briefing(variant: Path) -> None:
    rows = assumption_rows(load_scenario(variant), "en")
    assert rows[1]["what"] == "prices (+1)"
    assert rows[0]["relative"] == "150.0%"
    assert assumption_rows(load_scenario(BASE), "zh") == []


def test_one_at_a_time_swings_solve_each_end(variant: Path) -> None:
    df = one_at_a_time_swings(variant, kpis=("total_cost_cny",)).set_index("key")
    assert set(df.index) == {"processes[hcl_oxidation].capex_cny", "prices"}
    assert (df["total_cost_cny_swing"] >= 0).all()
    # dearer HCl oxidation can only shrink the saving of building it
    row = df.loc["processes[hcl_oxidation].capex_cny"]
    assert row["total_cost_cny_high"] <= row["total_cost_cny_low"]
