"""Solver options (frozen): time limit, MIP gap, threads, seed, log file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from symbio.errors import InputError
from symbio.flows.schema import SolverSettings
from symbio.outdir import check_out_file, fs_error


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
    """

    time_limit: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    seed: int | None = None
    log_file: str | None = None
    verbose: bool = False
    highs: Mapping[str, object] = field(default_factory=dict)
    mip_abs_gap: float | None = None

    def __post_init__(self) -> None:
        checks = {
            "--time-limit": (self.time_limit, lambda v: v > 0, "must be more than 0 seconds"),
            "--mip-gap": (self.mip_gap, lambda v: 0 <= v <= 1, "must be between 0 and 1"),
            "--threads": (self.threads, lambda v: v >= 1, "must be at least 1"),
            "mip_abs_gap": (self.mip_abs_gap, lambda v: v >= 0, "must be 0 or more"),
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
        )
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})
