"""Flow diagrams (Sankey): for one resource, and for the park's exchanges.

Nodes stand in columns; a ribbon's width is proportional to the amount it carries, in the
resource's unit. Per resource: origins (sending sites, purchases) → destinations (receiving
sites, disposal, sales). For the park: sending site → resource → receiving site for every
resource measured in the park's most common unit (resources in other units have their own
diagrams), so no ribbon adds tonnes to megawatt-hours. Site-to-site ribbons are the net
exchange between parties (:mod:`symbio.model.exchange`: hubs and headers passed through,
net per pair and slice), the same amounts as the ``exchanged_<resource>`` KPIs.
"""

from __future__ import annotations

import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MPath

from symbio.flows.schema import Scenario
from symbio.report.figures.names import resource_name
from symbio.report.figures.sankeydata import (
    Ribbon,
    order_columns,
    park_ribbons,
    resource_ribbons,
    through,
)
from symbio.report.figures.sankeylayout import (
    LABEL_PT,
    LINESPACING,
    MARGIN_IN,
    NODE_IN,
    PAD_IN,
    SankeyLayout,
    sankey_layout,
)
from symbio.report.figures.style import NEUTRAL, color_map, message_figure, styled
from symbio.report.labels import Lang, fmt_num, t

TITLE_IN = 0.55  # room above the drawing for the title
NOTE_IN = 0.35  # room under it for a note


def _ribbon_path(x0: float, y0a: float, y0b: float, x1: float, y1a: float, y1b: float) -> MPath:
    xm = (x0 + x1) / 2
    verts = [
        (x0, y0a), (xm, y0a), (xm, y1a), (x1, y1a),
        (x1, y1b), (xm, y1b), (xm, y0b), (x0, y0b), (x0, y0a),
    ]  # fmt: skip
    codes = [MPath.MOVETO, *[MPath.CURVE4] * 3, MPath.LINETO, *[MPath.CURVE4] * 3, MPath.CLOSEPOLY]
    return MPath(verts, codes)


def layout_sankey(
    columns: list[list[str]], ribbons: list[Ribbon], labels: dict[str, str], unit: str
) -> SankeyLayout:
    """Positions of nodes and (wrapped) labels, from the labels' measured size."""
    flow = through(ribbons)
    keys = [k for col in columns for k in col]
    amounts = {k: f"{fmt_num(flow[k])} {unit}".strip() for k in keys}
    return sankey_layout(columns, flow, {k: labels.get(k, k) for k in keys}, amounts)


def draw_sankey(
    ax: object, columns: list[list[str]], ribbons: list[Ribbon], lay: SankeyLayout
) -> None:
    """Draw columns of nodes and the ribbons between neighbouring columns on ``ax``, whose
    data coordinates are inches (``0..lay.width`` by ``0..lay.plot_h``)."""
    flow = through(ribbons)
    top = {k: lay.centre[k] + flow[k] * lay.scale / 2 for k in lay.centre}
    colx = {key: lay.x[i] for i, col in enumerate(columns) for key in col}
    # Patches are added with add_artist, not add_patch: the limits are set below, and add_patch
    # would compute every ribbon's extent for autoscaling (a third of the figure's build time).
    # Stack ribbons at each node in the order of their other end, so few of them cross.
    out_y = dict(top)
    in_y = dict(top)
    for rb in sorted(ribbons, key=lambda r: (colx[r.src], -top[r.src], -top[r.dst])):
        h = rb.value * lay.scale
        y0, y1 = out_y[rb.src], in_y[rb.dst]
        out_y[rb.src] -= h
        in_y[rb.dst] -= h
        path = _ribbon_path(colx[rb.src] + NODE_IN, y0, y0 - h, colx[rb.dst], y1, y1 - h)
        ax.add_artist(PathPatch(path, fc=rb.color, ec="none", alpha=0.45, zorder=1))  # type: ignore[attr-defined]
    for i, col in enumerate(columns):
        for key in col:
            h = flow[key] * lay.scale
            x = colx[key]
            ax.add_artist(
                Rectangle((x, top[key] - h), NODE_IN, h, fc="#37474F", ec="none", zorder=2)
            )  # type: ignore[attr-defined]
            tx, ha = (
                (x - PAD_IN, "right")
                if i == 0 and len(columns) > 1
                else (x + NODE_IN + PAD_IN, "left")
            )
            label = ax.text(tx, lay.centre[key], lay.text[key], ha=ha, va="center",  # type: ignore[attr-defined]
                            fontsize=LABEL_PT, linespacing=LINESPACING, zorder=3)  # fmt: skip
            label.set_path_effects([patheffects.withStroke(linewidth=2.5, foreground="white")])
    ax.set_xlim(0, lay.width)  # type: ignore[attr-defined]
    ax.set_ylim(0, lay.plot_h)  # type: ignore[attr-defined]
    ax.set_axis_off()  # type: ignore[attr-defined]
    # Hidden axes are not measured when the title is placed (drawn or not, they are not shown).
    ax.xaxis.set_visible(False)  # type: ignore[attr-defined]
    ax.yaxis.set_visible(False)  # type: ignore[attr-defined]


