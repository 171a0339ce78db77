"""``allocate``: enterprise accounts, settlement, coalition values and the fair split.

One :class:`~symbio.allocation.coalitions.CoalitionSolver` (one model, one persistent HiGHS
instance) serves every solve: the baseline and the optimized case for the accounts, every
coalition, every pair. See ``docs/allocation.md`` for the method.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from symbio.allocation import accounts as acc
from symbio.allocation.cases import CaseState, solve_case
from symbio.allocation.coalitions import CoalitionSolver, solve_coalitions
from symbio.allocation.game import (
    all_coalitions,
    core_check,
    nucleolus,
    order_coalitions,
    sample_orders,
    shapley_exact,
    shapley_sampled,
)
from symbio.allocation.pairs import pair_values
from symbio.allocation.players import Players
from symbio.allocation.prices import RationalPrices, rational_prices
from symbio.flows.schema import AllocationSettings, Scenario
from symbio.solvers.options import SolverOptions

METHODS = ("shapley", "nucleolus", "least_core")
MAX_EXACT = 12


@dataclass
class Allocation:
    """Everything ``symbio allocate`` writes (see :func:`symbio.allocation.output.write_allocation`)."""

    players: Players
    method: str
    values: pd.DataFrame
    allocation: pd.DataFrame
    accounts: pd.DataFrame
    settlement: pd.DataFrame
    pairs: pd.DataFrame
    summary: dict = field(default_factory=dict)
    rational: RationalPrices | None = None


def _game(
    solver: CoalitionSolver,
    scenario: Scenario,
    players: list[str],
    *,
    max_exact: int,
    samples: int,
    seed: int,
    workers: int,
    options: SolverOptions | None,
) -> dict:
    """Coalition values and the allocations of the active players."""
    exact = len(players) <= max_exact
    if exact:
        need, orders = all_coalitions(players), None
    else:
        orders = sample_orders(players, samples, seed)
        need = sorted(order_coalitions(orders), key=lambda s: (len(s), sorted(s)))
    t0 = time.perf_counter()
    solves = solve_coalitions(solver, scenario, need, workers=workers, options=options)
    wall = time.perf_counter() - t0
    v = {s.coalition: solver.reference_cost - s.cost for s in solves}
    values = pd.DataFrame(
        [
            {
                "coalition": " ".join(sorted(s.coalition)),
                "size": len(s.coalition),
                "cost_cny": s.cost,
                "value_cny": v[s.coalition],
                "abs_gap_cny": s.abs_gap,
                "seconds": s.seconds,
                "same_as": " ".join(sorted(s.same_as)) if s.same_as is not None else "",
            }
            for s in solves
        ]
    )
    out = {"v": v, "values": values, "exact": exact, "wall": wall, "orders": orders}
    if exact:
        out["shapley"] = shapley_exact(players, v)
        out["se"] = dict.fromkeys(players, 0.0)
        out["nucleolus"] = nucleolus(players, v) if players else None
    else:
        sampled = shapley_sampled(players, orders, v)
        out["shapley"], out["se"], out["nucleolus"] = sampled.value, sampled.stderr, None
    return out


def allocate(
    scenario: Scenario,
    *,
    method: str = "shapley",
    players: str | None = None,
    max_exact: int = MAX_EXACT,
    samples: int = 200,
    seed: int = 0,
    workers: int = 1,
    options: SolverOptions | None = None,
    pairs: bool = True,
) -> Allocation:
    """Accounts, settlement, coalition values and allocations of a scenario.

    Parameters
    ----------
    scenario
        A validated scenario (its ``allocation:`` section sets the rules).
    method
        The allocation reported as *the* split: ``shapley``, ``nucleolus`` or ``least_core``
        (all that can be computed are in the table).
    players
        ``site``, ``owner`` or ``zone`` (default the scenario's ``allocation.players``).
    max_exact
        Largest number of active players for the exact game (all ``2^n`` coalitions);
        beyond it the Shapley value is sampled and the nucleolus is not computed.
    samples
        Random player orders of the sampled Shapley value.
    workers
        Processes solving coalitions (1: all on this process's persistent instance).
    options
        Solver options (default the scenario's).
    pairs
        Also compute the pair view (one solve per pair of linked accounts).
    """
    t0 = time.perf_counter()
    settings = scenario.allocation
    solver = CoalitionSolver(scenario, players, options)
    pl = solver.players
    active = list(pl.active)
    base = solve_case(solver, "baseline", None)
    opt = solve_case(solver, "optimized", frozenset(pl.all))
    game = _game(
        solver,
        scenario,
        active,
        max_exact=max_exact,
        samples=samples,
        seed=seed,
        workers=workers,
        options=options,
    )
    tables = _accounts(solver, base, opt, settings)
    shares = _allocation_table(pl, active, game)
    accounts = tables["accounts"].merge(
        shares[["player", "shapley_cny"]].rename(columns={"player": "account"}),
        on="account",
        how="left",
    )
    pv = pair_values(solver, opt.cost) if pairs else pd.DataFrame()
    summary = _summary(solver, game, shares, method, base, opt, tables, time.perf_counter() - t0)
    return Allocation(
        pl,
        method,
        game["values"],
        shares,
        accounts,
        tables["settlement"],
        pv,
        summary,
        tables["rational"],
    )


def _accounts(
    solver: CoalitionSolver, base: CaseState, opt: CaseState, settings: AllocationSettings
) -> dict:
    """Accounts and settlement under the chosen rule, with the market-price gains beside."""
    pl, ix = solver.players, solver.index
    own = {c.name: acc.own_costs(c, pl, ix, settings) for c in (base, opt)}
    market = settings.model_copy(update={"settlement": "market"})
    ref = {c.name: acc.settle(c, pl, base, None, market) for c in (base, opt)}
    table = acc.account_table(own, pd.concat(ref.values(), ignore_index=True), pl)
    net_base = dict(zip(table["account"], table["net_cost_baseline_cny"], strict=True))
    own_opt = dict(zip(table["account"], table["own_cost_optimized_cny"], strict=True))
    rational = rational_prices(ref["optimized"], own_opt, net_base)
    if settings.settlement == "rational":
        chosen = acc.settle(opt, pl, base, rational.prices, settings)
    else:
        chosen = acc.settle(opt, pl, base, None, settings)
    base_rows = (
        ref["baseline"]
        if settings.settlement == "rational"
        else acc.settle(base, pl, base, None, settings)
    )
    settlement = pd.concat([base_rows, chosen], ignore_index=True)
    table = acc.account_table(own, settlement, pl)
    market_gain = acc.account_table(own, pd.concat(ref.values(), ignore_index=True), pl)
    table["gain_market_cny"] = market_gain["gain_cny"].to_numpy()
    return {"accounts": table, "settlement": settlement, "rational": rational}


def _allocation_table(pl: Players, active: list[str], game: dict) -> pd.DataFrame:
    v = game["v"]
    rows = []
    nuc = game["nucleolus"]
    for p in pl.all:
        rows.append(
            {
                "player": p,
                "name_en": pl.names.get(p, {}).get("en", p),
                "name_zh": pl.names.get(p, {}).get("zh", p),
                "active": p in active,
                "standalone_cny": v.get(frozenset({p}), 0.0),
                "shapley_cny": game["shapley"].get(p, 0.0),
                "shapley_se_cny": game["se"].get(p, 0.0),
                "nucleolus_cny": nuc.value.get(p, 0.0) if nuc else float("nan"),
                "least_core_cny": nuc.least_core_point.get(p, 0.0) if nuc else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def _summary(
    solver: CoalitionSolver,
    game: dict,
    shares: pd.DataFrame,
    method: str,
    base: CaseState,
    opt: CaseState,
    tables: dict,
    seconds: float,
) -> dict:
    """``allocation.json``: players, rules, counts, timings, core verdicts, IR prices."""
    v, players = game["v"], list(solver.players.active)
    solved = game["values"][game["values"]["same_as"] == ""] if len(v) else game["values"]
    grand = frozenset(players)
    out = {
        "players": solver.players.grouping,
        "active_players": players,
        "null_players": [p for p in solver.players.all if p not in players],
        "method": method,
        "settlement": solver.index.scenario.allocation.settlement,
        "shared_assets": solver.index.scenario.allocation.shared_assets,
        "exact": game["exact"],
        "coalitions": len(v),
        "baseline_cost_cny": base.cost,
        "reference_cost_cny": solver.reference_cost,
        "optimized_cost_cny": opt.cost,
        "grand_value_cny": v.get(grand, 0.0),
        "open_candidates_value_cny": base.cost - solver.reference_cost,
        "build_seconds": solver.build_seconds,
        "coalitions_solved": len(solved),
        "coalition_seconds_mean": float(solved["seconds"].mean()) if len(solved) else 0.0,
        "coalition_wall_seconds": game["wall"],
        "max_abs_gap_cny": float(game["values"]["abs_gap_cny"].max()) if len(v) else 0.0,
        "seconds": seconds,
        "rational_prices": {
            "feasible": tables["rational"].feasible,
            "blocking": tables["rational"].blocking,
        },
    }
    if not game["exact"]:
        out["sampled_orders"] = len(game["orders"])
    cores = {}
    if game["exact"] and players:
        nuc = game["nucleolus"]
        out["least_core_cny"] = nuc.least_core
        out["core_empty"] = nuc.least_core > 1e-7 * max(abs(a) for a in v.values())
        for name, col in (
            ("shapley", "shapley_cny"),
            ("nucleolus", "nucleolus_cny"),
            ("least_core", "least_core_cny"),
        ):
            x = dict(zip(shares["player"], shares[col], strict=True))
            c = core_check(x, v, players)
            cores[name] = {
                "in_core": c.in_core,
                "max_excess_cny": c.max_excess,
                "blocking": [] if c.in_core else list(c.blocking),
            }
    out["core"] = cores
    return out
