"""A local worker writes its run's files straight into the sweep's staging folder.

The files must be exactly those a run hands over as bytes (the Dask path), the folder must
be the run's own in this sweep's staging folder, and the parent must refuse any other.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from symbio.errors import InputError
from symbio.sweep.execute import run_one
from symbio.sweep.runspec import RESULT_FILES, RunOptions, RunOutput, RunRecord, RunSpec
from symbio.sweep.store import SweepDir

HYDROGEN_PAIR = Path(__file__).resolve().parents[2] / "scenarios/examples/hydrogen-pair.yaml"


def disk_and_memory(scenario, options, out: Path) -> dict:  # noqa: ANN001
    """A runner that writes one file and makes two in memory, one of the same name."""
    (out / "a.txt").write_bytes(b"on disk")
    return {"status": "ok", RESULT_FILES: {"a.txt": b"in memory", "b/c.txt": b"c"}}


def leading_out(scenario, options, out: Path) -> dict:  # noqa: ANN001
    """A runner that makes a file in memory whose name leads out of its folder."""
    return {"status": "ok", RESULT_FILES: {"../escaped.txt": b"x"}}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_staged_run_writes_the_files_it_would_hand_over(tmp_path: Path) -> None:
    """The optimizer's in-memory result files (``score: false``) land in the run's staging
    folder with the bytes the run returns without a staging folder."""
    spec = RunSpec("run-0001", str(HYDROGEN_PAIR), {}, RunOptions(score=False))
    handed = run_one(spec)
    stage = tmp_path / "runs" / ".staging"
    staged = run_one(spec, str(stage))
    assert staged.files == {} and handed.folder is None
    folder = Path(staged.folder)
    assert folder.parent == stage and folder.name.startswith("run-0001-")
    written = tree(folder)
    assert sorted(written) == sorted(handed.files)
    assert all(written[n] == handed.files[n] for n in written if n != "summary.json")  # timings
    assert staged.record.status == handed.record.status == "ok"


def test_a_file_on_disk_wins_over_one_of_the_same_name_in_memory(tmp_path: Path) -> None:
    spec = RunSpec(
        "run-0001", str(HYDROGEN_PAIR), {}, RunOptions(runner=f"{__name__}:disk_and_memory")
    )
    want = {"a.txt": b"on disk", "b/c.txt": b"c"}
    assert run_one(spec).files == want
    staged = run_one(spec, str(tmp_path))
    assert tree(Path(staged.folder)) == want


def test_a_staged_file_named_outside_the_run_fails_the_run_not_the_sweep(tmp_path: Path) -> None:
    """``run_one`` never raises: a held file whose name leads out is that run's failure."""
    spec = RunSpec("run-0001", str(HYDROGEN_PAIR), {}, RunOptions(runner=f"{__name__}:leading_out"))
    staged = run_one(spec, str(tmp_path / "stage"))
    assert staged.record.status == "failed"
    assert "outside its directory" in staged.record.message
    assert not (tmp_path / "stage" / "escaped.txt").exists()


def test_the_sweep_commits_a_staged_run_with_its_record(tmp_path: Path) -> None:
    store = SweepDir(tmp_path / "sweep")
    folder = store.staging.absolute() / "run-0001-0123abcd"
    (folder / "scores").mkdir(parents=True)
    (folder / "scores" / "x.csv").write_bytes(b"x")
    store.commit(RunOutput(RunRecord("run-0001", "ok"), folder=str(folder)))
    run = tmp_path / "sweep" / "runs" / "run-0001"
    assert sorted(tree(run)) == ["record.json", "scores/x.csv"]
    assert not folder.exists()
    assert store.records()["run-0001"].status == "ok"


@pytest.mark.parametrize("where", ["other-sweep", "wrong-run", "nested", "link"])
def test_the_sweep_refuses_a_folder_that_is_not_the_runs_staging_folder(
    tmp_path: Path, where: str
) -> None:
    store = SweepDir(tmp_path / "sweep")
    folder = {
        "other-sweep": tmp_path / "elsewhere" / "runs" / ".staging" / "run-0001-0123abcd",
        "wrong-run": store.staging.absolute() / "run-0002-0123abcd",
        "nested": store.staging.absolute() / "x" / "run-0001-0123abcd",
        "link": tmp_path / "elsewhere" / "run-0001-0123abcd",
    }[where]
    folder.mkdir(parents=True)
    if where == "link":  # the run's name in the staging folder, leading elsewhere
        store.staging.mkdir(parents=True)
        folder = store.staging.absolute() / folder.name
        folder.symlink_to(tmp_path / "elsewhere" / folder.name)
    with pytest.raises(InputError, match="not a staging folder of run run-0001"):
        store.commit(RunOutput(RunRecord("run-0001", "ok"), folder=str(folder)))
    assert folder.exists() and not (tmp_path / "sweep" / "runs" / "run-0001").exists()


