"""Where the park map puts each site: real coordinates, made readable.

Three adjustments, all for display only (the scenario's coordinates are never changed):

* a site far outside the park (e.g. a customer 10 km away) would squeeze the park into a
  corner, so it is pulled in to the frame's edge and its label says how far it really is;
* sites whose markers would touch (headers and hubs of one utility island, the park gate
  beside a substation) are pushed apart until they do not, the markers' sizes in points
  converted to km at the scale the map is drawn at (:data:`MAP_WIDTH_IN` wide);
* without coordinates at all, a seeded spring layout is used (a schematic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from matplotlib.markers import MarkerStyle

from symbio.flows.schema import Scenario

#: A site is off the map when farther from the park's median point than this many times
#: the median distance of all sites (and at least OFF_MAP_MIN_KM).
OFF_MAP_FACTOR = 3.0
OFF_MAP_MIN_KM = 3.0
#: Width of the map's axes (inches) and the least and most height it is given.
MAP_WIDTH_IN = 7.4
MAP_HEIGHT_IN = (4.0, 10.0)
#: Room kept between two markers (points), and a margin for the axes being drawn a little
#: smaller than planned.
MARKER_GAP_PT, SCALE_MARGIN = 3.0, 1.15
KIND_MARKERS = {"enterprise": "o", "utility": "s", "treatment": "^", "hub": "D", "gate": "*"}
RING_AREA = 2.6  # the "new unit" ring's area over its marker's


@dataclass
class MapLayout:
    """Display positions of the sites.

    Attributes
    ----------
    pos : dict[str, tuple[float, float]]
        Where each site is drawn (km).
    real : bool
        True when the positions are the scenario's coordinates (else a schematic layout).
    off_map : dict[str, float]
        Sites drawn at the frame's edge -> their real distance (km) from the park's centre.
    span : float
        Size of the drawn park (km), the scale for paddings and offsets.
    """

    pos: dict[str, tuple[float, float]]
    real: bool
    off_map: dict[str, float] = field(default_factory=dict)
    span: float = 1.0


def _span(xy: np.ndarray) -> float:
    if len(xy) == 0:
        return 1.0
    return float(max((xy.max(axis=0) - xy.min(axis=0)).max(), 1.0))


def _extent(xy: np.ndarray, span: float) -> tuple[float, float]:
    """Width and height (km) the map shows: the sites plus a margin."""
    w, h = (xy.max(axis=0) - xy.min(axis=0)) + 0.3 * span
    return float(w), float(h)


def axes_height(xy: np.ndarray, span: float, width: float = MAP_WIDTH_IN) -> float:
    """Height of a map axes ``width`` inches wide that fits the positions' aspect ratio."""
    if len(xy) == 0:
        return 5.0
    w, h = _extent(xy, span)
    return float(np.clip(width * h / w, *MAP_HEIGHT_IN))


def km_per_point(xy: np.ndarray, span: float, width: float = MAP_WIDTH_IN) -> float:
    """Kilometres one typographic point stands for on the drawn map (equal aspect)."""
    w, h = _extent(xy, span)
    return max(w / width, h / axes_height(xy, span, width)) / 72 * SCALE_MARGIN


