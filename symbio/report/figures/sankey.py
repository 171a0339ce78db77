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

from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MPath

from symbio.flows.schema import Scenario
from symbio.model.exchange import hub_sources, net_exchange
from symbio.report.figures.parkmap import resource_name, site_name
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


@dataclass
class Ribbon:
    """One band of a Sankey diagram from node ``src`` (column i) to ``dst`` (column i+1)."""

    src: str
    dst: str
    value: float
    color: str


def _case(df: pd.DataFrame, case: str) -> pd.DataFrame:
    if "case" in df.columns:
        return df[df["case"].astype(str) == case]
    return df


def _sum_by(df: pd.DataFrame, keys: list[str]) -> list[tuple]:
    if df.empty or not set(keys) | {"amount"} <= set(df.columns):
        return []
    g = df.groupby(keys, sort=True)["amount"].sum()
    return [(*(k if isinstance(k, tuple) else (k,)), float(v)) for k, v in g.items() if v > 0]


def exchanges(
    tables: dict[str, pd.DataFrame], case: str, scenario: Scenario | None
) -> pd.DataFrame:
    """Net party-to-party deliveries of one case (``resource, slice, from, to, amount``)."""
    flows = _case(tables.get("flows", pd.DataFrame()), case)
    if flows.empty or not {"from", "to", "resource", "amount"} <= set(flows.columns):
        return pd.DataFrame(columns=["resource", "slice", "from", "to", "amount"])
    flows = flows.assign(
        delivered=flows["delivered"] if "delivered" in flows.columns else flows["amount"],
        slice=flows["slice"] if "slice" in flows.columns else "year",
    ).astype({"from": str, "to": str, "resource": str})
    hubs = {x.id for x in scenario.sites if x.kind == "hub"} if scenario else set()
    balances = _case(tables.get("site_balances", pd.DataFrame()), case)
    local = hub_sources(balances, hubs) if hubs and not balances.empty else None
    return net_exchange(flows, hubs, local)


def resource_ribbons(
    tables: dict[str, pd.DataFrame],
    resource: str,
    case: str,
    lang: Lang,
    scenario: Scenario | None,
    color: str = "#0072B2",
) -> tuple[list[list[str]], list[Ribbon], dict[str, str]]:
    """Columns, ribbons and node labels of one resource's flow diagram."""
    labels: dict[str, str] = {}

    def site(sid: str, side: str) -> str:
        key = f"{side}:{sid}"
        labels[key] = site_name(scenario, sid, lang) if scenario else sid
        return key

    ribbons: list[Ribbon] = []
    flows = exchanges(tables, case, scenario)
    if not flows.empty:
        flows = flows[flows["resource"].astype(str) == resource]
        for a, b, v in _sum_by(flows, ["from", "to"]):
            ribbons.append(Ribbon(site(str(a), "L"), site(str(b), "R"), v, color))
    for table, node, color, inbound in (
        ("purchases", "purchase", "#B0BEC5", True),
        ("disposal", "disposal", "#9E9E9E", False),
        ("sales", "sale", "#80CBC4", False),
    ):
        df = _case(tables.get(table, pd.DataFrame()), case)
        if "resource" not in df.columns or "site" not in df.columns:
            continue
        df = df[df["resource"].astype(str) == resource]
        for s, v in _sum_by(df, ["site"]):
            side_node = f"{'L' if inbound else 'R'}:*{node}"
            labels[side_node] = t(node, lang)
            if inbound:
                ribbons.append(Ribbon(side_node, site(str(s), "R"), v, color))
            else:
                ribbons.append(Ribbon(site(str(s), "L"), side_node, v, color))
    left = [r.src for r in ribbons]
    right = [r.dst for r in ribbons]
    return [list(dict.fromkeys(left)), list(dict.fromkeys(right))], ribbons, labels


def park_ribbons(
    tables: dict[str, pd.DataFrame],
    case: str,
    lang: Lang,
    scenario: Scenario | None,
    colors: dict[str, str],
) -> tuple[list[list[str]], list[Ribbon], dict[str, str], str, list[str]]:
    """Columns, ribbons, labels, the common unit and left-out resources of the park diagram."""
    flows = exchanges(tables, case, scenario)
    if flows.empty:
        return [[], [], []], [], {}, "", []
    units = {r.id: r.unit for r in scenario.resources} if scenario else {}
    present = [str(r) for r in flows["resource"].unique()]
    common = Counter(units.get(r, "t") for r in present).most_common(1)[0][0]
    kept = [r for r in present if units.get(r, "t") == common]
    left_out = [r for r in present if r not in kept]
    labels: dict[str, str] = {}
    ribbons: list[Ribbon] = []
    for a, r, b, v in _sum_by(
        flows[flows["resource"].astype(str).isin(kept)], ["from", "resource", "to"]
    ):
        la, lr, lb = f"L:{a}", f"M:{r}", f"R:{b}"
        labels[la] = site_name(scenario, str(a), lang) if scenario else str(a)
        labels[lb] = site_name(scenario, str(b), lang) if scenario else str(b)
        labels[lr] = resource_name(scenario, str(r), lang)
        color = colors.get(str(r), NEUTRAL)
        ribbons.append(Ribbon(la, lr, v, color))
        ribbons.append(Ribbon(lr, lb, v, color))
    cols: list[list[str]] = [[], [], []]
    for rb in ribbons:
        for key in (rb.src, rb.dst):
            i = {"L": 0, "M": 1, "R": 2}[key[0]]
            if key not in cols[i]:
                cols[i].append(key)
    return cols, ribbons, labels, common, left_out


