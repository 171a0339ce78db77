"""HiGHS settings chosen by the size of the problem at hand.

HiGHS runs sub-MIP heuristics (RINS, RENS) and a root reduced-cost heuristic at the root of
every MIP. On a park of a few dozen build decisions they cost more than the branch and bound
they are meant to shorten: the optimized cases of the 11 SCIP scenarios (23 binaries, 53
rows after presolve) took 1.01-1.13 s in total with them and 0.36-0.42 s without, to the
same optima (``benchmarks/results/small-mip-heuristics.md``, load 10 on 2 cores). A MIP with at most
:data:`SMALL_MIP_INTEGERS` free integer columns is solved without them; a larger one keeps
HiGHS's defaults, where an early incumbent matters. An option the user sets in the
scenario's ``solver.highs`` wins over both.

A *re-solve* (a later solve of a kept model whose prices, caps or bounds changed: a
session's points, a warm ``run --set`` point) also runs without HiGHS's feasibility-jump
heuristic (:data:`RESOLVE_OPTIONS`, :func:`resolve_options`). It hunts for a first incumbent
before the root LP; on these models the root LP finds one anyway. Measured on 10 carbon prices
(``benchmarks/results/resolve-2026-12-05b-*.md``): HiGHS's time per point 12 -> 7.5 ms (SCIP
2025) and 0.19 -> 0.12 s (park N=200), with the same optimum, the same build decisions and the
same proven gap at every point. A cold run keeps HiGHS's default, so a re-solve is compared
with the run it replaces (``tests/pathways/test_warm.py``, ``tests/solvers/test_mutable.py``).
"""

from __future__ import annotations

from dataclasses import replace

from symbio.solvers.options import SolverOptions

#: Free integer columns up to which the sub-MIP heuristics are switched off.
SMALL_MIP_INTEGERS = 50
#: HiGHS options switched off for a small MIP (their default is on).
SUB_MIP_HEURISTICS = (
    "mip_heuristic_run_rins",
    "mip_heuristic_run_rens",
    "mip_heuristic_run_root_reduced_cost",
)


def size_options(free_integers: int) -> dict[str, bool]:
    """The heuristic switches for a MIP with ``free_integers`` unfixed integer columns."""
    small = free_integers <= SMALL_MIP_INTEGERS
    return {name: not small for name in SUB_MIP_HEURISTICS}


#: HiGHS options of a re-solve (see the module docstring); the scenario's ``highs`` wins.
RESOLVE_OPTIONS: dict[str, object] = {"mip_heuristic_run_feasibility_jump": False}


def resolve_options(options: SolverOptions | None) -> SolverOptions:
    """``options`` for a re-solve: :data:`RESOLVE_OPTIONS` under the user's own ``highs``."""
    options = options or SolverOptions()
    return replace(options, highs={**RESOLVE_OPTIONS, **options.highs})
