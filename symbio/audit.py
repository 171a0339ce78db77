"""Self-audit of a run: plain checks of the result tables against the scenario's data.

Nothing here reads the Pyomo model. The variable values are read back from the planner
tables (flows, process_activity, purchases, sales, disposal, builds) and the model's data
comes from the :class:`~symbio.model.index.ModelIndex` (parameters computed from the
scenario). Each check gives its largest residual, where it occurs and whether it is
within tolerance:

``balance``        supply + inflow + process output + purchase = demand + outflow + link
                   input + process input + sale + disposal, per site, resource and slice,
                   recomputed from the tables; residual relative to the pool's throughput
``site_balances``  the site_balances table agrees with that recomputation
``built``          no flow on a candidate link, no activity of a candidate process not built
``capacity``       flow <= link bound, activity <= capacity, activity >= minimum load,
                   substitutes used <= the nominal need they stand in for
``quality``        every quality-limited demand's inflow meets its limit; every process
                   inlet meets its ``input_quality``; every fixed-load operation's inlet
                   load plus pick-up fits under its outlet limit
``policy_caps``    optimized case: every criterion within its cap
``kpi_sums``       park KPIs that are sums over sites equal the sum of the site values
``objective``      cost, energy and each emission, recomputed from the tables term by term,
                   equal the solver's criteria and the park KPIs

Tolerance: ``TOL * max(1, scale)`` with ``scale`` the magnitude of the quantity compared
(the pool's throughput, the bound, the total) and ``TOL = 1e-6``, above HiGHS's primal
feasibility tolerance (1e-7, on the scaled model). ``summary.json`` ``audit`` holds the
verdict; ``symbio run`` exits 5 when a check fails.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pandas as pd

from symbio.audit_values import Values, annual, balance_terms, rows, values_from_tables
from symbio.model.balance import BALANCE_TERMS
from symbio.model.index import ModelIndex
from symbio.model.kpis import criterion_kpi
from symbio.model.objectives import cost_terms, emission_terms
from symbio.model.operations import inlet_pools, tracked_input
from symbio.model.pandas_sums import group_sum
from symbio.model.quality import pool_inflows, quality_terms
from symbio.model.tables import table_column, table_has

TOL = 1e-6
#: Park KPIs that are not sums over sites (counts of links, shares).
NOT_SUMS = ("symbiosis_links", "byproduct_utilisation_")


class _Check:
    """Largest residual of one check, where it occurs, and the violations."""

    def __init__(self) -> None:
        self.max, self.rel, self.where, self.violations, self.n = 0.0, 0.0, "", 0, 0

    def see(self, residual: float, scale: float, where: str) -> None:
        self.n += 1
        r = abs(residual) if math.isfinite(residual) else math.inf
        bound = TOL * max(1.0, abs(scale))
        if r > bound:
            self.violations += 1
        rel = r / max(1.0, abs(scale))
        if rel > self.rel or (self.where == "" and r >= self.max):
            self.max, self.rel, self.where = r, rel, where

    def see_all(self, residual: np.ndarray, scale: np.ndarray, where: object) -> None:
        """Vectorised :meth:`see` over aligned arrays (``where(k)`` names position k)."""
        if not len(residual):
            return
        r = np.abs(np.asarray(residual, dtype=float))
        r[~np.isfinite(r)] = math.inf
        scl = np.maximum(np.abs(np.asarray(scale, dtype=float)), 1.0)
        self.n += len(r)
        self.violations += int((r > TOL * scl).sum())
        rel = r / scl
        k = int(np.argmax(rel))
        if rel[k] > self.rel or self.where == "":
            self.max, self.rel, self.where = float(r[k]), float(rel[k]), where(k)

    def as_dict(self) -> dict:
        return {
            "passed": self.violations == 0,
            "max_residual": self.max,
            "relative": self.rel,
            "where": self.where,
            "violations": self.violations,
            "checked": self.n,
        }


def _balance(ix: ModelIndex, values: Values, tables: dict, checks: dict) -> None:
    keys, terms = balance_terms(ix, values)
    sign = {t.label: t.sign for t in BALANCE_TERMS} | {"supply": 1, "demand": -1}
    bal, consistent = _Check(), _Check()
    # site_balances read as column lists (no frame built: see model.tables.table_column)
    sb = "site_balances"
    n_sb = rows(tables, sb)
    # row of each pool and slice in site_balances (None: not in the table)
    sb_cols = (table_column(tables, sb, c) for c in ("site", "resource", "slice")) if n_sb else ()
    row_of = {k: n for n, k in enumerate(zip(*sb_cols, strict=True))}
    take = [row_of.get(k) for k in keys]
    if n_sb:
        # families with no table of their own (e.g. substitute_use): their balance column
        # is taken as written; the balance is then checked with it
        for t in BALANCE_TERMS:
            if t.var not in values and t.terms != "pool" and table_has(tables, sb, t.label):
                col = np.asarray(table_column(tables, sb, t.label), dtype=float)
                terms[t.label] = np.array([0.0 if j is None else col[j] for j in take])
    if terms:
        signed = sum(terms[c] * sign[c] for c in terms)
        scale = sum(np.abs(v) for v in terms.values()) / 2
        bal.see_all(signed, scale, lambda k: "/".join(keys[k]))
    if n_sb:
        sb_keys = list(row_of)
        at = {k: n for n, k in enumerate(keys)}
        pos = [at.get(k) for k in sb_keys]
        for col, arr in terms.items():
            have = (
                np.asarray(table_column(tables, sb, col), dtype=float)
                if table_has(tables, sb, col)
                else np.zeros(n_sb)
            )
            want = np.array([0.0 if n is None else arr[n] for n in pos])
            where = lambda k, c=col: f"{c} at {'/'.join(sb_keys[k])}"  # noqa: E731
            consistent.see_all(have - want, want, where)
    checks["balance"], checks["site_balances"] = bal, consistent


def _built(ix: ModelIndex, values: Values, tables: dict, checks: dict) -> None:
    c = _Check()
    for var, fam, recs in (
        ("link_flow", "link_build", ix.links),
        ("process_activity", "process_build", ix.processes),
    ):
        for (k, t), v in values[var].items():
            rec = recs.get(k)
            built = rec is not None and (not rec.candidate or values[fam].get((k,), 0.0) > 0.5)
            c.see(0.0 if built else v, 0.0, f"{k}/{t}")
    checks["built"] = c


def _capacity(ix: ModelIndex, values: Values, tables: dict, checks: dict) -> None:
    c = _Check()
    for (lid, t), v in values["link_flow"].items():
        bound = ix.link_bound.get((lid, t), math.inf)
        if lid in ix.links and ix.links[lid].sizing is not None:
            bound = min(bound, ix.per_slice(values["link_size"].get((lid,), 0.0), t))
        c.see(max(v - bound, 0.0), bound if math.isfinite(bound) else v, f"link {lid}/{t}")
    for (p, t), v in values["process_activity"].items():
        rec = ix.processes.get(p)
        if rec is None:
            continue
        size = values["process_size"].get((p,)) if rec.sizing is not None else None
        cap = ix.per_slice(rec.capacity if size is None else size, t)
        c.see(max(v - cap, 0.0), cap, f"process {p}/{t} capacity")
        on = v > TOL * max(1.0, cap) or rec.must_run
        if rec.min_load > 0 and on:
            c.see(max(rec.min_load * cap - v, 0.0), cap, f"process {p}/{t} minimum load")
    _substitute_limits(ix, values, c)
    checks["capacity"] = c


def _substitute_limits(ix: ModelIndex, values: Values, c: _Check) -> None:
    """At most the nominal need of an input or demand is met by its substitutes."""
    used: dict[tuple, float] = defaultdict(float)
    subs = {sb.key: sb for sb in ix.substitutes}
    for key, v in values["substitute_use"].items():
        used[(*key[:3], key[4])] += v / subs[key[:4]].factor
    first = {sb.key[:3]: sb for sb in reversed(ix.substitutes)}
    for (kind, owner, r, t), v in used.items():
        sb = first[kind, owner, r]
        if kind == "demand":
            need = ix.demand.get((owner, r, t), 0.0)
        else:
            need = sb.per_unit * values["process_activity"].get((owner, t), 0.0)
        c.see(max(v - need, 0.0), need, f"substitutes for {r} of {owner}/{t}")


def _inlet(ix: ModelIndex, values: Values, data: dict, pools: list, t: str, shift: float) -> float:
    """``sum_k x_k * (q_k - shift)`` over the inflows of ``pools`` (cf. model.operations)."""
    total = 0.0
    for pool in pools:
        supply_q, inflows = data[pool]
        q0 = shift if supply_q is None else supply_q
        total += ix.supply.get((*pool, t), 0.0) * (q0 - shift)
        for var, key, coef, q in inflows:
            x = coef * values[var].get((*key, t), 0.0)
            total += x * ((shift if q is None else q) - shift)
    return total


def _operations(ix: ModelIndex, values: Values, c: _Check) -> None:
    """Process inlet quality limits and fixed-load contaminant balances, from the values."""
    procs = ix.processes
    pools = {pool for rec in procs.values() for r in rec.inputs for pool in inlet_pools(rec, r)}
    data = pool_inflows(ix, pools)
    for p, rec in procs.items():
        built = not rec.candidate or values["process_build"].get((p,), 0.0) > 0.5
        for t in ix.slices:
            act = values["process_activity"].get((p, t), 0.0)
            scale = max(1.0, act)
            for r, limit in rec.input_quality.items():
                body = _inlet(ix, values, data, inlet_pools(rec, r), t, limit)
                excess = -body if ix.resources[r].quality.sense == "min" else body
                c.see(max(excess, 0.0), scale * max(1.0, abs(limit)), f"inlet {p}/{r}/{t}")
            for r, load in rec.quality_load.items():
                inlet = _inlet(ix, values, data, inlet_pools(rec, tracked_input(ix, rec)), t, 0.0)
                picked = load * ix.share[t] if built else 0.0
                cap = rec.output_quality[r] * rec.outputs[r] * act
                c.see(max(inlet + picked - cap, 0.0), max(cap, picked), f"load {p}/{r}/{t}")


def _quality(ix: ModelIndex, values: Values, tables: dict, checks: dict) -> None:
    c = _Check()
    for (j, r), (supply_q, terms) in quality_terms(ix).items():
        limit, sense = ix.quality_limits[j, r]
        for t in ix.slices:
            if ix.demand.get((j, r, t), 0) <= 0:
                continue
            body = ix.supply.get((j, r, t), 0.0) * (supply_q - limit)
            body += sum(coef * values[var].get((*key, t), 0.0) for var, key, coef in terms)
            excess = -body if sense == "min" else body
            c.see(max(excess, 0.0), ix.demand[j, r, t] * max(1.0, abs(limit)), f"{j}/{r}/{t}")
    _operations(ix, values, c)
    checks["quality"] = c


def criteria_from_tables(
    ix: ModelIndex, values: Values, costs: tuple[dict, float] | None = None
) -> dict[str, float]:
    """Cost, energy and each emission species recomputed term by term from the values.

    ``costs``: ``cost_terms(ix)`` when the caller has it already.
    """
    sl = list(ix.slices)
    out: dict[str, float] = {}
    for sp, terms in emission_terms(ix).items():
        out[sp] = sum(coef * annual(values, var, key, sl) for var, key, coef in terms)
    for sp in ix.species:
        out.setdefault(sp, 0.0)
    out["energy"] = sum(
        ix.tce[ix.markets[mid].resource] * annual(values, "market_buy", (mid, i), sl)
        for mid, i in ix.buys
    ) - sum(
        ix.tce[ix.markets[mid].resource] * annual(values, "market_sell", (mid, i), sl)
        for mid, i in ix.sells
    )
    terms, const = costs or cost_terms(ix)
    cost = const + ix.scenario.policy.carbon_price_cny_t * out.get("co2", 0.0)
    for entries in terms.values():
        cost += sum(coef * annual(values, var, key, sl) for var, key, coef in entries if coef)
    out["cost"] = cost
    return out


def _objective(
    ix: ModelIndex,
    values: Values,
    park: dict,
    criteria: dict,
    checks: dict,
    case: str,
    costs: tuple[dict, float],
) -> None:
    c, caps = _Check(), _Check()
    recomputed = criteria_from_tables(ix, values, costs)
    # the tables leave out rows below 1e-9 (purchases, disposal, emissions): allow 1e-6 of
    # a unit of the dearest cost term
    unit = _dearest(costs)
    for k, v in recomputed.items():
        name = criterion_kpi(k)
        for what, other in (("solver", criteria.get(k)), ("kpi", park.get(name))):
            if other is not None:
                scale = max(abs(v), abs(other), unit if k == "cost" else 1.0)
                c.see(v - other, scale, f"{k}: tables vs {what}")
    if case == "optimized":
        for k, cap in ix.scenario.policy.caps.items():
            crit = "energy" if k == "energy_tce" else k
            v = recomputed.get(crit, 0.0)
            caps.see(max(v - cap, 0.0), cap, f"cap on {k}")
    checks["objective"], checks["policy_caps"] = c, caps


def _dearest(costs: tuple[dict, float]) -> float:
    """The largest absolute coefficient of the cost terms (1.0 when there is none)."""
    return max((abs(k) for e in costs[0].values() for _, _, k in e), default=1.0)


def _kpi_sums(park: dict, sites: pd.DataFrame, checks: dict, unit: float = 1.0) -> None:
    c = _Check()
    sums = _site_sums(sites)
    for name, v in park.items():
        if name.startswith(NOT_SUMS) or name not in sums:
            continue
        scale = max(abs(v), abs(sums[name]), unit if name == "total_cost_cny" else 1.0)
        c.see(v - sums[name], scale, name)
    checks["kpi_sums"] = c


def _site_sums(sites: pd.DataFrame) -> dict[str, float]:
    """``sites.groupby("kpi")["value"].sum()`` as a dict: for a float ``value`` column,
    :func:`~symbio.model.pandas_sums.group_sum` (pandas' sums without its overhead)."""
    if sites.empty:
        return {}
    if sites["value"].dtype != np.float64:
        return {k: float(x) for k, x in sites.groupby("kpi")["value"].sum().items()}
    return dict(group_sum(sites["kpi"].tolist(), sites["value"].tolist()))


def audit_case(
    ix: ModelIndex,
    tables: dict[str, pd.DataFrame],
    park: dict[str, float],
    sites: pd.DataFrame,
    criteria: dict[str, float],
    case: str = "optimized",
) -> dict:
    """Audit one case's tables.

    Returns
    -------
    dict
        ``{check: {passed, max_residual, relative, where, violations, checked}}``.
    """
    values = values_from_tables(tables)
    checks: dict[str, _Check] = {}
    _balance(ix, values, tables, checks)
    _built(ix, values, tables, checks)
    _capacity(ix, values, tables, checks)
    _quality(ix, values, tables, checks)
    costs = cost_terms(ix)  # once: the objective and the KPI sums both use it
    _objective(ix, values, park, criteria, checks, case, costs)
    _kpi_sums(park, sites, checks, _dearest(costs))
    return {name: ch.as_dict() for name, ch in checks.items()}


def merge_audits(per_case: dict[str, dict]) -> dict:
    """The ``audit`` of ``summary.json``: overall verdict, largest balance residual, checks.

    ``max_residual`` is the largest balance residual (resource unit) with where it occurs;
    ``checks`` gives each check's verdict with the case of its largest residual; ``failed``
    lists ``case: check at where`` for every failed check.
    """
    checks: dict[str, dict] = {}
    failed = []
    for case, audit in per_case.items():
        for name, d in audit.items():
            cur = checks.get(name)
            where = f"{case}: {d['where']}" if d["where"] else ""
            if not d["passed"]:
                failed.append(f"{case}: {name} at {d['where']} (residual {d['max_residual']:.6g})")
            if cur is None or d["relative"] > cur["relative"]:
                checks[name] = {**d, "where": where, "passed": d["passed"] and (cur or d)["passed"]}
            elif not d["passed"]:
                cur["passed"] = False
            if cur is not None:
                checks[name]["violations"] = cur["violations"] + d["violations"]
                checks[name]["checked"] = cur["checked"] + d["checked"]
    bal = checks.get("balance", {"max_residual": 0.0, "relative": 0.0, "where": ""})
    return {
        "passed": not failed,
        "tolerance": TOL,
        "max_residual": {k: bal[k] for k in ("max_residual", "relative", "where")},
        "failed": failed,
        "checks": checks,
    }


def audit_result(result: object, scenario: object) -> dict:
    """Audit a :class:`~symbio.results.Result` (e.g. one read back from disk) anew.

    Parameters
    ----------
    result
        The result; its tables, park and site KPIs are checked (the solver's criteria are
        not stored, so ``objective`` compares the tables with the KPIs only).
    scenario
        The scenario it was solved from (``scenario.resolved.yaml``).
    """
    from symbio.flows.graph import build_graph
    from symbio.model.index import build_index

    ix = build_index(build_graph(scenario))
    per_case = {}
    k = result.kpis.set_index("kpi")
    for case in result.tables["site_balances"]["case"].unique():
        tables = {n: df[df["case"] == case] for n, df in result.tables.items()}
        park = {n: float(v) for n, v in k[case].items() if pd.notna(v)}
        sites = result.site_kpis[result.site_kpis["case"] == case]
        per_case[str(case)] = audit_case(ix, tables, park, sites, {}, case=str(case))
    return merge_audits(per_case)
