"""``symbio pilot``: the main job on the bundled SCIP scenarios."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Annotated

import typer

from symbio.cli.options import Force, TimeLimit
from symbio.pilot import ROBUST_SAMPLES


def pilot(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("out/scip"),
    scenarios: Annotated[
        Path | None,
        typer.Option("--scenarios", help="Scenario directory [default: scenarios/scip]."),
    ] = None,
    main: Annotated[
        str, typer.Option("--main", help="Main scenario (file stem).")
    ] = "symbiosis-2025",
    pareto_points: Annotated[int, typer.Option("--pareto-points", min=2)] = 7,
    no_measures: Annotated[
        bool, typer.Option("--no-measures", help="Skip the MAC analysis.")
    ] = False,
    no_allocation: Annotated[
        bool,
        typer.Option("--no-allocation", help="Skip who gains / who pays (the coalition game)."),
    ] = False,
    time_limit: TimeLimit = None,
    force: Force = False,
    robust_samples: Annotated[
        int,
        typer.Option(
            "--robust-samples",
            min=0,
            help="Samples of the robustness study of the main scenario (0: none); the "
            "default at most about doubles the job's time on two cores.",
        ),
    ] = ROBUST_SAMPLES,
) -> None:
    """Optimize, score, compare and brief the bundled SCIP scenarios.

    Writes OUT/runs/<scenario>/ (results and scores), OUT/compare/, OUT/pareto/,
    OUT/measures/, OUT/robust/ (robustness study), OUT/allocation/, OUT/figures/zh/ and
    OUT/figures/en/ (the figures as PNG), and the
    briefings OUT/briefing-zh.html and
    OUT/briefing-en.html. Exits 2 when a scenario is invalid, 1 when a step failed.

    Example:

        symbio pilot --out out/scip
    """
    from rich.console import Console
    from rich.table import Table

    from symbio.outdir import check_out_dir
    from symbio.pilot import run_pilot

    check_out_dir(out, inputs=[scenarios] if scenarios else [], force=force)  # created once valid
    console = Console(highlight=False)
    report = run_pilot(
        out,
        scenarios=scenarios,
        main=main,
        pareto_points=pareto_points,
        measures=not no_measures,
        allocation=not no_allocation,
        time_limit=time_limit,
        robust_samples=robust_samples,
        force=force,
        say=console.print,
    )
    table = Table(title="symbio pilot", header_style="bold")
    for col in ("step", "target", "status", "seconds", "note"):
        table.add_column(col, justify="right" if col == "seconds" else "left")
    for s in report.steps:
        table.add_row(s["step"], s["target"], s["status"], f"{s['seconds']:.1f}", s["note"])
    console.print(table)
    for name in ("briefing_zh", "briefing_en"):
        if name in report.files:
            console.print(f"{name}: {report.files[name]}")
    # Done, every file written and closed: the interpreter's collections at exit would walk
    # every object the job made (~0.6 CPU-s on one core after the SCIP pilot, with nothing
    # else left to run); frozen, they are skipped (benchmarks/results/briefing-2026-12-05e.md).
    gc.freeze()
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``pilot`` command."""
    app.command("pilot")(pilot)
