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
forever. So :meth:`DrawingAhead.finish` does not wait for a child that has stopped working
(no CPU time for :data:`STALL_SECONDS`) or died without a word: it stops it and draws its
figures itself (the same bytes: a figure is drawn the same way in either process).

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

#: Seconds without CPU time after which a child that has not reported is taken for stuck.
STALL_SECONDS = 30.0
#: Seconds between two looks at the child while waiting for its report.
LOOK_SECONDS = 1.0


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
        """Every figure: those the child drew, and the others drawn here now (all of them,
        when the child died, hit a bug or stopped working).

        Raises
        ------
        SymbioError
            The child's error.
        """
        theirs = None
        try:
            if self._from_child.poll():  # done already, or failed
                theirs = self._report()
            mine = draw_from(self._figures, self._queue, self._taken)
            if not self._reported and self._child_works():
                theirs = self._report()
        finally:
            self.close()
        drawn, self.seconds = theirs if theirs is not None else ({}, 0.0)
        missing = [key for key in self._queue if key not in mine and key not in drawn]
        for lang, name in missing:  # the child's, when it died, stopped working or hit a bug
            mine[(lang, name)] = self._figures[lang][name]()
        return {**drawn, **mine}

    def _child_works(self) -> bool:
        """Wait until the child has something to say (True), or it died without a word or
        has used no CPU for :data:`STALL_SECONDS` (False)."""
        ticks, still_since = _cpu_ticks(self._child.pid), time.monotonic()
        while not self._from_child.poll(LOOK_SECONDS):
            if not self._child.is_alive():
                return self._from_child.poll()
            now_ticks = _cpu_ticks(self._child.pid)
            if now_ticks is None or now_ticks != ticks:
                ticks, still_since = now_ticks, time.monotonic()
            elif time.monotonic() - still_since > STALL_SECONDS:
                return False
        return True

    def _report(self) -> tuple[Drawings, float] | None:
        """The child's figures and seconds (it ends then); its SymbioError raised here; None
        when it died or hit a bug (its figures are then drawn here: a bug is raised here)."""
        try:
            return receive_from(self._from_child, self._child)  # type: ignore[return-value]
        except RuntimeError:
            return None
        finally:
            self._reported = True

    def close(self) -> None:
        """Stop the child unless it has reported (it writes nothing); release its pipe."""
        if not self._reported:
            self._child.terminate()
        self._from_child.close()
        self._child.join()


def _cpu_ticks(pid: int | None) -> int | None:
    """CPU clock ticks process ``pid`` has used (Linux ``/proc``), None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


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
