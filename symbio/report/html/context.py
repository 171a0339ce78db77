"""What the briefing template shows: every value as a plain string, list or dict.

:func:`briefing_context` draws the figures (embedded as base64 PNG, and saved to a folder
when asked) and collects each section's values from the result bundles, in one language.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from symbio.report.allocation_view import AllocationView, allocation_section
from symbio.report.assumptions import assumption_labels, assumption_rows, top_assumptions
from symbio.report.bundle import ResultBundle
from symbio.report.figures.overview import figure_makers, network_values, scenario_labels
from symbio.report.figures.style import draw_png
from symbio.report.fonts import HTML_FAMILY
from symbio.report.html import details, sections
from symbio.report.html.registry import COMMANDS, section_views
from symbio.report.labels import TEXT, Lang, t
from symbio.report.robustview import RobustStudy, annotate, robust_section, rounded_numbers
from symbio.report.scoreview import ScoreView, score_view

#: Where the embedded font's ``@font-face`` rule goes once the page's characters are known.
FONT_MARK = "/*@symbio-embedded-font@*/"
#: Figures the template places by name (flow diagrams per resource are listed separately).
FIGURE_KEYS = ("kpi", "map", "sankey_park", "pareto", "macc", "cocontrol", "radar", "grade")


def _uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


#: Figures drawn beforehand (by name; None: the results hold nothing to draw).
Drawn = Mapping[str, "bytes | None"]


def figure_images(
    bundles: Sequence[ResultBundle],
    lang: Lang,
    figures_dir: Path | None = None,
    drawn: Drawn | None = None,
) -> dict[str, str]:
    """Every figure of the briefing as a ``data:`` URI by name (empty for those the template
    places but the results cannot draw); with ``figures_dir``, also saved as ``<name>.png``.
    Those in ``drawn`` are taken from there, the others drawn here."""
    drawn = drawn or {}
    made = {k: drawn[k] if k in drawn else draw_png(make)
            for k, make in figure_makers(bundles, lang).items()}  # fmt: skip
    pngs = {k: png for k, png in made.items() if png is not None}
    if figures_dir is not None:
        figures_dir.mkdir(parents=True, exist_ok=True)
        for k, png in pngs.items():
            (figures_dir / f"{k}.png").write_bytes(png)
    images = dict.fromkeys(FIGURE_KEYS, "")
    images.update({k: _uri(png) for k, png in pngs.items()})
    return images


def briefing_context(
    bundles: Sequence[ResultBundle],
    lang: Lang,
    figures_dir: Path | None = None,
    robust: RobustStudy | None = None,
    allocation: AllocationView | None = None,
    drawn: Drawn | None = None,
) -> dict:
    """Everything the template shows, as plain strings, lists and dicts.

    With ``figures_dir``, each figure is also saved there as ``<name>.png``; with a
    ``robust`` study, the robustness section, intervals and build probabilities; with
    ``allocation``, the "who gains, who pays" section. Figures in ``drawn`` (by file name,
    see :func:`symbio.report.html.briefing.Briefing.drawers`) are not drawn again.
    """
    main = bundles[0]
    labels = scenario_labels(bundles, lang)
    images = figure_images(bundles, lang, figures_dir, drawn)
    views = [score_view(b) for b in bundles]
    builds = sections.build_table(main, lang)
    rsec = robust_section(robust, lang, figures_dir, drawn) if robust is not None else None
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
        "other_builds": _other_builds(bundles[1:], labels[1:], builds, lang),
        "images": images,
        "sankeys": [k for k in images if k.startswith("sankey_") and k != "sankey_park"],
        **_details(bundles, labels, views, lang),
        "allocation": allocation_section(allocation, lang),
        "commands": COMMANDS,
        "font_family": HTML_FAMILY,
        "font_mark": FONT_MARK,
        "robust": rsec,
    }
    if rsec is not None:
        annotate(context, rsec)
    context["sections"] = section_views(bundles, lang, context)
    return context


def shared_values(bundles: Sequence[ResultBundle]) -> None:
    """Compute (and keep with the bundles) what the briefings show in every language, so that
    processes forked to write them do not each compute it again."""
    for bundle in bundles:
        score_view(bundle)
    if bundles[0].scenario is not None:  # else no map nor flow diagram
        network_values(bundles[0])
    _top_assumptions(bundles[0])
    details.indicator_names()


def _top_assumptions(main: ResultBundle) -> pd.DataFrame | None:
    """The main scenario's most telling estimates (one table for every language)."""
    sc = main.scenario
    if sc is None or not sc.estimates:
        return None
    return main.derive("top_assumptions", lambda: top_assumptions(sc, 8))


def _other_builds(
    others: Sequence[ResultBundle], labels: Sequence[str], main: dict, lang: Lang
) -> list[dict]:
    """The build table of each compared scenario, and whether it builds what the main one does."""
    out = []
    for label, bundle in zip(labels, others, strict=True):
        table = sections.build_table(bundle, lang)
        out.append({"label": label, **table, "same": _same_builds(table, main)})
    return out


def _same_builds(table: dict, main: dict) -> bool:
    """True when a scenario builds the same links and units as the main one."""
    return [r["id"] for r in table["rows"]] == [r["id"] for r in main["rows"]]


def _details(
    bundles: Sequence[ResultBundle], labels: list[str], views: list[ScoreView], lang: Lang
) -> dict:
    """Co-reduction, scores, provenance, solver and assumptions: the later sections' values."""
    main = bundles[0]
    return {
        "coreduction": details.coreduction(bundles, lang),
        "scores": [
            {"label": lb, **details.scores(v, lang)}
            for lb, v in zip(labels, views, strict=True)
            if not v.empty
        ],
        "provenance": details.provenance(main.scenario, lang),
        "factors": details.factors_used(main),
        "top_assumptions": assumption_rows(main.scenario, lang, top=_top_assumptions(main)),
        "AT": assumption_labels(lang),
        "notes": [str(n) for b in bundles for n in (b.summary.get("notes") or []) if n],
        "scenario_problem": main.scenario_problem or "",
        "solver": [details.solver(b, lb, lang) for lb, b in zip(labels, bundles, strict=True)],
        "assumptions": details.assumptions(main.scenario, lang),
    }
