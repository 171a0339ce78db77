"""Run a sweep: plan, execute (serial, local process pool or Dask), record, summarise.

The parent process plans the runs, hands :class:`~symbio.sweep.plan.RunSpec` objects to
the executor and writes each :class:`~symbio.sweep.execute.RunOutput` as it arrives, then
rewrites the index. Pool workers are replaced after ``tasks_per_worker`` runs because
Pyomo's memory grows when one process builds many models (Calliope issue #368); with a
preloaded fork server (Linux, macOS) a fresh process costs ~0.05 s, so by default every
run gets its own process.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from symbio.errors import InputError, SolverError, SymbioError
from symbio.sweep.execute import run_one
from symbio.sweep.lifeline import die_with_parent
from symbio.sweep.plan import Plan, make_plan
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
        Runs a pool worker process does before it is replaced; None: 1 (a process per
        run) where workers fork from a preloaded server, 20 where they are spawned;
        0: never replaced.
    progress
        Show a progress bar on stderr.
    summary
        Write ``out/summary/`` at the end.
    runner
        ``module:function`` solving one variant (default: ``symbio.solve`` + scoring).

    Returns
    -------
    SweepReport

    Raises
    ------
    InputError
        Bad sweep file, an ``out`` that holds something else, or a resume of a changed sweep.
    symbio.errors.ScenarioError
        The base scenario is invalid.
    """
    started = time.perf_counter()
    executor_kind(executor, scheduler)
    sweep_file = Path(sweep_file)
    spec, base = load_sweep(sweep_file)
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
        started=started,
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
    started: float | None = None,
) -> SweepReport:
    """Run a planned sweep (see :func:`run_sweep`; ``description`` is kept as ``sweep.yaml``).

    Lets other studies (the robustness study) build their own plan and run it through the
    same executors, store and resume.
    """
    started = time.perf_counter() if started is None else started
    kind = executor_kind(executor, scheduler)
    store = SweepDir(out)
    _prepare(store, plan, description, resume)
    records = store.records()
    done = completed(records, ["failed"] if retry_failed else [])
    pending = [r for r in plan.runs if r.run_id not in done]
    records = {rid: rec for rid, rec in records.items() if rid in done}
    store.write_index(plan, records)

    phases = {"plan": time.perf_counter() - started}
    bar = SweepProgress(len(plan.runs), records.values(), enabled=progress)
    throttle = 0.0 if len(plan.runs) <= 5000 else 1.0
    last_write = 0.0

    def on_done(output: RunOutput) -> None:
        nonlocal last_write
        phases.setdefault("first_result", time.perf_counter() - t_execute)
        store.commit(output)
        records[output.record.run_id] = output.record
        if time.monotonic() - last_write >= throttle:
            store.write_index(plan, records)
            last_write = time.monotonic()
        bar.advance(output.record)

    t_execute = time.perf_counter()
    with bar:
        if kind == "serial":
            _run_serial(pending, on_done)
        elif kind == "pool":
            _run_pool(pending, on_done, workers or default_workers(), tasks_per_worker)
        else:
            _run_dask(pending, on_done, scheduler)
    phases["execute"] = time.perf_counter() - t_execute
    t_summary = time.perf_counter()
    store.clean_staging()
    store.write_index(plan, records)
    index = store.read_index()  # as every later reader sees it (types from the CSV)
    if summary:
        from symbio.sweep.summary import write_summary

        write_summary(store.root, index, plan.paths, plan.measures)
    phases["summary"] = time.perf_counter() - t_summary
    counts = index["status"].value_counts().to_dict()
    return SweepReport(
        out=store.root,
        total=len(plan.runs),
        skipped=len(plan.runs) - len(pending),
        executed=len(pending),
        counts={k: int(v) for k, v in counts.items()},
        seconds=time.perf_counter() - started,
        index=index,
        phases=phases,
    )


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


def _run_serial(pending: list[RunSpec], on_done: Callable[[RunOutput], None]) -> None:
    for spec in pending:
        on_done(run_one(spec))


