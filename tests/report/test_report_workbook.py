"""The results workbook: every result table with units, formats and definitions."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from symbio.report.bundle import load_result
from symbio.report.workbook.results import write_result_workbook


def test_result_workbook_has_every_table_with_units(
    mini_result: Path, mini_variant: Path, tmp_path: Path
):
    out = write_result_workbook(
        [load_result(mini_result), load_result(mini_variant)], tmp_path / "r.xlsx"
    )
    wb = load_workbook(out)
    for sheet in (
        "summary",
        "kpis",
        "flows",
        "builds",
        "purchases",
        "disposal",
        "emissions",
        "pareto",
        "macc",
    ):
        assert sheet in wb.sheetnames
    builds = [c.value for c in wb["builds"][1]]
    assert builds[0] == "scenario"
    assert "capex_cny [CNY]" in builds and "annualised_cny [CNY/a]" in builds
    flows = [c.value for c in wb["flows"][1]]
    assert "unit" in flows and "amount [see unit]" in flows
    assert "amount_t [t]" in [c.value for c in wb["emissions"][1]]
    kpis = list(wb["kpis"].iter_rows(values_only=True))
    assert kpis[1][1:4] == ("total_cost_cny", "CNY/a", 412345678)
