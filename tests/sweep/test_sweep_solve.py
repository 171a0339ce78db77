"""Sweeps with the real optimizer on the hydrogen-pair teaching scenario.

Every run's answer is known by hand (``sweep_toy_runner.hydrogen_pair``):
baseline = D·(b + 9p), optimized = min(baseline, pipeline + max(0, D − S)·(b + 9p)).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from sweep_toy_runner import hydrogen_pair

from symbio.flows.overrides import apply_overrides
from symbio.sweep import TIMING_COLUMNS, SweepDir, load_sweep, make_plan, run_sweep

SWEEPS = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "sweeps"
GRID = SWEEPS / "h2-carbon-grid.yaml"
MONTE_CARLO = SWEEPS / "h2-monte-carlo.yaml"
INFEASIBLE = SWEEPS / "h2-infeasible-grid.yaml"
PIPE = 916_669.879408  # 3 km × 3.0e6 CNY/km × CRF(8 %, 20 a)

pytestmark = pytest.mark.integration


def stable(index: pd.DataFrame) -> pd.DataFrame:
    return index.drop(columns=list(TIMING_COLUMNS))


def assert_same_index(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(stable(a), stable(b), check_exact=False, rtol=1e-9)


@pytest.fixture(scope="module")
def monte_carlo(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The Monte Carlo example, uninterrupted, on the local pool (2 workers)."""
    out = tmp_path_factory.mktemp("mc") / "pool"
    run_sweep(MONTE_CARLO, out, workers=2, progress=False)
    return SweepDir(out).read_index()


def test_grid_gives_the_hand_derived_costs_and_scores(tmp_path: Path) -> None:
    report = run_sweep(GRID, tmp_path / "out", executor="serial", progress=False)
    index = report.index
    assert report.counts == {"ok": 6}
    p, b = index["policy.carbon_price_cny_t"], index["markets[h2_purchase].buy_cny"]
    baseline = 6000 * (b + 9 * p)
    assert index["objective_baseline"].tolist() == pytest.approx(baseline.tolist(), rel=1e-6)
    assert index["objective_optimized"].tolist() == pytest.approx(
        [min(x, PIPE) for x in baseline], rel=1e-6
    )
    # only b = 100, p = 0 keeps buying (600,000 < 916,670 CNY/a)
    assert index["measures"].fillna("").tolist() == ["", *["h2_pipeline"] * 5]
    assert index["kpi.co2_t"].tolist() == pytest.approx([54_000, 0, 0, 0, 0, 0], abs=1e-6)
    assert index["grade"].notna().all() and index["rating"].notna().all()
    run = tmp_path / "out" / "runs" / "run-0002"  # a result directory, as `symbio run` writes
    summary = json.loads((run / "summary.json").read_text())
    assert summary["kpis"]["total_cost_cny"] == pytest.approx(PIPE, rel=1e-6)
    assert (run / "scores" / "scores.json").exists() and (run / "record.json").exists()
    freq = pd.read_csv(tmp_path / "out" / "summary" / "build_frequency.csv").set_index("id")
    assert freq.loc["h2_pipeline", "share"] == pytest.approx(5 / 6)


def test_monte_carlo_runs_match_the_closed_form(monte_carlo: pd.DataFrame) -> None:
    spec, base = load_sweep(MONTE_CARLO)
    plan = make_plan(spec, base)
    assert (monte_carlo["status"] == "ok").all() and len(monte_carlo) == spec.runs
    built = []
    for run, row in zip(plan.runs, monte_carlo.itertuples(index=False), strict=True):
        expected = hydrogen_pair(apply_overrides(base, run.overrides))
        assert row.objective_baseline == pytest.approx(expected["objective_baseline"], rel=1e-6)
        assert row.objective_optimized == pytest.approx(expected["objective_optimized"], rel=1e-6)
        assert (row.measures == "h2_pipeline") == bool(expected["measures"])
        built.append(bool(expected["measures"]))
    assert 0 < sum(built) < len(built)  # the sample covers both answers


def test_infeasible_variant_is_recorded_not_fatal(tmp_path: Path) -> None:
    report = run_sweep(INFEASIBLE, tmp_path / "out", executor="serial", progress=False)
    index = report.index.set_index("run_id")
    assert index["status"].tolist() == ["ok", "infeasible"]
    assert index.loc["run-0001", "objective_optimized"] == pytest.approx(PIPE, rel=1e-6)
    assert pd.isna(index.loc["run-0001", "objective_baseline"])  # no pipeline, no purchases
    assert "baseline" in index.loc["run-0001", "message"]
    assert "10,000 t short" in index.loc["run-0002", "message"]
    record = json.loads((tmp_path / "out" / "runs" / "run-0002" / "record.json").read_text())
    assert "refinery" in record["message"] and record["status"] == "infeasible"
    bad = pd.read_csv(tmp_path / "out" / "summary" / "infeasible.csv")
    assert bad["run_id"].tolist() == ["run-0002"]


def test_killed_then_resumed_sweep_equals_an_uninterrupted_one(
    tmp_path: Path, monte_carlo: pd.DataFrame
) -> None:
    out = tmp_path / "killed"
    cli = [sys.executable, "-c", "from symbio.cli.app import entry; entry()"]
    args = ["sweep", str(MONTE_CARLO), "--out", str(out), "--workers", "2", "--no-progress"]
    proc = subprocess.Popen([*cli, *args], start_new_session=True, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while _finished(out) < 5:
            assert proc.poll() is None, f"the sweep exited early ({proc.returncode})"
            assert time.monotonic() < deadline, "the sweep made no progress"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its worker processes
        proc.wait()
    killed_at = _finished(out)
    assert 5 <= killed_at < len(monte_carlo), "killed too late to test resuming"
    report = run_sweep(MONTE_CARLO, out, workers=2, resume=True, progress=False)
    assert report.skipped >= killed_at and report.executed == len(monte_carlo) - report.skipped
    assert_same_index(report.index, monte_carlo)


def _finished(out: Path) -> int:
    """Runs recorded so far: their ``record.json`` (what a resume reads; ``index.csv`` is
    rewritten only now and then, so it may go from none done to all done at once)."""
    return len(list(out.glob("runs/*/record.json")))


def test_dask_local_cluster_gives_the_same_results_as_the_pool(
    tmp_path: Path, monte_carlo: pd.DataFrame
) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        report = run_sweep(
            MONTE_CARLO, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False
        )
    assert_same_index(report.index, monte_carlo)
    assert report.index["worker"].nunique() == 2  # both Dask workers took runs
