"""The main job's steps done in worker processes (the other scenarios' runs): the same files
as done here, given back in the order given; an infeasible run recorded; a step whose worker
dies done here instead."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from pathlib import Path

import pytest
from hand_case_helpers import SHORTFALL, scenario

from symbio.flows.load import load_scenario
from symbio.paths import scenarios_dir
from symbio.pilot.elsewhere import Elsewhere, worth_workers
from symbio.pilot.runs import run_step, solve_and_score

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not worth_workers(steps=2), reason="needs two cores and a fork server"),
]
EXAMPLES = scenarios_dir() / "examples"
STEMS = ("small-park", "small-park-carbon-200", "hydrogen-pair", "substitutes")


@pytest.fixture(scope="module")
def loaded() -> dict[str, object]:
    return {stem: load_scenario(EXAMPLES / f"{stem}.yaml") for stem in STEMS}


def _without_times(value: object) -> object:
    """A summary.json value without the fields that hold seconds (they differ run to run)."""
    if isinstance(value, dict):
        return {
            k: _without_times(v)
            for k, v in value.items()
            if "seconds" not in k and k not in {"timings"}
        }
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


def _files(out: Path) -> dict[str, bytes | object]:
    """Every file under ``out/runs``, its path there, ``out`` itself written as OUT."""
    files: dict[str, bytes | object] = {}
    for path in sorted(p for p in (out / "runs").rglob("*") if p.is_file()):
        data = path.read_bytes().replace(str(out).encode(), b"OUT")
        name = str(path.relative_to(out))
        files[name] = _without_times(json.loads(data)) if path.name == "summary.json" else data
    return files


def _elsewhere(scenarios: dict, out: Path) -> dict:
    """The runs of ``scenarios`` as steps done elsewhere, taken back once the first is a
    worker's (else, on a loaded machine, this process might take them all before any worker
    is given one, and the tests would not see a worker's run)."""
    steps = {s: (run_step, (s, scenario, out, {}, None)) for s, scenario in scenarios.items()}
    elsewhere = Elsewhere(steps)
    first = elsewhere._futures[next(iter(steps))]
    deadline = time.monotonic() + 30
    while not (first.running() or first.done()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert first.running() or first.done()
    return dict(elsewhere.take())


def test_runs_in_workers_write_what_runs_here_write_in_the_given_order(loaded, tmp_path):
    here, there = tmp_path / "here", tmp_path / "there"
    expected = [solve_and_score(s, loaded[s], here, {}, None) for s in STEMS]
    done = _elsewhere(loaded, there)
    records = [d.value for d in done.values()]

    assert list(done) == list(STEMS) and [r.stem for r in records] == list(STEMS)
    assert [row["target"] for d in done.values() for row in d.rows] == [
        s for s in STEMS for _ in ("run", "score")
    ]
    (line,) = done["hydrogen-pair"].said
    assert line.startswith("hydrogen-pair: optimal, scored (")
    for mine, theirs in zip(expected, records, strict=True):
        assert theirs.status == mine.status == "optimal"
        assert theirs.target == there / "runs" / mine.stem
        assert theirs.result.kpis.equals(mine.result.kpis)
        assert theirs.scores.overall.equals(mine.scores.overall)
    a, b = _files(here), _files(there)
    assert len(a) > 4 * 20 and a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_an_infeasible_run_is_recorded_with_its_diagnosis(loaded, tmp_path):
    runs = {"small-park": loaded["small-park"], "shortfall": scenario(SHORTFALL)}
    first, short = (d.value for d in _elsewhere(runs, tmp_path).values())
    assert first.status == "optimal"
    assert short.status == "infeasible" and short.target is None
    assert "h2" in short.why
    assert not (tmp_path / "runs" / "shortfall").exists()


def _killing_its_worker(real: object) -> object:
    """``real`` as a scenario that ends the process that unpickles it (a worker's crash, say
    out of memory), and is ``real`` itself in this process."""

    class KillsItsWorker(type(real)):
        def __reduce__(self) -> tuple:
            return (os._exit, (9,))

    copy = real.model_copy()
    copy.__class__ = KillsItsWorker
    return copy


def test_a_run_whose_worker_dies_is_solved_here(loaded, tmp_path, monkeypatch):
    died: list[str] = []
    outcome = Elsewhere._outcome

    def spy(self, name):  # noqa: ANN001, ANN202
        if self._futures[name].exception() is not None:
            died.append(name)
        return outcome(self, name)

    monkeypatch.setattr(Elsewhere, "_outcome", spy)
    runs = {
        "small-park": _killing_its_worker(loaded["small-park"]),
        "hydrogen-pair": loaded["hydrogen-pair"],
    }
    records = [d.value for d in _elsewhere(runs, tmp_path).values()]
    assert [r.status for r in records] == ["optimal", "optimal"]
    assert "small-park" in died  # its worker died, and it was solved here
    assert (tmp_path / "runs" / "small-park" / "kpis.csv").is_file()


def test_an_error_of_a_step_done_elsewhere_is_raised_here(loaded, tmp_path):
    steps = {
        "run": (run_step, ("small-park", loaded["small-park"], tmp_path, {}, None)),
        "broken": (int, ("12",)),  # int("12", report, say): a TypeError, wherever it runs
    }
    with pytest.raises(TypeError):
        dict(Elsewhere(steps).take())


def test_the_main_scenarios_studies_are_left_out_when_it_is_infeasible(tmp_path):
    from symbio.pilot import run_pilot

    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "shortfall.yaml").write_text(SHORTFALL)
    (folder / "small-park.yaml").write_text((EXAMPLES / "small-park.yaml").read_text())
    report = run_pilot(
        tmp_path / "out", scenarios=folder, main="shortfall", robust_samples=0,
        allocation=False, langs=(),
    )  # fmt: skip
    rows = [(s["step"], s["target"], s["status"]) for s in report.steps]
    assert rows[1:] == [
        ("run", "shortfall", "infeasible"),
        ("run", "small-park", "optimal"),
        ("score", "small-park", "ok"),
        ("compare", "small-park", "ok"),
    ]
    assert not (tmp_path / "out" / "pareto").exists()
    assert not (tmp_path / "out" / "measures").exists()


