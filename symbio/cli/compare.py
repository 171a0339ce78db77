"""``symbio compare``: several scenarios or results in one ranked table."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from symbio.cli.fmt import fmt_value
from symbio.cli.options import Force, JsonOpt, MipGap, TimeLimit, emit_json
from symbio.flows.schema import CRITERIA
from symbio.outdir import claim_dir

log = logging.getLogger(__name__)


def register(app: typer.Typer) -> None:
    """Add the ``compare`` command to the app."""
    # Long: one typer signature per option; splitting would scatter the command's help.

    @app.command("compare")
    def compare(
        sources: Annotated[
            list[Path],
            typer.Argument(help="Scenario files and/or result directories of `symbio run`."),
        ],
        out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
        objective: Annotated[
            str | None,
            typer.Option(
                "--objective", help=f"Objective of scenarios solved here: {' | '.join(CRITERIA)}."
            ),
        ] = None,
        time_limit: TimeLimit = None,
        mip_gap: MipGap = None,
        no_score: Annotated[
            bool, typer.Option("--no-score", help="Do not score (rank by cost saving).")
        ] = False,
        as_json: JsonOpt = False,
        force: Force = False,
    ) -> None:
        """Compare scenarios: KPIs, savings against each one's own baseline, builds, status, grade.

        Scenario files are solved (baseline and optimized, as `symbio run`) and written to
        DIR/runs/<name>/; result directories are read. Each is scored like `symbio score`
        (bundled indicator library, ILLUSTRATIVE judgments) and the table is ranked by score,
        then by cost saving.

        Writes DIR/compare.csv (one row per scenario, ranked) and DIR/compare_kpis.csv
        (every KPI of every scenario, long form).

        Examples:

            symbio compare scenarios/examples/hydrogen-pair.yaml scenarios/examples/small-park.yaml --out out/cmp

            symbio compare out/base out/variant-a out/variant-b --out out/cmp
        """
        # Long: the docstring is the command's --help (16 lines); the code is 58.
        from symbio.errors import InputError
        from symbio.pathways.compare import HEADLINE_KPIS, write_compare
        from symbio.pathways.compare import compare as run_compare

        if objective is not None and objective not in CRITERIA:
            raise InputError(
                "--objective",
                "",
                f"unknown objective {objective!r}; use one of: {', '.join(CRITERIA)}",
            )
        claim_dir(out, kind="compare", inputs=sources, force=force)
        table, entries = run_compare(
            sources,
            out,
            objective=objective,
            time_limit=time_limit,
            mip_gap=mip_gap,
            score=not no_score,
        )
        files = write_compare(table, entries, out)
        if as_json:
            notes = {e.name: e.note for e in entries if e.note}
            emit_json({"out": out, "files": files, "scenarios": table, "notes": notes})
            return
        console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
        tab = Table(
            title="scenario comparison (savings against each scenario's own baseline)",
            header_style="bold",
        )
        cols = ["rank", "scenario", "status"]
        for k in HEADLINE_KPIS:
            if k in table:
                cols += [k, f"{k}__saving_pct"]
        cols += ["n_builds", "score", "grade"]
        for c in cols:
            head = c.replace("__saving_pct", " saving %")
            tab.add_column(
                head,
                justify="left" if c in ("scenario", "status", "grade") else "right",
                no_wrap=c == "scenario",
                min_width=max(map(len, table["scenario"])) if c == "scenario" else None,
            )
        for _, r in table.iterrows():
            cells = []
            for c in cols:
                v = r.get(c)
                if c in ("rank", "n_builds"):
                    cells.append(str(int(v)))
                elif isinstance(v, str):
                    cells.append(v or "-")
                else:
                    cells.append(fmt_value(v, pct=c.endswith("_pct") or c == "score"))
            tab.add_row(*cells)
        console.print(tab)
        for e in entries:
            if e.note:
                log.warning("%s: %s", e.name, e.note)
        log.info("written to %s", files["table"])
