"""The park map: sites at their coordinates by zone, links by resource and flow."""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch, Polygon
from scipy.spatial import ConvexHull, QhullError

from symbio.flows.schema import Link, Scenario
from symbio.report.figstyle import NEUTRAL, ZONE_COLORS, color_map, new_figure, styled
from symbio.report.labels import KIND_NAMES, Lang, pick, t

KIND_MARKERS = {"enterprise": "o", "utility": "s", "treatment": "^", "hub": "D", "gate": "*"}
MIN_W, MAX_W = 0.9, 6.5
MAX_CANDIDATES_DRAWN = 300


def site_name(scenario: Scenario, sid: str, lang: Lang) -> str:
    """Display name of a site (Chinese falls back to English, then the id)."""
    try:
        n = scenario.site(sid).name
    except StopIteration:
        return sid
    return (n.zh or n.en) if lang == "zh" else n.en


def resource_name(scenario: Scenario | None, rid: str, lang: Lang) -> str:
    """Display name of a resource."""
    if scenario is None:
        return rid
    try:
        n = scenario.resource(rid).name
    except StopIteration:
        return rid
    return (n.zh or n.en) if lang == "zh" else n.en


def positions(scenario: Scenario) -> tuple[dict[str, tuple[float, float]], bool]:
    """Site positions in km; a seeded schematic layout when no site has coordinates.

    Returns the positions and whether they are real coordinates.
    """
    pos = {s.id: (float(s.xy_km[0]), float(s.xy_km[1])) for s in scenario.sites if s.xy_km}
    if pos:
        return pos, True
    g = nx.Graph()
    g.add_nodes_from(s.id for s in scenario.sites)
    g.add_edges_from((lk.from_, lk.to) for lk in scenario.links)
    layout = nx.spring_layout(g, seed=7, scale=5.0)
    return {k: (float(v[0]), float(v[1])) for k, v in layout.items()}, False


def _all_links(scenario: Scenario) -> list[Link]:
    try:
        from symbio.flows.graph import build_graph

        return list(build_graph(scenario).links)
    except Exception:  # noqa: BLE001 - the map still shows explicit links
        return list(scenario.links)


def _truthy(v: object) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in {"1", "true", "yes", "1.0"}
    try:
        return bool(float(v)) and not math.isnan(float(v))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def built_ids(builds: pd.DataFrame, case: str, kind: str) -> set[str]:
    """Ids of links or processes built in ``case`` according to ``builds.csv``."""
    if builds.empty or not {"kind", "id", "built"} <= set(builds.columns):
        return set()
    b = builds
    if "case" in b.columns:
        b = b[b["case"].astype(str) == case]
    b = b[b["kind"].astype(str) == kind]
    return {str(r.id) for r in b.itertuples(index=False) if _truthy(r.built)}


def link_amounts(flows: pd.DataFrame, case: str) -> dict[str, float]:
    """Total amount carried by each link in ``case`` (summed over slices)."""
    if flows.empty or not {"link", "amount"} <= set(flows.columns):
        return {}
    f = flows
    if "case" in f.columns:
        f = f[f["case"].astype(str) == case]
    return {str(k): float(v) for k, v in f.groupby("link")["amount"].sum().items()}


def _zone_hull(points: np.ndarray, pad: float) -> np.ndarray:
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1) * pad
    cloud = (points[:, None, :] + ring[None, :, :]).reshape(-1, 2)
    try:
        hull = ConvexHull(cloud)
    except QhullError:
        return cloud
    return cloud[hull.vertices]


