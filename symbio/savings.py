"""Bounds on the savings from the two cases' MIP gaps, and the baseline's tightening target.

Savings are measured from the baseline's objective, so the baseline's MIP gap overstates
them one to one. When that gap exceeds the run's relative gap *of the savings*
(``mip_gap * |baseline - optimized|``, at least ``1e-4 * |baseline|``), the run solves the
baseline again to that absolute gap (:func:`baseline_target`). :func:`savings_gap` bounds
the objective's saving by both cases' gaps (``summary.json`` ``savings_gap``).
"""

from __future__ import annotations

import math

from symbio.model.kpis import criterion_kpi
from symbio.solvers.highs import HIGHS_DEFAULT_ABS_GAP, HIGHS_DEFAULT_GAP
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome


def rel_gap(objective: float, bound: float) -> float:
    """HiGHS's relative gap ``|objective - bound| / max(|objective|, 1e-10)``."""
    return abs(objective - bound) / max(abs(objective), 1e-10)


def abs_gap(out: SolveOutcome) -> float:
    """``objective - bound`` of a minimisation with a solution (inf without a finite bound)."""
    if out.bound is None or not math.isfinite(out.bound):
        return math.inf
    return max(out.objective - out.bound, 0.0)


def baseline_target(base: SolveOutcome, opt: SolveOutcome, sopts: SolverOptions) -> float | None:
    """Absolute gap to solve the baseline to again, or None when its gap is already within it.

    The baseline's gap overstates the savings one to one, so it should be at most the run's
    relative gap *of the savings* (``mip_gap * |baseline - optimized|``), not of the total
    cost. The target is never below HiGHS's default precision of the baseline
    (``1e-4 * |baseline|``) nor below the run's own absolute gap.
    """
    if not (base.has_solution and opt.has_solution):
        return None
    eps = sopts.mip_gap if sopts.mip_gap is not None else HIGHS_DEFAULT_GAP
    target = max(
        eps * abs(base.objective - opt.objective),
        HIGHS_DEFAULT_GAP * abs(base.objective),
        sopts.mip_abs_gap if sopts.mip_abs_gap is not None else HIGHS_DEFAULT_ABS_GAP,
    )
    return target if abs_gap(base) > target * (1 + 1e-9) else None


def savings_gap(
    name: str,
    unit: str,
    base: SolveOutcome | None,
    opt: SolveOutcome,
    tolerance: float | None = None,
) -> dict | None:
    """Bounds on the objective's saving implied by the two cases' MIP gaps.

    With the baseline's objective ``B`` and bound ``B_lb`` and the optimized case's ``O`` and
    ``O_lb`` (minimisation), the reported saving is ``S = B - O``; the best-operated status
    quo costs at least ``B_lb``, so the optimized network saves at least ``S - (B - B_lb)``
    (``lower``), and no network can save more than ``S + (O - O_lb)`` (``upper``). ``gap`` is
    the width ``upper - lower``; ``relative`` is ``gap / |S|``.

    ``stop_rule`` is the optimized case's stop rule (:mod:`symbio.solvers.stoprule`):
    ``savings`` (``stop_tolerance`` the share of the savings that may stay unproven) or
    ``objective`` (``stop_tolerance`` None: only the gap of the total stopped it);
    ``unproven_share`` is ``(O - O_lb) / (B - O_lb)``, the optimized case's gap as a share of
    the most any network can save (None when nothing can be saved).
    """
    if base is None or not base.has_solution or not opt.has_solution:
        return None
    gb, go = abs_gap(base), abs_gap(opt)
    saving = base.objective - opt.objective
    return {
        "objective": name,
        "kpi": criterion_kpi(name) if name != "weighted" else None,
        "unit": unit,
        "saving": saving,
        "lower": saving - gb,
        "upper": saving + go,
        "baseline_gap": gb,
        "optimized_gap": go,
        "gap": gb + go,
        "relative": (gb + go) / abs(saving) if saving else None,
        "stop_rule": "savings" if tolerance else "objective",
        "stop_tolerance": float(tolerance) if tolerance else None,
        "unproven_share": go / (saving + go) if saving + go > 0 and math.isfinite(go) else None,
    }
