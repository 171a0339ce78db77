"""The HTML briefing: key numbers, section titles in both languages, escaping, self-contained."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from symbio.cli.app import main
from symbio.errors import InputError
from symbio.report.bundle import load_result
from symbio.report.html.briefing import render_briefing, write_briefing

ZH_SECTIONS = [
    "要点摘要",
    "基准情景与优化方案对比",
    "建设内容",
    "园区共生网络与物质流",
    "减污降碳协同增效",
    "清洁生产指标评分、权重与等级",
    "数据来源",
    "求解状态",
    "主要假设",
    "指标释义",
]
EN_SECTIONS = [
    "Headline summary",
    "Baseline vs options",
    "What to build",
    "Park map and flows",
    "Pollution and carbon co-reduction",
    "Indicator scores, weights and grade",
    "Data provenance",
    "Solver status",
    "Assumptions",
    "Glossary of indicators",
]
#: Numbers of the mini park's result (tests/report/conftest.py) the page must show, in one scale
#: per row (by hand: 412,345,678 元 = 4.123 亿元 = 412.3 M CNY; 520,000 t = 520 kt).
KEY_NUMBERS = {
    "zh": ["4.123", "2.988", "−1.136", "-27.5%", "亿元/年", "520", "431.2", "kt/a", "120.5"],
    "en": ["412.3", "298.8", "−113.6", "-27.5%", "M CNY/a", "520", "431.2", "kt/a", "120.5"],
}


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_zh_briefing_has_chinese_sections_and_key_numbers(briefings: dict[str, Path]):
    html = _html(briefings["zh"])
    for title in ZH_SECTIONS:
        assert f">{title}</h2>" in html
    for number in KEY_NUMBERS["zh"]:
        assert number in html, number
    assert "412,345,678" not in html  # no raw 元 in tables
    assert "1.14 亿元" in html  # headline cost saving in 亿元
    assert "88.75 kt" in html  # headline CO2 reduction, same scale family as the table
    assert "Ⅱ级" in html and "82.6" in html  # grade and score
    assert '<html lang="zh-CN">' in html


def test_en_briefing_has_english_sections(briefings: dict[str, Path]):
    html = _html(briefings["en"])
    for title in EN_SECTIONS:
        assert f">{title}</h2>" in html
    assert "CNY 113.6 M" in html
    assert "Grade II" in html
    for number in KEY_NUMBERS["en"]:
        assert number in html, number


def test_briefing_lists_what_to_build(briefings: dict[str, Path]):
    html = _html(briefings["en"])
    build = html[html.index('id="build"') : html.index('id="network"')]
    for item in ("h2_cracker_chlor", "h2_gen.cracker.gasco", "co2_gen.cracker.gasco", "hcl_ox"):
        assert item in build
    assert "steam_chp_iso" not in build  # existing, not built
    assert "hydrogen network" in build  # the measure it belongs to
    assert "423.6" in build and "Capex (M CNY)" in build  # total capex 423,608,602 CNY


def test_briefing_is_self_contained(briefings: dict[str, Path]):
    for path in briefings.values():
        html = _html(path)
        refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html)
        assert refs, "no images?"
        for ref in refs:
            assert ref.startswith(("data:image/png;base64,", "#")), ref[:60]
        assert "http" not in " ".join(refs)
        assert "url(data:font/woff;base64," in html
        assert "@import" not in html and "<script" not in html
        assert len(re.findall(r'<img src="data:image/png;base64,', html)) >= 9


def test_user_strings_are_escaped(briefings: dict[str, Path]):
    html = _html(briefings["en"])
    assert "Isocyanates &lt;MDI&gt;" in html  # a site name from the scenario
    assert "<MDI>" not in html
    zh = _html(briefings["zh"])
    # macc.csv carries "氢气管网 <h2>"; the scenario's own zh name of the measure wins
    assert "氢气管网" in zh and "氢气管网 <h2>" not in zh
    assert "<b>" not in zh


def test_sections_without_data_say_not_computed(pair_result: Path, tmp_path: Path):
    out = write_briefing([pair_result], tmp_path / "pair.html", lang="en")
    html = _html(out)
    assert html.count("not computed") >= 3  # Pareto, MACC, scores
    assert "CNY 119.1 M" in html  # the hydrogen pair's saving (119,083,330 CNY/a)
    assert "symbio pareto" in html and "symbio score" in html  # the commands that compute them
    zh = render_briefing([load_result(pair_result)], "zh")
    assert "未计算" in zh


def test_comparison_shows_each_scenario(briefings: dict[str, Path]):
    html = _html(briefings["zh"])
    comp = html[html.index('id="comparison"') : html.index('id="build"')]
    assert "mini" in comp and "variant" in comp
    assert "3.442" in comp  # the variant's optimized cost, 344,197,530 元/年 in 亿元/年


def test_unknown_language_is_an_input_error(pair_result: Path):
    with pytest.raises(InputError):
        render_briefing([load_result(pair_result)], "fr")  # type: ignore[arg-type]


def test_cli_report_writes_html_workbook_and_figures(pair_result: Path, tmp_path: Path):
    out = tmp_path / "b.html"
    code = main(["report", str(pair_result), "--out", str(out), "--lang", "en",
                 "--xlsx", str(tmp_path / "r.xlsx"), "--figures", str(tmp_path / "figs")])  # fmt: skip
    assert code == 0
    assert out.stat().st_size > 100_000
    assert (tmp_path / "r.xlsx").stat().st_size > 5_000
    assert (tmp_path / "figs" / "map.png").stat().st_size > 8_000


def test_cli_report_errors_exit_2(tmp_path: Path, pair_result: Path):
    assert main(["report", str(tmp_path / "missing"), "--out", str(tmp_path / "x.html")]) == 2
    assert (
        main(["report", str(pair_result), "--out", str(tmp_path / "x.html"), "--lang", "fr"]) == 2
    )
    assert not (tmp_path / "x.html").exists()
