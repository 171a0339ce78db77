"""Shared look of the report figures: fonts, colours, saving.

Figures are plain :class:`matplotlib.figure.Figure` objects (no pyplot, no global state):
each figure function runs under :func:`figure_context`, and :func:`figure_png` /
:func:`save_figure` render under it too, so lazily drawn tick labels get the CJK font as well.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from symbio.report.figures.textmemo import canvas_class
from symbio.report.fonts import font_rc

P = ParamSpec("P")
R = TypeVar("R")

#: Qualitative palette (colour-blind safe first, then extra distinct hues).
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#8C564B",
    "#7F3C8D",
    "#11A579",
    "#3969AC",
    "#F2B701",
    "#E73F74",
    "#80BA5A",
    "#A6761D",
    "#1F78B4",
    "#B15928",
    "#E7298A",
    "#66A61E",
    "#6A3D9A",
    "#666666",
)
ZONE_COLORS: tuple[str, ...] = ("#DCE9F5", "#FBE5D6", "#E2F0D9", "#EDE3F2", "#FFF2CC", "#E7E6E6")
GOOD, BAD, NEUTRAL = "#2E7D32", "#C62828", "#555555"
DPI = 130


def _style() -> dict[str, object]:
    return {
        **font_rc(),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 13,
        "axes.titleweight": "normal",
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 8.5,
        "legend.frameon": False,
        "axes.axisbelow": True,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
    }


def figure_context() -> matplotlib.rc_context:  # type: ignore[valid-type]
    """Context in which report figures are built and rendered (CJK font, house style)."""
    return matplotlib.rc_context(_style())


def styled(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator: build the figure under :func:`figure_context`."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with figure_context():
            return func(*args, **kwargs)

    return wrapper


def new_figure(width: float = 9.0, height: float = 6.0) -> Figure:
    """Return an empty figure in the house style with constrained layout."""
    return Figure(figsize=(width, height), layout="constrained")


def figure_png(fig: Figure) -> bytes:
    """Render ``fig`` to PNG bytes (under the figure context), laid out once (:func:`laid_out`).

    The pixels are matplotlib's (Agg, on white); the file is written by Pillow as RGB, since
    every pixel is opaque: the same image as ``savefig``'s RGBA PNG, about a tenth smaller and
    encoded in half the time (zlib level 3: smaller and faster than the default 6 here).
    """
    with figure_context(), laid_out(fig):
        canvas = memo_canvas(fig)
        fig.savefig(_Discard(), format="rgba", facecolor="white")  # draws on the canvas
        rgba = canvas.renderer.buffer_rgba()
        dpi = canvas.renderer.dpi
    pixels = np.asarray(rgba)
    image = Image.frombuffer("RGBA", pixels.shape[1::-1], rgba, "raw", "RGBA", 0, 1)
    if bool((pixels[..., 3] == 255).all()):
        image = image.convert("RGB")  # a C copy; numpy's copy of the RGB view is 5x slower
    info = PngInfo()
    info.add_text(
        "Software", f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"
    )
    out = io.BytesIO()
    image.save(out, format="png", dpi=(dpi, dpi), pnginfo=info, compress_level=3)
    return out.getvalue()


class _Discard:
    """A file that keeps nothing: ``savefig`` draws on the canvas, where the pixels are read,
    and would otherwise copy them (several MB a figure) only to be thrown away."""

    def write(self, data: memoryview) -> int:
        return len(data)

    def seek(self, *_args: int) -> int:
        return 0


def draw_png(make: Callable[[], Figure | None]) -> bytes | None:
    """The figure ``make()`` draws as PNG bytes (:func:`figure_png`); None when it draws none."""
    fig = make()
    return None if fig is None else figure_png(fig)


@contextmanager
def laid_out(fig: Figure) -> Iterator[Figure]:
    """Run the figure's layout engine, then let it be saved without one.

    ``savefig`` of a figure with a layout engine draws it twice: once with drawing switched
    off, only so that the engine runs, and once for real. Running the engine directly gives
    the same positions for the cost of the layout alone. The figure gets its Agg canvas first,
    so the layout and the PNG use one renderer (same size and dpi) and the text measured for
    the layout is not measured again. The engine is put back afterwards, so a later save lays
    the figure out again.
    """
    engine = fig.get_layout_engine()
    if engine is None or not fig.axes:
        yield fig
        return
    memo_canvas(fig)
    engine.execute(fig)
    fig.set_layout_engine(None)
    try:
        yield fig
    finally:
        fig.set_layout_engine(engine)


def memo_canvas(fig: Figure) -> FigureCanvasAgg:
    """The figure's canvas, made a :class:`~symbio.report.figures.textmemo.MemoCanvas` (Agg,
    with the text measured and laid out once per process) if it is not one yet (plain Agg
    where this matplotlib is not one the memo was checked with)."""
    cls = canvas_class()
    return fig.canvas if type(fig.canvas) is cls else cls(fig)


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Save ``fig`` (PNG, SVG or PDF by suffix) under the figure context; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    memo_canvas(fig)  # PNG: drawn by it; SVG and PDF: by their own backends
    with figure_context():
        fig.savefig(path, facecolor="white")
    return path


def color_map(keys: Iterable[str]) -> dict[str, str]:
    """Assign palette colours to ``keys`` in order (stable across figures of one report)."""
    return {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(dict.fromkeys(keys))}


def thousands(ax: object, axis: str = "both", scale: float = 1.0) -> None:
    """Format tick labels of ``ax`` with thousands separators (values divided by ``scale``)."""
    from matplotlib.ticker import FuncFormatter

    from symbio.report.labels import fmt_num

    fmt = FuncFormatter(lambda v, _pos: fmt_num(v / scale))
    if axis in ("x", "both"):
        ax.xaxis.set_major_formatter(fmt)  # type: ignore[attr-defined]
    if axis in ("y", "both"):
        ax.yaxis.set_major_formatter(fmt)  # type: ignore[attr-defined]


def legend_columns(labels: Iterable[str], width_chars: int = 30) -> int:
    """Two legend columns when every label is short enough to fit half a figure, else one."""
    return 2 if max((len(str(x)) for x in labels), default=0) <= width_chars else 1


def message_figure(title: str, message: str) -> Figure:
    """A small figure that states why a chart could not be drawn."""
    with figure_context():
        fig = new_figure(6, 2.2)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_title(title)
        ax.text(0.5, 0.45, message, ha="center", va="center", fontsize=11, color=NEUTRAL)
    return fig
