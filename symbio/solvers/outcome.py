"""SolveOutcome: why the solver stopped, kept apart from what came back.

``status`` is the planner-facing class of the outcome; ``termination`` is the solver's own
words. A time limit with an incumbent is ``feasible`` (with its gap), never an error.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """Class of a solve outcome."""

    OPTIMAL = "optimal"
    """Proven optimal (within the MIP gap tolerance)."""
    FEASIBLE = "feasible"
    """A solution with a gap: stopped at a time or other limit."""
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NO_SOLUTION = "no_solution"
    """Stopped at a limit before any solution was found."""
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


#: Timing keys every outcome carries, in seconds.
TIMING_KEYS = ("build", "handover", "solve", "load")


@dataclass
class SolveOutcome:
    """Result of one solve.

    Attributes
    ----------
    status : Status
        optimal / feasible (with gap) / infeasible / unbounded / no_solution / error.
    termination : str
        The solver's model status, e.g. ``Time limit reached``.
    objective : float or None
        Objective of the returned solution.
    bound : float or None
        Best proven bound (equals the objective for an optimal LP).
    gap : float or None
        Relative gap ``|objective - bound| / max(|objective|, 1e-10)`` (HiGHS definition).
    timings : dict
        Seconds of ``build`` (model), ``handover`` (model to solver), ``solve`` and ``load``
        (values back into the model).
    solver, solver_version : str
        Solver name and version.
    message : str
        A sentence for the planner.
    """

    status: Status
    termination: str = ""
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    timings: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TIMING_KEYS, 0.0))
    solver: str = "highs"
    solver_version: str = ""
    message: str = ""

    @property
    def has_solution(self) -> bool:
        """True when values were loaded (optimal or feasible)."""
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    @property
    def ok(self) -> bool:
        """Alias of :attr:`has_solution`."""
        return self.has_solution

    @property
    def build_seconds(self) -> float:
        """Model build time."""
        return self.timings.get("build", 0.0)

    @property
    def solve_seconds(self) -> float:
        """Solver run time."""
        return self.timings.get("solve", 0.0)

    def as_dict(self) -> dict:
        """JSON-ready dict (non-finite numbers become None)."""
        out = asdict(self)
        out["status"] = str(self.status)
        for key in ("objective", "bound", "gap"):
            v = out[key]
            out[key] = None if v is None or not math.isfinite(v) else float(v)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> SolveOutcome:
        """Inverse of :meth:`as_dict`."""
        data = dict(data)
        data["status"] = Status(data.get("status", "error"))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})
