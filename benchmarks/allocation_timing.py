"""Coalition solves: the persistent instance against a cold build, on a scenario.

    python -m benchmarks.allocation_timing scenarios/scip/symbiosis-2025.yaml --n 40

Draws ``n`` coalitions of the active players (seeded), solves each on one persistent HiGHS
instance (:class:`symbio.allocation.coalitions.CoalitionSolver`: fix/unfix build decisions
only) and again cold (graph, index, model, hand-over and solve from scratch), checks both
give the same cost, and prints the mean seconds per coalition of each. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np

from symbio.allocation.coalitions import CoalitionSolver
from symbio.flows.graph import build_graph
from symbio.flows.load import load_scenario
from symbio.model.build import build_model
from symbio.model.index import build_index
from symbio.model.options import ModelOptions
from symbio.solvers.highs import PersistentHighs


def _cold(s: object, warm: CoalitionSolver, coalition: frozenset[str]) -> float:
    """Graph, index, model, hand-over and one solve from scratch, for one coalition."""
    ix = build_index(build_graph(s))
    m = build_model(ix, ModelOptions(objective="cost", weights={}, policy_caps=False))
    allowed = warm.players.allowed(coalition)
    for lid in ix.candidate_links:
        if lid not in allowed:
            m.link_build[lid].fix(0)
    for pid in ix.candidate_processes:
        if pid not in allowed:
            m.process_build[pid].fix(0)
    return float(PersistentHighs(m).solve(warm.options).objective)


def main() -> None:
    """Run the comparison and print one JSON line."""
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    s = load_scenario(args.scenario)
    t0 = time.perf_counter()
    warm = CoalitionSolver(s)
    setup = time.perf_counter() - t0
    players = list(warm.players.active)
    rng = np.random.default_rng(args.seed)
    picks = [frozenset(p for p in players if rng.random() < 0.5) for _ in range(args.n)]
    t0 = time.perf_counter()
    hot = [warm.solve(c).cost for c in picks]
    hot_s = (time.perf_counter() - t0) / len(picks)
    t0 = time.perf_counter()
    cold = [_cold(s, warm, c) for c in picks]
    cold_s = (time.perf_counter() - t0) / len(picks)
    print(
        json.dumps(
            {
                "scenario": args.scenario,
                "coalitions": len(picks),
                "persistent_s_per_coalition": round(hot_s, 4),
                "cold_s_per_coalition": round(cold_s, 4),
                "setup_s": round(setup, 3),
                "max_cost_difference_cny": float(np.max(np.abs(np.array(hot) - np.array(cold)))),
                "machine": f"{platform.machine()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}",
            }
        )
    )


if __name__ == "__main__":
    main()
