"""The committee briefing: one self-contained HTML file in Chinese or English.

``write_briefing(result_dirs, out, lang)`` reads the result directories (the first is the main
scenario; the others are compared with it), draws the figures, and renders
``templates/briefing.html.j2`` with Jinja2 (autoescape on: every string from a scenario or a
result is escaped). Figures are embedded as base64 PNG and the CJK font as a subset in a
``data:`` URI, so the page fetches nothing from anywhere.

Sections (in the order of :data:`symbio.report.html.registry.SECTIONS`, one partial each in
``templates/sections/``): headline summary; baseline vs options; what to build; park map and
flows; pollution and carbon co-reduction (Pareto, MACC, co-control); indicator scores, weights
and grade; data provenance; solver status; assumptions; glossary of the indicators.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path

import jinja2

from symbio.errors import InputError
from symbio.fileio import write_atomic
from symbio.report.allocation_view import AllocationView, allocation_section, load_allocation
from symbio.report.assumptions import assumption_labels, assumption_rows
from symbio.report.bundle import ResultBundle, load_result
from symbio.report.figures.overview import report_figures, scenario_labels
from symbio.report.figures.style import figure_png
from symbio.report.fonts import HTML_FAMILY, embedded_font_css
from symbio.report.html import details, sections
from symbio.report.html.registry import COMMANDS, section_views
from symbio.report.labels import LANGS, TEXT, Lang, t
from symbio.report.robustview import (
    RobustStudy,
    annotate,
    load_robust,
    robust_section,
    rounded_numbers,
)
from symbio.report.scoreview import score_view

_FONT_MARK = "/*@symbio-embedded-font@*/"
TEMPLATES = Path(__file__).parent / "templates"
#: Figures the template places by name (flow diagrams per resource are listed separately).
FIGURE_KEYS = ("kpi", "map", "sankey_park", "pareto", "macc", "cocontrol", "radar", "grade")


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def briefing_context(
    bundles: Sequence[ResultBundle],
    lang: Lang,
    figures_dir: Path | None = None,
    robust: RobustStudy | None = None,
    allocation: AllocationView | None = None,
) -> dict:
    """Everything the template shows, as plain strings, lists and dicts.

    With ``figures_dir``, each figure is also saved there as ``<name>.png``; with a
    ``robust`` study, the robustness section, intervals and build probabilities; with
    ``allocation``, the "who gains, who pays" section.
    """
    main = bundles[0]
    labels = scenario_labels(bundles, lang)
    pngs = {k: figure_png(f) for k, f in report_figures(bundles, lang).items()}
    if figures_dir is not None:
        figures_dir.mkdir(parents=True, exist_ok=True)
        for k, png in pngs.items():
            (figures_dir / f"{k}.png").write_bytes(png)
    images = dict.fromkeys(FIGURE_KEYS, "")
    images.update({k: _uri(png) for k, png in pngs.items()})
    views = [score_view(b) for b in bundles]
    builds = sections.build_table(main, lang)
    rsec = robust_section(robust, lang, figures_dir) if robust is not None else None
    sankeys = [k for k in images if k.startswith("sankey_") and k != "sankey_park"]
    context = {
        "lang": lang,
        "T": {k: t(k, lang) for k in TEXT},
        "title": main.label(lang),
        "labels": labels,
        "headline": sections.headline(
            main, lang, views[0], builds["rows"], rounded_numbers(rsec) if rsec else None
        ),
        "comparison": sections.comparison(bundles, labels, lang),
        "builds": builds,
        "other_builds": [
            {"label": lb, **table, "same": _same_builds(table, builds)}
            for lb, table in zip(
                labels[1:], (sections.build_table(b, lang) for b in bundles[1:]), strict=True
            )
        ],
        "images": images,
        "sankeys": sankeys,
        "coreduction": details.coreduction(bundles, lang),
        "scores": [
            {"label": lb, **details.scores(v, lang)}
            for lb, v in zip(labels, views, strict=True)
            if not v.empty
        ],
        "provenance": details.provenance(main.scenario, lang),
        "factors": details.factors_used(main),
        "top_assumptions": assumption_rows(main.scenario, lang),
        "AT": assumption_labels(lang),
        "notes": [str(n) for b in bundles for n in (b.summary.get("notes") or []) if n],
        "scenario_problem": main.scenario_problem or "",
        "solver": [details.solver(b, lb, lang) for lb, b in zip(labels, bundles, strict=True)],
        "assumptions": details.assumptions(main.scenario, lang),
        "allocation": allocation_section(allocation, lang),
        "commands": COMMANDS,
        "font_family": HTML_FAMILY,
        "font_mark": _FONT_MARK,
        "robust": rsec,
    }
    if rsec is not None:
        annotate(context, rsec)
    context["sections"] = section_views(bundles, lang, context)
    return context


def _same_builds(table: dict, main: dict) -> bool:
    """True when a scenario builds the same links and units as the main one."""
    return [r["id"] for r in table["rows"]] == [r["id"] for r in main["rows"]]


def render_briefing(
    bundles: Sequence[ResultBundle],
    lang: Lang = "zh",
    figures_dir: Path | None = None,
    robust: RobustStudy | None = None,
    allocation: AllocationView | None = None,
) -> str:
    """Render the briefing of ``bundles`` (first = main scenario) to an HTML string.

    With ``figures_dir``, the figures are also saved there as PNG files; with ``robust``
    (:func:`symbio.report.robustview.load_robust`), the robustness section.

    Raises
    ------
    InputError
        When ``lang`` is not ``zh`` or ``en`` or no result is given.
    """
    if lang not in LANGS:
        raise InputError("--lang", "", f"unknown language {lang!r}; use zh or en")
    if not bundles:
        raise InputError("RESULT_DIR", "", "give at least one result directory")
    html = (
        _env()
        .get_template("briefing.html.j2")
        .render(**briefing_context(bundles, lang, figures_dir, robust, allocation))
    )
    return html.replace(_FONT_MARK, embedded_font_css(html), 1)


def write_briefing(
    result_dirs: Sequence[str | Path],
    out: str | Path,
    *,
    lang: Lang = "zh",
    scores: Sequence[str | Path] | None = None,
    pareto: str | Path | None = None,
    macc: str | Path | None = None,
    cocontrol: str | Path | None = None,
    figures_dir: str | Path | None = None,
    robust: str | Path | None = None,
    allocation: str | Path | None = None,
) -> Path:
    """Read result directories and write the HTML briefing to ``out`` (atomically).

    Parameters
    ----------
    result_dirs
        Directories written by ``symbio run``; the first is the main scenario.
    out
        The HTML file to write.
    lang
        ``"zh"`` or ``"en"``.
    scores
        ``symbio score`` output directories, one per result directory (default: looked for
        inside each result directory).
    pareto, macc, cocontrol
        CSV files of a Pareto front, a MAC curve and a co-control table (default: looked for
        inside the result directories; sections without them say "not computed").
    figures_dir
        Also save every figure there as ``<name>.png``.
    robust
        A ``symbio robust`` output directory: adds the robustness section, the intervals on
        the headline cards and the build probabilities.
    allocation
        A ``symbio allocate`` output directory: adds the "who gains, who pays" section.

    Returns
    -------
    pathlib.Path
        ``out``.

    Raises
    ------
    InputError
        When a result directory or a given file cannot be read.
    """
    bundles = load_results(
        result_dirs, scores=scores, pareto=pareto, macc=macc, cocontrol=cocontrol
    )
    study = load_robust(robust) if robust else None
    view = load_allocation(allocation) if allocation else None
    html = render_briefing(
        bundles, lang, Path(figures_dir) if figures_dir else None, study, allocation=view
    )
    return write_atomic(out, html)


def load_results(
    result_dirs: Sequence[str | Path],
    *,
    scores: Sequence[str | Path] | None = None,
    pareto: str | Path | None = None,
    macc: str | Path | None = None,
    cocontrol: str | Path | None = None,
) -> list[ResultBundle]:
    """Read result directories for a report (see :func:`write_briefing` for the arguments).

    Raises
    ------
    InputError
        When a directory or file cannot be read, or ``scores`` does not match the results.
    """
    if not result_dirs:
        raise InputError("RESULT_DIR", "", "give at least one result directory")
    if scores and len(scores) != len(result_dirs):
        raise InputError(
            "--scores", "", f"give one scores directory per result ({len(result_dirs)})"
        )
    extras = {"pareto": pareto, "macc": macc, "cocontrol": cocontrol}
    return [
        load_result(d, scores=scores[i] if scores else None, extras=extras if i == 0 else None)
        for i, d in enumerate(result_dirs)
    ]
