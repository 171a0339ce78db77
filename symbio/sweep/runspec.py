"""The data passed between a sweep and its workers: run specs in, records out.

Kept free of heavy imports so a worker process starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import PurePath

from symbio.errors import InputError

#: Key of a runner's returned fields holding result files it did not write (name -> bytes);
#: they are returned with the files of its directory (:func:`symbio.sweep.execute.run_one`).
RESULT_FILES = "result_files"


@dataclass(frozen=True)
class RunOptions:
    """How every run of a sweep is solved and scored."""

    score: bool = True
    objective: str | None = None
    time_limit_s: float | None = None
    runner: str = "symbio.sweep.execute:solve_and_score"
    """``module:function`` that solves (and scores) one scenario variant; see ``run_one``."""
    plan_builds: tuple[str, ...] | None = None
    """A fixed build plan (candidate ids built): the default runner also operates it in every
    run and records its KPIs as ``<kpi>.plan`` (the plan's regret under each variant)."""


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep: everything a worker needs, nothing it must look up."""

    run_id: str
    base: str
    """Absolute path of the base scenario file."""
    overrides: dict[str, object]
    options: RunOptions = field(default_factory=RunOptions)


@dataclass
class RunRecord:
    """What the index keeps of one run."""

    run_id: str
    status: str
    objective_baseline: float | None = None
    objective_optimized: float | None = None
    solver_status: str | None = None
    gap: float | None = None
    audit: str | None = None
    """Verdict of the run's self-audit: ``passed`` or ``failed`` (``summary.json`` ``audit``)."""
    kpis: dict[str, float] = field(default_factory=dict)
    """Key KPIs of the optimized case (and ``<name>.baseline`` where known)."""
    builds: list[str] = field(default_factory=list)
    """Candidate links and processes built in the optimized case, sorted."""
    measures: list[str] = field(default_factory=list)
    """Measures (named sets of candidates) with at least one member built, sorted."""
    grade: str | None = None
    """Fuzzy grade of the park, optimized case, by maximum membership (I, II, III, below)."""
    score: float | None = None
    """Fuzzy comprehensive score (0-100)."""
    rating: str | None = None
    """Composite-index rating of the national rules (I, II, III or none)."""
    message: str = ""
    seconds: float = 0.0
    """Wall-clock time of the run in its worker."""
    cpu_seconds: float = 0.0
    """CPU time of the run in its worker (less than ``seconds`` when cores are shared)."""
    runner_seconds: float | None = None
    """Wall-clock time inside the runner (solve, write, score): a run's own time, without
    the sweep's share (overrides, hand-over, clean-up). None when the runner did not finish."""
    runner_cpu_seconds: float | None = None
    """CPU time inside the runner."""
    worker: str = ""

    def as_dict(self) -> dict:
        """JSON-ready dict (``record.json``); it shares the record's lists and dicts (read
        them, do not change them): the deep copy of :func:`dataclasses.asdict` cost the
        sweep's writer ~0.7 ms a run."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict) -> RunRecord:
        """Inverse of :meth:`as_dict` (unknown keys are ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class RunOutput:
    """A finished run: its record and the files it produced (relative path → bytes), or the
    folder in the sweep's staging folder that holds them (written by the worker)."""

    record: RunRecord
    files: dict[str, bytes] = field(default_factory=dict)
    folder: str | None = None
    """The run's files are in this folder (a child of the sweep's staging folder), not in
    ``files``."""


def relative_path(rel: str) -> PurePath:
    """``rel`` as a path inside a run's new folder (checked by its parts: the folder is new,
    so no link in it can lead out).

    Raises
    ------
    InputError
        An absolute path, or one with a ``..`` part.
    """
    path = PurePath(rel)
    if path.is_absolute() or path.drive or path.root or ".." in path.parts or not path.parts:
        raise InputError(rel, "", "a run returned a file outside its directory")
    return path
