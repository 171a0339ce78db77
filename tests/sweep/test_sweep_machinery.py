"""Sweep machinery (index, failures, resume, output guard, summary) on a closed-form runner.

``sweep_toy_runner`` computes the hydrogen-pair answer by hand, so these tests check the
machinery independently of the optimizer; ``test_sweep_solve.py`` runs the real solve.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sweep_toy_runner import crf

from symbio.errors import InputError
from symbio.sweep import TIMING_COLUMNS, SweepDir, run_sweep

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"
GRID = EXAMPLES / "sweeps" / "h2-carbon-grid.yaml"
TOY = "sweep_toy_runner:run"
PIPE = 3 * 3.0e6 * crf(0.08, 20)  # 916,670 CNY/a


def toy(sweep: Path, out: Path, **kw: object):  # noqa: ANN201
    kw.setdefault("executor", "serial")
    return run_sweep(sweep, out, runner=TOY, progress=False, **kw)


def stable(index: pd.DataFrame) -> pd.DataFrame:
    return index.drop(columns=list(TIMING_COLUMNS))


def test_grid_index_has_every_run_with_hand_derived_costs(tmp_path: Path) -> None:
    report = toy(GRID, tmp_path / "out")
    index = SweepDir(tmp_path / "out").read_index()
    assert report.counts == {"ok": 6} and len(index) == 6
    p = index["policy.carbon_price_cny_t"]
    b = index["markets[h2_purchase].buy_cny"]
    baseline = 6000 * (b + 9 * p)
    assert index["objective_baseline"].tolist() == pytest.approx(baseline.tolist())
    assert index["objective_optimized"].tolist() == pytest.approx([min(x, PIPE) for x in baseline])
    built = index["builds"].fillna("") == "h2_pipe.cracker.refinery"
    assert built.tolist() == [False, True, True, True, True, True]
    for name in ("plan.json", "plan.csv", "sweep.yaml", "index.csv"):
        assert (tmp_path / "out" / name).exists()
    plan = pd.read_csv(tmp_path / "out" / "plan.csv")
    assert plan["run_id"].tolist() == index["run_id"].tolist()
    assert sorted(p.name for p in (tmp_path / "out" / "runs").iterdir()) == plan["run_id"].tolist()


def test_each_run_writes_its_result_in_a_folder_of_its_own(tmp_path: Path) -> None:
    """Writing a result directory scans the folder around it for a killed writer's leftovers
    (``symbio.outdir``): a run's folder must not sit among the system temp folder's entries."""
    run_sweep(GRID, tmp_path / "out", runner="sweep_toy_runner:alone", progress=False)
    for run in sorted((tmp_path / "out" / "runs").iterdir()):
        neighbours = (run / "neighbours.txt").read_text(encoding="utf-8").splitlines()
        # the sweep's staging folder: this run's folder and those of runs in flight (and
        # their result writers' temporary folders), nothing else
        assert any(n.startswith(f"{run.name}-") for n in neighbours)
        assert all(re.match(r"^\.?run-\d{4}-[0-9a-f]{8}", n) for n in neighbours), neighbours


def test_record_json_holds_every_field_of_the_record(tmp_path: Path) -> None:
    toy(GRID, tmp_path / "out")
    record = json.loads((tmp_path / "out" / "runs" / "run-0002" / "record.json").read_text())
    back = SweepDir(tmp_path / "out").records()["run-0002"]
    assert record == json.loads(json.dumps(dataclasses.asdict(back)))
    assert record["builds"] == ["h2_pipe.cracker.refinery"] and record["kpis"]["cost_saving"] > 0


FAILING = """base: {base}
grid:
  sites[refinery].demands[h2].amount: [20000]
  policy.caps.co2: [1.0e9, 13, -5]
  markets[h2_purchase].buy_cap: [null, 0]
