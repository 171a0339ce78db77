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


def base_is_kept(base: str) -> str:
    """Build a variant of ``base`` with the scenario loader replaced by one that fails:
    ``kept`` when the worker started with the base read, else the error."""
    from symbio.flows import overrides

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("read again")

    overrides.load_raw = fail
    try:
        overrides.apply_overrides(base, {"policy.carbon_price_cny_t": 50})
    except AssertionError as exc:
        return str(exc)
    return "kept"
