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

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MPath

from symbio.flows.schema import Scenario
from symbio.model.exchange import hub_sources, net_exchange
from symbio.report.figures.parkmap import resource_name, site_name
from symbio.report.figures.style import NEUTRAL, color_map, message_figure, new_figure, styled
from symbio.report.labels import Lang, fmt_num, t

NODE_W = 0.014
GAP = 0.025


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


def draw_sankey(
    ax: object,
    columns: list[list[str]],
    ribbons: list[Ribbon],
    labels: dict[str, str],
    unit: str,
    min_slot: float = 0.0,
) -> None:
    """Draw columns of nodes and the ribbons between neighbouring columns on ``ax`` (0..1 box).

    ``min_slot`` is the least vertical room (axes fraction) a node gets, so labels of small
    nodes do not overlap.
    """
    through: dict[str, float] = defaultdict(float)
    inflow: dict[str, float] = defaultdict(float)
    outflow: dict[str, float] = defaultdict(float)
    for rb in ribbons:
        outflow[rb.src] += rb.value
        inflow[rb.dst] += rb.value
    for key in {*inflow, *outflow}:
        through[key] = max(inflow[key], outflow[key])
    ncols = len(columns)
    xs = np.linspace(0.18, 0.82 - NODE_W, ncols) if ncols > 1 else np.array([0.5])
    tallest = max((sum(through[k] for k in col) for col in columns), default=1.0) or 1.0
    max_gaps = max((len(col) - 1 for col in columns), default=0)
    scale = (0.94 - GAP * max_gaps) / tallest

    def step(key: str) -> float:  # a node and the gap under it; room for its label at least
        return max(through[key] * scale + GAP, min_slot)

    for _ in range(30):  # shrink the scale until every column fits with its label slots
        tallest_col = max((sum(step(k) for k in col) - GAP for col in columns), default=0.0)
        if tallest_col <= 0.96:
            break
        scale *= 0.96 / tallest_col
    top: dict[str, float] = {}
    for col in columns:
        height = sum(step(k) for k in col) - GAP
        y = 0.5 + height / 2
        for key in col:
            top[key] = y
            y -= step(key)
    colx = {key: xs[i] for i, col in enumerate(columns) for key in col}
    # Stack ribbons at each node in the order of their other end, so few of them cross.
    out_y = dict(top)
    in_y = dict(top)
    for rb in sorted(ribbons, key=lambda r: (colx[r.src], -top[r.src], -top[r.dst])):
        h = rb.value * scale
        y0, y1 = out_y[rb.src], None
        out_y[rb.src] -= h
        y1 = in_y[rb.dst]
        in_y[rb.dst] -= h
        path = _ribbon_path(colx[rb.src] + NODE_W, y0, y0 - h, colx[rb.dst], y1, y1 - h)
        ax.add_patch(PathPatch(path, fc=rb.color, ec="none", alpha=0.45, zorder=1))  # type: ignore[attr-defined]
    for i, col in enumerate(columns):
        for key in col:
            h = through[key] * scale
            x = colx[key]
            ax.add_patch(Rectangle((x, top[key] - h), NODE_W, h, fc="#37474F", ec="none", zorder=2))  # type: ignore[attr-defined]
            text = f"{labels.get(key, key)}  {fmt_num(through[key])} {unit}".strip()
            last = i == ncols - 1 and ncols > 1
            tx, ha = (
                (x + NODE_W + 0.01, "left") if last or (0 < i < ncols - 1) else (x - 0.01, "right")
            )
            label = ax.text(tx, top[key] - h / 2, text, ha=ha, va="center", fontsize=8.5, zorder=3)  # type: ignore[attr-defined]
            label.set_path_effects([patheffects.withStroke(linewidth=2.5, foreground="white")])
    ax.set_xlim(0, 1)  # type: ignore[attr-defined]
    ax.set_ylim(0, 1)  # type: ignore[attr-defined]
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
    rows = max(len(c) for c in cols)
    fig = new_figure(10.0, max(3.2, min(9.0, 1.2 + 0.42 * rows)))
    ax = fig.add_subplot()
    height_pt = fig.get_figheight() * 72 * 0.86
    draw_sankey(ax, cols, ribbons, labels, unit, min_slot=11.5 / height_pt)
    ax.set_title(f"{title} · {t(case, lang)}", loc="left")
    if note:
        ax.text(0.0, -0.02, note, transform=ax.transAxes, fontsize=8, color=NEUTRAL, va="top")
    return fig
