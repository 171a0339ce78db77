"""Coalition values on one persistent HiGHS instance.

The park model is built once with every candidate allowed and without the policy caps (the
game is about cost). For a coalition ``S`` the build decision of every candidate whose
parties are not all in ``S`` is fixed at 0 and the others are freed; all sites keep running
and existing links stay. Only the changed column bounds go to HiGHS
(:class:`~symbio.solvers.highs.PersistentHighs`), never a rebuilt model. The value is

    v(S) = C(∅) - C(S)

where ``C(∅)`` is the park's cost with only the candidates no player is a party of (the
park's own infrastructure). No start solution is offered: on SCIP, offering the ``C(∅)``
solution (feasible for every coalition) made the solves slower (18.9 s vs 13.9 s for 300
coalitions). Coalitions may be split over a process pool (the sweep
engine's :func:`~symbio.sweep.pool.pool_context`): each worker builds the model once and
solves its share.

**Reuse of a larger coalition's optimum** (:func:`solve_each`). Coalitions are taken largest
first. ``S`` needs no solve when an already solved ``T`` has ``allowed(S) ⊆ allowed(T)`` and
built only candidates ``S`` may build (``built(T) ⊆ allowed(S)``). Then every solution of
``S`` is a solution of ``T`` (``S`` only fixes more build decisions at 0; an
``exactly_one`` group active in ``T`` stays active in ``S`` because ``T`` built one of its
members, which ``S`` allows), so ``C*(S) ≥ C*(T) ≥ bound(T)``; and ``T``'s solution is a
solution of ``S``, so ``C*(S) ≤ C(T)``. ``S`` takes ``T``'s cost with ``T``'s gap bound — the
same guarantee as its own solve. On SCIP 2025 (10 players) this leaves about one solve in
ten of the 1,023.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import pyomo.environ as pyo

from symbio.allocation.players import Players, players_of
from symbio.errors import SolverError
from symbio.flows.graph import build_graph
from symbio.flows.schema import Scenario
from symbio.model.build import build_model
from symbio.model.groups import sync_build_groups
from symbio.model.index import build_index
from symbio.model.options import ModelOptions
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.options import SolverOptions
from symbio.solvers.tuning import RESOLVE_OPTIONS

#: Absolute gap of every coalition solve, relative to the baseline cost (values are
#: differences of two solves, so the relative gap of the total would swamp them).
ABS_GAP_OF_BASELINE = 1e-7
#: HiGHS options of the coalition solves (the scenario's own ``solver.highs`` wins). Symmetry
#: detection costs more than it saves on these MIPs of ~20 binaries: HiGHS 5 % faster over
#: the 96-160 solves of each SCIP scenario, with the same cost and gap bound in every solve
#: (``benchmarks/results/allocation-2026-12-05d.md``). The feasibility-jump heuristic is off
#: as in every re-solve of symbio (:data:`symbio.solvers.tuning.RESOLVE_OPTIONS`): the step's
#: CPU 0.74x (SCIP 2025) / 0.69x (h2-growth); every cost, value, share and nucleolus the same;
#: in 13 solves of carbon-price-200/-500 HiGHS proves a gap bound one ulp looser
#: (``abs_gap_cny`` 3.8e-6 CNY on a 2.7e10 cost).
COALITION_HIGHS: dict[str, object] = {
    "mip_detect_symmetry": False,
    **RESOLVE_OPTIONS,
}


@dataclass(frozen=True)
class CoalitionSolve:
    """One coalition's solve: park cost, gap bound (CNY/a) and wall time."""

    coalition: frozenset[str]
    cost: float
    abs_gap: float
    seconds: float
    #: The coalition whose optimum this one reuses (``None``: solved itself).
    same_as: frozenset[str] | None = None


