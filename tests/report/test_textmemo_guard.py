"""The text memo is used only on matplotlib releases it was checked with; plain Agg elsewhere."""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from symbio.report.figures import style, textmemo
from symbio.report.fonts import font_rc


def test_this_matplotlib_is_a_checked_release_with_the_memo():
    release = tuple(int(p) for p in matplotlib.__version__.split(".")[:2])
    assert (release in textmemo.CHECKED_RELEASES) == textmemo.SUPPORTED
    assert textmemo.canvas_class() is (
        textmemo.MemoCanvas if textmemo.SUPPORTED else FigureCanvasAgg
    )


def test_an_unchecked_release_draws_with_plain_agg_and_the_same_pixels(monkeypatch):
    def picture() -> tuple[np.ndarray, type]:
        with matplotlib.rc_context(font_rc()):
            fig = Figure(figsize=(2, 1), dpi=80)
            fig.text(0.1, 0.5, "碳排放 CO2 1,234 万吨", rotation=15)
            canvas = style.memo_canvas(fig)
            canvas.draw()
            return np.asarray(canvas.buffer_rgba()).copy(), type(canvas)

    supported = textmemo.SUPPORTED  # as found, before it is patched below
    memo_pixels, memo_type = picture()
    monkeypatch.setattr(textmemo, "SUPPORTED", False)
    plain_pixels, plain_type = picture()
    assert plain_type is FigureCanvasAgg
    assert textmemo.renderer_class() is RendererAgg
    assert np.array_equal(memo_pixels, plain_pixels)
    if supported:
        assert memo_type is textmemo.MemoCanvas
