"""The main job's scenario runs: each solved, written and scored, wherever it runs.

The same call in this process or a worker's (:mod:`symbio.pilot.elsewhere`): the result
directory is written atomically, and what the job keeps comes back in a :class:`RunRecord`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from symbio.errors import InfeasibleError


@dataclass
class RunRecord:
    """One scenario's run: its status and seconds, its directory, scores and result."""

    stem: str
    status: str
    run_seconds: float
    #: The solver's diagnosis when ``status`` is "infeasible".
    why: str = ""
    target: Path | None = None
    scores: object = None
    result: object = None
    score_seconds: float = 0.0


def solve_and_score(
    stem: str, scenario: object, out: Path, scoring: Mapping, time_limit: float | None
) -> RunRecord:
    """Solve ``scenario`` into ``out/runs/<stem>/`` and score it into its ``scores/``.

    An infeasible scenario is recorded with the first line of its diagnosis (nothing is
    written for it); every other error is raised.
    """
    from symbio.run import solve
    from symbio.scoring import score_result
    from symbio.scoring.output import write_scores

    t = time.perf_counter()
    try:
        result = solve(scenario, time_limit=time_limit)
    except InfeasibleError as exc:
        return RunRecord(stem, "infeasible", time.perf_counter() - t, why=str(exc))
    target = result.write(out / "runs" / stem)
    record = RunRecord(stem, result.outcomes["optimized"].status.value, time.perf_counter() - t)
    t = time.perf_counter()
    record.scores = score_result(target, **scoring)
    write_scores(record.scores, target / "scores")
    record.score_seconds = time.perf_counter() - t
    record.target, record.result = target, result
    return record


def run_step(stem, scenario, out, scoring, time_limit, report, say) -> RunRecord:  # noqa: ANN001, PLR0913
    """:func:`solve_and_score` as a step of the job: its rows in ``report``, a line said."""
    record = solve_and_score(stem, scenario, out, scoring, time_limit)
    if record.status == "infeasible":
        report.add("run", stem, "infeasible", record.run_seconds, record.why.splitlines()[0])
        say(f"{stem}: infeasible — {record.why}")
        return record
    report.add("run", stem, record.status, record.run_seconds)
    report.add("score", stem, "ok", record.score_seconds)
    say(f"{stem}: {record.status}, scored ({record.score_seconds:.1f} s)")
    return record