def test_the_index_is_rewritten_at_most_every_min_gap_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs arriving faster than ``MIN_GAP`` apart: the index is rewritten after the first,
    then once the gap has passed, and at the end (a rewrite taking no time here)."""
    from symbio.sweep import engine
    from symbio.sweep.plan import Plan

    clock = [100.0]
    # the engine's clock only: time.monotonic itself serves every thread and library
    monkeypatch.setattr(engine, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    store = SweepDir(tmp_path / "sweep")
    plan = Plan([RunSpec(f"run-{i:04d}", "base.yaml", {}) for i in range(1, 6)], [], "sha", [])
    writes: list[float] = []
    monkeypatch.setattr(store, "write_index", lambda *a: writes.append(clock[0]))
    recorder = engine.Recorder(store, plan, {})
    for i, at in enumerate((100.0, 100.5, 101.9, 102.0, 103.0), start=1):
        clock[0] = at
        recorder.record(RunOutput(RunRecord(f"run-{i:04d}", "ok")))
    assert writes == [100.0, 102.0]
    monkeypatch.setattr(store, "read_index", lambda: None)
    recorder.finish()
    assert writes == [100.0, 102.0, 103.0]


#: Runs a sweep in a fresh interpreter (nothing frozen, no other thread) and prints the
#: smallest freeze count seen as runs came in, and the count after the sweep.
FROZEN = """
import gc, sys
from symbio.sweep import engine, summary
seen = []
real = engine.Recorder.record
def record(self, output):
    seen.append(gc.get_freeze_count())
    real(self, output)
engine.Recorder.record = record
if sys.argv[2] == "fail":
    def broken(*args):
        raise RuntimeError("summary failed")
    summary.write_summary = broken
try:
    engine.run_sweep(sys.argv[1], sys.argv[3], runner="sweep_toy_runner:run", progress=False)
except RuntimeError:
    pass
print(min(seen), gc.get_freeze_count())
"""


@pytest.mark.parametrize("end", ["ok", "fail"])
def test_a_sweep_hands_its_objects_back_to_the_collector(tmp_path: Path, end: str) -> None:
    """The sweep keeps its long-lived objects out of the collector's passes while it runs
    (``gc.freeze``) and unfreezes them when it ends, also when it fails."""
    import os
    import subprocess
    import sys

    here = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here.parents[1]), str(here)])}
    grid = here.parents[1] / "scenarios/examples/sweeps/h2-carbon-grid.yaml"
    args = [sys.executable, "-c", FROZEN, str(grid), end, str(tmp_path / "out")]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    during, after = (int(n) for n in done.stdout.split())
    assert during > 10_000 and after == 0


@pytest.mark.parametrize("caller", ["froze", "thread"])
def test_a_sweep_leaves_the_collector_to_a_caller_that_manages_it(
    tmp_path: Path, caller: str
) -> None:
    """Objects the caller froze stay frozen; a sweep run in a thread (the main job's
    robustness study) freezes nothing, since the main thread's objects are not its own."""
    import gc
    import threading

    from symbio.sweep import engine

    grid = Path(__file__).resolve().parents[2] / "scenarios/examples/sweeps/h2-carbon-grid.yaml"
    gc.unfreeze()
    kept = [object()]  # something of the caller's, frozen by it
    gc.freeze() if caller == "froze" else None
    frozen = gc.get_freeze_count()
    during: list[int] = []
    real = engine.Recorder.record

    def record(self, output: RunOutput) -> None:  # noqa: ANN001
        during.append(gc.get_freeze_count())
        real(self, output)

    def sweep() -> None:
        engine.run_sweep(grid, tmp_path / "out", runner="sweep_toy_runner:run", progress=False)

    engine.Recorder.record = record
    try:
        if caller == "thread":
            worker = threading.Thread(target=sweep)
            worker.start()
            worker.join()
        else:
            sweep()
        after = gc.get_freeze_count()
    finally:
        engine.Recorder.record = real
        gc.unfreeze()
    # nothing frozen by the sweep (the count only falls: frozen objects that died), and
    # the caller's objects still frozen after it
    assert during and all(n <= frozen for n in during) and after <= frozen
    assert (min(during) > 0 and after > 0) if caller == "froze" else frozen == 0
    assert kept
