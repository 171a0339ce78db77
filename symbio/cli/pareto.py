"""``symbio pareto`` (ε-constraint Pareto front) and ``symbio measures`` (MACC, co-control)."""

from __future__ import annotations

import logging
import math
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from symbio.cli.fmt import fmt_value
from symbio.cli.options import Force, MipGap, TimeLimit
from symbio.flows.schema import CRITERIA
from symbio.outdir import check_out_dir

log = logging.getLogger(__name__)


def _console() -> Console:
    return Console(highlight=False, width=None if sys.stdout.isatty() else 120)


def _check_criterion(name: str, option: str) -> None:
    from symbio.errors import InputError

    if name not in CRITERIA:
        raise InputError(
            option, "", f"unknown criterion {name!r}; use one of: {', '.join(CRITERIA)}"
        )


def _solver_options(scenario: object, time_limit: float | None, mip_gap: float | None) -> object:
    from symbio.solvers.options import SolverOptions

    # started: one --time-limit bounds every solve of the command
    return SolverOptions.from_settings(  # type: ignore[attr-defined]
        scenario.solver, time_limit=time_limit, mip_gap=mip_gap
    ).started()


def register(app: typer.Typer) -> None:
    """Add the ``pareto`` and ``measures`` commands to the app."""
    _register_pareto(app)
    _register_measures(app)


def _register_pareto(app: typer.Typer) -> None:
    # Long: one typer signature per option; splitting would scatter the command's help.
    @app.command("pareto")
    def pareto(
        file: Annotated[Path, typer.Argument(help="Scenario file (YAML, may extend others).")],
        out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
        x: Annotated[
            str, typer.Option("--x", help=f"Criterion minimised: {' | '.join(CRITERIA)}.")
        ] = "cost",
        y: Annotated[str, typer.Option("--y", help="Criterion ε-constrained.")] = "co2",
        points: Annotated[
            int, typer.Option("--points", "-n", min=2, help="Grid points over y's range.")
        ] = 11,
        delta: Annotated[
            float, typer.Option("--delta", help="AUGMECON augmentation weight.")
        ] = 1e-3,
        time_limit: TimeLimit = None,
        mip_gap: MipGap = None,
        force: Force = False,
    ) -> None:
        """Trace the Pareto front between two criteria (AUGMECON2 ε-constraint method).

        The payoff table comes from lexicographic optimisation; the grid runs over the
        range of --y with bypass of redundant points, on one model and one persistent HiGHS
        instance (no rebuild between points). Every point written is efficient.

        Writes DIR/pareto.csv (criteria and builds of every point), payoff.csv, grid.csv
        and pareto.png.

        Examples:

            symbio pareto scenarios/examples/small-park.yaml --x cost --y co2 --points 11 --out out/pareto

            symbio pareto park.yaml --x cost --y nox -n 21 --out out/cost-nox --time-limit 120
        """
        # Long: the docstring is the command's --help (15 lines); the code is 50.
        from symbio.flows.load import load_scenario
        from symbio.pathways.modes import pareto_front
        from symbio.pathways.output import write_pareto
        from symbio.solvers.session import open_session

        _check_criterion(x, "--x")
        _check_criterion(y, "--y")
        if x == y:
            from symbio.errors import InputError

            raise InputError("--y", "", "--x and --y must be different criteria")
        check_out_dir(out, inputs=[file], force=force)
        scenario = load_scenario(file)
        session = open_session(
            scenario, criteria=[x, y], solver_options=_solver_options(scenario, time_limit, mip_gap)
        )
        front = pareto_front(session, x, y, points, delta=delta)
        files = write_pareto(front, out, force=force)
        console = _console()
        console.print(f"[bold]{scenario.name.en}[/]: Pareto front {x} vs {y}")
        pay = Table(title="payoff table (lexicographic)", header_style="bold")
        pay.add_column("optimised")
        for c in (x, y):
            pay.add_column(c, justify="right")
        for k, row in front.payoff.table.iterrows():
            pay.add_row(str(k), fmt_value(row[x], 4), fmt_value(row[y], 4))
        console.print(pay)
        tab = Table(title="efficient points", header_style="bold")
        for col in ("point", x, y, "builds"):
            tab.add_column(col, justify="left" if col == "builds" else "right")
        bcols = [c for c in front.points.columns if c.startswith("build:")]
        for _, r in front.points.iterrows():
            built = [c.removeprefix("build:") for c in bcols if r[c]]
            tab.add_row(
                str(r["point"]), fmt_value(r[x], 4), fmt_value(r[y], 4), ", ".join(built) or "-"
            )
        console.print(tab)
        counts = {
            s: sum(p.status == s for p in front.walk.points)
            for s in ("solved", "bypassed", "infeasible")
        }
        if len(front.walk.points) == 1:
            console.print(f"{y} does not vary over the efficient set: min {x} also minimises {y}")
        console.print(
            f"{len(front.points)} efficient points from {len(front.walk.points)} grid points "
            f"({counts['solved']} solved, {counts['bypassed']} bypassed, {counts['infeasible']} infeasible); "
            f"{session.solves} solves in all"
            + (f"; {front.dropped} duplicate or dominated dropped" if front.dropped else "")
        )
        log.info("written to %s", files["points"].parent)


