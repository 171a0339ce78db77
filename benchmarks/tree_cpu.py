"""Wall and CPU seconds of a command's whole process tree (workers and servers included).

    python benchmarks/tree_cpu.py symbio pilot --out /tmp/p

``time`` and ``getrusage(RUSAGE_CHILDREN)`` miss the processes a pool's fork server starts:
they are not the command's children and are reaped by whoever adopts them. This script makes
itself the *child sub-reaper* (Linux ``prctl(PR_SET_CHILD_SUBREAPER)``), so every descendant
that outlives its parent is re-parented to it; it waits for all of them and then reads the
CPU time of every reaped descendant. Prints one line to stderr; exits with the command's code.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> bool:
    """Make this process the sub-reaper of its descendants (Linux), so their CPU is counted."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap() -> None:
    """Wait for every adopted descendant (a fork server ends when its parent has ended)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def main(argv: list[str]) -> int:
    """Run ``argv`` and report the tree's wall and CPU seconds."""
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if not adopt_orphans():
        print("tree_cpu: cannot become a child sub-reaper (not Linux?)", file=sys.stderr)
        return 2
    start, load = time.perf_counter(), os.getloadavg()[0]
    code = subprocess.Popen(argv).wait()
    reap()
    wall = time.perf_counter() - start
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"tree: wall {wall:.1f} s, CPU {ru.ru_utime + ru.ru_stime:.1f} s "
        f"(user {ru.ru_utime:.1f}, system {ru.ru_stime:.1f}), largest RSS "
        f"{ru.ru_maxrss / 1024:.0f} MiB, load {load:.1f} -> {os.getloadavg()[0]:.1f}, exit {code}",
        file=sys.stderr,
    )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
