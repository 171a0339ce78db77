"""One run of a sweep, as executed in a worker process.

:func:`run_one` is the only function a worker calls. Where the worker may not share the
sweep's file system (a Dask cluster), it works in a private temporary directory and returns
the files it wrote (and those the runner made in memory,
:data:`~symbio.sweep.runspec.RESULT_FILES`) as bytes together with a small
:class:`RunRecord`, and the parent process writes them. In a local process pool or the
serial executor it writes them straight into a new folder of the sweep's staging folder
(``stage``) and returns that folder: the files are written once, instead of written, read
back and written again by the parent. Either way a run appears in the sweep directory only
when the parent, which writes its record, moves the complete folder into place in one step,
so a killed worker cannot leave half-written results (what it left in the staging folder is
removed with it).

A failure of any kind (invalid variant, infeasible model, solver failure, a bug) becomes a
record with a status and a message; it never escapes ``run_one``.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import socket
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from symbio.errors import InfeasibleError, InputError, ScenarioError, SolverError
from symbio.flows.overrides import apply_overrides
from symbio.flows.schema import Scenario
from symbio.sweep.runspec import (
    RESULT_FILES,
    RunOptions,
    RunOutput,
    RunRecord,
    RunSpec,
    relative_path,
)

#: Statuses of a run. ``ok``: solved (``solver_status`` says optimal or time limit with a
#: gap); ``infeasible``: the variant has no feasible network (``message`` has the
#: diagnosis); ``invalid``: the overridden scenario does not validate; ``failed``: the
#: solver or the code failed; ``pending``: not run yet.
STATUSES = ("ok", "infeasible", "invalid", "failed", "pending")

#: Largest total size of the files one run may send back (guards the parent's memory).
MAX_RESULT_BYTES = 256 * 2**20


#: A runner solves (and scores) one scenario variant, writes its result files under the
#: given directory and returns the RunRecord fields it knows (status defaults to ``ok``).
Runner = Callable[[Scenario, RunOptions, Path], dict]


def run_one(spec: RunSpec, stage: str | None = None) -> RunOutput:
    """Run one sweep run: apply overrides, solve, score; never raises for a bad run.

    Parameters
    ----------
    spec
        The run: base scenario file, overrides and options.
    stage
        The sweep's staging folder (:meth:`symbio.sweep.store.SweepDir.staging`), when this
        process shares the sweep's file system (a local pool, the serial executor): the run
        writes its files in a new folder there, which the sweep's process completes with the
        record and moves into place, instead of in a temporary folder whose files are read
        back and handed over as bytes for the sweep's process to write again. None (Dask):
        the files come back as bytes.

    Returns
    -------
    RunOutput
        The record (status, objectives, KPIs, builds, grade, message, seconds) and the
        result files (or the folder holding them), to be committed by the caller.
    """
    start, cpu_start = time.perf_counter(), time.process_time()
    fields: dict = {}
    with _collect_own_garbage(), _run_folder(spec.run_id, stage) as out:
        try:
            scenario = apply_overrides(spec.base, spec.overrides)
            runner = load_runner(spec.options.runner)
            runner_start, runner_cpu = time.perf_counter(), time.process_time()
            fields = dict(runner(scenario, spec.options, out))
            fields.setdefault("status", "ok")
            fields["runner_seconds"] = round(time.perf_counter() - runner_start, 4)
            fields["runner_cpu_seconds"] = round(time.process_time() - runner_cpu, 4)
        except ScenarioError as exc:
            fields = {"status": "invalid", "message": str(exc)}
        except InfeasibleError as exc:
            fields = {"status": "infeasible", "message": _diagnosis_text(exc)}
        except SolverError as exc:
            fields = {"status": "failed", "message": f"solver: {exc}"}
        except (Exception, SystemExit) as exc:  # a bug or a library error: record, go on
            fields = {"status": "failed", "message": f"{type(exc).__name__}: {exc}"}
            (out / "error.txt").write_text(traceback.format_exc(), encoding="utf-8")
        held = fields.pop(RESULT_FILES, None) or {}
        try:
            if stage is None:
                files = collect_files(out, held)
            else:
                files = {}
                write_held(out, held)
        except (OSError, SolverError, InputError) as exc:  # InputError: a name leading out
            fields = {"status": "failed", "message": f"cannot return the results: {exc}"}
            files = {}
    record = RunRecord(
        run_id=spec.run_id,
        seconds=round(time.perf_counter() - start, 4),
        cpu_seconds=round(time.process_time() - cpu_start, 4),
        worker=f"{socket.gethostname()}:{os.getpid()}",
        **fields,
    )
    return RunOutput(record, files, None if stage is None else str(out))


@contextlib.contextmanager
def _run_folder(run_id: str, stage: str | None) -> Iterator[Path]:
    """A new, empty folder named after the run for its files: in ``stage`` (kept: the
    sweep's process moves it into place, or removes it with the staging folder), else in a
    temporary folder removed afterwards.

    Either way the folder is alone in a folder with few entries: writing a result directory
    scans its parent for leftovers of killed writers (:mod:`symbio.outdir`), and the system's
    temp folder may hold thousands of entries (~10 ms a run at 1,300).
    """
    if stage is not None:
        out = Path(stage) / f"{run_id}-{uuid.uuid4().hex[:8]}"
        out.mkdir(parents=True)
        yield out
        return
    with tempfile.TemporaryDirectory(prefix="symbio-") as tmp:
        out = Path(tmp) / run_id
        out.mkdir()
        yield out


def write_held(root: Path, held: dict[str, bytes]) -> None:
    """Write the files a runner made in memory under ``root``, except those it wrote there
    itself (as :func:`collect_files` takes the one on disk)."""
    for rel, data in held.items():
        path = root / relative_path(rel)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


@contextlib.contextmanager
def _collect_own_garbage() -> Iterator[None]:
    """Free the run's reference cycles (Pyomo models hold many) when it ends, looking only
    at the objects the run made.

    Every object alive before the run (the imported modules, the worker's caches: about
    200,000) is frozen while it runs (:func:`gc.freeze`), so neither the collector's passes
    during the run nor the full collection at its end walk them again (the walk cost
    ~90 ms per SCIP sample); they are unfrozen afterwards, so nothing stays out of reach
    of the collector. In a fork-server worker that also releases the imports the server
    froze (:mod:`symbio.sweep.warm`); keeping those frozen measured ~1 CPU-s slower over
    the main job's 80 samples (2 interleaved pairs, quiet), so they are released.

    The automatic collections are off while the run lasts (as :func:`symbio.model.expr.
    paused_gc` has them off while a model is built): on a SCIP sample, 13 young-generation
    passes and one middle-generation pass walked the run's model again and again (~3.7 ms a
    sample) and found next to nothing, since the run's cycles (the model's) live until its
    end. Reference counting frees everything else as usual; the run's cycles are freed by
    the one collection at its end. The collector's previous state is restored afterwards.
    """
    from symbio.model.expr import paused_gc  # Pyomo: imported by the run anyway

    gc.freeze()
    try:
        with paused_gc():
            yield
            gc.collect()
    finally:
        gc.unfreeze()


def failed_output(spec: RunSpec, why: str) -> RunOutput:
    """The output of a run that could not finish in its worker (the worker died, say)."""
    return RunOutput(RunRecord(spec.run_id, "failed", message=why))


def load_runner(name: str) -> Runner:
    """Import a runner given as ``module:function``."""
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)


def collect_files(root: Path, held: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Read every file under ``root`` (relative POSIX path → bytes), after the ``held`` ones
    (files a runner made in memory; one written under ``root`` too is taken from disk)."""
    files = dict(held or {})
    total = sum(len(data) for data in files.values())
    for path in sorted(root.rglob("*")):
        if total > MAX_RESULT_BYTES:
            break
        if path.is_file():
            data = path.read_bytes()
            total += len(data)
            files[path.relative_to(root).as_posix()] = data
    if total > MAX_RESULT_BYTES:
        raise SolverError(f"run results exceed {MAX_RESULT_BYTES // 2**20} MiB")
    return files


def _diagnosis_text(exc: InfeasibleError) -> str:
    """The error's message, with its diagnosis unless the message already holds it."""
    message, diagnosis = str(exc), exc.diagnosis
    if diagnosis is None or str(diagnosis) in message:
        return message
    return f"{message}\n{diagnosis}"


def solve_and_score(scenario: Scenario, options: RunOptions, out: Path) -> dict:
    """The default runner: ``symbio.solve`` (baseline and optimized) and ``score_result``.

    Writes the result under ``out`` (and the scores under ``out/scores`` when scoring is
    on) and returns the record fields.
    """
    from symbio.sweep.adapter import solve_and_score as _impl

    return _impl(scenario, options, out)
