"""Report figures (matplotlib), in Chinese or English.

Every function returns a :class:`matplotlib.figure.Figure` drawn with the bundled CJK font
(:mod:`symbio.report.fonts`); render it with :func:`figure_png` or :func:`save_figure`.

========================  =====================================================================
``park_map``              sites at their coordinates by zone; links coloured by resource, width
                          proportional to flow, existing solid / newly built dashed
``flow_sankey``           flow diagram of one resource, or of the park's exchanges
``kpi_comparison``        change of each KPI against the baseline, per scenario
``pareto_front``          two-objective trade-off front
``macc_curve``            marginal abatement cost curve
``cocontrol_plot``        co-control coordinates (CO2 vs pollutant reduction rates)
``indicator_radar``       indicator area scores per scenario
``grade_bars``            fuzzy grade membership (or overall score) per scenario
========================  =====================================================================

:func:`report_figures` draws every figure a briefing holds for a list of results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from matplotlib.figure import Figure

from symbio.model.kpis import CRITERION_KPI
from symbio.report.bundle import ResultBundle, kpi_rows
from symbio.report.figures.kpichart import kpi_comparison
from symbio.report.figures.names import localise_measures
from symbio.report.figures.parkmap import park_map
from symbio.report.figures.sankey import flow_sankey
from symbio.report.figures.sankeydata import exchanges
from symbio.report.figures.scores import grade_bars, indicator_radar
from symbio.report.figures.style import color_map, figure_png, save_figure
from symbio.report.figures.tradeoff import (
    cocontrol_plot,
    cocontrol_points,
    macc_curve,
    pareto_axes,
    pareto_front,
)
from symbio.report.labels import Lang, t
from symbio.report.scoreview import score_view

__all__ = [
    "cocontrol_plot",
    "cocontrol_points",
    "figure_png",
    "flow_sankey",
    "grade_bars",
    "indicator_radar",
    "kpi_comparison",
    "macc_curve",
    "pareto_front",
    "park_map",
    "report_figures",
    "save_figure",
]


def _marks(bundle: ResultBundle, xc: str, yc: str, lang: Lang) -> dict[str, tuple[float, float]]:
    kx, ky = CRITERION_KPI.get(xc, xc), CRITERION_KPI.get(yc, yc)
    out = {}
    for key, kpis in (("baseline", bundle.baseline_kpis), ("optimized", bundle.kpis)):
        if kx in kpis and ky in kpis:
            out[t(key, lang)] = (kpis[kx], kpis[ky])
    return out


def resource_colors(bundle: ResultBundle) -> dict[str, str]:
    """One colour per resource: those that flow on links first, so few share a colour."""
    sc = bundle.scenario
    ids = [r.id for r in sc.resources] if sc else []
    flows = bundle.table("flows")
    moving = set(flows["resource"].astype(str)) if "resource" in flows.columns else set()
    return color_map([*(r for r in ids if r in moving), *(r for r in ids if r not in moving)])


def scenario_labels(bundles: Sequence[ResultBundle], lang: Lang) -> list[str]:
    """Display names of the results; the directory name tells apart results of one scenario."""
    labels = [b.label(lang) for b in bundles]
    return [
        f"{lb} · {b.path.name}" if labels.count(lb) > 1 else lb
        for lb, b in zip(labels, bundles, strict=True)
    ]


def report_figures(
    bundles: Sequence[ResultBundle], lang: Lang = "en", max_resources: int = 8
) -> dict[str, Figure]:
    """Draw every figure of a briefing for ``bundles`` (the first is the main scenario).

    Returns
    -------
    dict[str, Figure]
        Keys ``map``, ``sankey_park``, ``sankey_<resource>`` (the resources exchanged, up to
        ``max_resources``), ``kpi``, ``pareto``, ``macc``, ``cocontrol``, ``radar``,
        ``grade``; ``map`` and the flow diagrams only when the scenario could be read.
    """
    figs = {k: make() for k, make in figure_makers(bundles, lang, max_resources).items()}
    return {k: v for k, v in figs.items() if v is not None}


#: Draws one figure, or returns None when the results hold nothing for it.
Maker = Callable[[], "Figure | None"]


def figure_makers(
    bundles: Sequence[ResultBundle], lang: Lang = "en", max_resources: int = 8
) -> dict[str, Maker]:
    """What :func:`report_figures` draws, each figure drawn only when its maker is called
    (in the order of :func:`report_figures`; a maker may return None)."""
    main = bundles[0]
    labels = scenario_labels(bundles, lang)
    sc = main.scenario
    makers = network_makers(main, lang, max_resources)
    names = {r.id: (r.name.en, r.name.zh or r.name.en) for r in sc.resources} if sc else None
    makers["kpi"] = lambda: kpi_comparison(
        {lb: kpi_rows(b) for lb, b in zip(labels, bundles, strict=True)},
        lang=lang,
        resource_names=names,
    )
    makers.update(_tradeoff_makers(bundles, labels, lang))
    views = {lb: score_view(b) for lb, b in zip(labels, bundles, strict=True)}
    if any(not v.empty for v in views.values()):
        makers["radar"] = lambda: indicator_radar(views, lang=lang)
        makers["grade"] = lambda: grade_bars(views, lang=lang)
    return makers


def network_figures(main: ResultBundle, lang: Lang, max_resources: int = 8) -> dict[str, Figure]:
    """The park map and the flow diagrams (the park's, then one per exchanged resource, up to
    ``max_resources``) of the main result; none when its scenario could not be read."""
    return {k: make() for k, make in network_makers(main, lang, max_resources).items()}  # type: ignore[misc]


def network_makers(main: ResultBundle, lang: Lang, max_resources: int = 8) -> dict[str, Maker]:
    """Makers of :func:`network_figures`' figures (nothing is drawn until called)."""
    sc = main.scenario
    if sc is None:
        return {}
    flows = main.table("flows")

    def sankey(rid: str | None) -> Maker:
        def make() -> Figure:
            colors, exchanged = network_values(main)
            return flow_sankey(main.tables, sc, rid, lang=lang, colors=colors, exchanged=exchanged)

        return make

    makers: dict[str, Maker] = {
        "map": lambda: park_map(
            sc, flows, main.table("builds"), lang=lang, colors=network_values(main)[0]
        ),
        "sankey_park": sankey(None),
    }
    if "resource" in flows.columns:
        opt = flows[flows["case"].astype(str) == "optimized"] if "case" in flows.columns else flows
        present = set(opt["resource"].astype(str))
        for rid in [r.id for r in sc.resources if r.id in present][:max_resources]:
            makers[f"sankey_{rid}"] = sankey(rid)
    return makers


