"""Wall and CPU seconds of a command's whole process tree (workers and fork servers included).

Usage::

    python benchmarks/tree_cpu.py COMMAND [ARG ...]

The measuring process becomes a Linux child sub-reaper (``prctl(PR_SET_CHILD_SUBREAPER)``),
starts the command, waits for it and for every descendant left to it, and reads
``getrusage(RUSAGE_CHILDREN)``: the CPU of every process of the tree, which a plain
``time`` of the command misses for daemonised children (the sweep's fork server and its
workers). Prints one JSON line on stderr: wall, cpu, user, sys, max RSS of one process,
load average before and after, exit status.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main(argv: list[str]) -> int:
    """Run ``argv`` as the sub-reaper's child; print the tree's figures; return its status."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
    load0, t0 = os.getloadavg()[0], time.perf_counter()
    proc = subprocess.Popen(argv)
    proc.wait()
    while True:  # orphans of the tree are re-parented to this process: reap them all
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    wall = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    record = {
        "wall": round(wall, 2),
        "cpu": round(ru.ru_utime + ru.ru_stime, 2),
        "user": round(ru.ru_utime, 2),
        "sys": round(ru.ru_stime, 2),
        "max_rss_mib": round(ru.ru_maxrss / 1024),
        "load": [round(load0, 2), round(os.getloadavg()[0], 2)],
        "rc": proc.returncode,
    }
    print(json.dumps(record), file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
