"""Start the pool's fork server as a fork of this process, where that is safe.

multiprocessing's fork server is normally a new interpreter that imports its preload
modules from nothing (~2.6 CPU-s for :mod:`symbio.sweep.warm`). A sweep's process has
already imported much of that (pandas, numpy, scipy, pydantic, the scenario model), so a
server *forked* from it imports only the rest: Pyomo, HiGHS, the scoring code (~1.0 CPU-s
after ``import symbio.sweep``, ~0.45 CPU-s under the ``symbio`` command, which has scipy.stats
and more already), and is ready about a second sooner. It then runs multiprocessing's own server loop
(:func:`multiprocessing.forkserver.main`), so the pool, its workers and their clean-up
behave exactly as with the usual server.

Forking is done only where it is safe (:func:`may_fork_server`): on Linux, from a
process with no other Python thread and no native thread other than the BLAS libraries'
idle pools (which re-create their threads after a fork). A solver's thread pool (HiGHS keeps
one after a solve), a Dask client or a progress bar's thread means the usual server.
The server gets the interpreter's default signal handlers (as a new interpreter has them)
and closes its copy of the pipe whose end tells it that this process has exited.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import select
import signal
import socket
import sys
import threading
import traceback
from collections.abc import Sequence
from multiprocessing import connection, forkserver, resource_tracker, util

from symbio.report.html.inparallel import can_fork

#: CPython releases whose ``multiprocessing.forkserver`` internals (the private fields of
#: ``forkserver._forkserver`` and the signature of ``forkserver.main``) this module was
#: checked with; on any other release the pool starts the usual server.
CHECKED_PYTHONS = ((3, 11),)


def may_fork_server() -> bool:
    """True when a fork of this process is a safe fork server: a checked CPython
    (:data:`CHECKED_PYTHONS`) on Linux, may have children, one Python thread, and no native
    thread other than the BLAS libraries' own pools."""
    return sys.version_info[:2] in CHECKED_PYTHONS and fork_is_safe()


def fork_is_safe() -> bool:
    """True when a fork of this process now starts well: Linux, this process may have
    children, one Python thread, and no native thread other than the BLAS libraries' pools."""
    if not can_fork():  # Linux, and this process may have children
        return False
    if threading.active_count() != 1:
        return False
    try:
        native = len(os.listdir("/proc/self/task"))
        return native - 1 <= _blas_threads()
    except (OSError, ImportError):  # no /proc, or threadpoolctl missing: the usual server
        return False


def _blas_threads() -> int:
    """Threads the loaded OpenBLAS libraries start (their pools survive a fork: OpenBLAS
    stops them before it and starts them again after)."""
    from threadpoolctl import threadpool_info

    return sum(
        max(0, int(lib.get("num_threads") or 1) - 1)
        for lib in threadpool_info()
        if lib.get("internal_api") == "openblas"
    )


def running() -> bool:
    """True when this process's fork server (forked or not) is running."""
    pid = forkserver._forkserver._forkserver_pid
    if pid is None:
        return False
    try:  # without reaping it: multiprocessing does, when it finds it ended
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:
        return False


#: Environment variable of the server naming the ends of the hand-over channel it reads
#: (``"<memfd>:<signal pipe>"``, see :func:`fork_server`).
CHANNEL_ENV = "SYMBIO_SWEEP_SERVER_CHANNEL"
#: This process's ends of the open channel (memfd, signal pipe's write end), if any.
_channel: list[int] = []


