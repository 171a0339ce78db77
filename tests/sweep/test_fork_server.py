"""The pool's fork server forked from the sweep's own process (symbio.sweep.server).

Each case runs in a fresh interpreter: a fork server lives as long as the process that
started it, and the one of this test process may have been started by an earlier test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or sys.version_info[:2] not in ((3, 11),),
    reason="forked only on Linux, on the CPython releases server.py was checked with",
)

#: Starts the server (after ``SETUP``) and prints whether it is a fork of this process (its
#: command line is this process's) or a new interpreter (multiprocessing's own command).
START = """
import os, sys
from multiprocessing import forkserver
{setup}
from symbio.sweep.pool import start_pool_server
start_pool_server()
pid = forkserver._forkserver._forkserver_pid
with open(f"/proc/{{pid}}/cmdline", "rb") as f:
    theirs = f.read()
with open("/proc/self/cmdline", "rb") as f:
    mine = f.read()
print("server:", "forked" if theirs == mine else "spawned", pid, flush=True)
{after}
"""


def _python(code: str) -> list[str]:
    """The lines the code prints from the line ``server: forked|spawned PID`` on, that line
    without its label."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    # into files, not pipes: a server that outlived its parent would hold a pipe open
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        done = subprocess.run([sys.executable, "-c", code], env=env, stdout=out, stderr=err)
        out.seek(0)
        err.seek(0)
        assert done.returncode == 0, err.read()[-3000:]
        lines = out.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("server: "))
    return [lines[start].removeprefix("server: "), *lines[start + 1 :]]


def test_a_single_threaded_sweep_forks_its_server() -> None:
    out = _python(START.format(setup="import symbio.sweep.engine", after=""))
    assert out[0].split()[0] == "forked"


def test_another_python_thread_means_a_new_interpreter() -> None:
    setup = "import threading\nthreading.Thread(target=lambda: __import__('time').sleep(30), daemon=True).start()"
    out = _python(START.format(setup=setup, after=""))
    assert out[0].split()[0] == "spawned"


def test_a_solvers_thread_pool_means_a_new_interpreter() -> None:
    """HiGHS keeps worker threads after a solve; a fork would copy its scheduler without
    them. Only the BLAS libraries' own pools are forked over."""
    setup = (
        "import highspy\n"
        "h = highspy.Highs(); h.setOptionValue('output_flag', False)\n"
        "h.addVar(0, 10); h.changeColCost(0, -1); h.run()\n"
        "assert len(os.listdir('/proc/self/task')) > 1\n"
    )
    out = _python(START.format(setup=setup, after=""))
    assert out[0].split()[0] == "spawned"


def test_workers_get_default_signal_handlers_and_the_parents_code() -> None:
    """A handler of the sweep's process (a display's, a test runner's) must not run in a
    worker; the worker runs the code of the process it was forked from."""
    setup = (
        "import signal\n"
        "signal.signal(signal.SIGTERM, lambda *a: None)\n"
        "signal.signal(signal.SIGINT, lambda *a: None)\n"
    )
    after = (
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from symbio.sweep.pool import pool_context\n"
        "from fork_facts import worker_facts\n"
        "with ProcessPoolExecutor(1, mp_context=pool_context()) as pool:\n"
        "    print(pool.submit(worker_facts).result())\n"
    )
    out = _python(START.format(setup=setup, after=after))
    assert out[0].split()[0] == "forked"
    term, intr, parent = out[1].split()
    assert (term, intr) == ("SIG_DFL", "default_int_handler")
    assert int(parent) == int(out[0].split()[1])  # forked from the server


def test_the_server_ends_when_the_sweeps_process_ends() -> None:
    """The server keeps no copy of the pipe whose end tells it that its parent has gone."""
    kind, pid = _python(START.format(setup="", after=""))[0].split()
    assert kind == "forked"
    deadline = time.monotonic() + 30
    while psutil.pid_exists(int(pid)) and time.monotonic() < deadline:
        try:
            if psutil.Process(int(pid)).status() == psutil.STATUS_ZOMBIE:
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    else:
        if psutil.pid_exists(int(pid)):
            pytest.fail("the fork server outlived the process that started it")


def test_an_unchecked_python_release_gets_the_usual_server(monkeypatch):
    """The private multiprocessing fields are used only on the releases they were checked on."""
    from symbio.sweep import server

    monkeypatch.setattr(server, "CHECKED_PYTHONS", ((3, 99),))
    assert server.may_fork_server() is False


