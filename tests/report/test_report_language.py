"""The Chinese briefing is Chinese: no Latin-letter labels but units, formulas and appendix ids."""

from __future__ import annotations

from pathlib import Path

from latin_scan import latin_words

from symbio.report.bundle import load_result
from symbio.report.html.briefing import render_briefing


def test_zh_briefing_has_no_latin_labels(briefings: dict[str, Path]):
    html = briefings["zh"].read_text(encoding="utf-8")
    # "mini" and "variant": the result directories, which tell apart two runs of one scenario
    assert latin_words(html, {"mini", "variant"}) == {}


def test_zh_briefing_of_a_bundled_example_has_no_latin_labels(pair_result: Path):
    assert latin_words(render_briefing([load_result(pair_result)], "zh")) == {}


def test_the_scan_finds_english(briefings: dict[str, Path]):
    found = latin_words(briefings["en"].read_text(encoding="utf-8"))
    assert "Headline" in found and "summary" in found
    assert "t" not in found and "CO2" not in found  # units and formulas are allowed
