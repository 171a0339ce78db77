"""``symbio report RESULT_DIR... --out briefing.html --lang zh|en``: the committee briefing.

Thin layer over :mod:`symbio.report.briefing` (and
:func:`symbio.report.resultbook.write_result_workbook` for ``--xlsx``).

Examples
--------
::

    symbio report out/symbiosis-2025 out/carbon-200 --out briefing.html --lang zh
    symbio report out/base --out briefing-en.html --lang en --xlsx results.xlsx --figures figs/
"""

from __future__ import annotations

from pathlib import Path

import typer

from symbio.errors import InputError

__all__ = ["register", "report"]


def report(
    result_dirs: list[Path] = typer.Argument(
        ..., help="Result directories written by `symbio run` (the first is the main scenario)."
    ),
    out: Path = typer.Option(Path("briefing.html"), "--out", "-o", help="HTML file to write."),
    lang: str = typer.Option("zh", "--lang", help="Language of the briefing: zh or en."),
    scores: list[Path] = typer.Option(
        None, "--scores", help="`symbio score` output dir, one per result dir [default: RESULT_DIR/scores]."
    ),
    pareto: Path = typer.Option(None, "--pareto", help="Pareto front CSV [default: RESULT_DIR/pareto.csv]."),
    macc: Path = typer.Option(None, "--macc", help="MAC curve CSV [default: RESULT_DIR/macc.csv]."),
    cocontrol: Path = typer.Option(
        None, "--cocontrol", help="Co-control table CSV of measures [default: RESULT_DIR/cocontrol.csv]."
    ),
    xlsx: Path = typer.Option(None, "--xlsx", help="Also write every result table to this Excel workbook."),
    figures: Path = typer.Option(None, "--figures", help="Also save each figure as PNG into this directory."),
) -> None:
    """Write the self-contained HTML briefing (figures embedded, nothing fetched) for a committee."""
    from symbio.report.briefing import load_results, render_briefing, write_text_atomic

    lang = lang.strip().lower()
    if lang not in ("zh", "en"):
        raise InputError("--lang", "", f"unknown language {lang!r}; use zh or en")
    bundles = load_results(
        result_dirs, scores=list(scores) if scores else None, pareto=pareto, macc=macc, cocontrol=cocontrol
    )
    html = render_briefing(bundles, lang, figures)  # type: ignore[arg-type]
    typer.echo(f"briefing written to {write_text_atomic(out, html)}")
    if figures is not None:
        typer.echo(f"figures written to {figures}")
    if xlsx is not None:
        from symbio.report.resultbook import write_result_workbook

        typer.echo(f"result tables written to {write_result_workbook(bundles, xlsx)}")


def register(app: typer.Typer) -> None:
    """Register ``symbio report`` on the application."""
    app.command("report")(report)
