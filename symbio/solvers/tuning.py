"""HiGHS settings chosen by the size of the problem at hand.

HiGHS runs sub-MIP heuristics (RINS, RENS) and a root reduced-cost heuristic at the root of
every MIP. On a park of a few dozen build decisions they cost more than the branch and bound
they are meant to shorten: the optimized cases of the 11 SCIP scenarios (23 binaries, 53
rows after presolve) took 1.01-1.13 s in total with them and 0.36-0.42 s without, to the
same optima (``benchmarks/results/small-mip-heuristics.md``, load 10 on 2 cores). A MIP with at most
:data:`SMALL_MIP_INTEGERS` free integer columns is solved without them; a larger one keeps
HiGHS's defaults, where an early incumbent matters. An option the user sets in the
scenario's ``solver.highs`` wins over both.
"""

from __future__ import annotations

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
