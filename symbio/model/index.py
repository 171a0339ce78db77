"""The sparse index of a park model, computed once from a ParkGraph.

Every set the model is indexed by is a tuple of the combinations that exist (never a
Cartesian product of sites x sites or sites x resources), and every parameter is a plain
dict of floats. ``build`` reads this and nothing else; ``results`` reads it to label tables.

Sets (``t`` a time slice, ``i`` a site, ``r`` a resource)

    POOLS            (i, r)        sites where resource r is supplied, demanded, converted,
                                   bought, sold, disposed of, carried to or from, or used
                                   to carry another resource (a link's ``inputs``)
    LINKS            l             existing and candidate links (one resource, from -> to)
    PROCESSES        p             existing and candidate processes
    BUYS / SELLS     (m, i)        market m reached at site i (``site: null`` -> every pool of r)
    DISPOSALS        (d, i)        disposal d at site i (``site: null`` -> every site that
                                   supplies or produces r)

Per-slice amounts are ``annual x hours / 8760`` unless a supply or demand gives ``by_slice``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from symbio.flows.graph import ParkGraph
from symbio.flows.reach import market_sites
from symbio.flows.schema import Disposal, Link, Market, Process, Resource, Scenario
from symbio.model.bounds import derive_bounds
from symbio.model.substitutes import Substitution, substitute_terms, substitutions

HOURS_PER_YEAR = 8760.0
#: Largest loss share a link may have (a loss of 1 would carry nothing).
MAX_LOSS = 0.999

Pool = tuple[str, str]
#: A balance term: (pool, key of the variable without the slice, coefficient).
Term = tuple[Pool, tuple, float]


def crf(rate: float, years: float) -> float:
    """Capital recovery factor ``r / (1 - (1 + r)^-n)``; ``1 / n`` when ``r = 0``.

    Examples
    --------
    >>> round(crf(0.08, 20), 6)
    0.101852
    >>> crf(0.0, 4)
    0.25
    """
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)


@dataclass(frozen=True)
class ModelIndex:
    """Sets and parameters of one park model (see the module docstring)."""

    graph: ParkGraph
    slices: tuple[str, ...]
    share: dict[str, float]
    resources: dict[str, Resource]
    tce: dict[str, float]
    pools: tuple[Pool, ...]
    supply: dict[tuple[str, str, str], float]
    demand: dict[tuple[str, str, str], float]
    links: dict[str, Link]
    loss: dict[str, float]
    link_capex: dict[str, float]
    link_annual_capex: dict[str, float]
    processes: dict[str, Process]
    process_emissions: dict[tuple[str, str], float]
    process_annual_capex: dict[str, float]
    markets: dict[str, Market]
    buys: tuple[tuple[str, str], ...]
    sells: tuple[tuple[str, str], ...]
    disposals: dict[str, Disposal]
    disposal_sites: tuple[tuple[str, str], ...]
    terms: dict[str, list[Term]]
    species: tuple[str, ...]
    source_quality: dict[Pool, float]
    quality_limits: dict[Pool, tuple[float, str]]
    link_bound: dict[tuple[str, str], float] = field(default_factory=dict)
    link_bound_kind: dict[str, str] = field(default_factory=dict)
    process_bound: dict[tuple[str, str], float] = field(default_factory=dict)
    substitutes: tuple[Substitution, ...] = ()

    @property
    def scenario(self) -> Scenario:
        """The scenario the index was computed from."""
        return self.graph.scenario

    @property
    def candidate_links(self) -> tuple[str, ...]:
        """Ids of candidate links (binary build decisions)."""
        return tuple(lk for lk, rec in self.links.items() if rec.candidate)

    @property
    def candidate_processes(self) -> tuple[str, ...]:
        """Ids of candidate processes (binary build decisions)."""
        return tuple(p for p, rec in self.processes.items() if rec.candidate)

    @property
    def sized_links(self) -> tuple[str, ...]:
        """Candidate links with continuous sizing (``link_size`` variables)."""
        return tuple(lk for lk, rec in self.links.items() if rec.candidate and rec.sizing)

    @property
    def sized_processes(self) -> tuple[str, ...]:
        """Candidate processes with continuous sizing (``process_size`` variables)."""
        return tuple(p for p, rec in self.processes.items() if rec.candidate and rec.sizing)

    def crf(self, lifetime_y: float) -> float:
        """Capital recovery factor at the scenario's discount rate."""
        return crf(self.scenario.policy.discount_rate, lifetime_y)

    @property
    def committed(self) -> tuple[str, ...]:
        """Processes with a minimum load that may be off in a slice (on/off binaries)."""
        return tuple(
            p for p, rec in self.processes.items() if rec.min_load > 0 and not rec.must_run
        )

    def per_slice(self, annual: float, t: str) -> float:
        """Share of an annual amount (capacity, cap) in slice ``t``."""
        return annual * self.share[t]


