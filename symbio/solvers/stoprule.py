"""Stop a MIP when its gap is a share of the savings, not of the total cost.

HiGHS's ``mip_rel_gap`` is relative to the incumbent's objective: the park's *total* annual
cost, most of which (purchases for fixed demands) no decision changes. A 1 % gap of the total
can hide several % of what the optimization saves over the baseline. The optimized case
therefore stops, by default, when

    incumbent - dual bound  <=  savings_gap * (baseline - dual bound)

``baseline`` is the baseline's dual bound (same objective, candidates fixed at 0; its
objective when solved to optimality), so ``baseline - dual bound`` is at most what any
network can save and the left side is what is
still unproven of it: at most ``savings_gap`` of the provable savings are left unproven
(``savings_gap / (1 - savings_gap)`` of the found network's saving ``baseline -
incumbent``). The rule is exact: HiGHS calls :func:`_interrupt` (``kCallbackMipInterrupt``)
throughout the branch and bound with its current primal and dual bound, and the solve is
interrupted the moment the inequality holds. A fixed ``mip_abs_gap`` could not do this:
``baseline - dual bound`` shrinks as the bound rises, so any constant chosen before the
solve is either looser or tighter than the rule.

HiGHS's own ``mip_rel_gap`` (``SolverOptions.mip_gap``, relative to the total) and
``mip_abs_gap`` stay in force: the solve stops at whichever is reached first. With
``savings_gap`` 0 or None no callback is installed and only the relative-to-cost gap
stops the solve (the rule before this module).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import highspy

from symbio.solvers.highs import HIGHS_DEFAULT_ABS_GAP, PersistentHighs
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome, Status

__all__ = ["SavingsStop", "mip_interrupt", "savings_stop", "solve_to_savings"]

_INTERRUPT = highspy.cb.HighsCallbackType.kCallbackMipInterrupt


@contextmanager
def mip_interrupt(h: highspy.Highs, callback: Callable[..., None], data: object) -> Iterator[None]:
    """Within the block, HiGHS calls ``callback(type, message, out, into, data)`` throughout
    its MIP search (``kCallbackMipInterrupt``); setting ``into.user_interrupt`` stops it.
    The callback is removed on leaving, also on an error."""
    h.setCallback(callback, data)
    h.startCallback(_INTERRUPT)
    try:
        yield
    finally:
        h.stopCallback(_INTERRUPT)
        h.setCallback(None, None)


@dataclass
class SavingsStop:
    """The savings-relative stop rule of one minimisation.

    Attributes
    ----------
    baseline : float
        Objective of the baseline (the value the savings are measured from).
    tolerance : float
        Share of the provable savings ``baseline - bound`` that may stay unproven.
    floor : float
        Absolute gap that always suffices (HiGHS's ``mip_abs_gap``).
    met_at : tuple or None
        ``(incumbent, bound)`` when the rule stopped the solve.
    calls : int
        Callback calls of the last solve (for the overhead).
    trace : list or None
        When a list, every change of ``(seconds, nodes, incumbent, bound, process CPU
        seconds)`` seen by the callback is appended to it (the benchmarks' progress table).
    """

    baseline: float
    tolerance: float
    floor: float = HIGHS_DEFAULT_ABS_GAP
    met_at: tuple[float, float] | None = None
    calls: int = field(default=0)
    trace: list[tuple[float, int, float, float, float]] | None = None

    def threshold(self, bound: float) -> float:
        """Largest gap the rule accepts at this dual bound."""
        return max(self.tolerance * (self.baseline - bound), self.floor)

    def met(self, objective: float, bound: float) -> bool:
        """True when ``objective - bound`` is within :meth:`threshold`."""
        if not (math.isfinite(objective) and math.isfinite(bound)):
            return False
        return objective - bound <= self.threshold(bound)

    def share(self, objective: float, bound: float) -> float | None:
        """``(objective - bound) / (baseline - bound)``: the unproven share of the savings."""
        room = self.baseline - bound
        if not (math.isfinite(objective) and math.isfinite(bound)) or room <= 0:
            return None
        return max(objective - bound, 0.0) / room


def savings_stop(base: SolveOutcome | None, options: SolverOptions) -> SavingsStop | None:
    """The rule for the optimized case after this baseline (None: the rule is off).

    Off when ``options.savings_gap`` is None or 0, or when the baseline has no solution
    (nothing to measure the savings from). The savings are measured from the baseline's
    dual bound, a conservative choice when the baseline was not solved to optimality.
    """
    tol = options.savings_gap
    if not tol or base is None or not base.has_solution or base.objective is None:
        return None
    floor = options.mip_abs_gap if options.mip_abs_gap is not None else HIGHS_DEFAULT_ABS_GAP
    # the baseline's bound: the true baseline lies between it and the objective, so the
    # room to save measured from the bound is never larger than the true one
    ref = base.bound if base.bound is not None and math.isfinite(base.bound) else base.objective
    return SavingsStop(float(min(ref, base.objective)), float(tol), float(floor))


def _interrupt(_type: object, _msg: str, out: object, into: object, rule: SavingsStop) -> None:
    """HiGHS callback: interrupt the MIP once the savings rule holds."""
    rule.calls += 1
    primal, dual = float(out.mip_primal_bound), float(out.mip_dual_bound)
    if rule.trace is not None and (not rule.trace or rule.trace[-1][2:4] != (primal, dual)):
        row = (float(out.running_time), int(out.mip_node_count), primal, dual, time.process_time())
        rule.trace.append(row)
    if into is not None and rule.met(primal, dual):
        rule.met_at = (primal, dual)
        into.user_interrupt = True


def solve_to_savings(
    solver: PersistentHighs,
    options: SolverOptions,
    rule: SavingsStop | None,
    **kwargs: object,
) -> SolveOutcome:
    """``solver.solve(options, **kwargs)`` that also stops by the savings rule.

    A solve the rule interrupted is ``optimal`` (within the stop rule, as one stopped by
    ``mip_rel_gap``); its message names the share of the savings left unproven. One stopped
    by another limit (time) stays ``feasible`` unless its final gap meets the rule too.
    Without a rule this is ``solver.solve`` unchanged.
    """
    if rule is None:
        return solver.solve(options, **kwargs)
    rule.met_at, rule.calls = None, 0
    with mip_interrupt(solver.h, _interrupt, rule):
        out = solver.solve(options, **kwargs)
    stopped = out.status == Status.FEASIBLE and out.bound is not None  # by a limit
    if rule.met_at is not None and stopped and rule.met(out.objective, out.bound):
        share = rule.share(out.objective, out.bound)
        out.status = Status.OPTIMAL
        out.message = (
            f"optimal within {rule.tolerance:.2%} of the savings (unproven: "
            + (f"{share:.2%}" if share is not None else "n/a")
            + f" of the savings, {out.gap or 0.0:.3%} of the objective)"
        )
    return out
