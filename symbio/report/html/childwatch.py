"""Watch a forked child that works for this process, and give up on it when it cannot finish.

The briefing's figures are drawn by forked children (:mod:`symbio.report.html.ahead`,
:mod:`symbio.report.html.inparallel`). A child forked while another thread of this process
held a lock (a pool's thread, say) finds that lock held for ever and waits for ever; a child
may also be killed (the out-of-memory killer) or hit a bug that only shows in a fork. So
this process never waits on a child without watching it: :func:`receive_from` takes the
child's next message, raises the child's SymbioError here (the user's error it is), and
raises :class:`ChildLost` when the child died without a word, reported a bug, or has used no
CPU time for :data:`STALL_SECONDS` (Linux ``/proc``). The caller then stops it
(:func:`stop`) and does the child's share itself: a figure or a page is made the same way in
either process, so the files are the same.
"""

from __future__ import annotations

import contextlib
import multiprocessing.process
import os
import signal
import time
import traceback
from multiprocessing.connection import Connection

from symbio.errors import SymbioError

#: Seconds without CPU time after which a child that has not reported is taken for stuck.
STALL_SECONDS = 30.0
#: Seconds between two looks at the child while waiting for it.
LOOK_SECONDS = 1.0
#: Seconds a stopped child is given to clean up (remove its temporary files) before it is killed.
GRACE_SECONDS = 2.0

Child = multiprocessing.process.BaseProcess


class ChildLost(Exception):
    """The child died without a word, reported a bug or stopped working: its share is to be
    done by this process (which raises the bug again if it is one)."""


class Watch:
    """Tells whether a child is lost: dead, or without CPU time for :data:`STALL_SECONDS`
    since it was first looked at or last seen working."""

    def __init__(self, child: Child) -> None:
        self._child = child
        self._ticks: int | None = None
        self._since = time.monotonic()

    def lost(self) -> bool:
        """True when the child has ended or has used no CPU for :data:`STALL_SECONDS`."""
        if not self._child.is_alive():
            return True
        ticks = cpu_ticks(self._child.pid)
        if ticks is None or ticks != self._ticks:
            self._ticks, self._since = ticks, time.monotonic()
            return False
        return time.monotonic() - self._since > STALL_SECONDS


def cpu_ticks(pid: int | None) -> int | None:
    """CPU clock ticks process ``pid`` has used (Linux ``/proc``), None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


def receive_from(receive: Connection, child: Child):  # noqa: ANN201 - whatever the child sent
    """The child's next ``("ok", value)`` message's value, waiting while the child works.

    Raises
    ------
    SymbioError
        The child's error, with its message.
    ChildLost
        The child died without a word, reported a bug (its traceback is the message) or has
        used no CPU time for :data:`STALL_SECONDS`. It may still run: :func:`stop` it.
    """
    watch = Watch(child)
    while not receive.poll(LOOK_SECONDS):
        if watch.lost() and not receive.poll():  # it may have spoken just before it ended
            raise ChildLost(f"the second process stopped working (exit code {child.exitcode})")
    try:
        status, value = receive.recv()
    except (EOFError, OSError):  # ended without a word
        child.join(GRACE_SECONDS)
        raise ChildLost(f"the second process ended (exit code {child.exitcode})") from None
    if status == "ok":
        return value
    if status == "symbio":
        raise SymbioError(value)
    raise ChildLost(f"the second process failed:\n{value}")


def send_error(up: Connection, exc: BaseException) -> None:
    """In a child: send its error to the parent (:func:`receive_from` raises it there): a
    SymbioError's message, or a bug's traceback."""
    kind = "symbio" if isinstance(exc, SymbioError) else "bug"
    with contextlib.suppress(OSError):  # else the parent stopped first, on its own error
        up.send((kind, str(exc) if kind == "symbio" else traceback.format_exc()))


def exit_on_terminate() -> None:
    """In a child that writes files: make :func:`stop`'s SIGTERM raise SystemExit, so that the
    atomic writers remove their temporary files on the way out."""

    def leave(signum: int, _frame) -> None:  # noqa: ANN001
        # once: a second SIGTERM (a process pool terminates its broken workers again) would
        # cut the clean-up short and leave the temporary files; SIGKILL after the grace stays
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError):  # not the main thread: stopped the plain way
        signal.signal(signal.SIGTERM, leave)


def parent_gone(parent: int):  # noqa: ANN201 - a predicate
    """In a child: a predicate telling whether process ``parent`` has ended (it is orphaned)."""
    return lambda: os.getppid() != parent


def stop(child: Child, *, finishing: bool = False) -> None:
    """Stop ``child`` (SIGTERM; SIGKILL after :data:`GRACE_SECONDS`) and wait until it has
    ended. What it would still have sent is not taken. A child ``finishing`` (it has sent its
    last message) is first given :data:`GRACE_SECONDS` to end by itself: no more, as it may
    wait at its exit on a lock another thread held when it was forked."""
    if finishing:
        child.join(GRACE_SECONDS)
    if child.is_alive():
        child.terminate()
        child.join(GRACE_SECONDS)
        if child.is_alive():  # stuck where no signal handler runs
            child.kill()
    child.join()
