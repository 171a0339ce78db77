"""``symbio run``: solve the baseline and the optimized case and write a result directory."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from symbio.cli.fmt import fmt_value
from symbio.cli.options import Force, JsonOpt, MipGap, TimeLimit, emit_json
from symbio.flows.schema import CRITERIA

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

#: KPIs shown in the console summary (all KPIs are in kpis.csv).
SHOWN = ("total_cost_cny", "energy_tce", "co2_t", "co2e_t", "symbiosis_links")


def _secs(x: float) -> str:
    return f"{x:.2f} s" if x >= 0.1 else f"{x * 1000:.1f} ms"


def _print_summary(result: object, out: Path, console: Console) -> None:
    opt = result.outcomes["optimized"]
    base = result.outcomes.get("baseline")
    objective = result.provenance.get("objective", {})
    head = f"[bold]{result.provenance['scenario']['name']}[/]  objective: {objective.get('name')}  status: "
    head += f"[bold]{opt.status}[/]"
    if opt.gap:
        head += f" (gap {opt.gap:.2%})"
    if base is not None:
        head += f"  baseline: {base.status}"
    console.print(head)
    console.print(_kpi_table(result.kpis))
    t = result.provenance["timings"].get("optimized", {})
    console.print(
        f"solver HiGHS {result.provenance['solver']['version']}; optimized case: build "
        f"{_secs(t.get('build', 0))} (model shared with the baseline), hand-over "
        f"{_secs(t.get('handover', 0))}, solve {_secs(t.get('solve', 0))}, load "
        f"{_secs(t.get('load', 0))}"
    )
    _print_savings_gap(result.provenance.get("savings_gap"), console)
    for note in result.provenance.get("notes", []):
        log.warning("%s", note.removeprefix("warning: "))  # the log adds its level prefix
    log.info("written to %s", out)


def _kpi_table(k: pd.DataFrame) -> Table:
    """The headline KPIs (:data:`SHOWN`, then every emission and by-product use) as a table."""
    table = Table(show_header=True, header_style="bold")
    for col, justify in (
        ("KPI", "left"),
        ("unit", "left"),
        ("baseline", "right"),
        ("optimized", "right"),
        ("saving", "right"),
        ("%", "right"),
    ):
        table.add_column(col, justify=justify)
    shown = [n for n in SHOWN if n in set(k["kpi"])]
    shown += [
        n
        for n in k["kpi"]
        if n.startswith(("emission_", "byproduct_utilisation_")) and n not in shown
    ]
    for name in shown:
        row = k.loc[k["kpi"] == name].iloc[0]
        table.add_row(
            name,
            row["unit"],
            fmt_value(row["baseline"]),
            fmt_value(row["optimized"]),
            fmt_value(row["saving"]),
            fmt_value(row["saving_pct"], pct=True),
        )
    return table


def _print_savings_gap(gap: dict | None, console: Console) -> None:
    """The bounds the MIP gaps put on the objective's saving, and the stop rule's share."""
    if gap and gap.get("gap"):
        console.print(
            f"saving of the objective {fmt_value(gap['saving'])} {gap['unit']}: the MIP gaps put the "
            f"found network's saving at least {fmt_value(gap['lower'])} and any network's at most "
            f"{fmt_value(gap['upper'])}"
        )
    if gap and gap.get("unproven_share") is not None:
        rule = (
            f"at most {gap['stop_tolerance']:.1%} of the savings unproven"
            if gap.get("stop_rule") == "savings"
            else "the MIP gap of the total (solver.savings_gap 0)"
        )
        console.print(
            f"optimized case stopped with {gap['unproven_share']:.2%} of the savings "
            f"unproven (rule: {rule})"
        )


def _grid(
    file: Path,
    assignments: list[str],
    out: Path,
    objective: str | None,
    time_limit: float | None,
    mip_gap: float | None,
    threads: int | None,
    log_file: Path | None,
    as_json: bool = False,
) -> None:
    """Several ``--set`` points: solve each (baseline and optimized), write the sweep table."""
    from symbio.pathways.grid import run_grid, write_grid
    from symbio.solvers.options import SolverOptions

    options = None
    if any(v is not None for v in (time_limit, mip_gap, threads, log_file)):
        options = SolverOptions(
            time_limit=time_limit,
            mip_gap=mip_gap,
            threads=threads,
            log_file=str(log_file) if log_file else None,
        )
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 110)
    table = run_grid(
        file,
        assignments,
        objective=objective,
        options=options,
        progress=lambda i, n, point: log.info("[%d/%d] %s", i + 1, n, point),
    )
    files = write_grid(table, out)
    if as_json:
        emit_json({"out": out, "files": files, "points": table})
        return
    console.print(f"{len(table)} points; written: {', '.join(str(f) for f in files.values())}")


def register(app: typer.Typer) -> None:
    """Add the ``run`` command to the app."""
    # Long: one typer signature per option; splitting would scatter the command's help.

    @app.command("run")
    def run(
        file: Annotated[Path, typer.Argument(help="Scenario file (YAML, may extend others).")],
        out: Annotated[
            Path, typer.Option("--out", "-o", help="Result directory (written atomically).")
        ],
        objective: Annotated[
            str | None,
            typer.Option("--objective", help=f"What to minimise: {' | '.join(CRITERIA)}."),
        ] = None,
        time_limit: TimeLimit = None,
        mip_gap: MipGap = None,
        threads: Annotated[int | None, typer.Option("--threads", help="Solver threads.")] = None,
        log_file: Annotated[
            Path | None, typer.Option("--log-file", help="Write the HiGHS log here.")
        ] = None,
        no_baseline: Annotated[
            bool, typer.Option("--no-baseline", help="Skip the baseline (no savings).")
        ] = False,
        set_: Annotated[
            list[str] | None,
            typer.Option(
                "--set",
                help="Override a field, PATH=VALUE (e.g. policy.carbon_price_cny_t=200); "
                "PATH=v1,v2,... or several --set run a parameter grid (one row per point in grid.csv).",
            ),
        ] = None,
        as_json: JsonOpt = False,
        force: Force = False,
    ) -> None:
        """Optimize a park's exchange network against its baseline and write the result.

        Writes DIR/summary.json, one CSV per table (flows, builds, process_activity,
        purchases, sales, disposal, site_balances, emissions, kpis, site_kpis) and
        scenario.resolved.yaml. Exit 0 when optimal or feasible, 3 when infeasible (with a
        diagnosis), 4 when the solver fails, 5 when the result fails its self-audit
        (summary.json ``audit``; the directory is still written for inspection).

        Examples:

            symbio run scenarios/examples/hydrogen-pair.yaml --out results/h2

            symbio run park.yaml --out results/co2 --objective co2 --time-limit 600 --mip-gap 0.01

            symbio run park.yaml --out results/c200 --set policy.carbon_price_cny_t=200

            symbio run park.yaml --out results/sweep --set policy.carbon_price_cny_t=0,100,200
        """
        from symbio.errors import InputError
        from symbio.flows.load import load_scenario
        from symbio.run import solve
        from symbio.solvers.options import SolverOptions

        if objective is not None and objective not in CRITERIA:
            raise InputError(
                "--objective",
                "",
                f"unknown objective {objective!r}; use one of: {', '.join(CRITERIA)}",
            )
        from symbio.flows.overrides import apply_overrides, grid
        from symbio.outdir import check_out_dir

        check_out_dir(out, inputs=[file], force=force)

        points = grid(set_ or [])
        if len(points) > 1:
            _grid(file, set_ or [], out, objective, time_limit, mip_gap, threads, log_file, as_json)
            return
        scenario = apply_overrides(file, points[0]) if points[0] else load_scenario(file)
        options = SolverOptions.from_settings(
            scenario.solver,
            time_limit=time_limit,
            mip_gap=mip_gap,
            threads=threads,
            log_file=str(log_file) if log_file else None,
        )
        result = solve(scenario, objective, options=options, baseline=not no_baseline)
        written = result.write(out, force=force)
        if as_json:
            emit_json({"out": written, **result.summary()})
            return
        _print_summary(
            result, written, Console(highlight=False, width=None if sys.stdout.isatty() else 110)
        )
        check_audit(result)


def check_audit(result: object) -> None:
    """Raise :class:`~symbio.errors.AuditError` (exit 5) when the run's self-audit failed."""
    from symbio.errors import AuditError

    audit = result.provenance.get("audit") or {}
    if audit and not audit.get("passed", True):
        raise AuditError(
            "the result fails its self-audit (summary.json 'audit'; the tables are written "
            "for inspection):\n" + "\n".join(f"  - {f}" for f in audit.get("failed", []))
        )
