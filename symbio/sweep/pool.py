"""The local process pool of a sweep: preloaded workers, few runs in flight, crash isolation.

Workers fork from a fork server that imported the optimizer and the scoring code once
(:mod:`symbio.sweep.warm`), and each worker does :data:`TASKS_PER_WORKER` runs before it is
replaced: Pyomo's memory can grow when one process builds many models (Calliope issue
#368; on the SCIP scenario a worker's resident memory grew 207.0 -> 209.2 MB from its 1st
to its 80th run, ~0.03 MB per run), so the bound matters only for very long sweeps, while
each new worker costs its fork, its first touches of the shared pages, the first-run work
of per-process caches (~0.2 CPU-s in all on SCIP) and its exit. Where there is no fork server (Windows) workers are spawned and pay
seconds of imports each, so they are replaced as rarely.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from symbio.sweep.execute import failed_output, run_one
from symbio.sweep.lifeline import die_with_parent
from symbio.sweep.runspec import RunOutput, RunSpec

#: Runs a worker does before it is replaced (default of ``tasks_per_worker``).
TASKS_PER_WORKER = 100

#: Modules the fork server imports before any worker forks. Not ``__main__``: CPython
#: 3.11's fork server looks for a ``main_path`` its preparation data never holds, so a
#: preloaded ``__main__`` is not imported (each worker imports the main script itself).
PRELOAD = ("symbio.sweep.warm",)
#: The ``symbio`` command's module: preloaded as well when this process runs the command, whose
#: main script each worker imports before its first task (~0.1 s of imports the server's
#: preload leaves out: the command line's own libraries).
COMMAND_MODULE = "symbio.cli.app"

#: The scenario checks and the unit library they load, which validating a scenario imports
#: (~0.2 CPU-s): the fork server preloads them (:mod:`symbio.sweep.warm`), and a sweep's
#: process that forks the server imports them first, since its plan validates the base with
#: them anyway; the server then inherits them instead of importing them again.
SCENARIO_CHECKS = (
    "symbio.flows.checks",
    "symbio.flows.factors",
    "symbio.flows.partial",
    "symbio.flows.quantities",
)

#: Environment variable naming the base scenario the fork server reads once (see
#: :func:`start_pool_server`).
BASE_ENV = "SYMBIO_SWEEP_WARM_BASE"


def pool_context() -> multiprocessing.context.BaseContext:
    """The start method of pool workers: a preloaded fork server where there is one.

    A fork server imports :mod:`symbio.sweep.warm` once (optimizer, scoring, indicator
    library) and forks every worker from that state, so a fresh
    worker costs milliseconds instead of seconds of imports. Workers are never forked from this
    (possibly multi-threaded) process; the server is, when this process is single-threaded
    (:func:`start_pool_server`). Elsewhere (Windows) workers are spawned.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_preload())
    return context


def _preload() -> list[str]:
    command = [COMMAND_MODULE] if COMMAND_MODULE in sys.modules else []
    return [*PRELOAD, *command]


def start_pool_server(base: str | Path | None = None, *, hand_over: bool = False) -> None:
    """Start the fork server now, so that its imports overlap the parent's planning.

    The server imports the optimizer and scoring code before it forks the first worker;
    started early, that happens while this process plans the runs, instead of after. Where
    it is safe (:func:`symbio.sweep.server.may_fork_server`) the server is a fork of this
    process and imports only what this process has not (~1 CPU-s instead of ~2.6 in
    ``symbio sweep``); elsewhere it is a new interpreter. ``base``: the base scenario file
    of the runs to come; the server also reads, validates and writes it once
    (:mod:`symbio.sweep.warm`), so that its workers start with the per-process memos of the
    scenario loader and writer filled instead of each filling them in its first run (a
    forked server gets them from this process instead when ``hand_over``: the caller then
    runs :func:`handing_over_base` next, or the server waits for it up to a minute). The scenario
    checks (:data:`SCENARIO_CHECKS`) are imported here first. Does nothing where workers
    are spawned, or when the server runs already.
    """
    context = pool_context()
    if context.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    from symbio.sweep import server

    if server.running():
        return
    for name in SCENARIO_CHECKS:  # before the check: a thread they started would show
        importlib.import_module(name)
    if server.may_fork_server():
        named = str(Path(base).resolve()) if base is not None else None
        channel = hand_over and named is not None
        server.fork_server(_preload(), {BASE_ENV: named}, channel=channel)
        return
    before = os.environ.get(BASE_ENV)
    if base is not None:
        os.environ[BASE_ENV] = str(Path(base).resolve())
    try:  # the server is started with this environment
        forkserver.ensure_running()
    finally:
        if before is None:
            os.environ.pop(BASE_ENV, None)
        else:
            os.environ[BASE_ENV] = before


