"""The briefing in a real headless browser (Debian's chromium): loads clean, shows the numbers.

Skipped only when chromium is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from report_browser import chromium_path, render

pytestmark = pytest.mark.skipif(
    chromium_path() is None, reason="chromium not installed (apt-get install chromium)"
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_briefing_renders_in_chromium(lang: str, briefings: dict[str, Path], tmp_path: Path):
    shot = tmp_path / f"briefing-{lang}.png"
    page = render(briefings[lang], shot, tmp_path / "profile")
    assert page.console_errors == []
    # Nothing fetched but the page itself and its own data: URIs.
    assert [u for u in page.requests if not u.startswith(("data:", "file://"))] == []
    assert sum(u.startswith("file://") for u in page.requests) == 1
    assert page.images_ok, "an embedded figure did not decode"
    assert page.font_loaded, "the embedded CJK font did not load"
    numbers = {
        "zh": ("4.123", "2.988", "−1.136", "431.2"),
        "en": ("412.3", "298.8", "−113.6", "431.2"),
    }
    for number in numbers[lang]:  # 412,345,678 CNY/a = 4.123 亿元/年 = 412.3 M CNY/a
        assert number in page.text
    if lang == "zh":
        for title in ("要点摘要", "减污降碳协同增效", "清洁生产指标评分、权重与等级", "求解状态"):
            assert title in page.text
        assert "1.14 亿元" in page.text
    else:
        assert "Headline summary" in page.text and "CNY 113.6 M" in page.text
    img = Image.open(shot)
    assert img.size[0] == 1280 and img.size[1] == page.height > 3000
    pixels = np.asarray(img.convert("L"), dtype=float)
    assert pixels.std() > 20  # text, tables and figures, not a blank page
    assert shot.stat().st_size > 200_000


def test_browser_check_catches_errors(tmp_path: Path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<html><body><img src="missing.png"><script>console.error("boom")</script></body></html>'
    )
    page = render(bad, tmp_path / "bad.png", tmp_path / "profile")
    assert "boom" in page.console_errors
    assert not page.images_ok
    assert any(u.endswith("missing.png") for u in page.requests)


@pytest.fixture(scope="module")
def wide_briefings(mini_result: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A briefing comparing five results: a comparison table far wider than the page."""
    from report_data import write_mini_result

    from symbio.report.html.briefing import write_briefing

    root = tmp_path_factory.mktemp("wide")
    others = [
        write_mini_result(root / f"v{i}", scale=s, name=f"Mini park variant with scale {s}",
                          extras=False)
        for i, s in enumerate((0.8, 0.6, 0.4, 0.2))
    ]  # fmt: skip
    return {
        lang: write_briefing([mini_result, *others], root / f"wide-{lang}.html", lang=lang)  # type: ignore[arg-type]
        for lang in ("zh", "en")
    }


@pytest.mark.parametrize("width", [1200, 800])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_briefing_fits_the_page_width(
    lang: str, width: int, wide_briefings: dict[str, Path], tmp_path: Path
):
    """No horizontal scrolling of the page: figures shrink, wide tables scroll inside a box."""
    page = render(wide_briefings[lang], tmp_path / "shot.png", tmp_path / "profile", width=width)
    assert page.console_errors == []
    assert page.viewport_width == width
    assert page.scroll_width <= page.viewport_width, page.overflowing
    assert page.overflowing == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_briefing_prints_to_a4(lang: str, briefings: dict[str, Path], tmp_path: Path):
    """Screenshot at 1280 px and an A4 PDF through the print stylesheet (one section a page)."""
    import re

    pdf = tmp_path / f"briefing-{lang}.pdf"
    page = render(briefings[lang], tmp_path / "shot.png", tmp_path / "profile", pdf=pdf)
    assert page.console_errors == [] and page.scroll_width <= 1280
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes, "no page in the PDF"
    for w, h in boxes:  # A4 = 210 x 297 mm = 595.3 x 841.9 pt
        assert abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5
    sections = len(re.findall(r'<section id="', briefings[lang].read_text(encoding="utf-8")))
    assert len(boxes) >= sections  # a page break before every section but the first