"""


def test_infeasible_invalid_and_crashing_runs_are_recorded_not_fatal(tmp_path: Path) -> None:
    sweep = tmp_path / "failing.yaml"
    sweep.write_text(FAILING.format(base=EXAMPLES / "hydrogen-pair.yaml"), encoding="utf-8")
    report = toy(sweep, tmp_path / "out", executor="pool", workers=2)
    index = report.index.set_index("run_id")
    assert index["status"].tolist() == [
        "ok",
        "infeasible",
        "failed",
        "infeasible",
        "invalid",
        "invalid",
    ]
    assert "purchase cap" in index.loc["run-0002", "message"]
    assert "worker process died" in index.loc["run-0003", "message"]
    assert "caps.co2" in index.loc["run-0005", "message"]
    assert report.counts == {"ok": 1, "invalid": 2, "infeasible": 2, "failed": 1}
    bad = pd.read_csv(tmp_path / "out" / "summary" / "infeasible.csv")
    assert bad["run_id"].tolist() == [f"run-000{i}" for i in range(2, 7)]
    record = json.loads((tmp_path / "out" / "runs" / "run-0002" / "record.json").read_text())
    assert record["status"] == "infeasible"
    # the run whose worker died: its record alone; nothing left in the staging folder
    assert [p.name for p in (tmp_path / "out" / "runs" / "run-0003").iterdir()] == ["record.json"]
    assert not (tmp_path / "out" / "runs" / ".staging").exists()


def test_resume_redoes_only_unfinished_runs(tmp_path: Path) -> None:
    full = toy(GRID, tmp_path / "full")
    out = tmp_path / "part"
    shutil.copytree(tmp_path / "full", out)
    for rid in ("run-0002", "run-0005"):
        shutil.rmtree(out / "runs" / rid)
    (out / "runs" / ".staging" / "run-0002-dead").mkdir(parents=True)  # killed mid-write
    (out / "index.csv").unlink()
    report = toy(GRID, out, resume=True)
    assert (report.executed, report.skipped) == (2, 4)
    assert not (out / "runs" / ".staging").exists()
    pd.testing.assert_frame_equal(stable(report.index), stable(full.index))
    again = toy(GRID, out, resume=True)  # a finished sweep: nothing to do, summary rebuilt
    assert again.executed == 0


def test_retry_failed_reruns_failed_runs_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    toy(GRID, out)
    record_file = out / "runs" / "run-0003" / "record.json"
    record = json.loads(record_file.read_text())
    record_file.write_text(json.dumps({**record, "status": "failed", "message": "boom"}))
    assert toy(GRID, out, resume=True).executed == 0
    report = toy(GRID, out, resume=True, retry_failed=True)
    assert report.executed == 1 and report.counts == {"ok": 6}


def test_output_directory_is_guarded(tmp_path: Path) -> None:
    out = tmp_path / "out"
    toy(GRID, out)
    with pytest.raises(InputError, match="--resume"):
        toy(GRID, out)
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        GRID.read_text().replace("[0, 100, 200]", "[0, 100, 300]").replace("../", f"{EXAMPLES}/"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="runs changed"):
        toy(changed, out, resume=True)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty"):
        toy(GRID, other)


def test_summary_counts_builds_and_quantiles(tmp_path: Path) -> None:
    toy(GRID, tmp_path / "out")
    summary = tmp_path / "out" / "summary"
    freq = pd.read_csv(summary / "build_frequency.csv").set_index("id")
    assert freq.loc["h2_pipeline", ["kind", "built_runs", "solved_runs"]].tolist() == [
        "measure", 5, 6,
    ]  # fmt: skip
    assert freq.loc["h2_pipeline", "robustness"] == "robust"  # 5/6 >= 80 %
    q = pd.read_csv(summary / "kpi_quantiles.csv").set_index("metric")
    assert q.loc["objective_optimized", "max"] == pytest.approx(PIPE)
    assert q.loc["objective_optimized", "min"] == pytest.approx(600_000)
    assert q.loc["objective_optimized", "p50"] == pytest.approx(PIPE)
    for png in ("kpi_distributions.png", "build_frequency.png", "objective_vs_inputs.png"):
        assert (summary / png).stat().st_size > 1000


def test_workers_temporary_files_are_removed_even_when_a_worker_dies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    sweep = tmp_path / "failing.yaml"
    sweep.write_text(FAILING.format(base=EXAMPLES / "hydrogen-pair.yaml"), encoding="utf-8")
    report = run_sweep(
        sweep,
        tmp_path / "out",
        runner="sweep_toy_runner:where_temp",
        progress=False,
        executor="pool",
        workers=2,
    )
    assert report.counts["failed"] == 1  # run-0003 killed its worker mid-run
    used = Path((tmp_path / "out" / "runs" / "run-0001" / "temp.txt").read_text())
    assert used.parent == system_temp and used.name.startswith("symbio-sweep-")
    assert list(system_temp.iterdir()) == []  # the dead worker's folder went with the sweep's