def _run_pool(
    pending: list[RunSpec],
    on_done: Callable[[RunOutput], None],
    workers: int,
    tasks_per_worker: int | None,
) -> None:
    """A process pool (see :func:`pool_context`), fed ``workers + 1`` runs at a time.

    Keeping few runs in flight means a worker that dies (out of memory, a crash in a
    native library) affects only those runs: each of them is run again alone in a fresh
    process, so only the run that kills its worker is recorded as failed, and the pool is
    rebuilt for the rest.
    """
    queue = list(reversed(pending))
    context = pool_context()
    if tasks_per_worker is None:
        tasks_per_worker = 1 if context.get_start_method() == "forkserver" else 20
    while queue:
        suspects: list[RunSpec] = []
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            max_tasks_per_child=tasks_per_worker or None,
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            in_flight: dict[Future, RunSpec] = {}
            try:
                while queue or in_flight:
                    while queue and len(in_flight) < workers + 1:
                        future = pool.submit(run_one, queue[-1])  # raises if the pool broke
                        in_flight[future] = queue.pop()
                    finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in finished:
                        output = _output(future, in_flight[future])  # raises if a worker died
                        del in_flight[future]
                        on_done(output)
            except BrokenProcessPool:
                for future, spec in in_flight.items():
                    if future.done() and future.exception() is None:
                        on_done(future.result())
                    else:
                        suspects.append(spec)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        _run_one_at_a_time(suspects, on_done, context)


def _output(future: Future, spec: RunSpec) -> RunOutput:
    """The future's RunOutput; a result that cannot come back is that run's failure."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise
    except Exception as exc:  # e.g. the output could not be pickled
        return _died(spec, f"the run's result could not be returned: {type(exc).__name__}: {exc}")


def pool_context() -> multiprocessing.context.BaseContext:
    """The start method of pool workers: a preloaded fork server where there is one.

    A fork server imports :mod:`symbio.sweep.warm` once (optimizer, scoring, indicator
    library) and forks every worker from that state, so a fresh worker costs milliseconds
    instead of seconds of imports. Workers are never forked from this (possibly
    multi-threaded) process. Elsewhere (Windows) workers are spawned.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["symbio.sweep.warm"])
    return context


def _run_one_at_a_time(
    suspects: list[RunSpec],
    on_done: Callable[[RunOutput], None],
    context: multiprocessing.context.BaseContext,
) -> None:
    """Run each suspect alone in a one-process pool; a crash there is that run's own."""
    queue = list(reversed(suspects))
    while queue:
        with ProcessPoolExecutor(
            max_workers=1,
            mp_context=context,
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            while queue:
                spec = queue.pop()
                try:
                    output = _output(pool.submit(run_one, spec), spec)
                except BrokenProcessPool:
                    why = "its worker process died (out of memory, or a crash in a native library)"
                    on_done(_died(spec, why))
                    break  # the pool is broken: start a new one for the others
                on_done(output)


def check_scheduler(address: str) -> None:
    """Refuse a Dask scheduler address whose protocol Dask does not know (before any work).

    Raises
    ------
    InputError
        Naming the address and the protocols allowed.
    """
    known = ("tcp", "tls", "inproc", "ws", "wss", "ucx")
    scheme, sep, rest = address.partition("://")
    if sep and (scheme not in known or not rest):
        raise InputError(
            "--scheduler",
            "",
            f"unknown address {address!r}; use tcp://HOST:PORT (or {', '.join(known[1:])})",
        )


def _run_dask(pending: list[RunSpec], on_done: Callable[[RunOutput], None], scheduler: str) -> None:
    """Submit every run to a Dask cluster and record them as they complete.

    A run whose worker keeps dying (``KilledWorker``: Dask retried it on other workers) is
    recorded as failed. Losing the scheduler stops the sweep; the runs not finished stay
    pending for ``--resume``.
    """
    try:
        from distributed import Client, KilledWorker, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise SymbioError("--scheduler needs dask.distributed: pip install 'symbio[dask]'") from exc
    if not pending:
        return
    try:
        client = Client(scheduler, timeout="20s", set_as_default=False)
    except (OSError, ValueError) as exc:
        raise InputError("--scheduler", scheduler, f"cannot connect: {exc}") from None
    with client:
        token = os.urandom(4).hex()
        futures = client.map(
            run_one, pending, key=[f"symbio-sweep-{token}-{s.run_id}" for s in pending], pure=False
        )
        by_key = {f.key: s for f, s in zip(futures, pending, strict=True)}
        for future in as_completed(futures, loop=client.loop):
            spec = by_key[future.key]
            try:
                output = future.result()
            except KilledWorker as exc:
                output = _died(spec, f"its Dask worker died repeatedly: {exc}")
            except (OSError, CancelledError, TimeoutError) as exc:
                raise SolverError(
                    f"lost the Dask cluster at {scheduler} ({type(exc).__name__}: {exc}); "
                    "finished runs are kept: run again with --resume"
                ) from None
            except Exception as exc:  # the result could not be returned
                output = _died(spec, f"the run's result could not be returned: {exc!r}")
            on_done(output)
            future.release()


def _died(spec: RunSpec, why: str) -> RunOutput:
    return RunOutput(RunRecord(spec.run_id, "failed", message=why))
