"""Scenario sweeps: grids and Monte Carlo samples of a scenario, run in parallel.

::

    from symbio.sweep import run_sweep
    report = run_sweep("scenarios/examples/sweeps/h2-carbon-grid.yaml", "out/sweep")
    report.index            # one row per run: status, overrides, objectives, KPIs, grade

See ``docs/sweeps.md`` for the sweep file format and the output directory.
"""

from symbio.sweep.engine import SweepReport, default_workers, run_sweep
from symbio.sweep.execute import RunOutput, RunRecord, run_one
from symbio.sweep.plan import Plan, RunOptions, RunSpec, make_plan
from symbio.sweep.spec import SweepFileError, SweepSpec, load_sweep
from symbio.sweep.store import TIMING_COLUMNS, SweepDir
from symbio.sweep.summary import write_summary

__all__ = [
    "TIMING_COLUMNS",
    "Plan",
    "RunOptions",
    "RunOutput",
    "RunRecord",
    "RunSpec",
    "SweepDir",
    "SweepFileError",
    "SweepReport",
    "SweepSpec",
    "default_workers",
    "load_sweep",
    "make_plan",
    "run_one",
    "run_sweep",
    "write_summary",
]
