"""The "who gains, who pays" section in both languages, from a real allocation directory."""

from __future__ import annotations

import openpyxl
import pytest
from allocation_parks import THREE
from hand_case_helpers import scenario

import symbio
from symbio.allocation import allocate, write_allocation
from symbio.report.allocation_view import allocation_section, load_allocation
from symbio.report.bundle import load_result
from symbio.report.html.briefing import write_briefing
from symbio.report.workbook.results import write_result_workbook


@pytest.fixture(scope="module")
def dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("alloc")
    s = scenario(THREE)
    run = symbio.solve(s).write(root / "run")
    return run, write_allocation(allocate(s), root / "alloc")["summary"].parent


def test_section_names_who_loses_at_market_prices(dirs) -> None:
    view = load_allocation(dirs[1])
    en, zh = allocation_section(view, "en"), allocation_section(view, "zh")
    # A gains 180 M at market prices, B and C each pay 1 M more than today (their pipes)
    assert en["rows"][0]["gain"] == "CNY 180.0 M"
    assert [r for r in en["side"] if r.startswith("B:")] == [
        "B: worse off by CNY 1.0 M; exchanges with: A"
    ]
    assert zh["rows"][0]["gain"] == "1.80 亿元"
    assert any("核心内" in p for p in zh["lead"])


def test_briefing_and_workbook_carry_the_section(dirs, tmp_path) -> None:
    run, alloc = dirs
    for lang, head in (("zh", "谁得益、谁付费"), ("en", "Who gains, who pays")):
        html = write_briefing([run], tmp_path / f"b-{lang}.html", lang=lang, allocation=alloc)
        assert head in html.read_text(encoding="utf-8")
    book = write_result_workbook([load_result(run)], tmp_path / "r.xlsx", allocation=alloc)
    assert "who_gains_accounts" in openpyxl.load_workbook(book).sheetnames
