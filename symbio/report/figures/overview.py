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

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from symbio.model.kpis import CRITERION_KPI
from symbio.report.bundle import ResultBundle, kpi_rows
from symbio.report.figures.parkmap import localise_measures, park_map
from symbio.report.figures.sankey import flow_sankey
from symbio.report.figures.scores import grade_bars, indicator_radar
from symbio.report.figures.style import (
    BAD,
    GOOD,
    NEUTRAL,
    color_map,
    figure_png,
    legend_columns,
    message_figure,
    new_figure,
    save_figure,
    styled,
)
from symbio.report.figures.tradeoff import (
    cocontrol_plot,
    cocontrol_points,
    macc_curve,
    pareto_axes,
    pareto_front,
)
from symbio.report.labels import Lang, fmt_pct, higher_is_better, kpi_name, kpi_rank, t
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

#: KPIs left out of the comparison chart: counts, shares and per-resource exchanges, whose %
#: change says little (the tables list them all).
CHART_SKIP_PREFIXES = (
    "symbiosis_links",
    "exchanged_",
    "byproduct_utilisation_",
    "enterprises",
    "key_enterprises",
)
CHART_MAX_KPIS = 16
#: Least % at which a bar may be cut (see :func:`pct_cap`).
PCT_CAP_MIN = 25.0
#: A change this many times the next smaller one is an outlier (see :func:`pct_cap`).
OUTLIER_RATIO = 3.0


def pct_cap(pcts: Sequence[float]) -> float:
    """Where bars are cut (the label keeps the true value), so outsized changes do not flatten
    all the others.

    Give one value per KPI (its largest change over the scenarios): a KPI that changes by the
    same outsized amount in several scenarios is still one outlier. Changes more than
    :data:`OUTLIER_RATIO` times the next smaller one are outliers; bars are cut at 1.5 x the
    largest change that is not (at least :data:`PCT_CAP_MIN` %, at most the largest change).
    """
    size = sorted((abs(p) for p in pcts if math.isfinite(p)), reverse=True)
    if len(size) < 2:
        return size[0] if size else 1.0
    i = 0
    while i + 1 < len(size) and size[i] > OUTLIER_RATIO * size[i + 1]:
        i += 1
    return min(size[0], max(PCT_CAP_MIN, 1.5 * size[i]))


def _charted(r: dict) -> bool:
    return (
        math.isfinite(r["pct"])
        and abs(r["pct"]) > 1e-6
        and not r["kpi"].startswith(CHART_SKIP_PREFIXES)
    )


def kpi_chart_split(results: dict[str, list[dict]]) -> tuple[list[str], list[str]]:
    """Scenarios the KPI chart shows, and those it leaves out because no charted KPI changes
    against their own baseline (a baseline run, a counterfactual equal to its baseline)."""
    shown = [lb for lb, rows in results.items() if any(_charted(r) for r in rows)]
    return shown, [lb for lb in results if lb not in shown]


def _cut_mark(ax: object, x: float, y: float, h: float, span: float) -> None:
    """Two white slashes across a bar cut at ``x`` (like the break of an axis)."""
    for dx in (-0.012 * span, 0.0):
        ax.plot(  # type: ignore[attr-defined]
            [x - 0.035 * span + dx, x - 0.02 * span + dx],
            [y + h / 2 + 0.04, y - h / 2 - 0.04],
            color="white",
            lw=2.2,
            solid_capstyle="butt",
            zorder=3,
        )


