"""Run a sweep: plan, execute (serial, local process pool or Dask), record, summarise.

The parent process plans the runs, hands :class:`~symbio.sweep.plan.RunSpec` objects to
the executor (:mod:`symbio.sweep.pool`, :mod:`symbio.sweep.cluster`, or this process) and
commits each :class:`~symbio.sweep.execute.RunOutput` as it arrives (its files, or the
staging folder a local worker wrote them in, with the record); the index is rewritten as
often as it stays a small share of the parent's time (:class:`Recorder`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from symbio.errors import InputError
from symbio.sweep.cluster import check_scheduler, run_dask
from symbio.sweep.execute import run_one
from symbio.sweep.plan import Plan, make_plan
from symbio.sweep.pool import handing_over_base, run_pool, start_pool_server
from symbio.sweep.progress import SweepProgress
from symbio.sweep.runspec import RunOutput, RunRecord, RunSpec
from symbio.sweep.spec import load_sweep
from symbio.sweep.store import SweepDir, completed


@dataclass
class SweepReport:
    """What a sweep invocation did."""

    out: Path
    total: int
    skipped: int
    """Runs already finished before this invocation (``--resume``)."""
    executed: int
    counts: dict[str, int]
    """Runs per status over the whole sweep."""
    seconds: float
    index: pd.DataFrame
    phases: dict[str, float]
    """Seconds spent planning, executing (and until the first result), summarising."""
    phases_cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds of this process planning, executing, summarising (the pool's processes,
    which run the runs, are not counted)."""


class Phases:
    """Wall-clock and CPU time of this process from a start to each named mark."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self._last = (self.started, time.process_time())
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def mark(self, name: str) -> None:
        """Record the time since the previous mark (or the start) as phase ``name``."""
        now = (time.perf_counter(), time.process_time())
        self.wall[name] = now[0] - self._last[0]
        self.cpu[name] = now[1] - self._last[1]
        self._last = now

    def first(self, name: str) -> None:
        """Record, the first time only, the wall time since the last mark as ``name``."""
        if name not in self.wall:
            self.wall[name] = time.perf_counter() - self._last[0]


def default_workers() -> int:
    """All usable cores."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_sweep(
    sweep_file: str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    tasks_per_worker: int | None = None,
    progress: bool = True,
    summary: bool = True,
    runner: str | None = None,
) -> SweepReport:
    """Run every run of a sweep file and write results, index and summary under ``out``.

    Parameters
    ----------
    sweep_file
        The sweep YAML (see :mod:`symbio.sweep.spec`).
    out
        Output directory; must be new or empty unless ``resume``.
    workers
        Processes of the local pool (default: all cores).
    scheduler
        Address of a Dask scheduler (``tcp://host:port``); runs go to that cluster.
    executor
        ``"pool"`` (default), ``"dask"`` (default when ``scheduler`` is given) or
        ``"serial"`` (in this process, one run after the other; for debugging and as the
        benchmark baseline).
    resume
        Continue a sweep in ``out``: runs with a record are not redone.
    retry_failed
        With ``resume``, also redo runs whose status is ``failed``.
    tasks_per_worker
        Runs a pool worker process does before it is replaced (None:
        :data:`symbio.sweep.pool.TASKS_PER_WORKER`; 0: never replaced).
    progress
        Show a progress bar on stderr.
    summary
        Write ``out/summary/`` at the end.
    runner
        ``module:function`` solving one variant (default: ``symbio.solve`` + scoring).

    Raises
    ------
    InputError
        Bad sweep file, an ``out`` that holds something else, or a resume of a changed sweep.
    symbio.errors.ScenarioError
        The base scenario is invalid.
    """
    phases = Phases()
    sweep_file = Path(sweep_file)
    spec, base = load_sweep(sweep_file)
    pool = executor_kind(executor, scheduler) == "pool"
    if pool:
        start_pool_server(base, hand_over=True)  # its imports overlap the planning below
    with handing_over_base(base if pool else None):
        plan = make_plan(spec, base, str(sweep_file), runner=runner)
    return run_plan(
        plan,
        out,
        sweep_file.read_text(encoding="utf-8"),
        workers=workers,
        scheduler=scheduler,
        executor=executor,
        resume=resume,
        retry_failed=retry_failed,
        tasks_per_worker=tasks_per_worker,
        progress=progress,
        summary=summary,
        phases=phases,
    )


def executor_kind(executor: str | None, scheduler: str | None) -> str:
    """``serial``, ``pool`` or ``dask``: the executor asked for (default pool, or dask with a
    scheduler).

    Raises
    ------
    InputError
        An unknown executor, or dask without a scheduler address.
    """
    kind = executor or ("dask" if scheduler else "pool")
    if kind not in ("serial", "pool", "dask"):
        raise InputError("--executor", "", f"unknown executor {kind!r}; use serial, pool or dask")
    if kind == "dask" and not scheduler:
        raise InputError("--scheduler", "", "the dask executor needs a scheduler address")
    if scheduler:
        check_scheduler(scheduler)
    return kind