def _site_flows(
    scenario: Scenario, share: dict[str, float], kind: str
) -> dict[tuple[str, str, str], float]:
    out: dict[tuple[str, str, str], float] = {}
    for site in scenario.sites:
        for f in getattr(site, kind):
            for t, sh in share.items():
                amount = f.by_slice[t] if f.by_slice is not None else f.amount * sh
                if amount:
                    out[site.id, f.resource, t] = amount
    return out


def _link_capex(lk: Link) -> float:
    return lk.capex_cny + lk.capex_cny_per_km * (lk.length_km or 0.0)


def _link_loss(lk: Link) -> float:
    loss = lk.loss if lk.loss is not None else lk.loss_per_km * (lk.length_km or 0.0)
    return min(max(loss, 0.0), MAX_LOSS)


def build_index(graph: ParkGraph) -> ModelIndex:
    """Compute the sparse sets and parameters of the park model.

    Parameters
    ----------
    graph
        The park graph (links include generated candidates).

    Returns
    -------
    ModelIndex
        With link and process activity bounds derived by :mod:`symbio.model.bounds`.
    """
    s = graph.scenario
    share = {t.id: t.hours / HOURS_PER_YEAR for t in s.time_slices}
    resources = {r.id: r for r in s.resources}
    supply = _site_flows(s, share, "supplies")
    demand = _site_flows(s, share, "demands")
    links = {lk.id: lk for lk in graph.links}
    processes = {p.id: p for p in s.processes}
    terms, touch, producers = _flow_terms(s, links, processes, supply, demand)
    subs = substitutions(s)
    substitute_terms(subs, terms, touch)
    markets = {m.id: m for m in s.markets}
    disposals = {d.id: d for d in s.disposal}
    buys, sells, disposal_sites = _trade_terms(s, terms, touch, producers)
    pools = sorted({(i, r) for r, sites in touch.items() for i in sites})
    species = sorted(
        {sp for rec in (*s.processes, *s.markets, *s.disposal) for sp in rec.emissions} | {"co2"}
    )
    ix = ModelIndex(
        graph=graph,
        slices=tuple(share),
        share=share,
        resources=resources,
        tce={r.id: float(r.tce_per_unit or 0.0) for r in s.resources},  # factors already resolved
        pools=tuple(pools),
        supply=supply,
        demand=demand,
        links=links,
        processes=processes,
        **_parameters(s, links),
        markets=markets,
        buys=tuple(buys),
        sells=tuple(sells),
        disposals=disposals,
        disposal_sites=tuple(disposal_sites),
        terms=dict(terms),
        species=tuple(species),
        source_quality=_source_quality(s),
        quality_limits=_quality_limits(s),
        substitutes=subs,
    )
    derive_bounds(ix)
    return ix


def _parameters(s: Scenario, links: dict[str, Link]) -> dict[str, dict]:
    """Per-link loss and capital cost, per-process emissions and annualised capital cost."""
    rate = s.policy.discount_rate
    return {
        "loss": {lid: _link_loss(lk) for lid, lk in links.items()},
        "link_capex": {lid: _link_capex(lk) for lid, lk in links.items()},
        "link_annual_capex": {
            lid: _link_capex(lk) * crf(rate, lk.lifetime_y) for lid, lk in links.items()
        },
        "process_emissions": {
            (p.id, sp): float(v) for p in s.processes for sp, v in p.emissions.items()
        },
        "process_annual_capex": {p.id: p.capex_cny * crf(rate, p.lifetime_y) for p in s.processes},
    }


