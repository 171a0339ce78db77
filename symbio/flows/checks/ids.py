"""Checks of ids and names: unique ids, declared units, references that resolve, known
species, objectives and caps, time slices."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from symbio.flows.checks.context import Ctx
from symbio.flows.schema import CRITERIA, RECORD_FAMILIES, SPECIES
from symbio.flows.units import UNITS

OBJECTIVES = CRITERIA
CAP_KEYS = (*SPECIES, "co2e", "energy_tce")


def check_duplicate_ids(c: Ctx) -> None:
    """Ids must be unique per family, per site list, and across processes and links."""
    families = RECORD_FAMILIES
    for fam in families:
        for rid, n in Counter(r.id for r in getattr(c.s, fam)).items():
            if n > 1:
                c.add((fam, f"[{rid}]", "id"), f"duplicate id {rid!r} ({n} records)")
    for site in c.s.sites:
        for lst in ("supplies", "demands"):
            for rid, n in Counter(f.resource for f in getattr(site, lst)).items():
                if n > 1:
                    c.add(
                        ("sites", f"[{site.id}]", lst, f"[{rid}]"),
                        f"resource {rid!r} listed {n} times; give one entry per resource",
                    )
    shared = Counter(
        [p.id for p in c.s.processes]
        + [lk.id for lk in c.s.links]
        + [g.id for g in c.s.candidate_links]
    )
    for rid, n in shared.items():
        if (
            n > 1
            and sum(x.id == rid for x in c.s.processes) < n
            and sum(x.id == rid for x in c.s.links) < n
        ):
            c.add(
                ("processes", f"[{rid}]", "id"), f"id {rid!r} is used by both a process and a link"
            )


def check_units(c: Ctx) -> None:
    """Every resource must declare one of the known units."""
    for r in c.s.resources:
        if r.unit not in UNITS:
            c.add(
                ("resources", f"[{r.id}]", "unit"),
                f"undeclared unit {r.unit!r}; use one of: {', '.join(UNITS)}",
            )


def check_references(c: Ctx) -> None:
    """Every reference (resource, site, time slice, measure member) must name a defined record."""
    s = c.s
    for site in s.sites:
        for lst in ("supplies", "demands"):
            for f in getattr(site, lst):
                base = ("sites", f"[{site.id}]", lst, f"[{f.resource}]")
                c.ref((*base, "resource"), f.resource, c.resources, "resource")
                if f.by_slice is not None:
                    for sl in f.by_slice:
                        c.ref((*base, "by_slice", sl), sl, c.slices, "time slice")
                    missing = c.slices - set(f.by_slice)
                    if missing:
                        c.add(
                            (*base, "by_slice"),
                            f"by_slice must give every time slice; missing: "
                            f"{', '.join(sorted(missing))}",
                        )
    for p in s.processes:
        base = ("processes", f"[{p.id}]")
        c.ref((*base, "site"), p.site, c.sites, "site")
        for key in ("inputs", "outputs", "output_quality"):
            for rid in getattr(p, key):
                c.ref((*base, key, rid), rid, c.resources, "resource")
        for rid in p.output_quality:
            if rid not in p.outputs:
                c.add((*base, "output_quality", rid), f"{rid!r} is not an output of this process")
    for lk in s.links:
        base = ("links", f"[{lk.id}]")
        c.ref((*base, "resource"), lk.resource, c.resources, "resource")
        c.ref((*base, "from"), lk.from_, c.sites, "site")
        c.ref((*base, "to"), lk.to, c.sites, "site")
        if lk.from_ == lk.to:
            c.add((*base, "to"), "a link must join two different sites")
        for rid in lk.inputs:
            c.ref((*base, "inputs", rid), rid, c.resources, "resource")
    for g in s.candidate_links:
        base = ("candidate_links", f"[{g.id}]")
        c.ref((*base, "resource"), g.resource, c.resources, "resource")
        for rid in g.inputs:
            c.ref((*base, "inputs", rid), rid, c.resources, "resource")
        for key in ("from_sites", "to_sites"):
            for i, sid in enumerate(getattr(g, key) or []):
                c.ref((*base, key, f"[{i}]"), sid, c.sites, "site")
    for fam in ("markets", "disposal"):
        for rec in getattr(s, fam):
            base = (fam, f"[{rec.id}]")
            c.ref((*base, "resource"), rec.resource, c.resources, "resource")
            c.ref((*base, "site"), rec.site, c.sites, "site")
    members = (
        {p.id for p in s.processes} | {lk.id for lk in s.links} | {g.id for g in s.candidate_links}
    )
    for m in s.measures:
        for i, mid in enumerate(m.members):
            c.ref(
                ("measures", f"[{m.id}]", "members", f"[{i}]"),
                mid,
                members,
                "link, process or generator",
            )


def check_species(c: Ctx) -> None:
    """Emission species, policy caps and objective criteria must be known names."""

    def species(path: tuple[str, ...], names: Iterable[str]) -> None:
        for sp in names:
            c.ref((*path, sp), sp, set(SPECIES), "emission species")

    for fam in ("processes", "markets", "disposal"):
        for rec in getattr(c.s, fam):
            species((fam, f"[{rec.id}]", "emissions"), rec.emissions)
    for key in c.s.policy.caps:
        c.ref(("policy", "caps", key), key, set(CAP_KEYS), "cap")
    if c.s.objective.minimize not in OBJECTIVES:
        c.add(
            ("objective", "minimize"),
            f"unknown objective {c.s.objective.minimize!r}; use one of: {', '.join(OBJECTIVES)}",
        )
    for key in c.s.objective.weights or {}:
        c.ref(("objective", "weights", key), key, set(OBJECTIVES), "objective")


def check_time_slices(c: Ctx) -> None:
    """Slices must cover one year: each gets the share hours / 8760 of every annual amount."""
    total = sum(t.hours for t in c.s.time_slices)
    if total > 8784 + 1e-6 or total < 8760 - 1e-6:
        c.add(
            ("time_slices",),
            f"time slices add up to {total:g} h; they must cover one year: 8760 h (8784 in a "
            "leap year), as each slice gets the share hours / 8760 of every annual amount",
        )
