"""Pool workers end with the sweep that started them, even when it is killed with -9.

A worker runs :func:`die_with_parent` as its initializer. On Linux the kernel kills the
worker when its parent (the fork server, which itself exits when the sweep's main process
goes away) ends (``PR_SET_PDEATHSIG``); everywhere a daemon thread also checks once a second
that the main process is still there and ends the worker when it is not.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

from symbio.outdir import pid_alive

_PR_SET_PDEATHSIG = 1
#: Seconds between two checks of the watch thread.
POLL_SECONDS = 1.0


def die_with_parent(main_pid: int) -> None:
    """Pool initializer: end this worker when the process ``main_pid`` (the sweep) ends."""
    parent = os.getppid()
    if sys.platform.startswith("linux") and parent != main_pid:
        # The parent is the fork server (single-threaded): its exit is the signal. Not set
        # when the parent is the main process, whose spawning thread may end before it.
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent or not pid_alive(main_pid):
        os._exit(1)  # the parent went away before the signal was armed
    watch = threading.Thread(
        target=_watch, args=(main_pid, parent), daemon=True, name="symbio-lifeline"
    )
    watch.start()


def _watch(main_pid: int, parent: int) -> None:
    while True:
        time.sleep(POLL_SECONDS)
        if os.getppid() != parent or not pid_alive(main_pid):
            os._exit(1)