def _register_measures(app: typer.Typer) -> None:
    # Long: one typer signature per option; splitting would scatter the command's help.
    @app.command("measures")
    def measures(
        file: Annotated[Path, typer.Argument(help="Scenario file with `measures:`.")],
        out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
        equivalents: Annotated[
            Path | None,
            typer.Option(
                "--equivalents",
                help="Pollution-equivalent values [default: data/pollution-equivalents.yaml].",
            ),
        ] = None,
        time_limit: TimeLimit = None,
        mip_gap: MipGap = None,
        force: Force = False,
    ) -> None:
        """Cost per tonne of CO2 avoided (MACC) and co-control effect of each named measure.

        Each measure is added alone to the baseline (the MAC curve) and removed from the
        optimum (second table); cost excludes the carbon price. The co-control table gives,
        per pollutant, the reduction rates, the cross-elasticity Els = (ΔP/P)/(ΔCO2/CO2) and
        the quadrant; pollutants are also weighed into pollution equivalents (污染当量).

        Writes DIR/macc.csv, macc_removed.csv, cocontrol.csv, measure_runs.csv, macc.png and
        cocontrol.png.

        Example:

            symbio measures scenarios/examples/small-park.yaml --out out/measures
        """
        from symbio.flows.load import load_scenario
        from symbio.pathways.equivalents import load_equivalents
        from symbio.pathways.measures import analyse_measures
        from symbio.pathways.output import write_measures

        inputs = [file, *([equivalents] if equivalents else [])]
        check_out_dir(out, inputs=inputs, force=force)
        scenario = load_scenario(file)
        analysis = analyse_measures(
            scenario,
            solver_options=_solver_options(scenario, time_limit, mip_gap),
            equivalents=load_equivalents(equivalents),
        )
        files = write_measures(
            analysis, out, carbon_price=scenario.policy.carbon_price_cny_t or None, force=force
        )
        console = _console()
        console.print(f"[bold]{scenario.name.en}[/]: measures added alone to the baseline")
        tab = Table(header_style="bold")
        for col in (
            "measure",
            "Δcost CNY/a",
            "CO2 avoided t/a",
            "CNY/t CO2",
            "pollution eq. avoided",
            "co-control",
        ):
            tab.add_column(col, justify="left" if col in ("measure", "co-control") else "right")
        for _, r in analysis.macc.iterrows():
            tab.add_row(
                str(r["measure"]),
                fmt_value(r["delta_cost"], 4),
                fmt_value(r["co2_avoided"], 4),
                fmt_value(r["mac_cny_per_t"], 4),
                fmt_value(r.get("pe_avoided", math.nan), 4),
                str(analysis.classes.get(r["measure"], "-")),
            )
        console.print(tab)
        failed = analysis.runs[~analysis.runs["status"].isin(["optimal", "feasible"])]
        for _, r in failed.iterrows():
            log.warning("run %s: %s", r["run"], r["status"])
        log.info("written to %s", files["macc"].parent)
