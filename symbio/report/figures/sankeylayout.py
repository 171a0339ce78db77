"""Where a Sankey diagram puts its nodes and labels, from the measured size of the labels.

All lengths are inches. Labels are measured with matplotlib's Agg renderer in the font they
are drawn with (call under :func:`symbio.report.figures.style.figure_context`):

* a label wider than its share of the figure is wrapped (the name at word boundaries, the
  amount kept whole), narrower step by step until the ribbons between neighbouring columns
  keep at least :data:`MIN_SPAN_IN`;
* the first column's labels stand left of their nodes, the others' right of them; each
  column stands where the widest label of the column before it ends;
* every node gets a vertical slot at least as tall as its label (the label centred in it);
  the plot height follows from the tallest column of slots.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.text import Text

from symbio.report.figures.textmemo import renderer_class

LABEL_PT = 8.5
LINESPACING = 1.15
WIDTH_IN = 10.0
NODE_IN = 0.13
PAD_IN = 0.07  # node to label
MARGIN_IN = 0.1  # figure edge to the outermost labels
GAP_IN = 0.1  # least gap between two nodes of a column
LABEL_GAP_IN = 0.05  # least gap between two labels of a column
MIN_SPAN_IN = 1.3  # least length of the ribbons between two columns
MIN_PLOT_IN, MAX_PLOT_IN = 2.4, 12.0
CLOSERS = ")]）》」、，。：；"


class TextMeter:
    """Width and height (inches) of a text drawn at ``fontsize`` in the current rc font."""

    def __init__(self, fontsize: float = LABEL_PT) -> None:
        self._renderer = renderer_class()(1, 1, 72)
        self._probe = Text(0, 0, "", fontsize=fontsize, linespacing=LINESPACING)
        self._probe.set_figure(Figure(dpi=72))
        self._cache: dict[str, tuple[float, float]] = {}

    def __call__(self, text: str) -> tuple[float, float]:
        """Extent of ``text`` (multi-line allowed)."""
        if text not in self._cache:
            self._probe.set_text(text)
            box = self._probe.get_window_extent(self._renderer)
            self._cache[text] = (box.width / 72, box.height / 72)
        return self._cache[text]

    def fits(self, text: str, max_w: float) -> bool:
        """``self(text)[0] <= max_w``, measured line by line up to the first line too wide.

        matplotlib lays a text out line by line, left-aligned from 0: its width is exactly
        that of its widest line, so a wrapping that fails is known from one line.
        """
        lines = [line for line in text.split("\n") if line]
        if text in self._cache or not lines:
            return self(text)[0] <= max_w
        return all(self(line)[0] <= max_w for line in lines)


def _no_leading_closers(lines: list[str]) -> list[str]:
    """Keep closing brackets and commas at the end of the line before (CJK wrapping)."""
    out: list[str] = []
    for line in lines:
        while out and line and line[0] in CLOSERS:
            out[-1] += line[0]
            line = line[1:]
        if line:
            out.append(line)
    return out


def fit_label(name: str, amount: str, max_w: float, meter: TextMeter) -> str:
    """``name  amount`` on one line if it fits ``max_w``, else the name wrapped (at most the
    amount on a line of its own), the widest wrapping that fits; the narrowest if none does."""
    one = f"{name}  {amount}".strip()
    if meter.fits(one, max_w) or not name:
        return one
    narrowest = one
    seen: set[str] = set()
    for chars in range(len(name) - 1, 5, -1):
        lines = _no_leading_closers(textwrap.wrap(name, chars))
        if len(lines) > 1 and len(lines[-1]) < 3:  # no orphan of one or two characters
            continue
        for text in (
            "\n".join([*lines[:-1], f"{lines[-1]}  {amount}".strip()]),
            "\n".join([*lines, amount]) if amount else "\n".join(lines),
        ):
            if text in seen:
                continue
            seen.add(text)
            narrowest = text
            if meter.fits(text, max_w):
                return text
    return narrowest


def _column_x(widths: list[float], width: float) -> tuple[list[float], float]:
    """Left edge of each column's nodes and the ribbon span between columns."""
    n = len(widths)
    if n == 1:
        return [width / 2 - NODE_IN / 2], width
    first = MARGIN_IN + widths[0] + PAD_IN
    last = width - MARGIN_IN - widths[-1] - PAD_IN - NODE_IN
    middle = sum(NODE_IN + PAD_IN + w for w in widths[1:-1])
    span = (last - first - NODE_IN - middle) / (n - 1)
    xs = [first]
    for i in range(1, n):
        label = PAD_IN + widths[i - 1] if i > 1 else 0.0
        xs.append(xs[-1] + NODE_IN + label + span)
    return xs, span


@dataclass
class SankeyLayout:
    """Label texts, column positions and node slots of one diagram (inches).

    ``x``: left edge of each column; ``text``/``size``: each node's label and its extent;
    ``plot_h``: height of the drawing; ``scale``: inches per unit of flow; ``centre``: the
    vertical centre of each node's slot (its node and label are centred there).
    """

    x: list[float]
    text: dict[str, str]
    size: dict[str, tuple[float, float]]
    plot_h: float
    scale: float
    centre: dict[str, float]
    width: float = WIDTH_IN


def _labels(columns, names, amounts, meter, width):  # noqa: ANN001, ANN202
    share = 0.34 if len(columns) <= 2 else 0.26
    max_w = share * width
    for _ in range(14):
        text = {k: fit_label(names[k], amounts[k], max_w, meter) for c in columns for k in c}
        widths = [max(meter(text[k])[0] for k in c) for c in columns]
        xs, span = _column_x(widths, width)
        if span >= MIN_SPAN_IN:
            break
        max_w *= 0.88
    return text, xs


def sankey_layout(
    columns: list[list[str]],
    through: dict[str, float],
    names: dict[str, str],
    amounts: dict[str, str],
    width: float = WIDTH_IN,
) -> SankeyLayout:
    """Lay out the columns of nodes (``through``: each node's flow) and their labels."""
    meter = TextMeter()
    text, xs = _labels(columns, names, amounts, meter, width)
    size = {k: meter(v) for k, v in text.items()}
    slot = {k: size[k][1] + LABEL_GAP_IN for k in text}
    slots = max(sum(slot[k] for k in c) for c in columns)
    plot_h = max(min(max(1.5 * slots, MIN_PLOT_IN), MAX_PLOT_IN), slots + 0.2)
    tallest = max(sum(through[k] for k in c) for c in columns) or 1.0

    def stacked(scale: float) -> float:
        return max(sum(max(through[k] * scale + GAP_IN, slot[k]) for k in c) for c in columns)

    hi = plot_h / tallest
    lo = 0.0
    if stacked(hi) > plot_h:
        for _ in range(40):  # bisect: the largest scale at which every column fits
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if stacked(mid) <= plot_h else (lo, mid)
        hi = lo
    scale = hi
    centre: dict[str, float] = {}
    for c in columns:
        steps = [max(through[k] * scale + GAP_IN, slot[k]) for k in c]
        y = plot_h / 2 + sum(steps) / 2
        for k, step in zip(c, steps, strict=True):
            centre[k] = y - step / 2
            y -= step
    return SankeyLayout(xs, text, size, plot_h, scale, centre, width)
