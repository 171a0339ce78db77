"""Sankey and map labels are never clipped and never overprint each other, measured on the
drawn figure: every label's text box lies inside the figure and no two boxes intersect.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from symbio.report.bundle import load_result
from symbio.report.figures.overview import report_figures


def _boxes(fig):  # noqa: ANN001, ANN202
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for ax in fig.axes
        for t in ax.texts
        if t.get_visible() and t.get_text().strip()
    ]


def _overlap(a, b) -> float:  # noqa: ANN001
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sankey_and_map_labels_fit_and_do_not_overlap(mini_result: Path, lang: str):
    figs = report_figures([load_result(mini_result)], lang)  # type: ignore[arg-type]
    checked = [k for k in figs if k == "map" or k.startswith("sankey")]
    assert "map" in checked and "sankey_park" in checked
    for key in checked:
        fig = figs[key]
        boxes = _boxes(fig)
        assert boxes, key
        page = fig.bbox
        for text, box in boxes:
            assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1, (
                key,
                text,
                "clipped left/right",
            )
            assert box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1, (
                key,
                text,
                "clipped top/bottom",
            )
        for (ta, a), (tb, b) in combinations(boxes, 2):
            assert _overlap(a, b) <= 1.0, (key, ta, tb)


def test_the_box_check_can_fail():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "label one")
    ax.text(0.52, 0.5, "label two")
    ax.text(1.4, 0.5, "clipped at the right edge")
    boxes = _boxes(fig)
    assert _overlap(boxes[0][1], boxes[1][1]) > 1.0
    assert boxes[2][1].x1 > fig.bbox.x1 + 1


def test_bundled_example_labels_fit(pair_result: Path):
    for key, fig in report_figures([load_result(pair_result)], "zh").items():
        if key == "map" or key.startswith("sankey"):
            boxes = _boxes(fig)
            for (ta, a), (tb, b) in combinations(boxes, 2):
                assert _overlap(a, b) <= 1.0, (key, ta, tb)
            for text, box in boxes:
                assert fig.bbox.x0 - 1 <= box.x0 and box.x1 <= fig.bbox.x1 + 1, (key, text)
