"""Text kept per process draws the same pixels as matplotlib's Agg; the faster layout helpers
give the same numbers as the plain ones."""

from __future__ import annotations

import itertools
import textwrap

import matplotlib
import numpy as np
import pytest
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from symbio.report.figures import textmemo
from symbio.report.figures.maplayout import _spread
from symbio.report.figures.sankeylayout import TextMeter
from symbio.report.figures.style import figure_context, figure_png
from symbio.report.figures.textmemo import MemoCanvas, MemoRenderer

TEXTS = ["总成本 1,234 万元", "Steam (MP) 12.5 t/h", "两行\n文字 second line", "−0.5 ✓", "x"]


def _figure(dpi: float = 130) -> Figure:
    """A figure with texts of several sizes, angles, weights, a halo, a title and ticks."""
    fig = Figure(figsize=(5, 3), dpi=dpi, layout="constrained")
    ax = fig.add_subplot()
    ax.set_title("标题 Title 2026")
    ax.set_xlabel("万元 / a")
    ax.plot([0, 1, 2], [3, 1, 2])
    for i, (s, angle) in enumerate(itertools.product(TEXTS, (0, 30, 90))):
        t = ax.text(0.1 + 0.06 * i, 0.5 + (i % 4) / 10, s, rotation=angle, fontsize=7 + i % 5)
        if i % 4 == 0:
            t.set_path_effects([patheffects.withStroke(linewidth=3, foreground="white")])
        if i % 5 == 0:
            t.set_fontweight("bold")
    ax.text(0.5, 0.1, "no antialias 无", antialiased=False)
    ax.legend(["曲线 curve"])
    return fig


def _pixels(fig: Figure) -> np.ndarray:
    with figure_context():
        fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("dpi", [72, 130])
def test_memo_canvas_draws_agg_pixels(dpi: float) -> None:
    textmemo.clear()
    with figure_context():
        plain, memo, again = _figure(dpi), _figure(dpi), _figure(dpi)
    FigureCanvasAgg(plain)
    MemoCanvas(memo)
    MemoCanvas(again)  # a second figure: every text now comes from the memo
    expected = _pixels(plain)
    assert np.array_equal(_pixels(memo), expected)
    assert textmemo._SIZES and textmemo._HEIGHTS and textmemo._GLYPHS
    assert np.array_equal(_pixels(again), expected)


def test_memo_keys_on_dpi_and_rc() -> None:
    """Sizes differ by dpi and by hinting; the memo gives each its own plain-Agg value."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    textmemo.clear()
    results = {}
    for hinting, dpi in itertools.product(("force_autohint", "no_hinting"), (72, 130)):
        with figure_context(), matplotlib.rc_context({"text.hinting": hinting}):
            prop = FontProperties(size=9)
            got = MemoRenderer(1, 1, dpi).get_text_width_height_descent(TEXTS[1], prop, False)
            want = RendererAgg(1, 1, dpi).get_text_width_height_descent(TEXTS[1], prop, False)
        assert got == want
        results[hinting, dpi] = got
    assert len(set(results.values())) == 4  # the memo must not hand one key's value to another


def test_figure_png_pixels_as_savefig() -> None:
    with figure_context():
        fig = _figure()
    png = figure_png(fig)
    from io import BytesIO

    from PIL import Image

    with figure_context():
        ref = _figure()
        buf = BytesIO()
        ref.savefig(buf, format="png", facecolor="white")
    a = np.asarray(Image.open(BytesIO(png)).convert("RGBA"))
    b = np.asarray(Image.open(buf).convert("RGBA"))
    assert np.array_equal(a, b)


def test_meter_fits_agrees_with_full_measure() -> None:
    """``fits`` answers what ``meter(text)[0] <= max_w`` does, for wrapped and single texts."""
    name = "上海化学工业区热电联产蒸汽管网 Shanghai steam network, medium pressure"
    with figure_context():
        meter, fresh = TextMeter(), TextMeter()
        texts = [name, "", "a\n\nb"] + [
            "\n".join(textwrap.wrap(name, w)) + "  12.5 t/h" for w in range(6, len(name), 3)
        ]
        widths = sorted({fresh(t)[0] for t in texts})
        for text, max_w in itertools.product(texts, [0.0, *widths, 99.0]):
            assert meter.fits(text, max_w) == (fresh(text)[0] <= max_w), (text, max_w)


def test_spread_by_hand() -> None:
    """Two points 1 km apart that must be 3 km apart each move 1 km away from the other;
    a third point far away stays; the input is not changed."""
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [50.0, 50.0]])
    gap = np.full((3, 3), 3.0)
    out = _spread(xy, gap)
    assert out.tolist() == [[-1.0, 0.0], [2.0, 0.0], [50.0, 50.0]]
    assert xy.tolist() == [[0.0, 0.0], [1.0, 0.0], [50.0, 50.0]]
    # coincident points are pushed apart along (cos(i+j), sin(i+j)) = (cos 1, sin 1)
    same = _spread(np.zeros((2, 2)), np.full((2, 2), 2.0))
    assert np.allclose(same, [[-np.cos(1), -np.sin(1)], [np.cos(1), np.sin(1)]])
    assert _spread(np.zeros((0, 2)), np.zeros((0, 0))).shape == (0, 2)


def _child_pixels(queue) -> None:  # noqa: ANN001
    """In a forked child: the glyph layouts it inherited, and the pixels it draws."""
    inherited = len(textmemo._GLYPHS)
    with figure_context():
        fig = _figure()
    MemoCanvas(fig)
    queue.put((inherited, _pixels(fig).tobytes()))


@pytest.mark.skipif(not hasattr(__import__("os"), "register_at_fork"), reason="no fork")
def test_forked_child_starts_without_parent_fonts() -> None:
    """A child shares its parent's font file handles: it must not use the parent's fonts
    (reading one file from two processes at once fails, or reads the wrong bytes)."""
    import multiprocessing

    textmemo.clear()
    with figure_context():
        fig = _figure()
    MemoCanvas(fig)
    expected = _pixels(fig).tobytes()
    assert textmemo._GLYPHS
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_pixels, args=(queue,))
    child.start()
    with figure_context():  # the parent draws at the same time
        for _ in range(3):
            again = _figure()
            MemoCanvas(again)
            assert _pixels(again).tobytes() == expected
    inherited, pixels = queue.get(timeout=120)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert inherited == 0
    assert pixels == expected


def test_memo_key_changes_when_a_font_is_added(monkeypatch: pytest.MonkeyPatch) -> None:
    """A font registered later may match a family the memo resolved before: new entries."""
    with figure_context():
        before = textmemo._rc_key()
        monkeypatch.setattr(
            textmemo.fontManager, "ttflist", [*textmemo.fontManager.ttflist, object()]
        )
        assert textmemo._rc_key() != before
