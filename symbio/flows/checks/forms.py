"""Checks of the second-pass forms: input quality, load pick-up, substitutes, market sites, build groups.

Same contract as the other modules of :mod:`symbio.flows.checks` (each check adds problems with file, line and
field path to the context); :data:`FORMAT_CHECKS` run with the reference checks,
:data:`FORMAT_GRAPH_CHECKS` only when every reference resolves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from symbio.flows.candidates import all_links
from symbio.flows.reach import consuming_sites, market_sites
from symbio.flows.schema import Market, Process, Scenario

if TYPE_CHECKING:
    from symbio.flows.checks.context import Ctx


def _tracked(s: Scenario, rid: str) -> bool:
    return any(r.id == rid and r.quality is not None for r in s.resources)


def _same_quality(s: Scenario, a: str, b: str) -> bool:
    qa, qb = s.resource(a).quality, s.resource(b).quality
    return qa is not None and qb is not None and (qa.attribute, qa.unit) == (qb.attribute, qb.unit)


def check_process_forms(c: Ctx) -> None:
    """References and meaning of input_quality, quality_load and substitutes of processes."""
    for p in c.s.processes:
        base = ("processes", f"[{p.id}]")
        for key in ("input_quality", "quality_load", "substitutes"):
            for rid in getattr(p, key):
                c.ref((*base, key, rid), rid, c.resources, "resource")
        for rid, alts in p.substitutes.items():
            if rid not in p.inputs:
                if rid in c.resources:
                    c.add((*base, "substitutes", rid), f"{rid!r} is not an input of this process")
                continue
            for r2 in alts:
                c.ref((*base, "substitutes", rid, r2), r2, c.resources, "resource")
                if r2 == rid or r2 in p.inputs:
                    c.add(
                        (*base, "substitutes", rid, r2),
                        f"{r2!r} is already an input of this process; a substitute is another resource",
                    )
        for rid in p.input_quality:
            if rid not in c.resources:
                continue
            if rid not in p.inputs:
                c.add((*base, "input_quality", rid), f"{rid!r} is not an input of this process")
            elif not _tracked(c.s, rid):
                c.add((*base, "input_quality", rid), f"{rid!r} has no quality attribute")
        _check_load(c, p, base)


def _check_load(c: Ctx, p: Process, base: tuple[str, ...]) -> None:
    if not p.quality_load or any(r not in c.resources for r in (*p.inputs, *p.quality_load)):
        return
    tracked_in = [r for r in p.inputs if _tracked(c.s, r)]
    for rid in p.quality_load:
        path = (*base, "quality_load", rid)
        quality = c.s.resource(rid).quality
        if rid not in p.outputs:
            c.add(path, f"{rid!r} must be an output with an output_quality (the outlet's maximum)")
        elif quality is None or quality.sense != "max":
            c.add(path, f"{rid!r} must track a contaminant (quality sense 'max') to pick up a load")
        elif rid not in p.output_quality:
            continue  # reported by check_quality: a tracked output needs its quality
        elif len(tracked_in) != 1 or not _same_quality(c.s, tracked_in[0], rid):
            c.add(
                path,
                "a load needs exactly one quality-tracked input measured like the output "
                f"({quality.attribute} in {quality.unit}); inputs tracked: "
                f"{', '.join(tracked_in) or 'none'}",
            )
    for rid in tracked_in:
        for r2 in p.substitutes.get(rid, {}):
            if r2 in c.resources and not _same_quality(c.s, rid, r2):
                c.add(
                    (*base, "substitutes", rid, r2),
                    f"{r2!r} stands in for quality-tracked {rid!r}: it must track the same "
                    "attribute in the same unit",
                )


def check_demand_substitutes(c: Ctx) -> None:
    """Substitutes of a demand must be defined resources other than the demand's own."""
    for site in c.s.sites:
        for f in site.demands:
            base = ("sites", f"[{site.id}]", "demands", f"[{f.resource}]", "substitutes")
            for r2 in f.substitutes:
                c.ref((*base, r2), r2, c.resources, "resource")
                if r2 == f.resource:
                    c.add((*base, r2), "a demand cannot substitute its own resource")
            if f.substitutes and f.quality is not None:
                c.add(
                    base,
                    "a demand with a quality limit cannot take substitutes (the limit would "
                    "apply to a mix of several pools); give the process or site its own grade",
                )
    for site in c.s.sites:
        for f in site.supplies:
            if f.substitutes:
                c.add(
                    ("sites", f"[{site.id}]", "supplies", f"[{f.resource}]", "substitutes"),
                    "substitutes are for demands (and process inputs), not supplies",
                )