#: A sweep's start: the server forked with the base named, planning (``{work}``) while it
#: imports, then a worker built from the server tells whether it starts with the base read.
#: ``basememo.prime`` fails in any process but this one, so a base kept in the worker came
#: from this process.
HAND_OVER = """
import contextlib, os
from concurrent.futures import ProcessPoolExecutor
from symbio.sweep import basememo
from symbio.sweep.pool import handing_over_base, pool_context, start_pool_server
from fork_facts import base_is_kept
BASE = {base!r}
me, real = os.getpid(), basememo.prime
def prime(base):
    if os.getpid() != me:
        raise AssertionError("primed by the server")
    return real(base)
{patch}
start_pool_server(BASE, hand_over=True)
print("server: ok", flush=True)
with contextlib.suppress(RuntimeError), handing_over_base(BASE):
    {work}
with ProcessPoolExecutor(1, mp_context=pool_context()) as pool:
    print(pool.submit(base_is_kept, BASE).result())
"""
PAIR = str(ROOT / "scenarios" / "examples" / "hydrogen-pair.yaml")


def test_the_server_gets_the_base_read_by_the_sweeps_process() -> None:
    """The sweep's process reads, validates and writes the base while the server imports and
    hands the memos over: the server does not read it (its own priming fails here), yet
    every worker starts with it read."""
    code = HAND_OVER.format(base=PAIR, patch="basememo.prime = prime", work="pass")
    assert _python(code)[1:] == ["kept"]
    # nothing handed over (the planning failed): the first variant reads the file
    code = HAND_OVER.format(base=PAIR, patch="basememo.prime = prime", work="raise RuntimeError")
    assert _python(code)[1:] == ["read again"]


def test_without_a_hand_over_the_server_reads_the_base_itself() -> None:
    code = HAND_OVER.format(base=PAIR, patch="", work="raise RuntimeError")
    assert _python(code)[1:] == ["kept"]


def test_the_base_is_written_as_the_result_writes_it() -> None:
    """``basememo.prime`` fills the writer's memo with what ``scenario_yaml`` writes."""
    from symbio.flows.overrides import apply_overrides
    from symbio.results import scenario_yaml
    from symbio.sweep.basememo import prime

    assert prime(PAIR) == scenario_yaml(apply_overrides(PAIR, {}))


def test_the_scenario_checks_are_imported_before_the_server_is_forked() -> None:
    """The sweep's process validates the base with them anyway: imported before the fork,
    the server inherits them instead of importing them again (~0.2 CPU-s)."""
    after = (
        "from symbio.sweep.pool import SCENARIO_CHECKS\nprint(set(SCENARIO_CHECKS) <= set(before))"
    )
    setup = "import symbio.sweep.engine\nbefore = None"
    code = START.format(setup=setup, after=after).replace(
        "start_pool_server()\n", "start_pool_server()\nbefore = set(sys.modules)\n", 1
    )
    out = _python(code)
    assert out[0].split()[0] == "forked" and out[1:] == ["True"]


def test_a_hand_over_the_server_no_longer_waits_for_is_dropped() -> None:
    """The server stopped waiting (or ended): sending is no error, and the ends are closed."""
    from symbio.sweep import server

    memfd, read_end, write_end = server._open_channel()
    os.close(read_end)  # nobody reads any more
    server._channel[:] = [memfd, write_end]
    assert server.awaiting()
    server.send(b"memos")
    assert not server.awaiting()
    for fd in (memfd, write_end):
        with pytest.raises(OSError):
            os.fstat(fd)


def test_ctrl_c_during_the_servers_imports_ends_it_without_a_traceback() -> None:
    """Ctrl-C reaches the whole job; the job's own process reports it, so the server, still
    importing, ends quietly (it printed a KeyboardInterrupt traceback before)."""
    code = """
import os, sys
from symbio.sweep import server
def interrupted(_modules):
    raise KeyboardInterrupt
server._import_unscanned = interrupted
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    os.dup2(write, 2)
    server._serve(-1, os.open(os.devnull, os.O_RDONLY), os.open(os.devnull, os.O_WRONLY), [], {})
os.close(write)
_, status = os.waitpid(pid, 0)
err = os.read(read, 100000).decode()
print("server: exit", os.waitstatus_to_exitcode(status), "traceback" in err.lower())
"""
    assert _python(code) == ["exit 1 False"]
