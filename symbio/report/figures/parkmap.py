"""The park map: sites at their coordinates by zone, links by resource and flow."""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from itertools import groupby
from operator import itemgetter

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch, Polygon
from scipy.spatial import ConvexHull, QhullError

from symbio.flows.schema import Scenario
from symbio.report.figures.built import all_links, built_ids, link_amounts
from symbio.report.figures.maplayout import (
    KIND_MARKERS,
    MAP_WIDTH_IN,
    RING_AREA,
    MapLayout,
    axes_height,
    layout,
    marker_radii,
    marker_size,
    numbering,
)
from symbio.report.figures.names import resource_name, site_name
from symbio.report.figures.style import NEUTRAL, ZONE_COLORS, color_map, new_figure, styled
from symbio.report.labels import KIND_NAMES, Lang, fmt_num, pick, t

MIN_W, MAX_W = 0.9, 6.5
MAX_CANDIDATES_DRAWN = 300
ZONE_NAMES = {
    "east": ("east", "东区"),
    "middle": ("middle", "中区"),
    "central": ("central", "中区"),
    "west": ("west", "西区"),
    "north": ("north", "北区"),
    "south": ("south", "南区"),
    "outside": ("outside", "区外"),
}
#: Above this many sites, markers carry numbers and a key lists the names.
MAX_LABELLED_SITES = 14


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
        width proportional to the flow, scaled per resource. A site far outside the park is
        drawn at the edge with its distance; with many sites, markers carry numbers listed in
        a key under the map.
    """
    flows = flows if flows is not None else pd.DataFrame()
    builds = builds if builds is not None else pd.DataFrame()
    colors = colors or color_map(r.id for r in scenario.resources)
    new_links = built_ids(builds, case, "link")
    new_units = built_ids(builds, case, "process")
    unit_sites = {p.site for p in scenario.processes if p.id in new_units and p.candidate}
    numbered = _numbered(scenario)
    lay = layout(scenario, marker_radii(scenario, numbered, unit_sites))
    numbers = numbering(scenario, lay.pos) if numbered else {}
    fig, ax, key_ax = _map_axes(lay, numbers)
    zone_handles = _draw_zones(ax, scenario, lay, lang)
    drawn_res, unbuilt = _draw_links(
        ax, scenario, lay.pos, link_amounts(flows, case), new_links, colors
    )
    kinds_seen = _draw_sites(ax, scenario, lay, numbers, unit_sites, lang)
    res_handles = [
        Line2D([], [], color=colors.get(r, NEUTRAL), lw=3, label=resource_name(scenario, r, lang))
        for r in dict.fromkeys(r.id for r in scenario.resources if r.id in drawn_res)
    ]
    kind_handles = _kind_handles(kinds_seen, bool(unit_sites), lang)
    if key_ax is not None:
        _site_key(key_ax, scenario, numbers, lang)
    legend = ax.legend(
        handles=[*res_handles, *_style_handles(unbuilt, lang), *kind_handles, *zone_handles],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        borderaxespad=0.0,
        title=t("width_note", lang),
        title_fontsize=8,
        ncols=2 if len(res_handles) + len(kind_handles) + len(zone_handles) > 16 else 1,
    )
    legend.set_zorder(10)
    # Constrained layout sizes the margin a little short for a legend beside an equal-aspect axes.
    fig.get_layout_engine().set(rect=(0.0, 0.0, 0.985, 1.0))  # type: ignore[union-attr]
    _frame(ax, lay, case, lang)
    return fig


def _numbered(scenario: Scenario) -> bool:
    """Whether markers carry numbers (listed in a key) instead of names: many sites."""
    return (sum(1 for s in scenario.sites if s.xy_km) or len(scenario.sites)) > MAX_LABELLED_SITES


def _map_axes(lay: MapLayout, numbers: dict[str, int]) -> tuple[Figure, object, object | None]:
    """The figure, the map's axes (equal aspect) and, with numbered sites, the key's axes."""
    xy = np.array(list(lay.pos.values()), dtype=float)
    map_h = axes_height(xy, lay.span, MAP_WIDTH_IN) if lay.pos else 5.0
    key_h = 0.3 + 0.19 * math.ceil(len(numbers) / 3) if numbers else 0.0
    fig = new_figure(12.0, map_h + key_h + 0.9)
    key_ax = None
    if numbers:
        grid = fig.add_gridspec(2, 1, height_ratios=[map_h, key_h])
        ax = fig.add_subplot(grid[0])
        key_ax = fig.add_subplot(grid[1])
        key_ax.set_axis_off()
    else:
        ax = fig.add_subplot()
    ax.set_aspect("equal", adjustable="box", anchor="W")
    return fig, ax, key_ax


def _style_handles(unbuilt: bool, lang: Lang) -> list[Line2D]:
    """Legend entries of the line styles: existing, new and (when drawn) unbuilt candidates."""
    handles = [
        Line2D([], [], color="#333", lw=2, ls="-", label=t("existing", lang)),
        Line2D([], [], color="#333", lw=2, ls=(0, (4, 2)), label=t("new", lang)),
    ]
    if unbuilt:
        handles.append(
            Line2D([], [], color="#333", lw=1, ls=":", label=t("candidate_unbuilt", lang))
        )
    return handles


def _kind_handles(kinds_seen: list[str], new_units: bool, lang: Lang) -> list[Line2D]:
    """Legend entries of the site markers by kind, and of the ring around new units."""
    handles = [
        Line2D([], [], ls="", marker=KIND_MARKERS.get(k, "o"), mfc="white", mec="#263238",
               ms=8, label=pick(KIND_NAMES.get(k), lang, k))
        for k in dict.fromkeys(kinds_seen)
    ]  # fmt: skip
    if new_units:
        handles.append(
            Line2D([], [], ls="", marker="o", mfc="none", mec="#C62828", mew=2, ms=11,
                   label=t("new_unit", lang))
        )  # fmt: skip
    return handles


def _frame(ax: object, lay: MapLayout, case: str, lang: Lang) -> None:
    """Title, axis labels and grid (kilometres) or none (a schematic layout), and the limits."""
    title = t("fig_map", lang) + (
        f" · {t(case, lang)}" if case in ("baseline", "optimized") else ""
    )
    ax.set_title(title, loc="left")  # type: ignore[attr-defined]
    if lay.real:
        ax.set_xlabel(t("x_km", lang))  # type: ignore[attr-defined]
        ax.set_ylabel(t("y_km", lang))  # type: ignore[attr-defined]
        ax.grid(True, color="#EEEEEE", lw=0.6, zorder=-1)  # type: ignore[attr-defined]
    else:
        ax.set_xticks([])  # type: ignore[attr-defined]
        ax.set_yticks([])  # type: ignore[attr-defined]
    _pad_limits(ax, lay.pos, lay.span)


def zone_name(zone: str, lang: Lang) -> str:
    """Display name of a zone (the usual east/middle/west words translated)."""
    return pick(ZONE_NAMES.get(zone.lower()), lang, zone) if lang == "zh" else zone


def _draw_zones(ax: object, scenario: Scenario, lay: MapLayout, lang: Lang) -> list:
    zones = defaultdict(list)
    for s in scenario.sites:
        if s.zone and s.id in lay.pos and s.id not in lay.off_map:
            zones[s.zone].append(lay.pos[s.id])
    handles = []
    for i, (zone, pts) in enumerate(sorted(zones.items())):
        color = ZONE_COLORS[i % len(ZONE_COLORS)]
        hull = _zone_hull(np.array(pts, dtype=float), pad=0.06 * lay.span)
        ax.add_patch(
            Polygon(hull, closed=True, fc=color, ec="#9E9E9E", lw=0.8, alpha=0.8, zorder=0)
        )  # type: ignore[attr-defined]
        top = hull[np.argmax(hull[:, 1])]
        name = zone_name(zone, lang)
        ax.text(top[0], top[1], name, ha="center", va="bottom", fontsize=9, color="#555", zorder=1)  # type: ignore[attr-defined]
        handles.append(Patch(fc=color, ec="#9E9E9E", label=name))
    return handles


def _draw_links(
    ax: object,
    scenario: Scenario,
    pos: dict[str, tuple[float, float]],
    amounts: dict[str, float],
    new_links: set[str],
    colors: dict[str, str],
) -> tuple[set[str], bool]:
    """Draw the links; return the resources drawn and whether unbuilt candidates were shown."""
    links = [lk for lk in all_links(scenario) if lk.from_ in pos and lk.to in pos]
    max_by_res: dict[str, float] = defaultdict(float)
    for lk in links:
        max_by_res[lk.resource] = max(max_by_res[lk.resource], amounts.get(lk.id, 0.0))
    unbuilt = [lk for lk in links if lk.candidate and lk.id not in new_links]
    show_unbuilt = 0 < len(unbuilt) <= MAX_CANDIDATES_DRAWN
    pair_count: dict[frozenset, int] = defaultdict(int)
    drawn: set[str] = set()
    for lk in links:
        if lk.candidate and lk.id not in new_links:
            if not show_unbuilt:
                continue
            style, width, alpha, zorder = ":", 0.7, 0.45, 2
        else:
            top = max_by_res[lk.resource]
            share = amounts.get(lk.id, 0.0) / top if top > 0 else 0.0
            width = MIN_W + (MAX_W - MIN_W) * share
            style = (0, (4, 2)) if lk.candidate else "-"
            alpha, zorder = 0.85, 3 + share
            drawn.add(lk.resource)
        pair = frozenset((lk.from_, lk.to))
        n = pair_count[pair]
        pair_count[pair] += 1
        rad = (0.15 + 0.12 * (n // 2)) * (1 if n % 2 == 0 else -1)
        # add_artist: the map's limits are set from the sites (_pad_limits); add_patch would
        # clip every curved arrow to its markers once more only to autoscale.
        ax.add_artist(  # type: ignore[attr-defined]
            FancyArrowPatch(
                pos[lk.from_], pos[lk.to], arrowstyle="-|>", mutation_scale=7 + 1.6 * width,
                connectionstyle=f"arc3,rad={rad}", shrinkA=7, shrinkB=9, lw=width, ls=style,
                color=colors.get(lk.resource, NEUTRAL), alpha=alpha, zorder=zorder,
            )
        )  # fmt: skip
    return drawn, show_unbuilt


def _draw_sites(
    ax: object,
    scenario: Scenario,
    lay: MapLayout,
    numbers: dict[str, int],
    unit_sites: set[str],
    lang: Lang,
) -> list[str]:
    kinds = []
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    markers, rings = [], []  # (style, position) of each site's marker, of each new unit's ring
    for s in scenario.sites:
        if s.id not in lay.pos:
            continue
        x, y = lay.pos[s.id]
        kinds.append(s.kind)
        size = marker_size(s.kind, bool(numbers))
        ls = "--" if s.id in lay.off_map else "-"
        markers.append(((KIND_MARKERS.get(s.kind, "o"), size, ls), (x, y)))
        if s.id in unit_sites:
            rings.append((size * RING_AREA, (x, y)))
        if numbers:
            ax.text(x, y, str(numbers[s.id]), ha="center", va="center", fontsize=7.5, zorder=9)  # type: ignore[attr-defined]
        label = "" if numbers else site_name(scenario, s.id, lang)
        if s.id in lay.off_map:
            far = f"{fmt_num(lay.off_map[s.id], 2)} km"
            far = f"距园区中心 {far}" if lang == "zh" else f"{far} from the park centre"
            label = f"{label} ({far})".strip()
        if label:
            txt = ax.text(
                x, y - 0.035 * lay.span, label, ha="center", va="top", fontsize=8.5, zorder=9
            )  # type: ignore[attr-defined]
            txt.set_path_effects(halo)
    # One scatter per run of neighbouring sites drawn alike, not one per site: the markers
    # (zorder 8) and rings (7) are still drawn in the sites' order, each over the ones before.
    for (marker, size, ls), xy in _runs(markers):
        ax.scatter(  # type: ignore[attr-defined]
            *zip(*xy, strict=True), s=size, marker=marker, fc="white", ec="#263238", lw=1.3,
            ls=ls, zorder=8,
        )  # fmt: skip
    for size, xy in _runs(rings):
        ax.scatter(
            *zip(*xy, strict=True), s=size, marker="o", fc="none", ec="#C62828", lw=2.0, zorder=7
        )  # type: ignore[attr-defined]
    return kinds


def _runs(items: list[tuple[object, tuple[float, float]]]) -> list[tuple[object, list]]:
    """Consecutive ``(style, position)`` items of one style, as ``(style, positions)``."""
    return [(style, [xy for _, xy in run]) for style, run in groupby(items, key=itemgetter(0))]


def _site_key(ax: object, scenario: Scenario, numbers: dict[str, int], lang: Lang) -> None:
    """List the numbered sites (in the axes under the map), in three columns."""
    order = sorted(numbers, key=numbers.get)  # type: ignore[arg-type]
    entries = []
    for sid in order:
        name = textwrap.shorten(
            site_name(scenario, sid, lang), 24 if lang == "zh" else 42, placeholder="…"
        )
        entries.append(Line2D([], [], ls="", marker="", label=f"{numbers[sid]:>2}  {name}"))
    ax.legend(handles=entries, loc="upper left", ncols=3, handlelength=0, handletextpad=0,  # type: ignore[attr-defined]
              columnspacing=2.0, fontsize=8.5, borderaxespad=0.0, mode="expand")  # fmt: skip


def _pad_limits(ax: object, pos: dict[str, tuple[float, float]], span: float) -> None:
    if not pos:
        return
    xy = np.array(list(pos.values()), dtype=float)
    lo, hi = xy.min(axis=0) - 0.15 * span, xy.max(axis=0) + 0.15 * span
    ax.set_xlim(lo[0], hi[0])  # type: ignore[attr-defined]
    ax.set_ylim(lo[1], hi[1])  # type: ignore[attr-defined]