def order_columns(columns: list[list[str]], ribbons: list[Ribbon]) -> list[list[str]]:
    """Order nodes to cross few ribbons: the busiest column by size, the others by barycentre.

    The anchor column (the middle one of three, else the first) is sorted by throughput,
    largest on top; each other node sits at the flow-weighted mean position of the nodes it
    connects to. Market, disposal and sale nodes (``*`` keys) go last.
    """
    total: dict[str, float] = defaultdict(float)
    links: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for rb in ribbons:
        total[rb.src] += rb.value
        total[rb.dst] += rb.value
        links[rb.src].append((rb.dst, rb.value))
        links[rb.dst].append((rb.src, rb.value))
    anchor = 1 if len(columns) == 3 else 0
    out = [list(c) for c in columns]
    out[anchor] = sorted(out[anchor], key=lambda k: (k[2:3] == "*", -total[k], k))
    rank = {k: i for i, k in enumerate(out[anchor])}
    for i, col in enumerate(out):
        if i == anchor:
            continue

        def bary(k: str) -> float:
            pairs = [(rank[o], v) for o, v in links[k] if o in rank]
            w = sum(v for _, v in pairs)
            return sum(r * v for r, v in pairs) / w if w else float("inf")

        out[i] = sorted(col, key=lambda k: (k[2:3] == "*", bary(k), -total[k], k))
    return out


def _ribbon_path(x0: float, y0a: float, y0b: float, x1: float, y1a: float, y1b: float) -> MPath:
    xm = (x0 + x1) / 2
    verts = [
        (x0, y0a), (xm, y0a), (xm, y1a), (x1, y1a),
        (x1, y1b), (xm, y1b), (xm, y0b), (x0, y0b), (x0, y0a),
    ]  # fmt: skip
    codes = [MPath.MOVETO, *[MPath.CURVE4] * 3, MPath.LINETO, *[MPath.CURVE4] * 3, MPath.CLOSEPOLY]
    return MPath(verts, codes)


def _through(ribbons: list[Ribbon]) -> dict[str, float]:
    inflow: dict[str, float] = defaultdict(float)
    outflow: dict[str, float] = defaultdict(float)
    for rb in ribbons:
        outflow[rb.src] += rb.value
        inflow[rb.dst] += rb.value
    return defaultdict(float, {k: max(inflow[k], outflow[k]) for k in {*inflow, *outflow}})


def layout_sankey(
    columns: list[list[str]], ribbons: list[Ribbon], labels: dict[str, str], unit: str
) -> SankeyLayout:
    """Positions of nodes and (wrapped) labels, from the labels' measured size."""
    through = _through(ribbons)
    keys = [k for col in columns for k in col]
    amounts = {k: f"{fmt_num(through[k])} {unit}".strip() for k in keys}
    return sankey_layout(columns, through, {k: labels.get(k, k) for k in keys}, amounts)


def draw_sankey(
    ax: object, columns: list[list[str]], ribbons: list[Ribbon], lay: SankeyLayout
) -> None:
    """Draw columns of nodes and the ribbons between neighbouring columns on ``ax``, whose
    data coordinates are inches (``0..lay.width`` by ``0..lay.plot_h``)."""
    through = _through(ribbons)
    top = {k: lay.centre[k] + through[k] * lay.scale / 2 for k in lay.centre}
    colx = {key: lay.x[i] for i, col in enumerate(columns) for key in col}
    # Stack ribbons at each node in the order of their other end, so few of them cross.
    out_y = dict(top)
    in_y = dict(top)
    for rb in sorted(ribbons, key=lambda r: (colx[r.src], -top[r.src], -top[r.dst])):
        h = rb.value * lay.scale
        y0, y1 = out_y[rb.src], in_y[rb.dst]
        out_y[rb.src] -= h
        in_y[rb.dst] -= h
        path = _ribbon_path(colx[rb.src] + NODE_IN, y0, y0 - h, colx[rb.dst], y1, y1 - h)
        ax.add_patch(PathPatch(path, fc=rb.color, ec="none", alpha=0.45, zorder=1))  # type: ignore[attr-defined]
    for i, col in enumerate(columns):
        for key in col:
            h = through[key] * lay.scale
            x = colx[key]
            ax.add_patch(
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


@styled
def flow_sankey(
    tables: dict[str, pd.DataFrame],
    scenario: Scenario | None = None,
    resource: str | None = None,
    *,
    lang: Lang = "en",
    case: str = "optimized",
    colors: dict[str, str] | None = None,
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

    Returns
    -------
    matplotlib.figure.Figure
        A message figure when there is nothing to draw.
    """
    colors = colors or (color_map(r.id for r in scenario.resources) if scenario else {})
    if resource is None:
        cols, ribbons, labels, unit, left_out = park_ribbons(tables, case, lang, scenario, colors)
        title = t("fig_sankey_park", lang)
        note = ""
        if left_out:
            names = ", ".join(resource_name(scenario, r, lang) for r in left_out)
            note = f"({unit}; {names}: " + (
                "见分资源流图)" if lang == "zh" else "see their own diagrams)"
            )
    else:
        cols, ribbons, labels = resource_ribbons(
            tables, resource, case, lang, scenario, colors.get(resource, "#0072B2")
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
