"""Where the park map puts each site: real coordinates, made readable.

Three adjustments, all for display only (the scenario's coordinates are never changed):

* a site far outside the park (e.g. a customer 10 km away) would squeeze the park into a
  corner, so it is pulled in to the frame's edge and its label says how far it really is;
* sites closer than a marker's width (headers and hubs of one utility island) are pushed
  apart a little so each marker can be seen;
* without coordinates at all, a seeded spring layout is used (a schematic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from symbio.flows.schema import Scenario

#: A site is off the map when farther from the park's median point than this many times
#: the median distance of all sites (and at least OFF_MAP_MIN_KM).
OFF_MAP_FACTOR = 3.0
OFF_MAP_MIN_KM = 3.0


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


def layout(scenario: Scenario) -> MapLayout:
    """Display positions of the scenario's sites (see the module notes)."""
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
    xy = _spread(xy, min_gap=0.045 * span)
    return MapLayout(
        {i: (float(p[0]), float(p[1])) for i, p in zip(ids, xy, strict=True)}, True, off_map, span
    )


def _spread(xy: np.ndarray, min_gap: float, rounds: int = 30) -> np.ndarray:
    """Push apart points closer than ``min_gap`` (a few rounds of pairwise repulsion)."""
    xy = xy.copy()
    n = len(xy)
    for _ in range(rounds):
        moved = False
        for i in range(n):
            for j in range(i + 1, n):
                d = xy[j] - xy[i]
                dist = math.hypot(*d)
                if dist >= min_gap:
                    continue
                direction = (
                    d / dist if dist > 1e-12 else np.array([math.cos(i + j), math.sin(i + j)])
                )
                step = (min_gap - dist) / 2 * direction
                xy[i] -= step
                xy[j] += step
                moved = True
        if not moved:
            break
    return xy


def numbering(scenario: Scenario, pos: dict[str, tuple[float, float]]) -> dict[str, int]:
    """Numbers for the site key: by zone, then west to east, then north to south."""
    sites = [s for s in scenario.sites if s.id in pos]
    order = sorted(sites, key=lambda s: (s.zone or "~", pos[s.id][0], -pos[s.id][1]))
    return {s.id: i + 1 for i, s in enumerate(order)}
