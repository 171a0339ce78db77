"""Setting up a HiGHS instance: creation without the banner, threads, the run's options."""

from __future__ import annotations

import math

import highspy

from symbio.errors import SolverError
from symbio.solvers.options import SolverOptions
from symbio.solvers.tuning import size_options

INF = math.inf
HIGHS_DEFAULT_GAP = 1e-4
HIGHS_DEFAULT_ABS_GAP = 1e-6


def _new_highs() -> object:
    """A HiGHS instance that prints nothing."""
    # highspy.Highs prints a banner from its constructor (callbacks are enabled before any
    # option can be set); the core class does not, and has every method used here.
    cls = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)
    h = cls()
    h.setOptionValue("output_flag", False)
    return h


#: Threads of HiGHS's process-wide scheduler once it has started (None: not yet).
_SCHEDULER: dict[str, int | None] = {"threads": None}


def _set_threads(h: object, threads: int | None) -> None:
    """Set ``threads``, restarting HiGHS's global scheduler when the count changes.

    HiGHS starts one scheduler per process with the first run's thread count and fails later
    runs that ask for another count. ``None`` keeps the running count (1 at first use, for
    reproducible MIP runs).
    """
    running = _SCHEDULER["threads"]
    want = int(threads) if threads is not None else (running or 1)
    if running is not None and want != running:
        type(h).resetGlobalScheduler(True)
    h.setOptionValue("threads", want)
    _SCHEDULER["threads"] = want


def solver_version() -> str:
    """HiGHS version string."""
    return str(_new_highs().version())


def apply_options(h: object, options: SolverOptions, free_integers: int) -> None:
    """Set HiGHS options for the next run (unset ones return to their defaults).

    ``free_integers`` (integer columns not fixed) chooses the size-dependent defaults of
    :func:`~symbio.solvers.tuning.size_options`; the scenario's own ``highs`` options win.
    """
    left = options.seconds_left()  # what is left of the run's time limit
    h.setOptionValue("time_limit", left if left is not None else INF)
    h.setOptionValue(
        "mip_rel_gap",
        float(options.mip_gap) if options.mip_gap is not None else HIGHS_DEFAULT_GAP,
    )
    h.setOptionValue(
        "mip_abs_gap",
        float(options.mip_abs_gap) if options.mip_abs_gap is not None else HIGHS_DEFAULT_ABS_GAP,
    )
    _set_threads(h, options.threads)
    h.setOptionValue("random_seed", int(options.seed or 0))
    h.setOptionValue("log_file", options.log_file or "")
    h.setOptionValue("output_flag", bool(options.verbose or options.log_file))
    h.setOptionValue("log_to_console", bool(options.verbose))
    for key, val in {**size_options(free_integers), **options.highs}.items():
        check(h.setOptionValue(key, val), f"option {key}")


def check(status: object, what: str) -> None:
    """Raise a SolverError when HiGHS answered a call with an error."""
    if status == highspy.HighsStatus.kError:
        raise SolverError(f"HiGHS rejected the model ({what})")
