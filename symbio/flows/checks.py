"""Cross-reference checks on a structurally valid Scenario, one small function per rule.

Each ``check_*`` returns a list of :class:`~symbio.errors.Problem`; :func:`run_checks` runs
them all so a planner sees every problem of a file at once.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable

from symbio.errors import Problem
from symbio.flows import magnitudes
from symbio.flows.candidates import all_links
from symbio.flows.checks_format import FORMAT_CHECKS, FORMAT_GRAPH_CHECKS
from symbio.flows.fieldpath import FieldPathError, is_number, resolve
from symbio.flows.reach import market_sites
from symbio.flows.schema import CRITERIA, RECORD_FAMILIES, SPECIES, Scenario
from symbio.flows.units import UNITS
from symbio.flows.yamlsource import Located, format_path

OBJECTIVES = CRITERIA
CAP_KEYS = (*SPECIES, "co2e", "energy_tce")


#: Stands in ``known`` for "a record was set aside whose id could not be read".
ANY_ID = "*"
_REFERRED = {
    "resource": ("resources",),
    "site": ("sites",),
    "time slice": ("time_slices",),
    "link, process or generator": ("processes", "links", "candidate_links"),
}


class _Ctx:
    """What a check needs to report: the file, line look-up and id sets."""

    def __init__(
        self,
        scenario: Scenario,
        file: str,
        located: Located,
        known: dict[str, set[str]] | None = None,
    ) -> None:
        self.s, self.file, self.located = scenario, file, located
        self.resources = {r.id for r in scenario.resources}
        self.sites = {s.id for s in scenario.sites}
        self.slices = {t.id for t in scenario.time_slices}
        #: Ids of malformed records set aside (already reported): references to them pass.
        self.known = known or {}
        self.problems: list[Problem] = []

    def add(self, path: tuple[str, ...], message: str) -> None:
        where = None
        for n in range(len(path), -1, -1):
            where = self.located.where.get(path[:n])
            if where:
                break
        file, line = where if where else (self.file, None)
        self.problems.append(Problem(file, format_path(path), message, line))

    def ref(self, path: tuple[str, ...], value: str | None, known: set[str], what: str) -> None:
        if value is None or value in known or any(value in ids for ids in self.known.values()):
            return
        if any(ANY_ID in self.known.get(fam, ()) for fam in _REFERRED.get(what, ())):
            return  # a record of that kind was set aside without a readable id
        hint = difflib.get_close_matches(value, sorted(known), n=1)
        msg = f"{what} {value!r} is not defined"
        msg += (
            f" (did you mean {hint[0]!r}?)"
            if hint
            else f"; defined: {', '.join(sorted(known)) or 'none'}"
        )
        self.add(path, msg)


def check_duplicate_ids(c: _Ctx) -> None:
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


def check_units(c: _Ctx) -> None:
    """Every resource must declare one of the known units."""
    for r in c.s.resources:
        if r.unit not in UNITS:
            c.add(
                ("resources", f"[{r.id}]", "unit"),
                f"undeclared unit {r.unit!r}; use one of: {', '.join(UNITS)}",
            )


def check_references(c: _Ctx) -> None:
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


def check_species(c: _Ctx) -> None:
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


def check_time_slices(c: _Ctx) -> None:
    """Slices must cover one year: each gets the share hours / 8760 of every annual amount."""
    total = sum(t.hours for t in c.s.time_slices)
    if total > 8784 + 1e-6 or total < 8760 - 1e-6:
        c.add(
            ("time_slices",),
            f"time slices add up to {total:g} h; they must cover one year: 8760 h (8784 in a "
            "leap year), as each slice gets the share hours / 8760 of every annual amount",
        )


def check_quality(c: _Ctx) -> None:
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


def check_mixing(c: _Ctx) -> None:
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


def check_reachable_demands(c: _Ctx) -> None:
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


def check_link_lengths(c: _Ctx) -> None:
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


def check_prices(c: _Ctx) -> None:
    """Prices that would make the optimum unbounded, and negative standard-coal factors."""
    for m in c.s.markets:
        base = ("markets", f"[{m.id}]")
        if m.buy_cny is not None and m.buy_cny < 0 and m.buy_cap is None:
            c.add(
                (*base, "buy_cny"),
                f"negative price {m.buy_cny:g} (being paid to take {m.resource!r}) needs a "
                "buy_cap, or the optimum is unbounded; use a price >= 0 or set buy_cap",
            )
        if (
            m.buy_cny is not None
            and m.sell_cny is not None
            and m.sell_cny > m.buy_cny
            and m.buy_cap is None
            and m.sell_cap is None
        ):
            c.add(
                (*base, "sell_cny"),
                f"sell_cny {m.sell_cny:g} is above buy_cny {m.buy_cny:g} with no buy_cap or "
                "sell_cap: buying to sell again would be unbounded; set sell_cny <= buy_cny "
                "or a cap",
            )
    for d in c.s.disposal:
        if d.cost_cny < 0 and d.cap is None:
            c.add(
                ("disposal", f"[{d.id}]", "cost_cny"),
                f"negative cost {d.cost_cny:g} (a revenue) needs a cap, or the optimum may be "
                "unbounded; use cost_cny >= 0, a cap, or a market with sell_cny",
            )
    for r in c.s.resources:
        if isinstance(r.tce_per_unit, int | float) and r.tce_per_unit < 0:
            c.add(
                ("resources", f"[{r.id}]", "tce_per_unit"),
                f"must be greater than or equal to 0 (got {r.tce_per_unit:g})",
            )


def check_by_slice(c: _Ctx) -> None:
    """A supply or demand given per time slice must add up to its annual amount."""
    for site in c.s.sites:
        for lst in ("supplies", "demands"):
            for f in getattr(site, lst):
                if f.by_slice is None:
                    continue
                total = sum(f.by_slice.values())
                if abs(total - f.amount) > 1e-6 * max(1.0, abs(f.amount)):
                    c.add(
                        ("sites", f"[{site.id}]", lst, f"[{f.resource}]", "by_slice"),
                        f"by_slice adds up to {total:g} but amount is {f.amount:g}; amount is "
                        "the annual total, so the slices must add up to it",
                    )


def check_estimates(c: _Ctx) -> None:
    """Each ``estimates`` path must name a number of the scenario lying within [low, high]."""
    for path, est in c.s.estimates.items():
        try:
            value = resolve(c.s, path)
        except FieldPathError as exc:
            if not c.known:  # a path into a record set aside is not reported twice
                c.add(("estimates", path), f"the field path names no number: {exc}")
            continue
        if not is_number(value):
            what = "nothing (not set)" if value is None else f"a {type(value).__name__}"
            c.add(("estimates", path), f"the field path names {what}, not a number")
        elif not est.low <= value <= est.high:
            c.add(
                ("estimates", path),
                f"the value in the scenario, {value:g}, lies outside the range "
                f"[{est.low:g}, {est.high:g}]; the range must contain it",
            )


def check_magnitudes(c: _Ctx) -> None:
    """Numbers beyond their unit family's range (:mod:`symbio.flows.magnitudes`)."""
    errors, _ = magnitudes.check_magnitudes(c.s.model_dump(mode="json", by_alias=True))
    for path, message in errors:
        c.add(path, message)


