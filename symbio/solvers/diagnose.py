"""Why a park model is infeasible, in a planner's words.

Two views are combined:

1. **Elastic re-solve.** The same model with penalised slacks on every balance (shortfall
   and surplus), quality limit and policy cap, minimising the total slack. Its non-zero
   slacks say which demands cannot be met (site, resource, slice, by how much), which
   supplies cannot be placed, which quality limits and caps cannot hold; caps that are
   tight in it are reported as binding.
2. **HiGHS's IIS** of the infeasible model (its LP relaxation for a MIP): the rows and
   bounds in conflict, each described as the balance, capacity, cap or limit it models.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

import pyomo.environ as pyo

from symbio.model.build import build_model
from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.options import SolverOptions

TOL = 1e-6


@dataclass
class Diagnosis:
    """What makes a model infeasible.

    Attributes
    ----------
    shortfalls : list of dict
        Demands that cannot be met: site, resource, slice, amount, unit, demand.
    surpluses : list of dict
        Supplies that cannot be placed: site, resource, slice, amount, unit, supply.
    quality : list of dict
        Quality limits that cannot hold: site, resource, slice, limit, sense, excess.
    caps : list of dict
        Policy caps: criterion, cap, value (least reachable), excess, binding.
    conflict : list of str
        The IIS, one described row or bound per line.
    status : str
        Status of the elastic re-solve.
    """

    shortfalls: list[dict] = field(default_factory=list)
    surpluses: list[dict] = field(default_factory=list)
    quality: list[dict] = field(default_factory=list)
    caps: list[dict] = field(default_factory=list)
    conflict: list[str] = field(default_factory=list)
    status: str = ""

    def lines(self) -> list[str]:
        """The diagnosis as sentences."""
        out = []
        for s in self.shortfalls:
            out.append(
                f"site {s['site']!r} cannot get enough {s['resource']!r} in slice {s['slice']!r}: "
                f"{_fmt(s['amount'])} {s['unit']} short (demand {_fmt(s['demand'])} {s['unit']})"
            )
        for s in self.surpluses:
            out.append(
                f"site {s['site']!r} cannot place {_fmt(s['amount'])} {s['unit']} of {s['resource']!r} "
                f"in slice {s['slice']!r} (supply {_fmt(s['supply'])} {s['unit']}): no use, link, sale "
                "or disposal can take it"
            )
        for q in self.quality:
            word = "below the minimum" if q["sense"] == "min" else "above the maximum"
            out.append(
                f"the {q['resource']!r} reaching site {q['site']!r} in slice {q['slice']!r} would be "
                f"{_fmt(q['excess'])} {q['unit']} {word} of {_fmt(q['limit'])} {q['unit']}"
            )
        for c in self.caps:
            if c["excess"] > TOL:
                out.append(
                    f"the cap on {c['criterion']} ({_fmt(c['cap'])}) cannot be met: at least "
                    f"{_fmt(c['value'])} ({_fmt(c['excess'])} over)"
                )
            elif c["binding"]:
                out.append(f"the cap on {c['criterion']} ({_fmt(c['cap'])}) binds")
        if self.conflict:
            out.append("conflicting constraints (IIS): " + "; ".join(self.conflict))
        return out or ["no single shortfall found (the conflict may lie in integer decisions)"]

    def __str__(self) -> str:
        return "\n".join(f"  - {line}" for line in self.lines())

    def as_dict(self) -> dict:
        """JSON-ready dict."""
        return {**asdict(self), "lines": self.lines()}


def _fmt(x: float) -> str:
    if x is None or not math.isfinite(x):
        return str(x)
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.4g}"


def describe(ix: ModelIndex, comp: object, bound: str = "") -> str:
    """A component (row or column) of the park model in words."""
    name = comp.parent_component().local_name
    key = comp.index()
    key = key if isinstance(key, tuple) else (key,)
    links, procs = ix.links, ix.processes
    if name == "balance_site":
        return f"balance of {key[1]!r} at site {key[0]!r} in slice {key[2]!r}"
    if name in ("link_capacity", "link_flow"):
        lk = links[key[0]]
        return (
            f"capacity of link {key[0]!r} ({lk.resource} {lk.from_} -> {lk.to}, slice {key[1]!r})"
        )
    if name in ("link_size", "link_size_max", "link_size_min", "link_size_limit"):
        return f"size of candidate link {key[0]!r} (sizing)"
    if name in ("process_size", "process_size_max", "process_size_min", "process_size_limit"):
        return f"size of candidate process {key[0]!r} at site {procs[key[0]].site!r} (sizing)"
    if name in ("link_build", "process_build"):
        what = "link" if name == "link_build" else "process"
        return f"build decision of candidate {what} {key[0]!r}" + (
            " (not allowed in the baseline)" if comp.fixed else ""
        )
    if name in ("process_capacity", "process_activity"):
        return f"capacity of process {key[0]!r} at site {procs[key[0]].site!r} (or what its inputs and outputs allow)"
    if name in ("process_must_run", "process_min_load"):
        return (
            f"minimum load of process {key[0]!r} at site {procs[key[0]].site!r} in slice {key[1]!r}"
        )
    if name in ("market_buy", "market_buy_cap", "market_sell", "market_sell_cap"):
        return f"{'purchase' if 'buy' in name else 'sale'} cap of market {key[0]!r}"
    if name in ("disposal_amount", "disposal_cap"):
        return f"cap of disposal option {key[0]!r}"
    if name == "quality_limit":
        return f"quality limit of the {key[1]!r} demand at site {key[0]!r} in slice {key[2]!r}"
    if name == "policy_limit":
        return f"policy cap on {key[0]}"
    if name == "objective_eps_limit":
        return f"epsilon limit on {key[0]}"
    return comp.name + (f" ({bound} bound)" if bound else "")


def _elastic_findings(ix: ModelIndex, m: pyo.ConcreteModel, diag: Diagnosis) -> None:
    unit = {r: rec.unit for r, rec in ix.resources.items()}
    for slack, found, key, fixed in (
        (m.balance_shortfall, diag.shortfalls, "demand", ix.demand),
        (m.balance_surplus, diag.surpluses, "supply", ix.supply),
    ):
        for (i, r, t), v in slack.items():
            if (v.value or 0) > TOL:
                found.append(
                    {
                        "site": i,
                        "resource": r,
                        "slice": t,
                        "amount": v.value,
                        "unit": unit[r],
                        key: fixed.get((i, r, t), 0.0),
                    }
                )
    for (i, r, t), v in m.quality_slack.items():
        if (v.value or 0) > TOL:
            limit, sense = ix.quality_limits[i, r]
            amount = max(ix.demand.get((i, r, t), 0.0), TOL)
            q = ix.resources[r].quality
            diag.quality.append(
                {
                    "site": i,
                    "resource": r,
                    "slice": t,
                    "limit": limit,
                    "sense": sense,
                    "excess": v.value / amount,
                    "unit": q.unit if q else "",
                }
            )
    for k, con in m.policy_limit.items():
        if not con.active:
            continue
        value = pyo.value(m.objective_expr[k])
        cap = pyo.value(m.policy_cap[k])
        excess = m.policy_slack[k].value or 0.0
        binding = value >= cap - max(TOL, 1e-7 * abs(cap))
        if excess > TOL or binding:
            diag.caps.append(
                {
                    "criterion": k,
                    "cap": cap,
                    "value": value,
                    "excess": excess,
                    "binding": bool(binding),
                }
            )


def diagnose(
    ix: ModelIndex,
    model_options: ModelOptions | None = None,
    solver_options: SolverOptions | None = None,
    solver: PersistentHighs | None = None,
) -> Diagnosis:
    """Explain an infeasible park model.

    Parameters
    ----------
    ix
        The model index of the infeasible model.
    model_options
        The options it was built with (the elastic model uses the same, plus slacks).
    solver_options
        Time limit etc. for the elastic re-solve.
    solver
        The solver holding the infeasible model, for HiGHS's IIS (optional).

    Returns
    -------
    Diagnosis
    """
    diag = Diagnosis()
    if solver is not None:
        rows, cols = solver.iis()
        slacks = {"balance_shortfall", "balance_surplus", "quality_slack", "policy_slack"}
        cols = [(v, b) for v, b in cols if v.parent_component().local_name not in slacks]
        diag.conflict = [describe(ix, c, b) for c, b in rows] + [
            describe(ix, v, b) for v, b in cols
        ]
        diag.conflict = list(dict.fromkeys(diag.conflict))
    options = replace(model_options or ModelOptions(), elastic=True)
    m = build_model(ix, options)
    if not (model_options or ModelOptions()).candidates:
        m.link_build.fix(0)
        m.process_build.fix(0)
    outcome = PersistentHighs(m).solve(solver_options)
    diag.status = str(outcome.status)
    if outcome.has_solution:
        _elastic_findings(ix, m, diag)
    return diag
