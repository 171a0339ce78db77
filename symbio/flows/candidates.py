"""Expand candidate-link generators into explicit candidate links, and fill link lengths.

For a generator on resource ``r`` the supplying sites are those with a supply of ``r`` or a
process (existing or candidate) producing it; the receiving sites are those with a demand
or a process consuming it. Every pair within ``max_km`` (straight line, found with a k-d
tree, so a park of thousands of sites does not enumerate all pairs) that has no explicit
link of ``r`` becomes a candidate link ``<generator>.<from>.<to>``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

from symbio.flows.lastmemo import last_object
from symbio.flows.schema import CandidateLinks, Link, Scenario


def distance_km(scenario: Scenario, a: str, b: str) -> float | None:
    """Straight-line distance between two sites, or None when a position is missing."""
    pa, pb = scenario.site(a).xy_km, scenario.site(b).xy_km
    if pa is None or pb is None:
        return None
    return math.dist(pa, pb)


def producers(scenario: Scenario, resource: str) -> set[str]:
    """Sites that supply or can produce ``resource``."""
    out = {s.id for s in scenario.sites if any(f.resource == resource for f in s.supplies)}
    out |= {p.site for p in scenario.processes if resource in p.outputs}
    return out


def consumers(scenario: Scenario, resource: str) -> set[str]:
    """Sites that demand or can consume ``resource``."""
    out = {s.id for s in scenario.sites if any(f.resource == resource for f in s.demands)}
    out |= {p.site for p in scenario.processes if resource in p.inputs}
    return out


def generate_links(scenario: Scenario, gen: CandidateLinks) -> list[Link]:
    """Return the candidate links one generator proposes."""
    sources = sorted(set(gen.from_sites) if gen.from_sites else producers(scenario, gen.resource))
    sinks = sorted(set(gen.to_sites) if gen.to_sites else consumers(scenario, gen.resource))
    pos = {s.id: s.xy_km for s in scenario.sites if s.xy_km is not None}
    sources = [s for s in sources if s in pos]
    sinks = [s for s in sinks if s in pos]
    if not sources or not sinks:
        return []
    explicit = {(lk.from_, lk.to) for lk in scenario.links if lk.resource == gen.resource}
    tree = cKDTree(np.array([pos[s] for s in sinks], dtype=float))
    hits = tree.query_ball_point(np.array([pos[s] for s in sources], dtype=float), r=gen.max_km)
    costs = gen.model_dump(
        include=set(Link.model_fields) & set(gen.model_fields),
        exclude={"id", "resource", "capacity"},
    )
    out = []
    for a, near in zip(sources, hits, strict=True):
        for j in sorted(near):
            b = sinks[j]
            if a == b or (a, b) in explicit:
                continue
            length = math.dist(pos[a], pos[b]) * gen.detour_factor
            out.append(
                Link.model_validate(
                    {
                        **costs,
                        "id": f"{gen.id}.{a}.{b}",
                        "resource": gen.resource,
                        "from": a,
                        "to": b,
                        "candidate": True,
                        "length_km": length,
                        "capacity": gen.capacity,
                        "source": gen.source,
                        "estimate": gen.estimate,
                    }
                )
            )
    return out


def all_links(scenario: Scenario) -> list[Link]:
    """Explicit links (lengths filled from coordinates) plus every generated candidate.

    Listed once per scenario object (:func:`~symbio.flows.lastmemo.last_object`): the
    checks and the graph ask for the links of the same frozen scenario one after another;
    each call returns a new list of the same frozen links.
    """
    return list(_links_of(scenario))


@last_object
def _links_of(scenario: Scenario) -> tuple[Link, ...]:
    return tuple(_list_links(scenario))


def _list_links(scenario: Scenario) -> list[Link]:
    links = []
    for lk in scenario.links:
        if lk.length_km is None:
            d = distance_km(scenario, lk.from_, lk.to)
            lk = lk.model_copy(update={"length_km": d}) if d is not None else lk
        links.append(lk)
    for gen in scenario.candidate_links:
        links.extend(generate_links(scenario, gen))
    return links
