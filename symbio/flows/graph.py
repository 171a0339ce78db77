"""ParkGraph: the park as a networkx MultiDiGraph, built once from a Scenario.

Nodes are sites (``kind`` attribute from the scenario). Edges are links, keyed by link id,
with ``resource``, ``candidate``, ``length_km``, ``capacity`` and the link record itself
(``link``). Markets and disposal options are node attributes (``markets``, ``disposal``)
because they are reached *at* a site. The model and the reports read the park from here;
nothing else expands candidate generators or fills link lengths again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from symbio.flows.candidates import all_links
from symbio.flows.reach import market_sites
from symbio.flows.schema import Link, Scenario


@dataclass(frozen=True)
class ParkGraph:
    """The park's sites and links, with per-resource views.

    Attributes
    ----------
    scenario : Scenario
        The validated scenario the graph was built from.
    graph : networkx.MultiDiGraph
        Sites as nodes; existing and candidate links as edges (key = link id).
    links : tuple[Link, ...]
        Every link: explicit ones (lengths filled) and generated candidates.
    generated : dict[str, tuple[str, ...]]
        Link ids proposed by each candidate-link generator.
    """

    scenario: Scenario
    graph: nx.MultiDiGraph
    links: tuple[Link, ...]
    generated: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def link_by_id(self) -> dict[str, Link]:
        """Links by id."""
        return {lk.id: lk for lk in self.links}

    def resource_view(self, resource: str) -> nx.MultiDiGraph:
        """Subgraph (view) of the links carrying ``resource``."""
        return nx.subgraph_view(
            self.graph,
            filter_edge=lambda u, v, k: self.graph.edges[u, v, k]["resource"] == resource,
        )

    def sources(self, resource: str) -> set[str]:
        """Sites where ``resource`` enters: supplies, process outputs, purchases."""
        s = self.scenario
        out = {
            x.id
            for x in s.sites
            if any(f.resource == resource and f.amount > 0 for f in x.supplies)
        }
        out |= {p.site for p in s.processes if resource in p.outputs}
        for m in s.markets:
            if m.resource == resource and m.buy_cny is not None:
                reach = market_sites(s, m)
                out |= set(self.graph.nodes) if reach is None else reach
        return out

    def sinks(self, resource: str) -> set[str]:
        """Sites where ``resource`` leaves: demands, process inputs, sales, disposal."""
        s = self.scenario
        out = {
            x.id for x in s.sites if any(f.resource == resource and f.amount > 0 for f in x.demands)
        }
        out |= {p.site for p in s.processes if resource in p.inputs}
        for m in s.markets:
            if m.resource == resource and m.sell_cny is not None:
                reach = market_sites(s, m)
                out |= set(self.graph.nodes) if reach is None else reach
        return out

    def reachable(self, resource: str, site: str) -> set[str]:
        """Sites that ``resource`` can reach from ``site`` over existing and candidate links."""
        return set(nx.descendants(self.resource_view(resource), site)) | {site}

    def members(self, measure_member: str) -> tuple[str, ...]:
        """Expand a measure member (link, process or generator id) to link/process ids."""
        return self.generated.get(measure_member, (measure_member,))

    @cached_property
    def links_by_resource(self) -> dict[str, list[Link]]:
        """Links grouped by resource."""
        out: dict[str, list[Link]] = defaultdict(list)
        for lk in self.links:
            out[lk.resource].append(lk)
        return dict(out)


def build_graph(scenario: Scenario) -> ParkGraph:
    """Build the ParkGraph of a validated scenario.

    Examples
    --------
    >>> from symbio import load_scenario, build_graph
    >>> g = build_graph(load_scenario("scenarios/examples/hydrogen-pair.yaml"))  # doctest: +SKIP
    >>> sorted(g.graph.nodes)  # doctest: +SKIP
    ['cracker', 'refinery']
    """
    g = nx.MultiDiGraph(name=scenario.name.en)
    markets_at: dict[str, list[str]] = defaultdict(list)
    for m in scenario.markets:
        reach = market_sites(scenario, m)
        for site in [None] if reach is None else sorted(reach):
            markets_at[site].append(m.id)
    disposal_at: dict[str, list[str]] = defaultdict(list)
    for d in scenario.disposal:
        disposal_at[d.site].append(d.id)
    everywhere_markets, everywhere_disposal = markets_at.pop(None, []), disposal_at.pop(None, [])
    for site in scenario.sites:
        g.add_node(
            site.id,
            kind=site.kind,
            zone=site.zone,
            xy_km=site.xy_km,
            name=site.name.en,
            markets=everywhere_markets + markets_at.get(site.id, []),
            disposal=everywhere_disposal + disposal_at.get(site.id, []),
        )
    links = tuple(all_links(scenario))
    generated: dict[str, list[str]] = defaultdict(list)
    explicit = {lk.id for lk in scenario.links}
    for lk in links:
        g.add_edge(
            lk.from_,
            lk.to,
            key=lk.id,
            resource=lk.resource,
            candidate=lk.candidate,
            length_km=lk.length_km,
            capacity=lk.capacity,
            link=lk,
        )
        if lk.id not in explicit:
            generated[lk.id.split(".", 1)[0]].append(lk.id)
    return ParkGraph(scenario, g, links, {k: tuple(v) for k, v in generated.items()})