def _sleeping(seconds: float, _report: object, _say: object) -> None:
    time.sleep(seconds)


def test_ctrl_c_is_left_to_this_process_which_stops_the_workers_at_once():
    from symbio.sweep.server import fork_is_safe

    if not fork_is_safe():
        pytest.skip("workers are forked from this process only where that is safe")
    elsewhere = Elsewhere({"a": (_sleeping, (60,)), "b": (_sleeping, (60,))})
    workers = list(elsewhere._pool._processes.values())
    assert len(workers) == 2
    for worker in workers:  # Ctrl-C reaches every process of the job: theirs keep it blocked
        status = Path(f"/proc/{worker.pid}/status").read_text()
        blocked = int(
            next(x for x in status.splitlines() if x.startswith("SigBlk:")).split()[1], 16
        )
        assert blocked & (1 << (signal.SIGINT - 1))
    t = time.monotonic()
    elsewhere.close()
    for worker in workers:
        worker.join(10)
    assert not any(worker.is_alive() for worker in workers)
    assert time.monotonic() - t < 10  # not the minute their steps would take


def _here(value: int, _report: object, say: object) -> tuple[int, int]:
    say(f"step {value}")
    return value, os.getpid()


def test_no_process_to_spare_for_the_workers_leaves_every_step_here(monkeypatch):
    import multiprocessing.context

    def no_fork(_self) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork's EAGAIN

    for process in (multiprocessing.context.ForkProcess, multiprocessing.context.ForkServerProcess):
        monkeypatch.setattr(process, "start", no_fork)
    done = dict(Elsewhere({name: (_here, (i,)) for i, name in enumerate("abc")}).take())
    assert list(done) == ["a", "b", "c"]
    assert [d.value for d in done.values()] == [(i, os.getpid()) for i in range(3)]
    assert [d.said for d in done.values()] == [["step 0"], ["step 1"], ["step 2"]]


def _writing_slowly(target: Path, _report: object, _say: object) -> None:
    from symbio.fileio import atomic_file

    with atomic_file(target) as tmp:
        tmp.write_text("half a page")
        time.sleep(60)


def test_workers_stopped_mid_write_leave_no_temporary_file(tmp_path):
    from symbio.sweep.server import fork_is_safe

    if not fork_is_safe():
        pytest.skip("workers are forked from this process only where that is safe")
    steps = {name: (_writing_slowly, (tmp_path / f"{name}.txt",)) for name in "ab"}
    elsewhere = Elsewhere(steps)
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # until both workers are half-way through their files
    assert len(list(tmp_path.iterdir())) == 2
    t = time.monotonic()
    elsewhere.close()  # as on Ctrl-C
    assert time.monotonic() - t < 10
    assert list(tmp_path.iterdir()) == []


def _waiting_for(event_file: Path, _report: object, say: object) -> str:
    """A step that ends once ``event_file`` exists (written by the test after it has seen the
    steps before given out)."""
    deadline = time.monotonic() + 30
    while not event_file.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    say(f"waited for {event_file.name}")
    return event_file.name


def test_steps_are_given_out_in_order_as_soon_as_they_and_those_before_are_done(tmp_path):
    """Progress is shown as the steps end, not all at once at the end: the first step is given
    out while the last is still waiting."""
    steps = {"a": (_here, (0,)), "b": (_waiting_for, (tmp_path / "go",))}
    taken = Elsewhere(steps).take()
    name, done = next(taken)  # "b" is not done: it waits for the file written below
    assert name == "a" and done.said == ["step 0"]
    (tmp_path / "go").write_text("")
    assert [(n, d.value) for n, d in taken] == [("b", "go")]


def test_without_workers_the_steps_are_done_here_in_order(monkeypatch):
    import symbio.pilot.elsewhere as elsewhere

    monkeypatch.setattr(elsewhere, "worth_workers", lambda steps: False)
    taken = Elsewhere({name: (_here, (i,)) for i, name in enumerate("abc")}).take()
    assert next(taken)[0] == "a"
    assert [n for n, _ in taken] == ["b", "c"]


@pytest.mark.parametrize("after", [0.4, 1.0, 1.6])
def test_ctrl_c_while_the_steps_run_ends_the_job_at_once(tmp_path, after):
    """Ctrl-C a moment after the validation (the steps are with the workers then) ends the
    whole job with exit code 130 and no process left. The job waited for ever at its exit
    before: for the call pipe to dead workers, or for half a result a stopped worker had sent."""
    import subprocess
    import sys

    from symbio.sweep.server import fork_is_safe

    if not fork_is_safe():
        pytest.skip("workers are forked from this process only where that is safe")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
           "PYTHONUNBUFFERED": "1"}  # fmt: skip
    job = subprocess.Popen(
        [sys.executable, "-m", "symbio", "pilot", "--out", str(out), "--robust-samples", "0",
         "--no-allocation"], env=env, cwd=tmp_path, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        for line in job.stdout:
            if line.startswith("validated"):
                break
        time.sleep(after)
        os.killpg(job.pid, signal.SIGINT)
        rest, _ = job.communicate(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(job.pid, signal.SIGKILL)
    assert job.returncode == 130, rest[-2000:]
    assert "Traceback" not in rest
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", f"--out {out}"], capture_output=True, text=True)
    assert left.stdout.split() == []
