"""``symbio sweep``: run a grid or Monte Carlo sweep of a scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from symbio.cli.options import Progress, Resume, Scheduler, Serial, Workers, executor

EXAMPLES = """
Examples:

  symbio sweep scenarios/examples/sweeps/h2-carbon-grid.yaml --out out/h2-grid

  symbio sweep scenarios/examples/sweeps/h2-monte-carlo.yaml --out out/h2-mc --workers 2

  symbio sweep SWEEP.yaml --out out/mc --scheduler tcp://10.0.0.5:8786

  symbio sweep SWEEP.yaml --out out/mc --resume        # continue after an interruption
"""


def register(app: typer.Typer) -> None:
    """Add the ``sweep`` command to the CLI."""

    @app.command("sweep", help=f"Run every variant of a sweep file.\n\n{EXAMPLES}")
    def sweep(
        sweep_file: Annotated[
            Path, typer.Argument(help="Sweep file (YAML): base scenario + grid or sample.")
        ],
        out: Annotated[
            Path, typer.Option("--out", "-o", help="Output directory (new, or with --resume).")
        ],
        workers: Workers = 0,
        scheduler: Scheduler = None,
        resume: Resume = False,
        retry_failed: Annotated[
            bool,
            typer.Option("--retry-failed", help="With --resume, redo runs whose status is failed."),
        ] = False,
        serial: Serial = False,
        tasks_per_worker: Annotated[
            int | None,
            typer.Option(
                "--tasks-per-worker",
                help="Runs per worker process before it is replaced (bounds Pyomo memory "
                "growth). Default: 100. 1: a fresh process per run. 0: never replaced.",
            ),
        ] = None,
        progress: Progress = True,
    ) -> None:
        from symbio.outdir import check_out_dir
        from symbio.sweep import run_sweep

        # The sweep's own rules (new, or --resume) apply to an existing --out; here only
        # the input, a file in the way and an unwritable place are refused.
        check_out_dir(out, inputs=[sweep_file], force=True)

        report = run_sweep(
            sweep_file,
            out,
            workers=workers or None,
            scheduler=scheduler,
            executor=executor(serial, scheduler),
            resume=resume,
            retry_failed=retry_failed,
            tasks_per_worker=tasks_per_worker,
            progress=progress,
        )
        console = Console(highlight=False)
        counts = ", ".join(f"{n} {s}" for s, n in sorted(report.counts.items()))
        console.print(
            f"{report.total} runs ({counts}); ran {report.executed}, kept {report.skipped}; "
            f"{report.seconds:.1f} s"
        )
        console.print(f"index: {report.out / 'index.csv'}")
        console.print(f"summary: {report.out / 'summary'}")
        if report.total and not report.counts.get("ok"):
            # Failed runs never stop a sweep, but a sweep with no usable run is a failure.
            console.print("no run succeeded: see the index for each run's diagnosis")
            raise typer.Exit(1)
