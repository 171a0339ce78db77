"""``symbio robust``: how sure are we — sample the scenario's estimates, solve every sample."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from symbio.cli.options import Progress, Resume, Scheduler, Serial, TimeLimit, Workers, executor

EXAMPLES = """
Examples:

  symbio robust scenarios/scip/symbiosis-2025.yaml --out out/robust --samples 200

  symbio robust SCENARIO.yaml --out out/robust --samples 1000 --scheduler tcp://10.0.0.5:8786

  symbio robust SCENARIO.yaml --out out/robust --samples 200 --resume   # after an interruption
"""


def register(app: typer.Typer) -> None:
    """Add the ``robust`` command to the CLI."""
    # Long: one typer signature per option; splitting would scatter the command's help.

    @app.command(
        "robust",
        help="Robustness of the optimum to the scenario's estimates: intervals, build "
        "probabilities, sensitivity (tornado), regret of the recommended plan.\n\n"
        f"Writes OUT/intervals.csv, builds.csv, sensitivity.csv, regret.csv, tornado.png, "
        f"regret.png, robust.json, point/ and sweep/.\n\n{EXAMPLES}",
    )
    def robust(
        scenario: Annotated[Path, typer.Argument(help="Scenario file with an estimates: table.")],
        out: Annotated[
            Path, typer.Option("--out", "-o", help="Output directory (new, or with --resume).")
        ],
        samples: Annotated[
            int, typer.Option("--samples", "-n", min=3, help="Number of samples (Latin hypercube).")
        ] = 100,
        seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the design.")] = 0,
        objective: Annotated[
            str | None, typer.Option("--objective", help="cost, energy, co2 or a pollutant.")
        ] = None,
        time_limit: TimeLimit = None,
        workers: Workers = 0,
        scheduler: Scheduler = None,
        resume: Resume = False,
        serial: Serial = False,
        progress: Progress = True,
    ) -> None:
        from rich.console import Console

        from symbio.outdir import check_out_dir
        from symbio.sweep.robust import run_robust

        # The study's own rules (new, or --resume) apply to an existing --out; here only the
        # input, a file in the way and an unwritable place are refused.
        check_out_dir(out, inputs=[scenario], force=True)
        report = run_robust(
            scenario,
            out,
            samples=samples,
            seed=seed,
            objective=objective,
            time_limit=time_limit,
            workers=workers or None,
            scheduler=scheduler,
            executor=executor(serial, scheduler),
            resume=resume,
            progress=progress,
        )
        console = Console(highlight=False, markup=False, soft_wrap=True)
        counts = ", ".join(f"{n} {s}" for s, n in sorted(report.sweep.counts.items()))
        console.print(
            f"{report.samples} samples of {report.factors} factors ({counts}); "
            f"{report.seconds:.1f} s"
        )
        for kpi, s in report.summary["savings"].items():
            console.print(
                f"saving {kpi}: point {s['point']:,.6g}, median {s['median']:,.6g}, "
                f"90% interval {s['p05']:,.6g} – {s['p95']:,.6g}, "
                f"P(saving > 0) = {s['share_positive']:.2f}"
            )
        for kpi, top in report.summary["top_factors"].items():
            console.print(f"{kpi} depends most on: {', '.join(top)}")
        console.print(f"results: {report.out}")
        if not report.sweep.counts.get("ok"):
            console.print("no sample solved: see sweep/index.csv for each run's diagnosis")
            raise typer.Exit(1)
