"""``symbio allocate``: who gains, who pays, and a fair split of the park's savings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from symbio.cli.options import MipGap, TimeLimit

EXAMPLES = """
Examples:

  symbio allocate scenarios/scip/symbiosis-2025.yaml --out out/allocation

  symbio allocate park.yaml --out out/alloc --method nucleolus --players zone

  symbio allocate park.yaml --out out/alloc --max-exact 8 --samples 400 --workers 2
"""


def _m(x: float) -> str:
    """CNY as million CNY (planner unit)."""
    return f"{x / 1e6:,.2f}"


def register(app: typer.Typer) -> None:
    """Add the ``allocate`` command to the CLI."""
    # Long: one typer signature per option; splitting would scatter the command's help.

    @app.command(
        "allocate",
        help="Enterprise accounts, transfer-price settlement and the cooperative split "
        "(Shapley value, nucleolus, least core, core check) of a park's savings.\n\n"
        "Writes DIR/enterprise_accounts.csv, exchange_settlement.csv, coalition_values.csv, "
        f"allocation.csv, pair_values.csv and allocation.json.\n\n{EXAMPLES}",
    )
    def allocate_cmd(
        file: Annotated[Path, typer.Argument(help="Scenario file (YAML, may extend others).")],
        out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
        method: Annotated[
            str, typer.Option("--method", help="shapley | nucleolus | least_core.")
        ] = "shapley",
        players: Annotated[
            str | None,
            typer.Option(
                "--players",
                help="site | owner | zone (default: the scenario's allocation.players).",
            ),
        ] = None,
        max_exact: Annotated[
            int, typer.Option("--max-exact", min=1, help="Most players for the exact game.")
        ] = 12,
        samples: Annotated[
            int,
            typer.Option("--samples", min=2, help="Random orders of the sampled Shapley value."),
        ] = 200,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the sampled orders.")] = 0,
        workers: Annotated[
            int, typer.Option("--workers", "-j", min=1, help="Processes solving coalitions.")
        ] = 1,
        pairs: Annotated[
            bool, typer.Option("--pairs/--no-pairs", help="Compute the pair view.")
        ] = True,
        force: Annotated[
            bool,
            typer.Option("--force", help="Replace a non-empty folder symbio did not write."),
        ] = False,
        time_limit: TimeLimit = None,
        mip_gap: MipGap = None,
    ) -> None:
        from symbio.allocation import METHODS, allocate, write_allocation
        from symbio.errors import InputError
        from symbio.flows.load import load_scenario
        from symbio.outdir import check_out_dir
        from symbio.solvers.options import SolverOptions

        if method not in METHODS:
            raise InputError("--method", "", f"{method!r} is not one of {', '.join(METHODS)}")
        check_out_dir(out, inputs=[file], force=force)  # refuse before the solves, not after
        scenario = load_scenario(file)
        opts = SolverOptions.from_settings(scenario.solver, time_limit=time_limit, mip_gap=mip_gap)
        result = allocate(
            scenario,
            method=method,
            players=players,
            max_exact=max_exact,
            samples=samples,
            seed=seed,
            workers=workers,
            options=opts,
            pairs=pairs,
        )
        files = write_allocation(result, out, force=force)
        _print(result, files["summary"].parent)


def _print(result: object, folder: Path) -> None:
    s = result.summary  # type: ignore[attr-defined]
    console = Console(highlight=False)
    col = {"shapley": "shapley_cny", "nucleolus": "nucleolus_cny", "least_core": "least_core_cny"}
    tab = Table(
        title=f"who gains, who pays (M CNY/a; players: {s['players']})", header_style="bold"
    )
    heads = ["account", "gain (settled)", "gain (market prices)", "Shapley"]
    extra = s["method"] != "shapley"
    for c in heads + ([s["method"]] if extra else []):
        tab.add_column(c, justify="left" if c == "account" else "right")
    shares = result.allocation.set_index("player")  # type: ignore[attr-defined]
    for r in result.accounts.itertuples(index=False):  # type: ignore[attr-defined]
        chosen = shares[col[s["method"]]].get(r.account, float("nan"))
        cells = [r.account, _m(r.gain_cny), _m(r.gain_market_cny), _m(r.shapley_cny or 0.0)]
        tab.add_row(*cells, *([_m(chosen)] if extra else []))
    console.print(tab)
    kind = "exact" if s["exact"] else f"sampled ({s.get('sampled_orders')} orders)"
    console.print(
        f"{s['coalitions']} coalition values ({kind}), {s['coalitions_solved']} of them solved "
        f"({s['coalition_seconds_mean']:.3f} s per solve on one persistent instance), the rest "
        f"exactly from a larger coalition's optimum; value of the grand coalition "
        f"{_m(s['grand_value_cny'])} M CNY/a"
    )
    core = s.get("core", {}).get(s["method"])
    if core is not None:
        verdict = (
            "in the core"
            if core["in_core"]
            else (
                f"NOT in the core: {', '.join(core['blocking'])} would save "
                f"{_m(core['max_excess_cny'])} M CNY/a more on their own"
            )
        )
        console.print(f"{s['method']} allocation: {verdict}")
        if s.get("core_empty"):
            console.print(
                f"the core is empty: every coalition must be subsidised by "
                f"{_m(s['least_core_cny'])} M CNY/a for a stable split (least core)"
            )
    rp = s["rational_prices"]
    if rp["feasible"]:
        console.print(
            "individually rational transfer prices exist (no account worse off than today)"
        )
    else:
        who = ", ".join(f"{k} ({_m(v)} M CNY/a)" for k, v in rp["blocking"].items())
        console.print(f"no individually rational transfer prices: blocked by {who}")
    console.print(f"written to {folder}")
