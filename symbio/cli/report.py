"""``symbio report RESULT_DIR... --out briefing.html --lang zh|en``: the committee briefing.

Thin layer over :mod:`symbio.report.html.briefing` (and
:func:`symbio.report.workbook.results.write_result_workbook` for ``--xlsx``).

Examples
--------
::

    symbio report out/symbiosis-2025 out/carbon-200 --out briefing.html --lang zh
    symbio report out/base --out briefing-en.html --lang en --xlsx results.xlsx --figures figs/
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from symbio.errors import InputError
from symbio.outdir import check_out_file, claim_dir

__all__ = ["register", "report"]


log = logging.getLogger(__name__)


def report(
    result_dirs: Annotated[
        list[Path],
        typer.Argument(
            help="Result directories written by `symbio run` (the first is the main scenario)."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "briefing.html"
    ),
    lang: Annotated[str, typer.Option("--lang", help="Language of the briefing: zh or en.")] = "zh",
    scores: Annotated[
        list[Path] | None,
        typer.Option(
            "--scores",
            help="`symbio score` output dir, one per result dir (default: RESULT_DIR/scores).",
        ),
    ] = None,
    pareto: Annotated[
        Path | None,
        typer.Option(
            "--pareto", help="Pareto front: pareto.csv or the `symbio pareto` output dir."
        ),
    ] = None,
    macc: Annotated[
        Path | None,
        typer.Option(
            "--macc",
            help="MAC curve: macc.csv or the `symbio measures` output dir (with cocontrol.csv).",
        ),
    ] = None,
    cocontrol: Annotated[
        Path | None,
        typer.Option("--cocontrol", help="Co-control table of measures (cocontrol.csv)."),
    ] = None,
    robust: Annotated[
        Path | None,
        typer.Option(
            "--robust",
            help="A `symbio robust` output dir: intervals, build probabilities, tornado, regret.",
        ),
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option("--xlsx", help="Also write every result table to this Excel workbook."),
    ] = None,
    figures: Annotated[
        Path | None,
        typer.Option("--figures", help="Also save each figure as PNG into this directory."),
    ] = None,
    allocation: Annotated[
        Path | None,
        typer.Option(
            "--allocation", help="A `symbio allocate` directory: adds 'who gains, who pays'."
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write --figures into a non-empty folder symbio did not write."
        ),
    ] = False,
) -> None:
    """Write the self-contained HTML briefing (figures embedded, nothing fetched) for a committee."""
    from symbio.fileio import write_atomic
    from symbio.report.html.briefing import load_results, render_briefing
    from symbio.report.robustview import load_robust

    lang = lang.strip().lower()
    if lang not in ("zh", "en"):
        raise InputError("--lang", "", f"unknown language {lang!r}; use zh or en")
    inputs = [*result_dirs, *(scores or []), *(p for p in (pareto, macc, cocontrol, robust) if p)]
    check_out_file(out, inputs=inputs)
    if xlsx is not None:
        check_out_file(xlsx, inputs=inputs, option="--xlsx")
    if figures is not None:
        claim_dir(figures, kind="figures", inputs=inputs, force=force)
    bundles = load_results(
        result_dirs,
        scores=list(scores) if scores else None,
        pareto=pareto,
        macc=macc,
        cocontrol=cocontrol,
    )
    from symbio.report.allocation_view import load_allocation

    study = load_robust(robust) if robust else None
    view = load_allocation(allocation) if allocation else None
    html = render_briefing(bundles, lang, figures, study, allocation=view)  # type: ignore[arg-type]
    log.info("briefing written to %s", write_atomic(out, html))
    if figures is not None:
        log.info("figures written to %s", figures)
    if xlsx is not None:
        from symbio.report.workbook.results import write_result_workbook

        log.info(
            "result tables written to %s",
            write_result_workbook(bundles, xlsx, lang=lang, allocation=allocation),
        )


def register(app: typer.Typer) -> None:
    """Register ``symbio report`` on the application."""
    app.command("report")(report)
