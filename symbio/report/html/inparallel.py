"""Write briefings in several languages with their figures drawn by two processes at once.

Drawing the figures is most of a briefing's work, single-threaded matplotlib, and no figure
depends on another. Where the operating system forks cheaply and safely (Linux) and the
process may use more than one core, a forked child (which starts with everything already
read: no re-import, no re-reading) and this process take the figures of every language one
by one from one queue, the longest first, until none is left: however the machine's load
falls, neither waits long for the other. Then each sends the other the drawings it needs:
this process writes the first language, the child the others, each its own files
(atomically); the child sends back only its paths and times. Elsewhere, or on one core, or
when no child can be forked, the languages are written one after the other, each drawing its
own figures. A child that dies, stops working or hits a bug is stopped and its share done
here (:mod:`symbio.report.html.childwatch`); a child stopped mid-write removes its temporary
file, and the page it was writing is written here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path

from symbio.report.html import childwatch
from symbio.report.html.childwatch import (
    ChildLost,
    Watch,
    exit_on_terminate,
    parent_gone,
    receive_from,
    send_error,
    stop,
)

#: ``write(lang, drawn)`` writes the briefing in ``lang``, taking the figures in ``drawn``
#: (PNG bytes, or None for a figure the results cannot draw, by name), and returns its path.
Writer = Callable[[str, Mapping[str, "bytes | None"]], Path]
#: Figures of each language by name: each call draws one.
Figures = Mapping[str, Mapping[str, Callable[[], "bytes | None"]]]
#: Rough relative cost of drawing a figure, to start with the longest (others: 1).
COST = {"map": 6, "sankey_park": 3, "kpi": 3, "robust_tornado": 3, "robust_regret": 3,
        "cocontrol": 2, "grade": 2, "pareto": 2, "radar": 2, "macc": 2}  # fmt: skip


def usable_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True where children are forked safely and cheaply (Linux; macOS forks badly), and this
    process may have children (a pool's worker is daemonic and may not)."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


#: Figures drawn beforehand, by (language, name): PNG bytes, or None where nothing is drawn.
Drawings = Mapping[tuple[str, str], "bytes | None"]


def write_languages(
    write: Writer, figures: Figures, parallel: bool = True, drawn: Drawings | None = None
) -> dict[str, tuple[Path, float]]:
    """Write every language of ``figures``; return each one's path and seconds.

    With ``parallel`` (and a usable second core and :func:`can_fork`), the figures are drawn
    by this process and a forked child together, and the languages after the first are
    written by the child. Figures in ``drawn`` (see :mod:`symbio.report.html.ahead`) are
    not drawn again. A child that cannot be forked, dies, stops working or hits a bug
    (:mod:`symbio.report.html.childwatch`) leaves its share to this process: the same files.

    Raises
    ------
    SymbioError
        The first error of any language (a child's error carries its message).
    """
    langs = list(figures)
    before = dict(drawn or {})
    if parallel and len(langs) > 1 and usable_cores() > 1 and can_fork():
        t0 = time.perf_counter()
        try:
            pair = _Pair(write, figures, before)
        except OSError:  # no process to spare (memory, process limit): one after the other
            pass
        else:
            with pair:
                return pair.run(t0)
    return {lang: _timed(write, lang, _of(before, lang)) for lang in langs}


class _Pair:
    """This process and a forked child: both draw from one queue, then this process writes
    the first language and the child the others."""

    def __init__(self, write: Writer, figures: Figures, before: Drawings) -> None:
        ctx = multiprocessing.get_context("fork")
        self.write, self.figures, self.before = write, figures, before
        self.langs = list(figures)
        self.queue = [job for job in costliest_first(figures) if job not in before]
        self.taken = ctx.Value("i", 0)
        down, self.to_child = ctx.Pipe(duplex=False)
        self.from_child, up = ctx.Pipe(duplex=False)
        self.child = ctx.Process(
            target=_child,
            args=(write, figures, self.queue, self.taken, down, up, before, os.getpid()),
            daemon=True,
        )
        self.sender: threading.Thread | None = None
        self.finished = False  # the child has sent its last message
        try:
            self.child.start()
        except OSError:
            self.to_child.close()
            self.from_child.close()
            raise
        finally:
            down.close()
            up.close()

    def run(self, t0: float) -> dict[str, tuple[Path, float]]:
        """Draw with the child, write the first language, take the child's paths; do the
        child's share here if it is lost."""
        first = self.langs[0]
        mine = draw_from(self.figures, self.queue, self.taken, Watch(self.child).lost)
        theirs = self._receive()  # the first language's figures the child drew
        if theirs is None:
            return self._alone(t0, {**self.before, **mine}, self.langs)
        have = {**self.before, **mine, **theirs}
        later = {k: png for k, png in mine.items() if k[0] != first}
        self.sender = threading.Thread(target=_send, args=(self.to_child, later), daemon=True)
        self.sender.start()  # a thread: a child stuck before reading must not stop this one
        done = {first: (self.write(first, _of(have, first)), time.perf_counter() - t0)}
        paths = self._receive()
        self.finished = paths is not None
        done.update(paths if paths is not None else self._alone(t0, have, self.langs[1:]))
        return done

    def _receive(self):  # noqa: ANN202 - the child's message
        """The child's next message; None when it is lost (its SymbioError is raised)."""
        try:
            return receive_from(self.from_child, self.child)
        except ChildLost:
            return None

    def _alone(self, t0: float, have: Drawings, langs: list[str]) -> dict[str, tuple[Path, float]]:
        """Stop the child and write ``langs`` here (drawing the figures the child had)."""
        self._stop_child()
        return {lang: (self.write(lang, _of(have, lang)), time.perf_counter() - t0)
                for lang in langs}  # fmt: skip

    def _stop_child(self) -> None:
        """Stop the child (it removes its temporary files) and the thread sending to it."""
        stop(self.child)
        if self.sender is not None:
            self.sender.join()

    def __enter__(self) -> _Pair:
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop the child unless it has finished (also on this process's error); close."""
        if self.finished:
            self.child.join()
        self._stop_child()
        self.to_child.close()
        self.from_child.close()


def _send(to: Connection, value: object) -> None:
    """Send ``value`` to a child that may have been stopped meanwhile."""
    with contextlib.suppress(OSError):
        to.send(value)


def _timed(write: Writer, lang: str, drawn: Mapping[str, bytes | None]) -> tuple[Path, float]:
    """``write(lang, drawn)`` (drawing the figures not in ``drawn``) and the seconds it took."""
    t = time.perf_counter()
    path = write(lang, drawn)
    return path, time.perf_counter() - t


def _of(drawn: Drawings, lang: str) -> dict[str, bytes | None]:
    """The figures of ``lang`` in ``drawn``, by name."""
    return {name: png for (fl, name), png in drawn.items() if fl == lang}


def costliest_first(figures: Figures) -> list[tuple[str, str]]:
    """Every (language, figure), the costliest first."""
    jobs = [(lang, name) for lang, named in figures.items() for name in named]
    return sorted(jobs, key=lambda job: -COST.get(job[1], 1))


def draw_from(figures: Figures, queue: list[tuple[str, str]], taken, gone) -> dict:  # noqa: ANN001
    """Draw figures of ``queue`` until none is left (``taken``: the next one, shared with the
    other process) or the other process is gone (``gone()``: it may have died holding
    ``taken``'s lock; what is left is then drawn where its share is taken over)."""
    drawn = {}
    lock = taken.get_lock()
    while True:
        while not lock.acquire(timeout=childwatch.LOOK_SECONDS):
            if gone():
                return drawn
        try:
            i = taken.value
            taken.value = i + 1
        finally:
            lock.release()
        if i >= len(queue):
            return drawn
        lang, name = queue[i]
        drawn[(lang, name)] = figures[lang][name]()


def _child(  # noqa: PLR0913
    write, figures, queue, taken, down: Connection, up: Connection, before: Drawings, parent: int
) -> None:  # noqa: ANN001
    """In the child: draw its share, send the first language's, write the others."""
    exit_on_terminate()  # stopped mid-write, it leaves no temporary file
    t0 = time.perf_counter()
    langs = list(figures)
    try:
        mine = draw_from(figures, queue, taken, parent_gone(parent))
        up.send(("ok", {k: png for k, png in mine.items() if k[0] == langs[0]}))
        drawn = {**before, **mine, **down.recv()}
        done = {}
        for lang in langs[1:]:
            done[lang] = (write(lang, _of(drawn, lang)), time.perf_counter() - t0)
        up.send(("ok", done))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        send_error(up, exc)
    finally:
        up.close()