def fork_server(
    preload: Sequence[str], env: dict[str, str | None], *, channel: bool = False
) -> bool:
    """Start multiprocessing's fork server as a fork of this process, unless one runs.

    ``preload``: modules the server imports before it forks any worker; ``env``: environment
    variables set (a value) or removed (None) in the server only. ``channel``: also open a
    channel through which this process hands the server one message later (:func:`send`,
    which must follow; the server's preload reads it with :func:`receive`). Returns False
    when a server runs already (nothing is done). The caller checks :func:`may_fork_server`
    first.
    """
    server = forkserver._forkserver
    with server._lock:
        resource_tracker.ensure_running()
        if server._forkserver_pid is not None:
            pid, _ = os.waitpid(server._forkserver_pid, os.WNOHANG)
            if not pid:
                return False  # still running
            os.close(server._forkserver_alive_fd)
            server._forkserver_address = server._forkserver_alive_fd = None
            server._forkserver_pid = None
        with socket.socket(socket.AF_UNIX) as listener:
            address = connection.arbitrary_address("AF_UNIX")
            listener.bind(address)
            if not util.is_abstract_socket_namespace(address):
                os.chmod(address, 0o600)
            listener.listen()
            # every client holds the write end; the server ends when it reads EOF
            alive_r, alive_w = os.pipe()
            ends = _open_channel() if channel else None
            try:
                for stream in (sys.stdout, sys.stderr):  # else each worker writes them again
                    if stream is not None:
                        stream.flush()
                pid = os.fork()
                if pid == 0:
                    if ends is not None:
                        os.close(ends[2])  # its EOF tells the server nothing more comes
                        env = {**env, CHANNEL_ENV: f"{ends[0]}:{ends[1]}"}
                    _serve(listener.fileno(), alive_r, alive_w, preload, env)
            except BaseException:
                os.close(alive_w)
                if ends is not None:
                    for fd in ends:
                        os.close(fd)
                raise
            finally:
                os.close(alive_r)
            if ends is not None:
                os.close(ends[1])
                _channel[:] = [ends[0], ends[2]]
        server._forkserver_address = address
        server._forkserver_alive_fd = alive_w
        server._forkserver_pid = pid
    return True


def _open_channel() -> tuple[int, int, int]:
    """A memory file for the message and a pipe that signals it (memfd, read end, write end):
    writing the message never waits for the server, which reads it after its imports."""
    memfd = os.memfd_create("symbio-sweep-channel", os.MFD_CLOEXEC)
    return (memfd, *os.pipe())


def send(message: bytes | None) -> None:
    """Hand ``message`` to the server through the channel opened by :func:`fork_server`
    (None: nothing; the server goes on without it), and close this process's ends. Does
    nothing when no channel is open."""
    if not _channel:
        return
    memfd, signal_w = _channel
    _channel.clear()
    try:
        if message is not None:
            view = memoryview(message)
            while view:
                view = view[os.pwrite(memfd, view, len(message) - len(view)) :]
            os.write(signal_w, b"1")
    except OSError:  # the server stopped waiting (or ended): it does without
        pass
    finally:
        os.close(memfd)
        os.close(signal_w)


def awaiting() -> bool:
    """True when a channel to the server is open (:func:`send` is due)."""
    return bool(_channel)


def receive(timeout: float = 60.0) -> bytes | None:
    """In the server: the message of :func:`send` (None when there is no channel, none was
    sent, or none came within ``timeout`` seconds); closes the server's ends of the channel,
    so that no worker inherits them."""
    ends = os.environ.pop(CHANNEL_ENV, "")
    if not ends:
        return None
    memfd, signal_r = (int(fd) for fd in ends.split(":"))
    try:
        ready, _, _ = select.select([signal_r], [], [], timeout)
        if not ready or os.read(signal_r, 1) != b"1":
            return None
        size = os.fstat(memfd).st_size
        parts, done = [], 0
        while done < size:
            parts.append(os.pread(memfd, size - done, done))
            done += len(parts[-1])
        return b"".join(parts)
    finally:
        os.close(memfd)
        os.close(signal_r)


def _serve(
    listener: int, alive_r: int, alive_w: int, preload: Sequence[str], env: dict[str, str | None]
) -> None:
    """In the forked child: become the fork server; never returns."""
    code = 0
    try:
        os.close(alive_w)
        forkserver._forkserver._lock = threading.Lock()  # held by the parent at the fork
        _default_signals()
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _import_unscanned(preload)
        forkserver.main(listener, alive_r, [])
    except SystemExit:  # the server's normal end: every client has gone
        pass
    except KeyboardInterrupt:  # Ctrl-C during its imports: the job's own process says so
        code = 1
    except BaseException:  # noqa: BLE001 - reported, then this process ends
        code = 1
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _import_unscanned(modules: Sequence[str]) -> None:
    """Import ``modules`` (one that is not found is left out, as the usual server does)
    without the collector's passes: they would walk every object inherited from this
    process, and imports make little garbage (~0.1 CPU-s less on a sweep's server)."""
    gc.freeze()  # what this process had: kept as it is, never scanned here
    gc.disable()
    try:
        for name in modules:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
    finally:
        gc.enable()


def _default_signals() -> None:
    """Signal handlers as a new interpreter has them: this process's own handlers (a
    progress display's, a test runner's) must not run in the server or its workers."""
    signal.set_wakeup_fd(-1)
    for sig in signal.valid_signals():
        try:
            handler = signal.getsignal(sig)
        except (OSError, ValueError):
            continue
        if callable(handler) and handler is not signal.default_int_handler:
            default = signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL
            signal.signal(sig, default)
