"""Co-reduction figures: the Pareto front, the MAC curve and the co-control coordinates.

The tables come from other stages and their columns are read defensively:

* Pareto (``pareto.csv``): ``point`` plus two numeric objective columns (the first two numeric
  columns, unless ``x``/``y`` are given) and optionally ``builds``;
* MACC (``macc.csv``): CO2 abatement (``abatement_t`` or ``co2_avoided``), unit cost
  (``cost_cny_per_t`` or ``mac_cny_per_t``) and a name (``name`` or ``measure``);
* co-control: long form ``label, species, x, y`` with reduction rates in %, from
  :func:`cocontrol_points` (scenarios against their baselines, or a ``cocontrol.csv`` of
  measures with ``measure, species, reduction_rate, co2_reduction_rate``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from symbio.model.kpis import CRITERION_KPI
from symbio.report.figures.style import (
    BAD,
    GOOD,
    NEUTRAL,
    color_map,
    message_figure,
    new_figure,
    styled,
    thousands,
)
from symbio.report.labels import (
    Lang,
    fmt_num,
    kpi_name,
    scale_for,
    species_name,
    t,
    unit_label,
)

#: Objective names as the optimizer may spell them -> park KPI.
SKIP_COLUMNS = {"point", "index", "builds", "status", "gap", "epsilon", "eps", "seconds"}
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")


def _first(df: pd.DataFrame, names: Sequence[str]) -> str | None:
    return next((c for c in names if c in df.columns), None)


def _unit_of(name: str) -> str:
    kpi = CRITERION_KPI.get(name, name)
    for suffix, unit in (("_cny", "CNY/a"), ("_tce", "tce/a"), ("_t", "t/a")):
        if kpi.endswith(suffix):
            return unit
    return ""


def scaled_axis_label(name: str, values: Sequence[float], lang: Lang) -> tuple[str, float]:
    """Axis label and divisor of a column on the report's shared scales (万元/亿元 or
    M/bn CNY, t/kt/Mt; :func:`symbio.report.labels.scale_for`), one scale for the axis."""
    kpi = CRITERION_KPI.get(name, name)
    unit = _unit_of(name)
    if not unit:
        return kpi_name(kpi, lang), 1.0
    scale = scale_for(unit, list(values), lang)
    if scale.family not in ("money", "mass"):
        return axis_label(name, lang), 1.0
    return f"{kpi_name(kpi, lang)} ({scale.unit})", scale.factor


def axis_label(name: str, lang: Lang) -> str:
    """Axis label of an objective or KPI column, with its unit."""
    kpi = CRITERION_KPI.get(name, name)
    unit = _unit_of(name)
    return f"{kpi_name(kpi, lang)} ({unit_label(unit, lang)})" if unit else kpi_name(kpi, lang)


def pareto_axes(df: pd.DataFrame) -> tuple[str, str] | None:
    """The two objective columns of a Pareto table."""
    numeric = [
        c
        for c in df.columns
        if c.lower() not in SKIP_COLUMNS
        and not str(c).startswith("build:")
        and pd.api.types.is_numeric_dtype(df[c])
    ]
    return (numeric[0], numeric[1]) if len(numeric) >= 2 else None


@styled
def pareto_front(
    pareto: pd.DataFrame,
    *,
    lang: Lang = "en",
    x: str | None = None,
    y: str | None = None,
    marks: Mapping[str, tuple[float, float]] | None = None,
) -> Figure:
    """Draw a two-objective trade-off front.

    Parameters
    ----------
    pareto
        One row per efficient point.
    x, y
        Objective columns (default: the first two numeric columns).
    marks
        Extra labelled points, e.g. ``{"baseline": (cost, co2)}``.
    """
    title = t("fig_pareto", lang)
    axes = (x, y) if x and y else pareto_axes(pareto)
    if pareto.empty or axes is None:
        return message_figure(title, t("not_computed", lang))
    xc, yc = axes
    df = pareto.dropna(subset=[xc, yc]).sort_values(xc)
    fig = new_figure(8.0, 5.6)
    ax = fig.add_subplot()
    ax.plot(df[xc], df[yc], "-", color="#90A4AE", lw=1.5, zorder=1)
    ax.scatter(df[xc], df[yc], s=46, color="#0072B2", zorder=3, label=title)
    for i, r in enumerate(df.itertuples(index=False)):
        name = str(getattr(r, "point", i + 1))
        ax.annotate(
            name,
            (getattr(r, xc), getattr(r, yc)),
            xytext=(5, 5),
            textcoords="offset points",
            fontsize=8,
        )
    for (label, (mx, my)), color, marker in zip(
        (marks or {}).items(), (BAD, GOOD, "#7F3C8D"), "sD^", strict=False
    ):
        ax.scatter([mx], [my], s=90, marker=marker, color=color, zorder=4, label=label)
    for i, (axis, col) in enumerate((("x", xc), ("y", yc))):
        values = [*df[col].tolist(), *(m[i] for m in (marks or {}).values())]
        label, factor = scaled_axis_label(col, values, lang)
        thousands(ax, axis, factor)
        (ax.set_xlabel if axis == "x" else ax.set_ylabel)(label)
    ax.set_title(title, loc="left")
    ax.grid(True, color="#EEEEEE")
    ax.legend(loc="best")
    return fig


def macc_columns(macc: pd.DataFrame) -> tuple[str, str, str] | None:
    """(abatement, unit cost, name) columns of a MACC table."""
    ab = _first(macc, ("abatement_t", "co2_avoided", "co2_avoided_t", "abatement"))
    cost = _first(macc, ("cost_cny_per_t", "mac_cny_per_t", "mac", "cost_per_t"))
    name = _first(macc, ("name", "measure")) or ab
    if ab is None or cost is None or name is None:
        return None
    return ab, cost, name


@styled
def macc_curve(
    macc: pd.DataFrame, *, lang: Lang = "en", carbon_price: float | None = None
) -> Figure:
    """Draw the marginal abatement cost curve: bar width = CO2 abatement, height = cost per t.

    Measures with no positive abatement or no finite cost are left off the curve.
    """
    title = t("fig_macc", lang)
    cols = macc_columns(macc) if not macc.empty else None
    if cols is None:
        return message_figure(title, t("not_computed", lang))
    ab, cost, name = cols
    df = macc.copy()
    df[ab] = pd.to_numeric(df[ab], errors="coerce")
    df[cost] = pd.to_numeric(df[cost], errors="coerce")
    df = df[(df[ab] > 0) & np.isfinite(df[cost])].sort_values(cost, kind="stable")
    if df.empty:
        return message_figure(title, t("not_available", lang))
    fig = new_figure(9.0, 5.6)
    ax = fig.add_subplot()
    start = df[ab].cumsum() - df[ab]
    colors = [GOOD if c < 0 else "#E69F00" for c in df[cost]]
    ax.bar(start, df[cost], width=df[ab], align="edge", color=colors, ec="white", lw=1.0)
    total = float(df[ab].sum())
    for s, w, c, n in zip(start, df[ab], df[cost], df[name], strict=True):
        va = "bottom" if c >= 0 else "top"
        rot = 0 if w > 0.12 * total else 90
        ax.text(s + w / 2, c, f" {n} ", ha="center", va=va, fontsize=8, rotation=rot)
    ax.axhline(0, color="#333", lw=0.8)
    if carbon_price:
        ax.axhline(carbon_price, color=BAD, ls="--", lw=1.2)
        ax.text(0.01 * total, carbon_price, f" {t('carbon_price', lang)} {fmt_num(carbon_price)}",
                color=BAD, ha="left", va="bottom", fontsize=8)  # fmt: skip
    ax.set_xlim(0, total * 1.02)
    mass = scale_for("t/a", total, lang)  # one scale for the axis: t, kt or Mt
    ax.set_xlabel(
        t("abatement_axis", lang)
        if mass.factor == 1
        else t("abatement_axis_in", lang).format(unit=mass.unit)
    )
    ax.set_ylabel(t("mac_axis", lang))
    ax.set_title(title, loc="left")
    ax.grid(True, axis="y", color="#EEEEEE")
    thousands(ax, "x", mass.factor)
    thousands(ax, "y")
    return fig


def cocontrol_points(
    scenarios: Mapping[str, tuple[Mapping[str, float], Mapping[str, float]]] | None = None,
    measures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Points of the co-control coordinate system: ``label, species, x, y`` (reduction rates, %).

    Parameters
    ----------
    scenarios
        ``{label: (baseline_kpis, optimized_kpis)}``; rates are ``(baseline - case) / baseline``
        for ``co2_t`` and every ``emission_<species>_t`` with a positive baseline.
    measures
        A ``cocontrol.csv`` (``measure, species, reduction_rate, co2_reduction_rate``, rates as
        fractions).
    """
    rows = []
    for label, (base, case) in (scenarios or {}).items():
        b_co2, c_co2 = base.get("co2_t", math.nan), case.get("co2_t", math.nan)
        if not b_co2 or math.isnan(b_co2):
            continue
        x = (b_co2 - c_co2) / b_co2 * 100
        for k, b in base.items():
            if k.startswith("emission_") and k != "emission_co2_t" and b and b > 0 and k in case:
                sp = k.removeprefix("emission_").removesuffix("_t")
                rows.append({"label": label, "species": sp, "x": x, "y": (b - case[k]) / b * 100})
    if measures is not None and {"species", "reduction_rate", "co2_reduction_rate"} <= set(
        measures.columns
    ):
        lab = _first(measures, ("name", "measure")) or "species"
        for r in measures.to_dict("records"):
            x, y = float(r["co2_reduction_rate"]) * 100, float(r["reduction_rate"]) * 100
            if math.isfinite(x) and math.isfinite(y):
                rows.append({"label": str(r[lab]), "species": str(r["species"]), "x": x, "y": y})
    return pd.DataFrame(rows, columns=["label", "species", "x", "y"])


