"""A sweep on a Dask distributed cluster: every run mapped to the cluster's workers."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import CancelledError

from symbio.errors import InputError, SolverError, SymbioError
from symbio.sweep.execute import failed_output, run_one
from symbio.sweep.runspec import RunOutput, RunSpec

#: Protocols of a Dask scheduler address.
PROTOCOLS = ("tcp", "tls", "inproc", "ws", "wss", "ucx")


def check_scheduler(address: str) -> None:
    """Refuse a Dask scheduler address whose protocol Dask does not know (before any work).

    Raises
    ------
    InputError
        Naming the address and the protocols allowed.
    """
    scheme, sep, rest = address.partition("://")
    if sep and (scheme not in PROTOCOLS or not rest):
        raise InputError(
            "--scheduler",
            "",
            f"unknown address {address!r}; use tcp://HOST:PORT (or {', '.join(PROTOCOLS[1:])})",
        )


def run_dask(pending: list[RunSpec], on_done: Callable[[RunOutput], None], scheduler: str) -> None:
    """Submit every run to a Dask cluster and record them as they complete.

    A run whose worker keeps dying (``KilledWorker``: Dask retried it on other workers) is
    recorded as failed. Losing the scheduler stops the sweep; the runs not finished stay
    pending for ``--resume``.
    """
    try:
        from distributed import Client, KilledWorker, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise SymbioError("--scheduler needs dask.distributed: pip install 'symbio[dask]'") from exc
    if not pending:
        return
    try:
        client = Client(scheduler, timeout="20s", set_as_default=False)
    except (OSError, ValueError) as exc:
        raise InputError("--scheduler", scheduler, f"cannot connect: {exc}") from None
    with client:
        token = os.urandom(4).hex()
        futures = client.map(
            run_one, pending, key=[f"symbio-sweep-{token}-{s.run_id}" for s in pending], pure=False
        )
        by_key = {f.key: s for f, s in zip(futures, pending, strict=True)}
        for future in as_completed(futures, loop=client.loop):
            spec = by_key[future.key]
            try:
                output = future.result()
            except KilledWorker as exc:
                output = failed_output(spec, f"its Dask worker died repeatedly: {exc}")
            except (OSError, CancelledError, TimeoutError) as exc:
                raise SolverError(
                    f"lost the Dask cluster at {scheduler} ({type(exc).__name__}: {exc}); "
                    "finished runs are kept: run again with --resume"
                ) from None
            except Exception as exc:  # the result could not be returned
                output = failed_output(spec, f"the run's result could not be returned: {exc!r}")
            on_done(output)
            future.release()