class CoalitionSolver:
    """The park model on one persistent HiGHS instance, re-solved per coalition.

    Parameters
    ----------
    scenario
        The scenario.
    grouping
        Players: ``site``, ``owner`` or ``zone`` (default the scenario's).
    options
        Solver options (default: the scenario's, with a tight absolute gap).
    """

    def __init__(
        self,
        scenario: Scenario,
        grouping: str | None = None,
        options: SolverOptions | None = None,
    ) -> None:
        t0 = time.perf_counter()
        self.index = ix = build_index(build_graph(scenario))
        self.players: Players = players_of(scenario, ix.links, grouping)
        self.model = build_model(ix, ModelOptions(objective="cost", weights={}, policy_caps=False))
        m = self.model
        self.builds = {lid: m.link_build[lid] for lid in ix.candidate_links}
        self.builds |= {pid: m.process_build[pid] for pid in ix.candidate_processes}
        self.solver = PersistentHighs(m)
        self.build_seconds = time.perf_counter() - t0
        base = options or SolverOptions.from_settings(scenario.solver)
        self._fix(set())
        first = self._run(base, None)
        self.baseline_cost = first.objective
        gap = max(1.0, ABS_GAP_OF_BASELINE * abs(first.objective))
        self.options = replace(
            base, mip_gap=1e-9, mip_abs_gap=gap, highs={**COALITION_HIGHS, **base.highs}
        )
        self.reference_cost = self.solve(frozenset()).cost

    def _fix(self, allowed: set[str]) -> None:
        """Free the allowed candidates, fix the others at 0.

        An ``exactly_one`` build group obliges a choice only when one of its members may be
        built (otherwise the coalition keeps the status quo there).
        """
        for c, var in self.builds.items():
            if c in allowed:
                var.unfix()
            else:
                var.fix(0)
        sync_build_groups(self.model)

    def _run(self, options: SolverOptions, start: object) -> object:
        out = self.solver.solve(options, start=start)
        if not out.has_solution:
            raise SolverError(f"coalition solve: {out.message}")
        return out

    def solve(self, coalition: frozenset[str]) -> CoalitionSolve:
        """Park cost when only ``coalition``'s candidates (and open ones) may be built."""
        t0 = time.perf_counter()
        self._fix(self.players.allowed(coalition))
        out = self._run(self.options, None)
        bound = out.bound if out.bound is not None else out.objective
        return CoalitionSolve(
            coalition,
            float(out.objective),
            max(0.0, out.objective - bound),
            time.perf_counter() - t0,
        )

    def built(self) -> list[str]:
        """Candidates built in the loaded solution."""
        return [c for c, v in self.builds.items() if (pyo.value(v, exception=False) or 0) > 0.5]


def solve_each(solver: CoalitionSolver, coalitions: list[frozenset[str]]) -> list[CoalitionSolve]:
    """Every coalition's solve, in the order given, reusing a larger coalition's optimum
    where that is exact (see the module docstring).

    Candidate sets are bit masks (one bit per candidate), so the test ``built(T) ⊆
    allowed(S) ⊆ allowed(T)`` is two integer operations per solved ``T``.
    """
    bit = {c: 1 << k for k, c in enumerate({**solver.players.parties, **solver.builds})}
    known: list[tuple[int, int, CoalitionSolve]] = []
    done: dict[frozenset[str], CoalitionSolve] = {}
    for c in sorted(set(coalitions), key=lambda s: (-len(s), sorted(s))):
        allowed = sum(bit[x] for x in solver.players.allowed(c))
        hit = next((t for a, b, t in known if not (b & ~allowed or allowed & ~a)), None)
        if hit is not None:
            done[c] = replace(hit, coalition=c, seconds=0.0, same_as=hit.coalition)
            continue
        done[c] = solver.solve(c)
        built = sum(bit[x] for x in solver.built())
        known.append((allowed, built, done[c]))
    return [done[c] for c in coalitions]


def _solve_chunk(args: tuple) -> tuple[list[CoalitionSolve], float, float]:
    """Worker: build once, solve a list of coalitions (returns solves, build s, ref cost)."""
    scenario, grouping, options, coalitions = args
    solver = CoalitionSolver(scenario, grouping, options)
    return solve_each(solver, coalitions), solver.build_seconds, solver.reference_cost


def solve_coalitions(
    solver: CoalitionSolver,
    scenario: Scenario,
    coalitions: list[frozenset[str]],
    *,
    workers: int = 1,
    options: SolverOptions | None = None,
) -> list[CoalitionSolve]:
    """Solve every coalition: on ``solver`` itself, or split over ``workers`` processes.

    A pool pays off when there are many coalitions (each worker builds its own model once,
    ~ one cold build, and then solves its share on its persistent instance).
    """
    if workers <= 1 or len(coalitions) < 4 * workers:
        return solve_each(solver, coalitions)
    from symbio.sweep.pool import pool_context

    chunks = [coalitions[k::workers] for k in range(workers)]
    grouping = solver.players.grouping
    out: list[CoalitionSolve] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=pool_context()) as pool:
        for solves, _, ref in pool.map(
            _solve_chunk, [(scenario, grouping, options, ch) for ch in chunks]
        ):
            if abs(ref - solver.reference_cost) > 2 * solver.options.mip_abs_gap:
                raise SolverError("a worker's reference cost differs from the parent's")
            out += solves
    return out
