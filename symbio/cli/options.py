"""Command-line options shared by the solving commands (one help text, one place)."""

from __future__ import annotations

from typing import Annotated

import typer

TimeLimit = Annotated[
    float | None,
    typer.Option(
        "--time-limit", help="Solver time limit per solve, seconds (default: the scenario's)."
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
