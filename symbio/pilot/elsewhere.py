"""Steps of the main job done in worker processes while this process does its own.

The main scenario is solved in this process: its result starts the robustness study. The
other scenarios' runs, the main scenario's Pareto front and its measures need nothing from
that result, so on a machine with more than one core they are handed, as soon as the
scenarios are valid, to worker processes, fed from the front; once free, this process does
the steps not handed out yet, from the back (:class:`Elsewhere`). A step is the
same call wherever it runs, writing its own files atomically, so the files are the same.
What it reports (the rows of the step table, the progress lines) comes back with its value
and is given out in the order the steps were given. A step whose worker died, or whose
outcome could not come back, is done again in this process, where any error it has is
raised as usual; where no worker can be started (no memory or process to spare), every step
is.

The workers are forks of this process where that is safe at that moment (one thread, no
solver's pool yet: :func:`symbio.sweep.server.fork_is_safe`), made once it has imported what
the steps need (:data:`PRELOAD`, which it needs itself later), so they start with the
imports and memos it has (a step's arguments, its scenario among them, still reach the
worker pickled); elsewhere they come from the preloaded fork server (:mod:`symbio.sweep.pool`).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

#: What the steps import, imported before the workers are forked from this process.
PRELOAD = (
    "symbio.run",
    "symbio.scoring.output",
    "symbio.solvers.session",
    "symbio.pathways.modes",
    "symbio.pathways.measures",
    "symbio.pathways.output",
    "symbio.pathways.figures",
    "symbio.report.figures.style",
)
#: A step: ``call(*args, report, say)``, as the steps of :mod:`symbio.pilot.studies` are.
Step = tuple[Callable[..., object], tuple]


@dataclass
class Done:
    """A step done: its value, the rows it added to the step table, the lines it said."""

    value: object
    rows: list[dict] = field(default_factory=list)
    said: list[str] = field(default_factory=list)


def do_step(call: Callable[..., object], args: tuple) -> Done:
    """Do one step here, keeping what it reports for the process that asked for it."""
    from symbio.pilot import PilotReport

    report, said = PilotReport(), []
    value = call(*args, report, said.append)
    return Done(value, report.steps, said)


def worth_workers(steps: int) -> bool:
    """True when ``steps`` steps are better done in worker processes: more than one, a
    second usable core, and workers that start with the imports made (forked from this
    process or from the preloaded server; spawned ones would pay seconds of imports each)."""
    from symbio.sweep.engine import default_workers

    return steps > 1 and default_workers() > 1 and _context() is not None


def _context() -> multiprocessing.context.BaseContext | None:
    """Forks of this process where that is safe now, else of the preloaded fork server, else
    None (the steps are done here)."""
    from symbio.sweep.pool import pool_context
    from symbio.sweep.server import fork_is_safe

    if fork_is_safe():
        return multiprocessing.get_context("fork")
    context = pool_context()
    return context if context.get_start_method() == "forkserver" else None


class Elsewhere:
    """Steps handed to worker processes now (where that pays); :meth:`take` gives them back."""

    def __init__(self, steps: Mapping[str, Step]) -> None:
        from symbio.sweep.engine import default_workers
        from symbio.sweep.pool import worker_pool
        from symbio.sweep.server import fork_is_safe

        self._steps = dict(steps)
        self._stack = contextlib.ExitStack()
        self._futures: dict[str, Future] = {}
        self._todo: deque[str] = deque(self._steps)  # not handed out yet
        self._pool = None
        if not worth_workers(len(self._steps)):
            return
        workers = min(default_workers(), len(self._steps))
        self._in_flight = workers + 1  # each worker has its next step waiting
        if fork_is_safe():
            for name in PRELOAD:
                importlib.import_module(name)
        context = _context()  # after the imports: one of them may have started a thread
        if context is None:
            return
        forked = context.get_start_method() == "fork"
        try:
            with _forking(forked):  # the workers are forked at the first submit
                self._pool = self._stack.enter_context(worker_pool(workers, context))
                self._feed()
        except (OSError, BrokenProcessPool):  # no process to spare, or one lost at once: the
            self.close()  # job goes on, every step done here (as the briefing's children do)
            self._pool, self._futures, self._todo = None, {}, deque(self._steps)
        except BaseException:
            self.close()
            raise

    def take(self) -> Iterator[tuple[str, Done]]:
        """Each step (name, done) in the order given, as soon as it and those before it are
        done; then the workers end.

        This process is free now, so it does the steps not handed to a worker yet, from the
        back (the workers get them from the front, each with its next one waiting), one at a
        time until none is left, and gives out in between what the workers have done. Steps
        are never taken back from the pool: a pool stopped with steps given up in it reports
        them as its own (CPython 3.11 then fails on the given-up ones in its own thread).
        Without workers this process does them all, in order.
        """
        names = list(self._steps)
        here: dict[str, Done] = {}
        given = 0
        try:
            while given < len(names):
                self._feed()
                while given < len(names) and self._ready(names[given], here):
                    yield names[given], self._done(names[given], here)
                    given += 1
                if given == len(names):
                    break
                if self._todo:  # the next here: the last not handed out (the first, alone)
                    name = self._todo.pop() if self._pool is not None else self._todo.popleft()
                    here[name] = do_step(*self._steps[name])
                else:  # every step is with a worker: wait for the next one in order
                    yield names[given], self._done(names[given], here)
                    given += 1
        except BaseException:
            self.close()
            raise
        self._stack.close()

    def _feed(self) -> None:
        """Hand steps to the workers, from the front, until each has its next one waiting."""
        if self._pool is None:
            return
        in_flight = sum(not f.done() for f in self._futures.values())
        try:
            while self._todo and in_flight < self._in_flight:
                name = self._todo[0]
                self._futures[name] = self._pool.submit(_do_step_there, *self._steps[name])
                self._todo.popleft()
                in_flight += 1
        except BrokenProcessPool:  # a worker died: the rest is done here
            self._in_flight = 0

    def _ready(self, name: str, here: Mapping[str, Done]) -> bool:
        future = self._futures.get(name)
        return name in here or (future is not None and future.done())

    def _done(self, name: str, here: Mapping[str, Done]) -> Done:
        return here[name] if name in here else self._outcome(name)

    def _outcome(self, name: str) -> Done:
        try:
            return self._futures[name].result()
        except Exception:  # noqa: BLE001 - its worker died, or its error: raised here
            return do_step(*self._steps[name])

    def close(self) -> None:
        """Stop the workers now, their steps unfinished (the job stopped before it took them)."""
        if self._pool is not None:
            _terminate_workers(self._pool)
            # what is still in the pipe to the workers is left there: else this process, at its
            # exit, waits for ever for a pipe no one reads to take it (CPython gh-94777)
            calls = getattr(self._pool, "_call_queue", None)
            if calls is not None:
                calls.cancel_join_thread()
            self._pool.shutdown(wait=False)
        self._stack.close()


@contextlib.contextmanager
def _forking(forked: bool) -> Iterator[None]:
    """While workers are forked from this process: Ctrl-C (SIGINT) blocked, so that they keep
    it blocked and it interrupts only this process, which stops them (:meth:`Elsewhere.close`)
    instead of each printing its own traceback and finishing the step it was given next; and
    what this process has is frozen out of the collector's reach, so that the workers'
    collections neither scan it nor copy its pages into each of them (it is unfrozen here
    after: this process collects it as before)."""
    if not forked:
        yield
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _do_step_there(call: Callable[..., object], args: tuple) -> Done:
    """:func:`do_step` in a worker. Stopped (:meth:`Elsewhere.close`), the step unwinds, so that
    its atomic writers remove their temporary files from the job's output, and the worker ends
    (the pool would otherwise report the stop as the step's error and hand it the next one)."""
    from symbio.report.html.childwatch import exit_on_terminate

    exit_on_terminate()
    try:
        return do_step(call, args)
    except SystemExit as stopped:
        os._exit(stopped.code if isinstance(stopped.code, int) else 1)
    finally:  # a stop while it sends this step's outcome back would leave half a message
        # that the pool waits on for ever: between steps a worker is ended by SIGKILL
        # (:func:`_terminate_workers`, after the grace), never half-way through a send
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _terminate_workers(pool: object) -> None:
    """End the pool's worker processes: each is given
    :data:`~symbio.report.html.childwatch.GRACE_SECONDS` to remove its temporary files, then
    killed."""
    from symbio.report.html.childwatch import stop

    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:  # all at once: each then has its grace period at the same time
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            stop(process)