@styled
def park_map(
    scenario: Scenario,
    flows: pd.DataFrame | None = None,
    builds: pd.DataFrame | None = None,
    *,
    lang: Lang = "en",
    case: str = "optimized",
    colors: dict[str, str] | None = None,
) -> Figure:
    """Draw the park: sites by zone and kind, links coloured by resource.

    Parameters
    ----------
    scenario
        The resolved scenario (positions, zones, names, links).
    flows, builds
        ``flows.csv`` and ``builds.csv`` of a result; none: the network as designed.
    lang
        ``"zh"`` or ``"en"`` labels.
    case
        Which case of the result to draw (``optimized`` or ``baseline``).
    colors
        Colour of each resource id (default: palette in scenario order).

    Returns
    -------
    matplotlib.figure.Figure
        Existing links solid, newly built links dashed, unbuilt candidates faint dotted; line
        width proportional to the flow, scaled per resource.
    """
    flows = flows if flows is not None else pd.DataFrame()
    builds = builds if builds is not None else pd.DataFrame()
    colors = colors or color_map(r.id for r in scenario.resources)
    pos, real = positions(scenario)
    amounts = link_amounts(flows, case)
    new_links = built_ids(builds, case, "link")
    new_units = built_ids(builds, case, "process")
    unit_sites = {p.site for p in scenario.processes if p.id in new_units}

    span = _span(pos)
    fig = new_figure(10.5, _height(pos, span, width=7.2))
    ax = fig.add_subplot()
    ax.set_aspect("equal", adjustable="box")

    zones = defaultdict(list)
    for s in scenario.sites:
        if s.zone and s.id in pos:
            zones[s.zone].append(pos[s.id])
    zone_handles = []
    for i, (zone, pts) in enumerate(sorted(zones.items())):
        color = ZONE_COLORS[i % len(ZONE_COLORS)]
        hull = _zone_hull(np.array(pts, dtype=float), pad=0.06 * span)
        ax.add_patch(Polygon(hull, closed=True, fc=color, ec="#9E9E9E", lw=0.8, alpha=0.8, zorder=0))
        top = hull[np.argmax(hull[:, 1])]
        ax.text(top[0], top[1], zone, ha="center", va="bottom", fontsize=9, color="#555", zorder=1)
        zone_handles.append(Patch(fc=color, ec="#9E9E9E", label=zone))

    links = [lk for lk in _all_links(scenario) if lk.from_ in pos and lk.to in pos]
    max_by_res: dict[str, float] = defaultdict(float)
    for lk in links:
        max_by_res[lk.resource] = max(max_by_res[lk.resource], amounts.get(lk.id, 0.0))
    pair_count: dict[frozenset, int] = defaultdict(int)
    unbuilt = [lk for lk in links if lk.candidate and lk.id not in new_links]
    drawn_res: list[str] = []
    for lk in links:
        if lk.candidate and lk.id not in new_links:
            if len(unbuilt) > MAX_CANDIDATES_DRAWN:
                continue
            style, width, alpha, zorder = ":", 0.7, 0.45, 2
        else:
            top = max_by_res[lk.resource]
            share = amounts.get(lk.id, 0.0) / top if top > 0 else 0.0
            width = MIN_W + (MAX_W - MIN_W) * share
            style = (0, (4, 2)) if lk.candidate else "-"
            alpha, zorder = 0.9, 3
            drawn_res.append(lk.resource)
        pair = frozenset((lk.from_, lk.to))
        n = pair_count[pair]
        pair_count[pair] += 1
        rad = (0.15 + 0.15 * (n // 2)) * (1 if n % 2 == 0 else -1)
        arrow = FancyArrowPatch(
            pos[lk.from_],
            pos[lk.to],
            arrowstyle="-|>",
            mutation_scale=7 + 1.6 * width,
            connectionstyle=f"arc3,rad={rad}",
            shrinkA=7,
            shrinkB=9,
            lw=width,
            ls=style,
            color=colors.get(lk.resource, NEUTRAL),
            alpha=alpha,
            zorder=zorder,
        )
        ax.add_patch(arrow)

    kinds_seen = []
    for s in scenario.sites:
        if s.id not in pos:
            continue
        x, y = pos[s.id]
        marker = KIND_MARKERS.get(s.kind, "o")
        kinds_seen.append(s.kind)
        size = 150 if s.kind == "gate" else 70
        ax.scatter([x], [y], s=size, marker=marker, fc="white", ec="#263238", lw=1.3, zorder=5)
        if s.id in unit_sites:
            ax.scatter([x], [y], s=330, marker="o", fc="none", ec="#C62828", lw=2.0, zorder=6)
        label = ax.text(
            x, y - 0.035 * span, site_name(scenario, s.id, lang), ha="center", va="top",
            fontsize=8.5, color="#111", zorder=7,
        )  # fmt: skip
        label.set_path_effects([patheffects.withStroke(linewidth=3, foreground="white")])

    res_handles = [
        Line2D([], [], color=colors.get(r, NEUTRAL), lw=3, label=resource_name(scenario, r, lang))
        for r in dict.fromkeys(r.id for r in scenario.resources if r.id in set(drawn_res))
    ]
    style_handles = [
        Line2D([], [], color="#333", lw=2, ls="-", label=t("existing", lang)),
        Line2D([], [], color="#333", lw=2, ls=(0, (4, 2)), label=t("new", lang)),
    ]
    if unbuilt and len(unbuilt) <= MAX_CANDIDATES_DRAWN:
        style_handles.append(Line2D([], [], color="#333", lw=1, ls=":", label=t("candidate_unbuilt", lang)))
    kind_handles = [
        Line2D([], [], ls="", marker=KIND_MARKERS.get(k, "o"), mfc="white", mec="#263238",
               ms=8, label=pick(KIND_NAMES.get(k), lang, k))
        for k in dict.fromkeys(kinds_seen)
    ]  # fmt: skip
    if unit_sites:
        kind_handles.append(
            Line2D([], [], ls="", marker="o", mfc="none", mec="#C62828", mew=2, ms=11, label=t("new_unit", lang))
        )
    legend = ax.legend(
        handles=[*res_handles, *style_handles, *kind_handles, *zone_handles],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        title=t("width_note", lang),
        title_fontsize=8,
    )
    legend.set_zorder(10)
    title = t("fig_map", lang) + (f" · {t(case, lang)}" if case in ("baseline", "optimized") else "")
    ax.set_title(title, loc="left")
    if real:
        ax.set_xlabel(t("x_km", lang))
        ax.set_ylabel(t("y_km", lang))
        ax.grid(True, color="#EEEEEE", lw=0.6, zorder=-1)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    _pad_limits(ax, pos, span)
    return fig


def _span(pos: dict[str, tuple[float, float]]) -> float:
    if not pos:
        return 1.0
    xy = np.array(list(pos.values()), dtype=float)
    extent = xy.max(axis=0) - xy.min(axis=0)
    return float(max(extent.max(), 1.0))


def _height(pos: dict[str, tuple[float, float]], span: float, width: float) -> float:
    """Figure height that fits the park's aspect ratio in an axes ``width`` inches wide."""
    if not pos:
        return 6.0
    xy = np.array(list(pos.values()), dtype=float)
    w, h = (xy.max(axis=0) - xy.min(axis=0)) + 0.3 * span
    return float(np.clip(width * h / w + 1.3, 4.5, 10.0))


def _pad_limits(ax: object, pos: dict[str, tuple[float, float]], span: float) -> None:
    if not pos:
        return
    xy = np.array(list(pos.values()), dtype=float)
    lo, hi = xy.min(axis=0) - 0.15 * span, xy.max(axis=0) + 0.15 * span
    ax.set_xlim(lo[0], hi[0])  # type: ignore[attr-defined]
    ax.set_ylim(lo[1], hi[1])  # type: ignore[attr-defined]