def run_plan(
    plan: Plan,
    out: str | Path,
    description: str,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    tasks_per_worker: int | None = None,
    progress: bool = True,
    summary: bool = True,
    phases: Phases | None = None,
) -> SweepReport:
    """Run a planned sweep (see :func:`run_sweep`; ``description`` is kept as ``sweep.yaml``).

    Lets other studies (the robustness study) build their own plan and run it through the
    same executors, store and resume. ``phases``: timing started by the caller.
    """
    phases = phases or Phases()
    kind = executor_kind(executor, scheduler)
    if kind == "pool":
        start_pool_server()
    store = SweepDir(out)
    _prepare(store, plan, description, resume)
    records = store.records()
    done = completed(records, ["failed"] if retry_failed else [])
    pending = [r for r in plan.runs if r.run_id not in done]
    records = {rid: rec for rid, rec in records.items() if rid in done}
    store.write_index(plan, records)

    phases.mark("plan")
    with long_lived_frozen() as freeze_more:
        if summary:
            # matplotlib's imports (~0.5 s), here while a pool's fork server still imports its own
            import symbio.sweep.summary  # noqa: F401

            freeze_more()  # matplotlib's objects are long-lived too
            phases.mark("summary_imports")
        recorder = Recorder(store, plan, records)
        with SweepProgress(len(plan.runs), records.values(), enabled=progress) as bar:

            def on_done(output: RunOutput) -> None:
                phases.first("first_result")
                recorder.record(output)
                bar.advance(output.record)

            stage = str(store.staging.absolute())  # the local executors' runs write there
            if kind == "serial":
                _run_serial(pending, on_done, stage)
            elif kind == "pool":
                run_pool(pending, on_done, workers or default_workers(), tasks_per_worker, stage)
            else:
                run_dask(pending, on_done, scheduler)
        phases.mark("execute")
        store.clean_staging()
        index = recorder.finish()
        if summary:
            from symbio.sweep.summary import write_summary

            write_summary(store.root, index, plan.paths, plan.measures)
        phases.mark("summary")
    counts = index["status"].value_counts().to_dict()
    return SweepReport(
        out=store.root,
        total=len(plan.runs),
        skipped=len(plan.runs) - len(pending),
        executed=len(pending),
        counts={k: int(v) for k, v in counts.items()},
        seconds=time.perf_counter() - phases.started,
        index=index,
        phases=phases.wall,
        phases_cpu=phases.cpu,
    )


@contextlib.contextmanager
def long_lived_frozen() -> Iterator[Callable[[], None]]:
    """Keep the objects alive now (modules, the plan, the base's memos) out of the
    collector's passes until the block ends (:func:`gc.freeze`, then :func:`gc.unfreeze`);
    yields a function that freezes those made since as well.

    They live as long as the sweep, yet each full collection while it executes and
    summarises walked them all again (~190,000 objects, ~0.08 CPU-s a pass: one fell during
    matplotlib's import alone). Nothing is lost: they are handed back to the collector at
    the end, and a forked figure drawer does not touch their pages. Done only where this
    sweep is all the process does: from the main thread, with no other thread, and nothing
    frozen already (a caller that manages the collector itself, such as the main job whose
    robustness study runs a sweep in a thread, keeps doing so).
    """
    alone = threading.current_thread() is threading.main_thread()
    if not alone or threading.active_count() != 1 or gc.get_freeze_count():
        yield lambda: None
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


class Recorder:
    """Writes each finished run and keeps ``index.csv`` current at a bounded cost.

    Rewriting the index takes time proportional to the sweep's size, and doing it after
    every run would make a big sweep's bookkeeping quadratic. The index is rewritten after a
    run only when at least :attr:`SPACING` times the last rewrite's duration, and at least
    :attr:`MIN_GAP` seconds, have passed since it, so it costs at most ~1/SPACING of the
    parent's time and is never more than a few seconds stale; it is always written at the
    end. The runs' own ``record.json`` files, written as each run arrives, are what a resume
    reads. (In a sweep of 100 SCIP runs a rewrite takes ~20 ms; without the floor the index
    was rewritten about twice a second, CPU the sweep's process took from the workers.)
    """

    SPACING = 50
    MIN_GAP = 2.0

    def __init__(self, store: SweepDir, plan: Plan, records: dict[str, RunRecord]) -> None:
        self.store, self.plan, self.records = store, plan, records
        self._next = 0.0

    def record(self, output: RunOutput) -> None:
        """Commit one run's files and record; rewrite the index when it is due."""
        self.store.commit(output)
        self.records[output.record.run_id] = output.record
        if time.monotonic() >= self._next:
            self._write()

    def finish(self) -> pd.DataFrame:
        """Write the final index and return it as every later reader sees it (from the CSV)."""
        self._write()
        return self.store.read_index()

    def _write(self) -> None:
        start = time.monotonic()
        self.store.write_index(self.plan, self.records)
        end = time.monotonic()
        self._next = end + max(self.SPACING * (end - start), self.MIN_GAP)


def _prepare(store: SweepDir, plan: Plan, description: str, resume: bool) -> None:
    if store.has_plan():
        if not resume:
            raise InputError(
                str(store.root),
                "",
                "holds a sweep already; pass --resume to continue it or choose another --out",
            )
        store.check_plan(plan)
        store.clean_staging()
        return
    if store.root.exists() and not store.root.is_dir():
        raise InputError(str(store.root), "", "is a file; --out must be a directory")
    if store.root.exists() and any(store.root.iterdir()):
        raise InputError(
            str(store.root), "", "is not empty and holds no sweep; choose another --out"
        )
    store.write_plan(plan, description)


def _run_serial(pending: list[RunSpec], on_done: Callable[[RunOutput], None], stage: str) -> None:
    for spec in pending:
        on_done(run_one(spec, stage))
