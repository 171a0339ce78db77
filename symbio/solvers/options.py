"""Solver options (frozen): time limit, MIP gap, threads, seed, log file."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from symbio.errors import InputError
from symbio.flows.schema import SolverSettings
from symbio.outdir import check_out_file, fs_error

#: Shortest time limit handed to a solve (HiGHS needs a positive one).
MIN_SOLVE_SECONDS = 1e-3
#: Default stop of a run's optimized case: 1 % of the savings left unproven.
DEFAULT_SAVINGS_GAP = 0.01


def _check_log_file(path: str) -> None:
    """Refuse a log file that cannot be written (HiGHS would ignore it silently)."""
    check_out_file(path, option="--log-file")
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise fs_error(path, exc) from None


@dataclass(frozen=True)
class SolverOptions:
    """How to run the solver.

    Attributes
    ----------
    time_limit : float or None
        Wall-clock limit in seconds; at the limit the incumbent is returned, labelled
        ``feasible`` with its gap (or ``no_solution`` when there is none).
    mip_gap : float or None
        Relative MIP gap at which the solver stops and reports ``optimal``.
    threads : int or None
        Solver threads (1 gives reproducible MIP runs); None keeps the threads HiGHS already
        runs with in this process (1 at first use).
    seed : int or None
        Random seed of the solver.
    log_file : str or None
        Write the solver log to this file.
    verbose : bool
        Print the solver log to the console.
    highs : mapping
        Further HiGHS options passed verbatim (``{"presolve": "off"}``).
    mip_abs_gap : float or None
        Absolute MIP gap (objective units) at which the solver stops too (HiGHS stops at
        whichever of the two gaps is reached first; None: HiGHS's default, 1e-6).
    savings_gap : float or None
        Share of the savings (baseline - dual bound) that may stay unproven when the
        optimized case of a run stops (:mod:`symbio.solvers.stoprule`); HiGHS stops at this
        or at ``mip_gap`` of the total, whichever comes first. 0 or None: ``mip_gap`` alone
        (the rule relative to the total cost).
    deadline : float or None
        ``time.monotonic()`` by which every solve of the run must end; set by
        :meth:`started`, so that one ``time_limit`` bounds the whole run (each solve gets
        what is left) rather than each solve.
    """

    time_limit: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    seed: int | None = None
    log_file: str | None = None
    verbose: bool = False
    highs: Mapping[str, object] = field(default_factory=dict)
    mip_abs_gap: float | None = None
    savings_gap: float | None = DEFAULT_SAVINGS_GAP
    deadline: float | None = None

    def started(self) -> SolverOptions:
        """These options with the run's clock started (unchanged if started or unlimited)."""
        if self.time_limit is None or self.deadline is not None:
            return self
        return replace(self, deadline=time.monotonic() + float(self.time_limit))

    def seconds_left(self) -> float | None:
        """Time limit of the next solve: what is left of the run's (None: unlimited).

        Never below :data:`MIN_SOLVE_SECONDS`, so a solve started after the deadline stops
        at once with HiGHS's "time limit reached".
        """
        if self.time_limit is None:
            return None
        left = float(self.time_limit)
        if self.deadline is not None:
            left = min(left, self.deadline - time.monotonic())
        return max(left, MIN_SOLVE_SECONDS)

    def expired(self) -> bool:
        """True when the run's deadline has passed."""
        return self.deadline is not None and time.monotonic() >= self.deadline

    def __post_init__(self) -> None:
        checks = {
            "--time-limit": (self.time_limit, lambda v: v > 0, "must be more than 0 seconds"),
            "--mip-gap": (self.mip_gap, lambda v: 0 <= v <= 1, "must be between 0 and 1"),
            "--threads": (self.threads, lambda v: v >= 1, "must be at least 1"),
            "mip_abs_gap": (self.mip_abs_gap, lambda v: v >= 0, "must be 0 or more"),
            "--savings-gap": (self.savings_gap, lambda v: 0 <= v < 1, "must be in [0, 1)"),
        }
        for name, (value, ok, rule) in checks.items():
            if value is not None and not ok(value):
                raise InputError(name, "", f"{rule} (got {value!r})")
        if self.log_file:
            _check_log_file(self.log_file)

    @classmethod
    def from_settings(
        cls, settings: SolverSettings | None = None, **overrides: object
    ) -> SolverOptions:
        """Options from a scenario's ``solver:`` section, with non-None ``overrides`` applied."""
        settings = settings or SolverSettings()
        base = cls(
            time_limit=settings.time_limit_s,
            mip_gap=settings.mip_gap,
            threads=settings.threads,
            seed=settings.seed,
            savings_gap=settings.savings_gap,
        )
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})
