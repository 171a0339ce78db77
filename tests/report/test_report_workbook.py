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
    assert builds[0] == "Scenario"
    assert "Capex (CNY)" in builds and "Annualised cost (CNY/a)" in builds
    flows = [c.value for c in wb["flows"][1]]
    assert "Unit" in flows and "Amount" in flows  # the unit varies by row: in its own column
    assert "Amount (t)" in [c.value for c in wb["emissions"][1]]
    kpis = list(wb["kpis"].iter_rows(values_only=True))
    assert kpis[1][1:4] == ("total_cost_cny", "CNY/a", 412345678)
    cost = wb["kpis"].cell(row=2, column=4)
    assert cost.number_format == "#,##0"  # thousands separators, not "General"
    assert wb["builds"].column_dimensions["A"].width >= 10
    assert "definitions" in wb.sheetnames
    defs = list(wb["definitions"].iter_rows(values_only=True))
    assert defs[0] == ("Indicator", "Id", "Unit", "Definition")
    assert any(r[1] == "co2_t" and "purchased electricity" in r[3] for r in defs)


def test_result_workbook_in_chinese(mini_result: Path, tmp_path: Path):
    out = write_result_workbook([load_result(mini_result)], tmp_path / "r.xlsx", lang="zh")
    wb = load_workbook(out)
    builds = [c.value for c in wb["builds"][1]]
    assert "投资 (元)" in builds and "年化成本 (元/年)" in builds
    prices = [c.value for c in wb["purchases"][1]] if "purchases" in wb.sheetnames else []
    assert not any(str(h).startswith("price") for h in prices)
    defs = list(wb["definitions"].iter_rows(values_only=True))
    assert defs[0] == ("指标", "编号", "单位", "定义")
