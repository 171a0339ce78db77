"""Checks of the park network: quality tracking, mixing at a site, demands that can be
reached, link lengths."""

from __future__ import annotations

from symbio.flows.candidates import all_links
from symbio.flows.checks.context import Ctx
from symbio.flows.reach import market_sites


def check_quality(c: Ctx) -> None:
    """Quality values are given exactly where a resource is quality-tracked."""
    tracked = {r.id for r in c.s.resources if r.quality is not None}
    for site in c.s.sites:
        for lst in ("supplies", "demands"):
            for f in getattr(site, lst):
                path = ("sites", f"[{site.id}]", lst, f"[{f.resource}]", "quality")
                if (
                    f.quality is not None
                    and f.resource not in tracked
                    and f.resource in c.resources
                ):
                    c.add(
                        path,
                        f"resource {f.resource!r} has no quality attribute; remove the value or "
                        f"declare resources[{f.resource}].quality",
                    )
                if lst == "supplies" and f.quality is None and f.resource in tracked:
                    c.add(
                        path,
                        f"resource {f.resource!r} is quality-tracked: give the supply's quality",
                    )
    for m in c.s.markets:
        path = ("markets", f"[{m.id}]", "quality")
        if m.quality is not None and m.resource not in tracked and m.resource in c.resources:
            c.add(path, f"resource {m.resource!r} has no quality attribute")
        if m.quality is None and m.resource in tracked and m.buy_cny is not None:
            c.add(
                path,
                f"resource {m.resource!r} is quality-tracked: give the quality of what is bought",
            )
    for p in c.s.processes:
        for rid in p.outputs:
            if rid in tracked and rid not in p.output_quality:
                c.add(
                    ("processes", f"[{p.id}]", "output_quality", rid),
                    f"{rid!r} is quality-tracked: give this process's output quality",
                )
        for rid in p.output_quality:
            if rid not in tracked and rid in c.resources:
                c.add(
                    ("processes", f"[{p.id}]", "output_quality", rid),
                    f"{rid!r} has no quality attribute",
                )


def check_mixing(c: Ctx) -> None:
    """A site that forwards a quality-tracked resource must not mix sources of it."""
    tracked = {r.id for r in c.s.resources if r.quality is not None}
    if not tracked:
        return
    links = all_links(c.s)
    for rid in sorted(tracked):
        out_sites = {lk.from_ for lk in links if lk.resource == rid}
        in_sites = {lk.to for lk in links if lk.resource == rid}
        for site in sorted(out_sites):
            qualities = {f.quality for f in c.s.site(site).supplies if f.resource == rid}
            qualities |= {
                p.output_quality.get(rid)
                for p in c.s.processes
                if p.site == site and rid in p.outputs
            }
            qualities |= {
                m.quality
                for m in c.s.markets
                if m.resource == rid
                and m.buy_cny is not None
                and site in (market_sites(c.s, m) or {site})
            }
            if site in in_sites or len(qualities) > 1:
                c.add(
                    ("sites", f"[{site}]"),
                    f"quality-tracked resource {rid!r} would be mixed at site {site!r} (it both receives "
                    f"or holds several qualities of {rid!r} and sends {rid!r} on); mixing makes the quality "
                    "balance non-linear. Split the resource into grades, or add a process (e.g. "
                    "purification) that outputs a fixed quality",
                )


def check_reachable_demands(c: Ctx) -> None:
    """Every demand must be reachable from some supply, market or process output."""
    links = all_links(c.s)
    for rid in sorted(c.resources):
        sources = {
            s.id for s in c.s.sites if any(f.resource == rid and f.amount > 0 for f in s.supplies)
        }
        sources |= {p.site for p in c.s.processes if rid in p.outputs}
        buy = [m for m in c.s.markets if m.resource == rid and m.buy_cny is not None]
        reach = [market_sites(c.s, m) for m in buy]
        if any(r is None for r in reach):
            continue
        sources |= {site for r in reach for site in r or ()}
        adjacency: dict[str, set[str]] = {}
        for lk in links:
            if lk.resource == rid:
                adjacency.setdefault(lk.from_, set()).add(lk.to)
        reached, stack = set(sources), list(sources)
        while stack:
            for nxt in adjacency.get(stack.pop(), ()):
                if nxt not in reached:
                    reached.add(nxt)
                    stack.append(nxt)
        for site in c.s.sites:
            for f in site.demands:
                if f.resource == rid and f.amount > 0 and site.id not in reached:
                    c.add(
                        ("sites", f"[{site.id}]", "demands", f"[{rid}]"),
                        f"nothing can deliver {rid!r} to {site.id!r}: no supply, market, process "
                        "or link reaches it",
                    )


def check_link_lengths(c: Ctx) -> None:
    """A link with per-km cost or loss needs ``length_km`` or positions of both sites."""
    for lk in c.s.links:
        needs = lk.capex_cny_per_km > 0 or (lk.loss is None and lk.loss_per_km > 0)
        if (
            needs
            and lk.length_km is None
            and lk.from_ in c.sites
            and lk.to in c.sites
            and (c.s.site(lk.from_).xy_km is None or c.s.site(lk.to).xy_km is None)
        ):
            c.add(
                ("links", f"[{lk.id}]", "length_km"),
                "per-km cost or loss needs length_km, or xy_km on both sites",
            )
