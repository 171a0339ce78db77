"""The KPI chart: the % change of every KPI against its baseline, one bar per scenario.

KPIs that do not change, have no finite % change (zero baseline) or are counts and shares
are left out, and so are scenarios where nothing charted changes; a bar far longer than the
others is cut (:func:`pct_cap`) and keeps its true value in its label.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from symbio.report.figures.style import (
    BAD,
    GOOD,
    NEUTRAL,
    color_map,
    legend_columns,
    message_figure,
    new_figure,
    styled,
)
from symbio.report.labels import Lang, fmt_pct, higher_is_better, kpi_name, kpi_rank, t

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
BAR_IN = 0.17  # inches per bar


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


@dataclass
class _Axis:
    """The chart's % axis: where bars are cut (``cap``) and the span of the clipped bars."""

    cap: float
    lo: float
    hi: float

    @property
    def span(self) -> float:
        return (self.hi - self.lo) or 1.0

    def clip(self, v: float) -> float:
        return min(max(v, -self.cap), self.cap)


def _axis(by: dict[str, dict[str, dict]], kpis: list[str]) -> tuple[_Axis, list[float]]:
    """The % axis of the chart and every value it shows (finite or not)."""
    worst = [
        max((abs(rows[k]["pct"]) for rows in by.values() if k in rows and math.isfinite(rows[k]["pct"])), default=0.0)
        for k in kpis
    ]  # fmt: skip
    cap = pct_cap(worst)
    values = [rows[k]["pct"] for rows in by.values() for k in kpis if k in rows]
    clipped = [min(max(v, -cap), cap) for v in values if math.isfinite(v)]
    return _Axis(cap, min(0.0, *clipped), max(0.0, *clipped)), values


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


def _draw_bars(ax: object, by: dict[str, dict[str, dict]], kpis: list[str],
               colors: dict[str, str], axis: _Axis) -> None:  # fmt: skip
    """One bar per scenario and KPI, labelled with its true value (green: better)."""
    n, span = len(by), axis.span
    height = 0.8 / n
    y = np.arange(len(kpis), dtype=float)
    for i, (label, rows) in enumerate(by.items()):
        vals = [rows[k]["pct"] if k in rows else np.nan for k in kpis]
        bars = [axis.clip(v) if math.isfinite(v) else np.nan for v in vals]
        ys = y + (i - (n - 1) / 2) * height
        ax.barh(ys, bars, height * 0.9, color=colors[label], label=label)  # type: ignore[attr-defined]
        for yy, k, v, s in zip(ys, kpis, vals, bars, strict=True):
            if not math.isfinite(v):
                continue
            cut = s != v
            if cut:
                _cut_mark(ax, s, yy, height * 0.9, span)
            good = (v > 0) == higher_is_better(k) if v != 0 else True
            ax.text(s + (0.012 * span if v >= 0 else -0.012 * span), yy,  # type: ignore[attr-defined]
                    fmt_pct(v) + (" »" if cut else ""), va="center",
                    ha="left" if v >= 0 else "right", fontsize=8.5,
                    color=GOOD if good else BAD)  # fmt: skip


def _decorate(ax: object, kpis: list[str], axis: _Axis, lang: Lang,
              resource_names: dict[str, tuple[str, str]] | None) -> None:  # fmt: skip
    """KPI names, separators, the zero line and the % axis."""
    y = np.arange(len(kpis), dtype=float)
    ax.set_yticks(y, [kpi_name(k, lang, resource_names) for k in kpis], fontsize=10)  # type: ignore[attr-defined]
    ax.set_ylim(len(kpis) - 0.5, -0.5)  # type: ignore[attr-defined]
    for yy in y[:-1]:
        ax.axhline(yy + 0.5, color="#E4E4E4", lw=0.6)  # type: ignore[attr-defined]
    ax.axvline(0, color="#333", lw=0.8)  # type: ignore[attr-defined]
    lo, hi, span = axis.lo, axis.hi, axis.span
    ax.set_xlim(  # type: ignore[attr-defined]
        lo - 0.16 * span if lo < 0 else -0.04 * span, hi + 0.16 * span if hi > 0 else 0.04 * span
    )
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:+g}%" if v else "0")  # type: ignore[attr-defined]
    ax.set_xlabel(t("change_axis", lang))  # type: ignore[attr-defined]
    ax.grid(True, axis="x", color="#EEEEEE")  # type: ignore[attr-defined]


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
    fig = new_figure(9.0, 1.6 + 0.3 * math.ceil(n / 2) + len(kpis) * (BAR_IN * n + 0.2))
    ax = fig.add_subplot()
    axis, values = _axis(by, kpis)
    _draw_bars(ax, by, kpis, colors, axis)
    _decorate(ax, kpis, axis, lang, resource_names)
    handles, names = ax.get_legend_handles_labels()
    # The chart title heads the legend, both above the axes (constrained layout stacks a
    # figure legend but not a figure title with it).
    fig.legend(handles, names, loc="outside upper left", ncols=legend_columns(names) if n > 1 else 1, fontsize=9,
               title=title, alignment="left", title_fontproperties={"size": 13})  # fmt: skip
    notes = []
    if omitted:
        notes.append(t("kpi_chart_omitted", lang) + ("、" if lang == "zh" else ", ").join(omitted))
    if any(abs(v) > axis.cap for v in values if math.isfinite(v)):
        notes.append(t("kpi_chart_cut", lang))
    if notes:
        fig.supxlabel(
            "\n".join(notes), fontsize=8.5, color=NEUTRAL, x=0.01, ha="left", linespacing=1.6
        )
    return fig