CHECKS: tuple[Callable[[_Ctx], None], ...] = (
    check_magnitudes,
    check_duplicate_ids,
    check_units,
    check_references,
    check_species,
    check_time_slices,
    check_quality,
    check_prices,
    check_by_slice,
    *FORMAT_CHECKS,
    check_estimates,
)
#: Checks that assume references resolve; they run only when the ones above pass.
GRAPH_CHECKS: tuple[Callable[[_Ctx], None], ...] = (
    check_link_lengths,
    check_mixing,
    check_reachable_demands,
    *FORMAT_GRAPH_CHECKS,
)


def run_checks(
    scenario: Scenario,
    file: str,
    located: Located,
    *,
    known: dict[str, set[str]] | None = None,
) -> list[Problem]:
    """Run every check and return all problems found.

    Parameters
    ----------
    scenario
        A structurally valid scenario (possibly only the well-formed part of a file).
    file, located
        The file name and the line of each field path, for the messages.
    known
        Ids of records set aside as malformed (see :mod:`symbio.flows.partial`):
        references to them are not reported, and the graph checks, which need the whole
        park, are skipped.
    """
    c = _Ctx(scenario, file, located, known)
    for check in CHECKS:
        check(c)
    if not c.problems and known is None:
        for check in GRAPH_CHECKS:
            check(c)
    return c.problems