@styled
def flow_sankey(
    tables: dict[str, pd.DataFrame],
    scenario: Scenario | None = None,
    resource: str | None = None,
    *,
    lang: Lang = "en",
    case: str = "optimized",
    colors: dict[str, str] | None = None,
    exchanged: pd.DataFrame | None = None,
) -> Figure:
    """Draw the flow diagram of one resource, or of the park's exchanges (``resource=None``).

    Parameters
    ----------
    tables
        Result tables by name (``flows``, ``purchases``, ``disposal``, ``sales``).
    scenario
        The resolved scenario, for names and units.
    resource
        Resource id; none: the park diagram (site → resource → site).
    lang, case, colors
        Labels, case of the result, resource colours.
    exchanged
        The net exchanges of ``case`` (:func:`~symbio.report.figures.sankeydata.exchanges`),
        when already computed: every diagram of a result reads the same.

    Returns
    -------
    matplotlib.figure.Figure
        A message figure when there is nothing to draw.
    """
    colors = colors or (color_map(r.id for r in scenario.resources) if scenario else {})
    if resource is None:
        cols, ribbons, labels, unit, left_out = park_ribbons(
            tables, case, lang, scenario, colors, exchanged
        )
        title = t("fig_sankey_park", lang)
        note = ""
        if left_out:
            names = ", ".join(resource_name(scenario, r, lang) for r in left_out)
            note = f"({unit}; {names}: " + (
                "见分资源流图)" if lang == "zh" else "see their own diagrams)"
            )
    else:
        cols, ribbons, labels = resource_ribbons(
            tables, resource, case, lang, scenario, colors.get(resource, "#0072B2"), exchanged
        )
        try:
            unit = scenario.resource(resource).unit if scenario else ""
        except (KeyError, StopIteration):  # StopIteration: older Scenario look-ups
            unit = ""
        name = resource_name(scenario, resource, lang)
        title = (
            f"{t('fig_sankey', lang)}{name}" if lang == "zh" else f"{t('fig_sankey', lang)} {name}"
        )
        note = ""
    if not ribbons:
        return message_figure(title, t("not_available", lang))
    cols = order_columns(cols, ribbons)
    lay = layout_sankey(cols, ribbons, labels, unit)
    bottom = NOTE_IN if note else MARGIN_IN
    height = lay.plot_h + TITLE_IN + bottom
    fig = Figure(figsize=(lay.width, height))
    ax = fig.add_axes((0.0, bottom / height, 1.0, lay.plot_h / height))
    draw_sankey(ax, cols, ribbons, lay)
    ax.set_title(f"{title} · {t(case, lang)}", loc="left", x=MARGIN_IN / lay.width, pad=10)
    if note:
        ax.text(MARGIN_IN, -0.08, note, fontsize=8, color=NEUTRAL, va="top")
    return fig
