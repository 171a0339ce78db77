"""Figures drawn ahead: a forked child draws a briefing's figures while this process works on.

The main job knows most of what the briefing draws (the park map, the flow diagrams, the
KPI, score and trade-off charts) long before it has everything the pages show (the
robustness study, the allocation). :func:`draw_ahead` forks a child, which starts with
everything already read, and the child draws those figures one by one from a queue (the
costliest first) while this process goes on. :meth:`DrawingAhead.finish` then draws here
what the child has not begun and takes what the child drew: PNG bytes by (language, name),
for :func:`symbio.report.html.inparallel.write_languages` to use instead of drawing them
again. The child writes no file; it is stopped when this process stops or fails first.

Where :func:`symbio.report.html.inparallel.can_fork` says no, or on one core, nothing is
drawn ahead (:func:`draw_ahead` returns None) and the briefing draws every figure itself.
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.connection import Connection

from symbio.report.html.inparallel import (
    Drawings,
    Figures,
    can_fork,
    costliest_first,
    draw_from,
    receive_from,
    send_error,
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
            target=_child, args=(figures, self._queue, self._taken, up), daemon=True
        )
        self._child.start()
        up.close()
        self._reported = False
        self.seconds = 0.0  # the child's, once finished

    def finish(self) -> dict[tuple[str, str], bytes | None]:
        """Every figure: those the child drew, and the others drawn here now.

        Raises
        ------
        SymbioError
            The child's error (a bug in the child as RuntimeError with its traceback).
        """
        theirs = None
        try:
            if self._from_child.poll():  # done already, or failed
                theirs = self._report()
            mine = draw_from(self._figures, self._queue, self._taken)
            if theirs is None:
                theirs = self._report()
        finally:
            self.close()
        drawn, self.seconds = theirs
        return {**drawn, **mine}

    def _report(self) -> tuple[Drawings, float]:
        """The child's figures and seconds (it ends then), or its error raised here."""
        try:
            return receive_from(self._from_child, self._child)  # type: ignore[return-value]
        finally:
            self._reported = True

    def close(self) -> None:
        """Stop the child unless it has reported (it writes nothing); release its pipe."""
        if not self._reported:
            self._child.terminate()
        self._from_child.close()
        self._child.join()


def draw_ahead(figures: Figures) -> DrawingAhead | None:
    """Start drawing ``figures`` in a forked child; None where this process cannot fork or
    has one core (the figures are then drawn when the briefing is written)."""
    if not figures or usable_cores() < 2 or not can_fork():
        return None
    return DrawingAhead(figures)


def _child(figures: Figures, queue: list[tuple[str, str]], taken, up: Connection) -> None:  # noqa: ANN001
    """In the child: draw from the queue until it is empty; send what was drawn."""
    t0 = time.perf_counter()
    try:
        drawn: Drawings = draw_from(figures, queue, taken)
        up.send(("ok", (drawn, time.perf_counter() - t0)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        send_error(up, exc)
    finally:
        up.close()
