"""The only module of symbio.sweep that calls the optimizer and the scoring API."""

from __future__ import annotations

from pathlib import Path

from symbio.errors import SolverError
from symbio.flows.schema import Scenario
from symbio.sweep.runspec import RunOptions


def solve_and_score(scenario: Scenario, options: RunOptions, out: Path) -> dict:
    """Solve baseline and optimized, write the result (and scores) under ``out``."""
    import symbio

    solve = getattr(symbio, "solve", None)
    if solve is None:
        raise SolverError("symbio.solve is not available in this installation")
    raise SolverError("adapter not written yet")