@styled
def kpi_comparison(
    results: dict[str, list[dict]],
    *,
    lang: Lang = "en",
    resource_names: dict[str, tuple[str, str]] | None = None,
) -> Figure:
    """Draw the % change of every KPI against its baseline, one bar per scenario.

    Parameters
    ----------
    results
        ``{scenario label: kpi_rows(bundle)}``.
    lang
        ``"zh"`` or ``"en"``.
    resource_names
        (en, zh) names of resources, for ``exchanged_<resource>`` KPIs.

    Returns
    -------
    matplotlib.figure.Figure
        A legend above the chart names the scenario of each colour (colours as in the other
        figures). Value labels green where the change is an improvement, red where it is
        worse. KPIs that do not change, have no finite % change (zero baseline) or are counts
        and shares are left out (at most :data:`CHART_MAX_KPIS`), and so are scenarios where
        nothing charted changes (named in a note under the chart); the tables list them all.
        A bar far longer than the others is cut (white slashes, "»" after its label, which
        keeps the true value).
    """
    title = t("fig_kpi", lang)
    colors = color_map(results)  # over all scenarios, so colours match the other figures
    shown, omitted = kpi_chart_split(results)
    keep = {r["kpi"] for lb in shown for r in results[lb] if _charted(r)}
    kpis = sorted(keep, key=lambda k: (kpi_rank(k), k))[:CHART_MAX_KPIS]
    if not kpis:
        return message_figure(title, t("not_available", lang))
    n = len(shown)
    by = {lb: {r["kpi"]: r for r in results[lb]} for lb in shown}
    bar = 0.17  # inches per bar
    fig = new_figure(9.0, 1.6 + 0.3 * math.ceil(n / 2) + len(kpis) * (bar * n + 0.2))
    ax = fig.add_subplot()
    y = np.arange(len(kpis), dtype=float)
    height = 0.8 / n
    worst = [
        max((abs(by[lb][k]["pct"]) for lb in shown if k in by[lb] and math.isfinite(by[lb][k]["pct"])), default=0.0)
        for k in kpis
    ]  # fmt: skip
    cap = pct_cap(worst)
    clip = lambda v: min(max(v, -cap), cap)  # noqa: E731
    vals_all = [by[lb][k]["pct"] for lb in shown for k in kpis if k in by[lb]]
    pcts = [clip(v) for v in vals_all if math.isfinite(v)]
    lo, hi = min(0.0, *pcts), max(0.0, *pcts)
    span = (hi - lo) or 1.0
    for i, label in enumerate(shown):
        vals = [by[label][k]["pct"] if k in by[label] else np.nan for k in kpis]
        bars = [clip(v) if math.isfinite(v) else np.nan for v in vals]
        ys = y + (i - (n - 1) / 2) * height
        ax.barh(ys, bars, height * 0.9, color=colors[label], label=label)
        for yy, k, v, s in zip(ys, kpis, vals, bars, strict=True):
            if not math.isfinite(v):
                continue
            cut = s != v
            if cut:
                _cut_mark(ax, s, yy, height * 0.9, span)
            good = (v > 0) == higher_is_better(k) if v != 0 else True
            ax.text(s + (0.012 * span if v >= 0 else -0.012 * span), yy,
                    fmt_pct(v) + (" »" if cut else ""), va="center",
                    ha="left" if v >= 0 else "right", fontsize=8.5,
                    color=GOOD if good else BAD)  # fmt: skip
    ax.set_yticks(y, [kpi_name(k, lang, resource_names) for k in kpis], fontsize=10)
    ax.set_ylim(len(kpis) - 0.5, -0.5)
    for yy in y[:-1]:
        ax.axhline(yy + 0.5, color="#E4E4E4", lw=0.6)
    ax.axvline(0, color="#333", lw=0.8)
    ax.set_xlim(
        lo - 0.16 * span if lo < 0 else -0.04 * span, hi + 0.16 * span if hi > 0 else 0.04 * span
    )
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:+g}%" if v else "0")
    ax.set_xlabel(t("change_axis", lang))
    ax.grid(True, axis="x", color="#EEEEEE")
    handles, names = ax.get_legend_handles_labels()
    # The chart title heads the legend, both above the axes (constrained layout stacks a
    # figure legend but not a figure title with it).
    fig.legend(handles, names, loc="outside upper left", ncols=legend_columns(names) if n > 1 else 1, fontsize=9,
               title=title, alignment="left", title_fontproperties={"size": 13})  # fmt: skip
    notes = []
    if omitted:
        notes.append(t("kpi_chart_omitted", lang) + ("、" if lang == "zh" else ", ").join(omitted))
    if any(abs(v) > cap for v in vals_all if math.isfinite(v)):
        notes.append(t("kpi_chart_cut", lang))
    if notes:
        fig.supxlabel(
            "\n".join(notes), fontsize=8.5, color=NEUTRAL, x=0.01, ha="left", linespacing=1.6
        )
    return fig


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
    main = bundles[0]
    labels = scenario_labels(bundles, lang)
    figs: dict[str, Figure] = {}
    sc = main.scenario
    if sc is not None:
        colors = resource_colors(main)
        figs["map"] = park_map(
            sc, main.table("flows"), main.table("builds"), lang=lang, colors=colors
        )
        figs["sankey_park"] = flow_sankey(main.tables, sc, lang=lang, colors=colors)
        flows = main.table("flows")
        if "resource" in flows.columns:
            order = [r.id for r in sc.resources]
            opt = (
                flows[flows["case"].astype(str) == "optimized"]
                if "case" in flows.columns
                else flows
            )
            present = set(opt["resource"].astype(str))
            for rid in [r for r in order if r in present][:max_resources]:
                figs[f"sankey_{rid}"] = flow_sankey(main.tables, sc, rid, lang=lang, colors=colors)
    names = {r.id: (r.name.en, r.name.zh or r.name.en) for r in sc.resources} if sc else None
    figs["kpi"] = kpi_comparison(
        {lb: kpi_rows(b) for lb, b in zip(labels, bundles, strict=True)},
        lang=lang,
        resource_names=names,
    )
    pareto = next((b.extras["pareto"] for b in bundles if "pareto" in b.extras), None)
    if pareto is not None:
        axes = pareto_axes(pareto)
        marks = _marks(main, *axes, lang) if axes else {}
        figs["pareto"] = pareto_front(pareto, lang=lang, marks=marks)
    else:
        figs["pareto"] = None  # type: ignore[assignment]
    macc = next((b.extras["macc"] for b in bundles if "macc" in b.extras), None)
    macc = localise_measures(macc, sc, lang)
    price = sc.policy.carbon_price_cny_t if sc is not None else None
    figs["macc"] = macc_curve(macc, lang=lang, carbon_price=price) if macc is not None else None  # type: ignore[assignment]
    measures = next((b.extras["cocontrol"] for b in bundles if "cocontrol" in b.extras), None)
    measures = localise_measures(measures, sc, lang)
    points = cocontrol_points(
        {lb: (b.baseline_kpis, b.kpis) for lb, b in zip(labels, bundles, strict=True)}, measures
    )
    figs["cocontrol"] = cocontrol_plot(points, lang=lang) if not points.empty else None  # type: ignore[assignment]
    views = {lb: score_view(b) for lb, b in zip(labels, bundles, strict=True)}
    if any(not v.empty for v in views.values()):
        figs["radar"] = indicator_radar(views, lang=lang)
        figs["grade"] = grade_bars(views, lang=lang)
    return {k: v for k, v in figs.items() if v is not None}