@styled
def cocontrol_plot(points: pd.DataFrame, *, lang: Lang = "en") -> Figure:
    """Draw the co-control coordinate system (x: CO2 reduction rate, y: pollutant reduction rate).

    Quadrant I (both reduced) is shaded: co-control. Colour = scenario or measure, marker =
    pollutant.
    """
    title = t("fig_cocontrol", lang)
    if points.empty:
        return message_figure(title, t("not_available", lang))
    fig = new_figure(8.0, 6.0)
    ax = fig.add_subplot()
    lim = float(max(5.0, np.nanmax(np.abs(points[["x", "y"]].to_numpy(dtype=float))) * 1.15))
    ax.fill_between([0, lim], 0, lim, color="#E8F5E9", zorder=0)
    ax.text(
        lim * 0.97, lim * 0.97, t("co_control", lang), ha="right", va="top", color=GOOD, fontsize=9
    )
    ax.axhline(0, color="#333", lw=0.8)
    ax.axvline(0, color="#333", lw=0.8)
    colors = color_map(points["label"])
    species = list(dict.fromkeys(points["species"]))
    markers = {sp: MARKERS[i % len(MARKERS)] for i, sp in enumerate(species)}
    order = {lb: i for i, lb in enumerate(colors)}
    for r in points.itertuples(index=False):
        i = order[r.label]
        # Later series hollow and larger, so points that coincide stay visible.
        face = colors[r.label] if i == 0 else "none"
        ax.scatter([r.x], [r.y], s=60 + 45 * i, marker=markers[r.species], zorder=3 + 0.1 * i,
                   fc=face, ec=colors[r.label] if i else "white", lw=0.6 if i == 0 else 1.6)  # fmt: skip
    handles: list = [Patch(color=c, label=lb) for lb, c in colors.items()]
    handles += [
        Line2D([], [], ls="", marker=markers[sp], color=NEUTRAL, ms=7, label=species_name(sp, lang))
        for sp in species
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_xlabel(t("co2_rate_axis", lang))
    ax.set_ylabel(t("pol_rate_axis", lang))
    ax.set_title(title, loc="left")
    ax.grid(True, color="#F0F0F0")
    return fig