def _flow_terms(
    s: Scenario,
    links: dict[str, Link],
    processes: dict[str, Process],
    supply: dict[tuple[str, str, str], float],
    demand: dict[tuple[str, str, str], float],
) -> tuple[dict[str, list[Term]], dict[str, set[str]], dict[str, set[str]]]:
    """Balance terms of links and processes, the sites with a pool of each resource, producers.

    ``touch`` maps a resource to the sites with a pool of it (a supply, demand, link end or
    process input/output there); ``producers`` to the sites that supply or make it.
    """
    terms: dict[str, list[Term]] = defaultdict(list)
    touch: dict[str, set[str]] = defaultdict(set)
    producers: dict[str, set[str]] = defaultdict(set)
    for site, r, _ in (*supply, *demand):
        touch[r].add(site)
    for site in s.sites:
        for f in site.supplies:
            producers[f.resource].add(site.id)
    for lid, lk in links.items():
        terms["link_in"].append(((lk.to, lk.resource), (lid,), 1.0 - _link_loss(lk)))
        terms["link_out"].append(((lk.from_, lk.resource), (lid,), 1.0))
        touch[lk.resource] |= {lk.from_, lk.to}
        for r, a in lk.inputs.items():  # drawn at the sender per unit sent
            terms["link_input"].append(((lk.from_, r), (lid,), a))
            touch[r].add(lk.from_)
    for pid, p in processes.items():
        for r, a in p.outputs.items():
            terms["process_out"].append(((p.site, r), (pid,), a))
            touch[r].add(p.site)
            producers[r].add(p.site)
        for r, a in p.inputs.items():
            terms["process_in"].append(((p.site, r), (pid,), a))
            touch[r].add(p.site)
    return terms, touch, producers


def _trade_terms(
    s: Scenario,
    terms: dict[str, list[Term]],
    touch: dict[str, set[str]],
    producers: dict[str, set[str]],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """The (market, site) buys and sells and the (disposal, site) pairs, with their terms.

    A disposal without a site serves every producer of its resource; a market without a
    reach restriction serves every site with a pool of its resource (after the disposals
    and the markets' own reach have added theirs to ``touch``, which this updates).
    """
    markets = {m.id: m for m in s.markets}
    disposals = {d.id: d for d in s.disposal}
    reach = {m.id: market_sites(s, m) for m in s.markets}
    for m in s.markets:
        touch[m.resource] |= reach[m.id] or set()
    disposal_sites = []
    for d in s.disposal:
        sites = [d.site] if d.site is not None else sorted(producers[d.resource])
        disposal_sites += [(d.id, i) for i in sites]
        touch[d.resource].update(sites)
    buys, sells = [], []
    for m in s.markets:
        sites = sorted(reach[m.id] if reach[m.id] is not None else touch[m.resource])
        if m.buy_cny is not None:
            buys += [(m.id, i) for i in sites]
        if m.sell_cny is not None:
            sells += [(m.id, i) for i in sites]
    terms["market_buy"] = [((i, markets[m].resource), (m, i), 1.0) for m, i in buys]
    terms["market_sell"] = [((i, markets[m].resource), (m, i), 1.0) for m, i in sells]
    terms["disposal_amount"] = [
        ((i, disposals[d].resource), (d, i), 1.0) for d, i in disposal_sites
    ]
    return buys, sells, disposal_sites


def _source_quality(s: Scenario) -> dict[Pool, float]:
    """Quality of what a site sends on (flows.checks guarantees one quality per sender)."""
    out: dict[Pool, float] = {}
    for site in s.sites:
        for f in site.supplies:
            if f.quality is not None:
                out[site.id, f.resource] = f.quality
    for p in s.processes:
        for r, q in p.output_quality.items():
            out.setdefault((p.site, r), q)
    for m in s.markets:
        if m.quality is not None and m.buy_cny is not None and m.site is not None:
            out.setdefault((m.site, m.resource), m.quality)
    return out


def _quality_limits(s: Scenario) -> dict[Pool, tuple[float, str]]:
    """Quality limit and sense (``min``/``max``) of each demand of a quality-tracked resource."""
    sense = {r.id: r.quality.sense for r in s.resources if r.quality is not None}
    return {
        (site.id, f.resource): (f.quality, sense[f.resource])
        for site in s.sites
        for f in site.demands
        if f.quality is not None and f.resource in sense
    }
