"""The bundled CJK font: installed with symbio, found by matplotlib, no missing glyphs."""

from __future__ import annotations

import base64
import re
import warnings

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from symbio.report.figures.style import figure_context, figure_png
from symbio.report.fonts import (
    CJK_FAMILY,
    cjk_font_path,
    embedded_font_css,
    font_rc,
    register_fonts,
)

CHINESE = "上海化学工业区 副产氢 减污降碳协同增效 清洁生产等级 Ⅱ级"


def test_font_file_ships_with_the_package():
    path = cjk_font_path()
    assert path.is_file()
    assert path.stat().st_size > 1_000_000  # a real CJK font, not a stub
    assert "site-packages" in str(path) or "dist-packages" in str(path)


def test_matplotlib_resolves_the_cjk_font_for_chinese_text():
    assert register_fonts() == CJK_FAMILY
    with matplotlib.rc_context(font_rc()):
        found = font_manager.findfont(
            font_manager.FontProperties(family=CJK_FAMILY), fallback_to_default=False
        )
        chain = font_manager.fontManager._find_fonts_by_props(font_manager.FontProperties())
    assert found == str(cjk_font_path())
    assert chain[0] == str(cjk_font_path())  # first in the fallback chain of every figure text


def test_chinese_figure_text_draws_without_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with figure_context():
            fig = Figure(figsize=(4, 2))
            ax = fig.add_subplot()
            ax.set_title(CHINESE)
            ax.set_xticks([0, 1], ["氢气", "蒸汽"])
            ax.set_xlabel("CO₂ 减排量(吨/年) −5%")
        png = figure_png(fig)
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert missing == []
    assert png.startswith(b"\x89PNG")


def test_a_font_without_cjk_glyphs_would_be_caught():
    # The check above can fail: DejaVu Sans alone has no Chinese glyphs.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
            fig = Figure(figsize=(3, 1))
            fig.text(0.1, 0.5, "氢气")
            figure_png(fig)
    assert any("missing" in str(w.message).lower() for w in caught)


def test_embedded_font_is_a_small_subset_in_a_data_uri():
    css = embedded_font_css("<p>清洁生产简报</p>")
    uri = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", css)
    assert uri is not None
    data = base64.b64decode(uri.group(1))
    assert data[:4] == b"wOFF"
    assert 1_000 < len(data) < 400_000
    assert embedded_font_css("plain ASCII only") == ""
