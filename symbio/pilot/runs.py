"""The main job's scenario runs: each solved, written and scored, the others in worker processes.

The main scenario is solved in this process: its result starts the robustness study and its
Pareto front and measures follow here. The other scenarios need nothing from it, so on a
machine with more than one core they are handed to worker processes forked from the
preloaded fork server (:mod:`symbio.sweep.pool`) and solved while this process traces the
front (:class:`RunsElsewhere`); once free, this process solves the runs no worker has
started yet. Each run is the same :func:`solve_and_score` wherever it runs, writing its own
result directory atomically, so the files are the same; the records come back in the order
the runs were given. A run whose worker died, or whose outcome could
not come back, is solved again in this process, where any error it has is raised as usual.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from contextlib import ExitStack
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


def worth_workers(runs: int) -> bool:
    """True when ``runs`` runs are better solved in worker processes: more than one run, a
    second usable core, and workers forked from a preloaded server (spawned ones would pay
    seconds of imports each)."""
    from symbio.sweep.engine import default_workers
    from symbio.sweep.pool import pool_context

    return runs > 1 and default_workers() > 1 and pool_context().get_start_method() == "forkserver"


class RunsElsewhere:
    """Runs handed to worker processes now; :meth:`records` gives them back in order."""

    def __init__(
        self,
        scenarios: Mapping[str, object],
        out: Path,
        scoring: Mapping,
        time_limit: float | None,
    ) -> None:
        from symbio.sweep.engine import default_workers
        from symbio.sweep.pool import worker_pool

        self._args = (out, dict(scoring), time_limit)
        self._scenarios = dict(scenarios)
        self._stack = ExitStack()
        workers = min(default_workers(), len(self._scenarios))
        pool = self._pool = self._stack.enter_context(worker_pool(workers))
        self._futures: dict[str, Future] = {
            stem: pool.submit(solve_and_score, stem, scenario, *self._args)
            for stem, scenario in self._scenarios.items()
        }

    def records(self) -> Iterator[RunRecord]:
        """Each run's record, in the order given; then the pool ends.

        This process is free now, so it takes the runs no worker has started yet, from the
        back (the workers take from the front), one at a time until none is left waiting.
        """
        here: dict[str, RunRecord] = {}
        with self._stack:
            for stem in reversed(self._futures):
                if self._futures[stem].cancel():  # not started: solved here instead
                    here[stem] = solve_and_score(stem, self._scenarios[stem], *self._args)
            for stem, future in self._futures.items():
                yield here[stem] if stem in here else self._outcome(stem, future)

    def _outcome(self, stem: str, future: Future) -> RunRecord:
        try:
            return future.result()
        except Exception:  # noqa: BLE001 - its worker died, or its error: raised here
            return solve_and_score(stem, self._scenarios[stem], *self._args)

    def close(self) -> None:
        """Stop the workers (the job stopped before it took the records)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._stack.close()
