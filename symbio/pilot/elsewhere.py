"""Steps of the main job done in worker processes while this process does its own.

The main scenario is solved in this process: its result starts the robustness study. The
other scenarios' runs, the main scenario's Pareto front and its measures need nothing from
that result, so on a machine with more than one core they are handed, as soon as the
scenarios are valid, to worker processes; once free, this process does the steps no worker has started
yet, from the back while the workers take from the front (:class:`Elsewhere`). A step is the
same call wherever it runs, writing its own files atomically, so the files are the same.
What it reports (the rows of the step table, the progress lines) comes back with its value
and is given out in the order the steps were given. A step whose worker died, or whose
outcome could not come back, is done again in this process, where any error it has is
raised as usual.

The workers are forks of this process where that is safe at that moment (one thread, no
solver's pool yet: :func:`symbio.sweep.server.fork_is_safe`), made once it has imported what
the steps need (:data:`PRELOAD`, which it needs itself later), so they start with the
imports and the scenarios it has; elsewhere they come from the preloaded fork server
(:mod:`symbio.sweep.pool`).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import signal
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import ExitStack
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

        self._steps = dict(steps)
        self._stack = ExitStack()
        self._futures: dict[str, Future] = {}
        self._pool = None
        if not worth_workers(len(self._steps)):
            return
        workers = min(default_workers(), len(self._steps))
        context = _context()
        forked = context.get_start_method() == "fork"
        if forked:
            for name in PRELOAD:
                importlib.import_module(name)
        try:
            with _forking(forked):  # the workers are forked at the first submit
                self._pool = self._stack.enter_context(worker_pool(workers, context))
                self._futures = {
                    name: self._pool.submit(do_step, *step) for name, step in self._steps.items()
                }
        except BaseException:
            self.close()
            raise

    def take(self) -> dict[str, Done]:
        """Every step done, in the order given; then the workers end.

        This process is free now, so it does the steps no worker has started yet, from the
        back (the workers take from the front), one at a time until none is left waiting.
        """
        here: dict[str, Done] = {}
        try:
            for name in reversed(self._steps):
                future = self._futures.get(name)
                if future is None or future.cancel():  # not started: done here instead
                    here[name] = do_step(*self._steps[name])
            done = {
                name: here[name] if name in here else self._outcome(name) for name in self._steps
            }
        except BaseException:
            self.close()
            raise
        self._stack.close()
        return done

    def _outcome(self, name: str) -> Done:
        try:
            return self._futures[name].result()
        except Exception:  # noqa: BLE001 - its worker died, or its error: raised here
            return do_step(*self._steps[name])

    def close(self) -> None:
        """Stop the workers now, their steps unfinished (the job stopped before it took them)."""
        if self._pool is not None:
            _terminate_workers(self._pool)
            self._pool.shutdown(wait=False, cancel_futures=True)
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


def _terminate_workers(pool: object) -> None:
    """End the pool's worker processes (Python 3.14 has a method for it)."""
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()
