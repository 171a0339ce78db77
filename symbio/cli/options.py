"""Command-line options shared by the solving commands (one help text, one place)."""

from __future__ import annotations

from typing import Annotated

import typer

TimeLimit = Annotated[
    float | None,
    typer.Option(
        "--time-limit",
        help="Time limit of the whole command, seconds: every solve draws on it, model "
        "building included (default: the scenario's).",
    ),
]
MipGap = Annotated[
    float | None,
    typer.Option(
        "--mip-gap", help="Relative MIP gap per solve, e.g. 0.01 (default: the scenario's)."
    ),
]
Force = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace --out even when it is a non-empty directory symbio did not write "
        "(never an input).",
    ),
]

# -- many-run commands (sweep, robust) ----------------------------------------------------
Workers = Annotated[
    int, typer.Option("--workers", "-j", help="Local worker processes (0: all cores).")
]
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
]
Resume = Annotated[
    bool,
    typer.Option("--resume", help="Continue an interrupted run; finished runs are kept."),
]
Serial = Annotated[
    bool, typer.Option("--serial", help="Run in this process, one run after the other.")
]
Progress = Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")]


def executor(serial: bool, scheduler: str | None) -> str | None:
    """The executor of ``--serial`` / ``--scheduler`` (None: the default pool or Dask)."""
    if serial and scheduler:
        raise typer.BadParameter("--serial and --scheduler exclude each other")
    return "serial" if serial else None
