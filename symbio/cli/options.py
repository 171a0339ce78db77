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

JsonOpt = Annotated[
    bool,
    typer.Option("--json", help="Print the summary as JSON on stdout (progress stays on stderr)."),
]


def jsonable(value: object) -> object:
    """``value`` with NaN/inf as None, paths and other objects as text, tables as records."""
    import math
    from pathlib import PurePath

    import numpy as np
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict("records")]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, PurePath):
        return str(value)
    return None if pd.isna(value) else str(value)  # type: ignore[call-overload]


def emit_json(payload: object) -> None:
    """Print ``payload`` as one JSON document on stdout (the ``--json`` output of a command).

    Shared by every command with ``--json`` (``validate``, ``show``, ``run``, ``compare``,
    ``score``, ``allocate``) so they agree on NaN (null), paths (text) and tables (records).
    """
    import json

    typer.echo(json.dumps(jsonable(payload), ensure_ascii=False, indent=2, allow_nan=False))


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
