"""Where a market is reached: one site, a listed set of sites, the consuming sites, or every site.

``site: x`` reaches one site; ``sites: [a, b]`` the listed ones; ``sites: demands`` every
site that demands the resource, consumes it in a process or accepts it as a substitute; with
neither, every site where the resource has a pool (a public grid). Markets reached at
several sites share their caps.
"""

from __future__ import annotations

from symbio.flows.schema import Market, Scenario


def consuming_sites(scenario: Scenario, resource: str) -> set[str]:
    """Sites that demand ``resource``, take it as a process input, or as a substitute of one."""
    out = {
        site.id
        for site in scenario.sites
        for f in site.demands
        if f.amount > 0 and (f.resource == resource or resource in f.substitutes)
    }
    for p in scenario.processes:
        if resource in p.inputs or any(resource in alt for alt in p.substitutes.values()):
            out.add(p.site)
    return out


def market_sites(scenario: Scenario, market: Market) -> set[str] | None:
    """The sites reaching ``market``; ``None`` means every site with a pool of its resource."""
    if market.site is not None:
        return {market.site}
    if market.sites == "demands":
        return consuming_sites(scenario, market.resource)
    if market.sites is not None:
        return set(market.sites)
    return None