def layout(scenario: Scenario, radius_pt: dict[str, float] | None = None) -> MapLayout:
    """Display positions of the scenario's sites (see the module notes); ``radius_pt``: the
    radius of each site's marker in points (default: sites kept 4.5 % of the park apart)."""
    pos = {s.id: (float(s.xy_km[0]), float(s.xy_km[1])) for s in scenario.sites if s.xy_km}
    if not pos:
        g = nx.Graph()
        g.add_nodes_from(s.id for s in scenario.sites)
        g.add_edges_from((lk.from_, lk.to) for lk in scenario.links)
        spring = nx.spring_layout(g, seed=7, scale=5.0)
        pos = {k: (float(v[0]), float(v[1])) for k, v in spring.items()}
        return MapLayout(pos, real=False, span=_span(np.array(list(pos.values()))))
    ids = list(pos)
    xy = np.array([pos[i] for i in ids], dtype=float)
    centre = np.median(xy, axis=0)
    dist = np.linalg.norm(xy - centre, axis=1)
    limit = max(OFF_MAP_FACTOR * float(np.median(dist)), OFF_MAP_MIN_KM)
    inside = dist <= limit
    off_map: dict[str, float] = {}
    if inside.sum() >= 2 and not inside.all():
        lo, hi = xy[inside].min(axis=0), xy[inside].max(axis=0)
        pad = 0.08 * float(max((hi - lo).max(), 1.0))
        for k in np.flatnonzero(~inside):
            off_map[ids[k]] = float(dist[k])
            xy[k] = np.clip(xy[k], lo - pad, hi + pad)
    span = _span(xy)
    gap = np.full((len(ids), len(ids)), 0.045 * span)
    if radius_pt:
        r = np.array([radius_pt.get(i, 0.0) for i in ids])
        need = (r[:, None] + r[None, :] + MARKER_GAP_PT) * km_per_point(xy, span)
        gap = np.maximum(gap, need)
    xy = _spread(xy, gap)
    return MapLayout(
        {i: (float(p[0]), float(p[1])) for i, p in zip(ids, xy, strict=True)}, True, off_map, span
    )


def _spread(xy: np.ndarray, min_gap: np.ndarray, rounds: int = 60) -> np.ndarray:
    """Push apart points ``i, j`` closer than ``min_gap[i, j]`` (rounds of pairwise repulsion).

    Pairs in order, each move seen by the pairs after it. On Python floats: the same IEEE
    operations, one coordinate at a time, as on the numpy rows they stand for, so the same
    positions, without numpy's cost per scalar operation.
    """
    x, y = np.asarray(xy, dtype=float).T.tolist()
    gaps = min_gap.tolist()
    n = len(x)
    for _ in range(rounds):
        moved = False
        for i in range(n):
            gap_i = gaps[i]
            for j in range(i + 1, n):
                dx, dy = x[j] - x[i], y[j] - y[i]
                dist = math.hypot(dx, dy)
                if dist >= gap_i[j]:
                    continue
                if dist > 1e-12:
                    ux, uy = dx / dist, dy / dist
                else:
                    ux, uy = math.cos(i + j), math.sin(i + j)
                half = (gap_i[j] - dist) / 2
                sx, sy = half * ux, half * uy
                x[i] -= sx
                y[i] -= sy
                x[j] += sx
                y[j] += sy
                moved = True
        if not moved:
            break
    return np.column_stack([x, y])


def numbering(scenario: Scenario, pos: dict[str, tuple[float, float]]) -> dict[str, int]:
    """Numbers for the site key: by zone, then west to east, then north to south."""
    sites = [s for s in scenario.sites if s.id in pos]
    order = sorted(sites, key=lambda s: (s.zone or "~", pos[s.id][0], -pos[s.id][1]))
    return {s.id: i + 1 for i, s in enumerate(order)}


def marker_size(kind: str, numbered: bool) -> float:
    """Marker area (points squared) of a site: larger when it carries a number."""
    return (560 if kind == "gate" else 230) if numbered else (150 if kind == "gate" else 70)


def _radius_pt(marker: str, size: float, lw: float) -> float:
    style = MarkerStyle(marker)
    ext = style.get_path().transformed(style.get_transform()).get_extents()
    return max(abs(ext.x0), abs(ext.x1), abs(ext.y0), abs(ext.y1)) * math.sqrt(size) + lw / 2


def marker_radii(scenario: Scenario, numbered: bool, unit_sites: set[str]) -> dict[str, float]:
    """Radius (points) of each site's marker as drawn, or of its "new unit" ring."""
    out = {}
    for s in scenario.sites:
        size = marker_size(s.kind, numbered)
        ring = _radius_pt("o", size * RING_AREA, 2.0) if s.id in unit_sites else 0.0
        out[s.id] = max(_radius_pt(KIND_MARKERS.get(s.kind, "o"), size, 1.3), ring)
    return out