def check_market_sites(c: Ctx) -> None:
    """Listed market sites must exist and be some."""
    for mk in c.s.markets:
        base = ("markets", f"[{mk.id}]", "sites")
        if isinstance(mk.sites, list):
            for i, sid in enumerate(mk.sites):
                c.ref((*base, f"[{i}]"), sid, c.sites, "site")
            if not mk.sites:
                c.add(base, "an empty list reaches no site; leave sites out or list some")


def check_market_demands(c: Ctx) -> None:
    """``sites: demands`` must find a site that demands or consumes the resource."""
    for mk in c.s.markets:
        if mk.sites == "demands" and not consuming_sites(c.s, mk.resource):
            c.add(
                ("markets", f"[{mk.id}]", "sites"),
                f"no site demands or consumes {mk.resource!r}, so the market reaches none",
            )


def check_build_groups(c: Ctx) -> None:
    """Group members must be candidates (an existing asset has no build decision)."""
    candidates = {x.id for x in (*c.s.processes, *c.s.links) if x.candidate}
    candidates |= {g.id for g in c.s.candidate_links}
    existing = {x.id for x in (*c.s.processes, *c.s.links) if not x.candidate}
    for g in c.s.build_groups:
        for key in ("members", "requires"):
            for i, mid in enumerate(getattr(g, key)):
                path = ("build_groups", f"[{g.id}]", key, f"[{i}]")
                if mid in existing:
                    c.add(path, f"{mid!r} is existing, not a candidate: it has no build decision")
                else:
                    c.ref(path, mid, candidates, "link, process or generator")
        for i, mid in enumerate(g.requires):
            if mid in g.members:
                c.add(
                    ("build_groups", f"[{g.id}]", "requires", f"[{i}]"),
                    f"{mid!r} cannot require itself",
                )


def check_sole_inlet(c: Ctx) -> None:
    """A load or a substituted quality input needs the process to take all of its inlet pools."""
    links = all_links(c.s)
    for p in c.s.processes:
        for r in (r for r in p.inputs if _tracked(c.s, r)):
            pools = [r, *p.substitutes.get(r, {})]
            if not p.quality_load and len(pools) == 1:
                continue
            for rid in pools:
                others = _other_users(c.s, links, p, rid)
                if others:
                    c.add(
                        ("processes", f"[{p.id}]", "inputs", r),
                        f"{rid!r} at site {p.site!r} also goes to {', '.join(others)}: a load "
                        "balance or a substituted quality input needs this process to take all "
                        "of it (give the other users their own grade or site)",
                    )


def _other_users(s: Scenario, links: list, p: Process, rid: str) -> list[str]:
    site = p.site
    out = [f"demand of site {site!r}" for f in s.site(site).demands if f.resource == rid]
    out += [
        f"process {q.id!r}"
        for q in s.processes
        if q.id != p.id and q.site == site
        and (rid in q.inputs or any(rid in alt for alt in q.substitutes.values()))
    ]  # fmt: skip
    out += [
        f"link {lk.id!r}" for lk in links if lk.from_ == site and rid in (lk.resource, *lk.inputs)
    ]
    out += [
        f"market {m.id!r}"
        for m in s.markets
        if m.resource == rid and m.sell_cny is not None and _reaches(s, m, site)
    ]
    makes = any(f.resource == rid for f in s.site(site).supplies) or any(
        q.site == site and rid in q.outputs for q in s.processes
    )
    out += [
        f"disposal {d.id!r}"
        for d in s.disposal
        if d.resource == rid and (d.site == site or (d.site is None and makes))
    ]
    return out


def _reaches(s: Scenario, m: Market, site: str) -> bool:
    reach = market_sites(s, m)
    return reach is None or site in reach


FORMAT_CHECKS: tuple[Callable[[Ctx], None], ...] = (
    check_process_forms,
    check_demand_substitutes,
    check_market_sites,
    check_build_groups,
)
FORMAT_GRAPH_CHECKS: tuple[Callable[[Ctx], None], ...] = (check_sole_inlet, check_market_demands)
