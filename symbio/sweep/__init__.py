"""Scenario sweeps: grids and Monte Carlo samples of a scenario, run in parallel.

::

    from symbio.sweep import run_sweep
    report = run_sweep("scenarios/examples/sweeps/h2-carbon-grid.yaml", "out/sweep")
    report.index            # one row per run: status, overrides, objectives, KPIs, grade

See ``docs/sweeps.md`` for the sweep file format and the output directory. Names are
imported on first use, so a worker process that only needs
:func:`symbio.sweep.execute.run_one` does not pay for pandas, scipy or matplotlib.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "SweepReport": "engine",
    "default_workers": "engine",
    "run_sweep": "engine",
    "run_one": "execute",
    "Plan": "plan",
    "make_plan": "plan",
    "RunOptions": "runspec",
    "RunOutput": "runspec",
    "RunRecord": "runspec",
    "RunSpec": "runspec",
    "SweepFileError": "spec",
    "SweepSpec": "spec",
    "load_sweep": "spec",
    "TIMING_COLUMNS": "store",
    "SweepDir": "store",
    "write_summary": "summary",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"symbio.sweep.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'symbio.sweep' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