@contextlib.contextmanager
def handing_over_base(base: str | Path | None) -> Iterator[None]:
    """Around work this process does while a fork server started with ``base``
    (:func:`start_pool_server`) imports: afterwards this process reads, validates and writes
    the base and hands the memos to the server (:mod:`symbio.sweep.basememo`), which then
    need not fill them itself. If the work raises, or the base does not load, the server is
    told to go on without them. Does nothing without a forked server waiting for them."""
    from symbio.sweep import basememo, server

    message = None
    try:
        yield
        if base is not None and server.awaiting():
            with contextlib.suppress(Exception):  # a base that does not load: each run says so
                message = basememo.pack(Path(base).resolve())
    finally:  # also on Ctrl-C while packing: the server is never left waiting on this process
        server.send(message)


def run_pool(
    pending: list[RunSpec],
    on_done: Callable[[RunOutput], None],
    workers: int,
    tasks_per_worker: int | None = None,
    stage: str | None = None,
) -> None:
    """Run ``pending`` in a process pool of ``workers`` processes, fed ``workers + 1`` at a time.

    Keeping few runs in flight means a worker that dies (out of memory, a crash in a
    native library) affects only those runs: each of them is run again alone in a fresh
    process, so only the run that kills its worker is recorded as failed, and the pool is
    rebuilt for the rest. ``tasks_per_worker``: runs before a worker is replaced (None:
    :data:`TASKS_PER_WORKER`; 0: never). ``stage``: the sweep's staging folder, where the
    workers write their runs' files (:func:`symbio.sweep.execute.run_one`).
    """
    queue = list(reversed(pending))
    context = pool_context()
    if tasks_per_worker is None:
        tasks_per_worker = TASKS_PER_WORKER
    # the workers' temporary files go in a folder this process removes: a worker that dies
    # (killed with the sweep, a crash) cannot clean up its own
    with tempfile.TemporaryDirectory(prefix="symbio-sweep-", ignore_cleanup_errors=True) as scratch:
        while queue:
            with _executor(context, workers, tasks_per_worker, scratch) as pool:
                suspects = _feed(pool, queue, on_done, workers + 1, stage)
            _run_one_at_a_time(suspects, on_done, context, scratch, stage)


@contextlib.contextmanager
def worker_pool(
    workers: int, context: multiprocessing.context.BaseContext | None = None
) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` worker processes for any task of this process.

    Workers as a sweep's (started by ``context``, default :func:`pool_context`; ending with
    this process; their temporary files in a folder removed at the end), each kept for every
    task it is given.
    """
    with (
        tempfile.TemporaryDirectory(prefix="symbio-pool-", ignore_cleanup_errors=True) as scratch,
        _executor(context or pool_context(), workers, 0, scratch) as pool,
    ):
        yield pool


def _executor(
    context: multiprocessing.context.BaseContext,
    workers: int,
    tasks_per_worker: int,
    scratch: str,
) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        max_tasks_per_child=tasks_per_worker or None,
        initializer=start_worker,
        initargs=(os.getpid(), scratch),
    )


def start_worker(main_pid: int, scratch: str) -> None:
    """Pool initializer: end with the sweep (``main_pid``), temporary files in ``scratch``."""
    die_with_parent(main_pid)
    tempfile.tempdir = scratch


def _feed(
    pool: ProcessPoolExecutor,
    queue: list[RunSpec],
    on_done: Callable[[RunOutput], None],
    in_flight_max: int,
    stage: str | None = None,
) -> list[RunSpec]:
    """Run runs from the end of ``queue`` until it is empty or the pool breaks.

    Returns the runs that were in flight when a worker died (empty when none did).
    """
    in_flight: dict[Future, RunSpec] = {}
    suspects: list[RunSpec] = []
    try:
        while queue or in_flight:
            while queue and len(in_flight) < in_flight_max:
                future = pool.submit(run_one, queue[-1], stage)  # raises if the pool broke
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
    return suspects


def _output(future: Future, spec: RunSpec) -> RunOutput:
    """The future's RunOutput; a result that cannot come back is that run's failure."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise
    except Exception as exc:  # e.g. the output could not be pickled
        why = f"the run's result could not be returned: {type(exc).__name__}: {exc}"
        return failed_output(spec, why)


def _run_one_at_a_time(
    suspects: list[RunSpec],
    on_done: Callable[[RunOutput], None],
    context: multiprocessing.context.BaseContext,
    scratch: str,
    stage: str | None = None,
) -> None:
    """Run each suspect alone in a one-process pool; a crash there is that run's own."""
    queue = list(reversed(suspects))
    while queue:
        with _executor(context, 1, 0, scratch) as pool:
            while queue:
                spec = queue.pop()
                try:
                    output = _output(pool.submit(run_one, spec, stage), spec)
                except BrokenProcessPool:
                    why = "its worker process died (out of memory, or a crash in a native library)"
                    on_done(failed_output(spec, why))
                    break  # the pool is broken: start a new one for the others
                on_done(output)
