"""The summary's figures drawn by two processes, and the fork server's warm start.

A figure drawn by the forked child must be the file the parent would have drawn (byte for
byte), and a figure the child fails to draw, or does not report because it died, must still
be written (by the parent). The fork server, told the base scenario, must hand its workers
the parsed base instead of each reading it again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from symbio.report.html.inparallel import can_fork
from symbio.sweep import run_sweep
from symbio.sweep.metrics import with_saving
from symbio.sweep.plots import Job, draw_in_parallel, figure_jobs, write_plots
from symbio.sweep.pool import BASE_ENV
from symbio.sweep.summary import build_frequency, grade_probability

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"
GRID = EXAMPLES / "sweeps" / "h2-carbon-grid.yaml"
ROOT = Path(__file__).resolve().parents[2]

needs_fork = pytest.mark.skipif(not can_fork(), reason="forks only where that is safe (Linux)")


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, dict, list[str]]:
    out = tmp_path_factory.mktemp("sweep") / "out"
    report = run_sweep(
        GRID, out, runner="sweep_toy_runner:run", executor="serial", progress=False, summary=False
    )
    index = with_saving(report.index)
    tables = {
        "build_frequency": build_frequency(index, ["h2_pipeline"]),
        "grade_probability": grade_probability(index),
    }
    paths = ["policy.carbon_price_cny_t", "markets[h2_purchase].buy_cny"]
    return index, tables, paths


def _serial(folder: Path, swept: tuple) -> dict[str, bytes]:
    folder.mkdir()
    files = write_plots(folder, *swept, parallel=False)
    return {name: file.read_bytes() for name, file in files.items()}


@needs_fork
def test_figures_drawn_by_two_processes_are_the_files_one_process_draws(
    tmp_path: Path, swept: tuple
) -> None:
    alone = _serial(tmp_path / "alone", swept)
    assert set(alone) == {"kpi_distributions", "build_frequency_plot", "objective_vs_inputs"}
    both = tmp_path / "both"
    both.mkdir()
    jobs = figure_jobs(both, *swept)
    assert draw_in_parallel(jobs) == set(alone)
    assert {job.name: job.file.read_bytes() for job in jobs} == alone


def _fails_in_child(parent: int, how: str, draw: object) -> Path:
    if os.getpid() != parent:
        if how == "dies":
            os._exit(3)
        raise RuntimeError("drawing failed in the child")
    return draw()  # type: ignore[operator]


@needs_fork
@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_figure_the_child_does_not_write_is_drawn_by_the_parent(
    tmp_path: Path, swept: tuple, how: str
) -> None:
    alone = _serial(tmp_path / "alone", swept)
    both = tmp_path / "both"
    both.mkdir()
    jobs = [
        Job(j.name, j.file, j.cost, partial(_fails_in_child, os.getpid(), how, j.draw))
        for j in figure_jobs(both, *swept)
    ]
    done = draw_in_parallel(jobs)  # whatever the child took is missing here...
    missing = [job for job in jobs if job.name not in done]
    for job in missing:  # ...and write_plots draws it in this process
        job.draw()
    assert {job.name: job.file.read_bytes() for job in jobs} == alone
    assert not list(both.glob(".*.tmp"))  # no half-written file left by the child


def test_the_fork_servers_preload_keeps_the_named_base_read(tmp_path: Path) -> None:
    """With the base named, ``warm`` fills the loader's memo: a variant is then built
    without reading the file again (the loader is replaced by one that fails)."""
    base = EXAMPLES / "hydrogen-pair.yaml"
    code = (
        "import symbio.sweep.warm, symbio.flows.overrides as o\n"
        "def fail(*a, **k): raise AssertionError('read again')\n"
        "o.load_raw = fail\n"
        f"o.apply_overrides({str(base)!r}, {{'policy.carbon_price_cny_t': 50}})\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), BASE_ENV: str(base)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
    env.pop(BASE_ENV)
    cold = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "read again" in cold.stderr  # without the name, the first variant reads the file


def test_quantiles_are_pandas_linear_quantiles_of_the_solved_runs() -> None:
    """Each p05..p95 is ``Series.quantile(q)`` of the metric over the ``ok`` runs, exactly."""
    import numpy as np

    from symbio.sweep.summary import QUANTILES, kpi_quantiles

    rng = np.random.default_rng(7)
    for n in (1, 2, 3, 7, 40):
        values = rng.normal(size=n) * 10.0 ** rng.integers(-3, 10)
        index = pd.DataFrame(
            {"status": ["ok"] * n + ["failed"], "objective_optimized": [*values, 1e30]}
        )
        row = kpi_quantiles(index).set_index("metric").loc["objective_optimized"]
        expected = pd.Series(values)
        for q in QUANTILES:
            assert row[f"p{round(q * 100):02d}"] == expected.quantile(q)  # bit for bit
        assert row["runs"] == n and row["max"] == values.max()


@pytest.mark.parametrize("rel", ["../x.csv", "a/../../x.csv", "/tmp/x.csv", "a/../..", ""])
def test_a_run_cannot_write_outside_its_directory(tmp_path: Path, rel: str) -> None:
    from symbio.errors import InputError
    from symbio.sweep.runspec import RunOutput, RunRecord
    from symbio.sweep.store import SweepDir

    store = SweepDir(tmp_path / "sweep")
    with pytest.raises(InputError, match="outside its directory"):
        store.commit(RunOutput(RunRecord("run-0001", "ok"), {"kpis.csv": b"a", rel: b"b"}))
    assert (
        not (tmp_path / "x.csv").exists() and not (tmp_path / "sweep" / "runs" / "x.csv").exists()
    )
    store.commit(RunOutput(RunRecord("run-0002", "ok"), {"a/b/c.csv": b"c", "a/d.csv": b"d"}))
    assert (tmp_path / "sweep" / "runs" / "run-0002" / "a" / "b" / "c.csv").read_bytes() == b"c"


def test_bar_chart_is_the_same_without_a_layout_engine_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_save`` drops the layout engine after ``tight_layout`` so that savefig lays the figure
    out once; the PNG must be byte for byte the one of the engine left in place."""
    from symbio.sweep import plots

    labels, values = [f"link: pipe_{i}" for i in range(12)], [i / 12 for i in range(12)]
    new = plots._bars(tmp_path / "new.png", labels, values, "share")

    def engine_left(fig, file: Path, *, tight: bool = True) -> Path:  # noqa: ANN001
        fig.tight_layout()
        assert fig.get_layout_engine() is not None  # savefig lays it out again
        fig.savefig(file, dpi=110, format="png")
        plots.plt.close(fig)
        return file

    monkeypatch.setattr(plots, "_save", engine_left)
    old = plots._bars(tmp_path / "old.png", labels, values, "share")
    assert new.read_bytes() == old.read_bytes()