def network_values(main: ResultBundle) -> tuple[dict[str, str], pd.DataFrame]:
    """The resource colours and the net exchanges the map and flow diagrams of ``main`` share
    (computed once per result, for every language)."""
    sc = main.scenario
    colors = main.derive("colors", lambda: resource_colors(main))
    return colors, main.derive(
        "exchanges:optimized", lambda: exchanges(main.tables, "optimized", sc)
    )


def _tradeoff_makers(
    bundles: Sequence[ResultBundle], labels: list[str], lang: Lang
) -> dict[str, Maker]:
    """Pareto front, MAC curve and co-control plot (each None where the results have no data)."""
    return {
        "pareto": lambda: _pareto(bundles, lang),
        "macc": lambda: _macc(bundles, lang),
        "cocontrol": lambda: _cocontrol(bundles, labels, lang),
    }


def _pareto(bundles: Sequence[ResultBundle], lang: Lang) -> Figure | None:
    pareto = next((b.extras["pareto"] for b in bundles if "pareto" in b.extras), None)
    if pareto is None:
        return None
    axes = pareto_axes(pareto)
    marks = _marks(bundles[0], *axes, lang) if axes else {}
    return pareto_front(pareto, lang=lang, marks=marks)


def _macc(bundles: Sequence[ResultBundle], lang: Lang) -> Figure | None:
    sc = bundles[0].scenario
    macc = next((b.extras["macc"] for b in bundles if "macc" in b.extras), None)
    macc = localise_measures(macc, sc, lang)
    price = sc.policy.carbon_price_cny_t if sc is not None else None
    return macc_curve(macc, lang=lang, carbon_price=price) if macc is not None else None


def _cocontrol(bundles: Sequence[ResultBundle], labels: list[str], lang: Lang) -> Figure | None:
    sc = bundles[0].scenario
    measures = next((b.extras["cocontrol"] for b in bundles if "cocontrol" in b.extras), None)
    measures = localise_measures(measures, sc, lang)
    points = cocontrol_points(
        {lb: (b.baseline_kpis, b.kpis) for lb, b in zip(labels, bundles, strict=True)}, measures
    )
    return cocontrol_plot(points, lang=lang) if not points.empty else None
