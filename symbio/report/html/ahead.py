"""Figures drawn ahead: a forked child draws a briefing's figures while this process works on.

The main job knows most of what the briefing draws (the park map, the flow diagrams, the
KPI, score and trade-off charts) long before it has everything the pages show (the
robustness study, the allocation). :func:`draw_ahead` forks a child, which starts with
everything already read, and the child draws those figures one by one from a queue (the
costliest first) while this process goes on. :meth:`DrawingAhead.finish` then draws here
what the child has not begun and takes what the child drew: PNG bytes by (language, name),
for :func:`symbio.report.html.inparallel.write_languages` to use instead of drawing them
again. The child writes no file; it is stopped when this process stops or fails first.

The child is forked while other threads of this process run (the robustness study's pool):
a lock one of them held at that moment stays held in the child, which would then wait
forever. So :meth:`DrawingAhead.finish` does not wait for a child that has stopped working,
died without a word or hit a bug (:mod:`symbio.report.html.childwatch`): it stops it and
draws its figures itself (the same bytes: a figure is drawn the same way in either process).

Where :func:`symbio.report.html.inparallel.can_fork` says no, or on one core, nothing is
drawn ahead (:func:`draw_ahead` returns None) and the briefing draws every figure itself.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from multiprocessing.connection import Connection

from symbio.report.html.childwatch import (
    ChildLost,
    Watch,
    parent_gone,
    receive_from,
    send_error,
    stop,
)
from symbio.report.html.inparallel import (
    Drawings,
    Figures,
    can_fork,
    costliest_first,
    draw_from,
    usable_cores,
)


class DrawingAhead:
    """A forked child drawing ``figures`` from a queue shared with this process."""

    def __init__(self, figures: Figures) -> None:
        ctx = multiprocessing.get_context("fork")
        self._figures = figures
        self._queue = costliest_first(figures)
        self._taken = ctx.Value("i", 0)
        self._from_child, up = ctx.Pipe(duplex=False)
        self._child = ctx.Process(
            target=_child, args=(figures, self._queue, self._taken, up, os.getpid()), daemon=True
        )
        try:
            self._child.start()
        except OSError:
            self._from_child.close()
            raise
        finally:
            up.close()
        self._reported = False
        self.seconds = 0.0  # the child's, once finished

    def finish(self) -> dict[tuple[str, str], bytes | None]:
        """Every figure: those the child drew, and the others drawn here now (all of them,
        when the child died, hit a bug or stopped working).

        Raises
        ------
        SymbioError
            The child's error.
        """
        theirs = None
        try:
            early = self._from_child.poll()  # done already, or failed
            if early:
                theirs = self._report()
            mine = draw_from(self._figures, self._queue, self._taken, Watch(self._child).lost)
            if not early:
                theirs = self._report()
        finally:
            self.close()
        drawn, self.seconds = theirs if theirs is not None else ({}, 0.0)
        missing = [key for key in self._queue if key not in mine and key not in drawn]
        for lang, name in missing:  # the child's, when it died, stopped working or hit a bug
            mine[(lang, name)] = self._figures[lang][name]()
        return {**drawn, **mine}

    def _report(self) -> tuple[Drawings, float] | None:
        """The child's figures and seconds (it ends then); its SymbioError raised here; None
        when it is lost (its figures are then drawn here: a bug is raised here)."""
        try:
            theirs = receive_from(self._from_child, self._child)
        except ChildLost:
            return None
        self._reported = True
        return theirs

    def close(self) -> None:
        """Stop the child unless it has reported (it writes nothing); release its pipe."""
        if self._reported:
            self._child.join()
        stop(self._child)
        self._from_child.close()


def draw_ahead(figures: Figures) -> DrawingAhead | None:
    """Start drawing ``figures`` in a forked child; None where this process cannot fork or
    has one core or the child cannot be forked now (the figures are then drawn when the
    briefing is written)."""
    if not figures or usable_cores() < 2 or not can_fork():
        return None
    try:
        return DrawingAhead(figures)
    except OSError:  # no process to spare (memory, process limit): not worth stopping the job
        return None


def _child(
    figures: Figures, queue: list[tuple[str, str]], taken, up: Connection, parent: int
) -> None:  # noqa: ANN001
    """In the child: draw from the queue until it is empty; send what was drawn."""
    t0 = time.perf_counter()
    try:
        drawn: Drawings = draw_from(figures, queue, taken, parent_gone(parent))
        up.send(("ok", (drawn, time.perf_counter() - t0)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        send_error(up, exc)
    finally:
        up.close()
