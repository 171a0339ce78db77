"""A plain-data overview of a park: what ``symbio show`` prints and reports can reuse.

Nothing here optimizes: it lists the sites, resources, processes, links (with the
candidates the generators propose), the fixed supply and demand of every resource with the
ways to buy, sell or dispose of it, and the share of numbers that are estimates.
"""

from __future__ import annotations

from symbio.flows.graph import ParkGraph, build_graph
from symbio.flows.load import scenario_origin
from symbio.flows.provenance import provenance_summary
from symbio.flows.schema import Scenario


def park_summary(scenario: Scenario, graph: ParkGraph | None = None) -> dict:
    """Return a JSON-ready overview of ``scenario``.

    Parameters
    ----------
    scenario
        A loaded, valid scenario.
    graph
        Its park graph, if already built (built here otherwise).

    Returns
    -------
    dict
        Keys ``name``, ``file``, ``sha256``, ``time_slices``, ``policy``, ``resources``,
        ``sites``, ``processes``, ``links``, ``measures``, ``balance`` (one entry per
        resource: annual ``supplied`` and ``demanded`` amounts, processes that make or use
        it, markets to ``buy`` or ``sell`` it, ``disposal`` options, and counts of existing
        and candidate links) and ``provenance`` (see
        :func:`symbio.flows.provenance.provenance_summary`).
    """
    # Long: one literal dict, the summary's JSON layout, read top to bottom.
    graph = graph or build_graph(scenario)
    origin = scenario_origin(scenario)
    s = scenario
    generated_by = {lid: gen for gen, ids in graph.generated.items() for lid in ids}
    return {
        "name": s.name.model_dump(),
        "file": origin["file"],
        "sha256": origin["sha256"],
        "time_slices": [{"id": t.id, "hours": t.hours} for t in s.time_slices],
        "policy": s.policy.model_dump(exclude={"source", "estimate"}),
        "resources": [
            {
                "id": r.id,
                "unit": r.unit,
                "category": r.category,
                "quality": r.quality.model_dump() if r.quality else None,
                "tce_per_unit": r.tce_per_unit,
                "name": r.name.en,
            }
            for r in s.resources
        ],
        "sites": [
            {
                "id": x.id,
                "kind": x.kind,
                "zone": x.zone,
                "xy_km": list(x.xy_km) if x.xy_km else None,
                "supplies": {f.resource: f.amount for f in x.supplies},
                "demands": {f.resource: f.amount for f in x.demands},
                "name": x.name.en,
            }
            for x in s.sites
        ],
        "processes": [
            {
                "id": p.id,
                "site": p.site,
                "candidate": p.candidate,
                "capacity": p.capacity,
                "activity_unit": p.activity_unit,
                "inputs": dict(p.inputs),
                "outputs": dict(p.outputs),
                "capex_cny": p.capex_cny,
            }
            for p in s.processes
        ],
        "links": [
            {
                "id": lk.id,
                "resource": lk.resource,
                "from": lk.from_,
                "to": lk.to,
                "candidate": lk.candidate,
                "generated_by": generated_by.get(lk.id),
                "length_km": lk.length_km,
                "capacity": lk.capacity,
            }
            for lk in graph.links
        ],
        "measures": [
            {
                "id": m.id,
                "name": m.name.en,
                "members": [x for mm in m.members for x in graph.members(mm)],
            }
            for m in s.measures
        ],
        "balance": [_balance(s, graph, r.id) for r in s.resources],
        "provenance": provenance_summary(s),
    }


def _balance(s: Scenario, graph: ParkGraph, rid: str) -> dict:
    """Fixed supply and demand of one resource, and every other way it can enter or leave."""

    def market(m: object, side: str) -> dict:
        return {
            "id": m.id,
            "site": m.site,
            "price_cny": getattr(m, f"{side}_cny"),
            "cap": getattr(m, f"{side}_cap"),
        }

    markets = [m for m in s.markets if m.resource == rid]
    links = graph.links_by_resource.get(rid, [])
    return {
        "resource": rid,
        "unit": s.resource(rid).unit,
        "supplied": sum(f.amount for x in s.sites for f in x.supplies if f.resource == rid),
        "demanded": sum(f.amount for x in s.sites for f in x.demands if f.resource == rid),
        "made_by": [p.id for p in s.processes if rid in p.outputs],
        "used_by": [p.id for p in s.processes if rid in p.inputs],
        "buy": [market(m, "buy") for m in markets if m.buy_cny is not None],
        "sell": [market(m, "sell") for m in markets if m.sell_cny is not None],
        "disposal": [
            {"id": d.id, "site": d.site, "cost_cny": d.cost_cny, "cap": d.cap}
            for d in s.disposal
            if d.resource == rid
        ],
        "links": {
            "existing": sum(not lk.candidate for lk in links),
            "candidate": sum(lk.candidate for lk in links),
        },
    }
