"""Indicator figures: area scores on a radar, grade membership or scores as bars."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from symbio.report.figures.style import (
    color_map,
    legend_columns,
    message_figure,
    new_figure,
    styled,
)
from symbio.report.labels import Lang, fmt_num, t
from symbio.report.scoreview import GRADE_ORDER, ScoreView, area_label, grade_label


@styled
def indicator_radar(views: Mapping[str, ScoreView], *, lang: Lang = "en") -> Figure:
    """Draw each scenario's area scores on a radar (one polygon per scenario).

    Scores on 0-100 (or 0-1, drawn as given); the baseline of the first scenario is drawn
    dashed when it was scored.
    """
    title = t("fig_radar", lang)
    areas = list(dict.fromkeys(a for v in views.values() for a in v.areas))
    if len(areas) < 3:
        return message_figure(title, t("not_computed", lang))
    series: dict[str, dict[str, float]] = {}
    first = next(iter(views.values()))
    if first.baseline_areas:
        series[t("baseline", lang)] = first.baseline_areas
    series.update({label: v.areas for label, v in views.items() if v.areas})
    top = max(max(s.values(), default=0) for s in series.values())
    rmax = 1.0 if top <= 1.0 else 100.0
    angles = np.linspace(0, 2 * np.pi, len(areas), endpoint=False)
    fig = new_figure(8.0, 6.6 + 0.22 * len(series) / 2)
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    # Scenario colours as in the other figures (colour by scenario order); the baseline grey.
    colors = {**color_map(views), t("baseline", lang): "#777777"}
    for label, scores in series.items():
        vals = np.array([scores.get(a, np.nan) for a in areas], dtype=float)
        vals = np.nan_to_num(vals, nan=0.0)
        dashed = label == t("baseline", lang)
        ax.plot(np.append(angles, angles[0]), np.append(vals, vals[0]), color=colors[label],
                lw=2, ls="--" if dashed else "-", label=label)  # fmt: skip
        if not dashed:
            ax.fill(angles, vals, color=colors[label], alpha=0.12)
    width = 8 if lang == "zh" else 16
    ax.set_xticks(angles, ["\n".join(textwrap.wrap(area_label(a, lang), width)) for a in areas])
    ax.tick_params(axis="x", pad=18)
    ax.set_ylim(0, rmax)
    ax.set_yticks(np.linspace(0, rmax, 5)[1:])
    ax.tick_params(axis="y", labelsize=7, colors="#777")
    ax.set_title(title, loc="left", pad=24)
    # Below the radar, clear of the area names and the ring labels.
    ncols = legend_columns(series) if len(series) > 2 else 1
    fig.legend(loc="outside lower center", ncols=ncols, fontsize=9)
    return fig


@styled
def grade_bars(views: Mapping[str, ScoreView], *, lang: Lang = "en") -> Figure:
    """Draw the fuzzy grade membership per scenario, or the overall score when no membership.

    Each bar group is one grade (I, II, III, below); the grade each scenario reaches is named
    in the legend.
    """
    title = t("fig_grade", lang)
    scored = {k: v for k, v in views.items() if not v.empty}
    if not scored:
        return message_figure(title, t("not_computed", lang))
    colors = color_map(scored)
    fig = new_figure(8.0, 4.6)
    ax = fig.add_subplot()
    if any(v.membership for v in scored.values()):
        grades = [g for g in GRADE_ORDER if any(g in v.membership for v in scored.values())]
        x = np.arange(len(grades))
        width = 0.8 / len(scored)
        for i, (label, v) in enumerate(scored.items()):
            vals = [v.membership.get(g, 0.0) for g in grades]
            name = f"{label}: {grade_label(v.grade, lang)}" if v.grade else label
            bars = ax.bar(
                x + (i - (len(scored) - 1) / 2) * width,
                vals,
                width * 0.95,
                color=colors[label],
                label=name,
            )
            ax.bar_label(bars, [fmt_num(val, 2) for val in vals], fontsize=7.5, padding=2)
        ax.set_xticks(x, [grade_label(g, lang) for g in grades])
        ax.set_ylabel(t("membership", lang))
        ax.set_ylim(0, 1.08)
        _, names = ax.get_legend_handles_labels()
        ncols = legend_columns(names) if len(names) > 2 else 1
        fig.legend(loc="outside lower center", ncols=ncols, fontsize=9)
    else:
        labels = list(scored)
        vals = [v.score or 0.0 for v in scored.values()]
        bars = ax.barh(labels, vals, color=[colors[k] for k in labels])
        ax.bar_label(
            bars,
            [
                f"{fmt_num(s)}  {grade_label(v.grade, lang)}"
                for s, v in zip(vals, scored.values(), strict=True)
            ],
            padding=4,
            fontsize=9,
        )
        ax.set_xlabel(t("score", lang))
        ax.set_xlim(0, 100 if max(vals) > 1 else 1)
        ax.invert_yaxis()
    ax.set_title(title, loc="left")
    ax.grid(True, axis="y", color="#EEEEEE")
    return fig
