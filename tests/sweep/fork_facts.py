"""Run in a pool worker by tests/sweep/test_fork_server.py."""

from __future__ import annotations

import os
import signal


def worker_facts() -> str:
    """The worker's SIGTERM and SIGINT handlers and its parent's pid, as one line."""
    term = signal.getsignal(signal.SIGTERM)
    intr = signal.getsignal(signal.SIGINT)
    names = [getattr(h, "name", None) or getattr(h, "__name__", repr(h)) for h in (term, intr)]
    return f"{names[0]} {names[1]} {os.getppid()}"
