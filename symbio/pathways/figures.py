"""Figures of the pathway analyses: data in (pandas tables), matplotlib Figure out.

Each function takes the table another function of :mod:`symbio.pathways` returns (or the CSV
written from it, read back) and returns a :class:`matplotlib.figure.Figure` without touching
pyplot's global state, so the report can embed it and a caller can save it.

* :func:`pareto_figure` — the front (``pareto.csv``), payoff-table extremes marked;
* :func:`macc_figure` — bar-width marginal abatement cost curve (``macc.csv``);
* :func:`cocontrol_figure` — co-control effect coordinate system (``cocontrol.csv``);
* :func:`grid_figure` — a KPI against a swept parameter, entry values marked (``grid.csv``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from symbio.fileio import atomic_file

__all__ = ["cocontrol_figure", "macc_figure", "pareto_figure", "save_figure", "grid_figure"]

# Names come from users: "$x^$" is a candidate's name, never TeX (mathtext would raise).
matplotlib.rcParams["text.parse_math"] = False

#: Axis labels of the criteria (unit in brackets).
CRITERION_LABELS: dict[str, str] = {
    "cost": "annualised cost [CNY/a]",
    "energy": "primary energy [tce/a]",
    "co2": "CO2 [t/a]",
}


def _label(name: str, labels: Mapping[str, str] | None) -> str:
    if labels and name in labels:
        return labels[name]
    return CRITERION_LABELS.get(name, f"{name} [t/a]")


def pareto_figure(
    points: pd.DataFrame,
    x: str,
    y: str,
    *,
    payoff: pd.DataFrame | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """Plot a Pareto front: efficient points joined in ``x`` order, extremes marked.

    Parameters
    ----------
    points
        One row per efficient point with columns ``x`` and ``y`` (``pareto.csv``).
    x, y
        Criteria on the axes.
    payoff
        Payoff table (rows: criterion optimised first; columns: criteria) to mark the extremes.
    labels
        Axis labels by criterion.
    title
        Figure title.
    """
    fig = Figure(figsize=(6.4, 4.8), layout="constrained")
    ax = fig.add_subplot()
    pts = points.sort_values(x)
    ax.plot(pts[x], pts[y], "-", color="0.6", lw=1, zorder=1)
    ax.scatter(pts[x], pts[y], s=28, color="C0", zorder=2, label="efficient points")
    if "point" in pts:
        for _, r in pts.iterrows():
            ax.annotate(
                str(int(r["point"])),
                (r[x], r[y]),
                textcoords="offset points",
                xytext=(4, 4),
                fontsize=7,
                color="0.3",
            )
    if payoff is not None:
        for k, marker in ((x, "s"), (y, "D")):
            if k in payoff.index:
                ax.scatter(
                    [payoff.loc[k, x]],
                    [payoff.loc[k, y]],
                    marker=marker,
                    s=60,
                    facecolors="none",
                    edgecolors="C3",
                    zorder=3,
                    label=f"min {k}",
                )
    ax.set_xlabel(_label(x, labels))
    ax.set_ylabel(_label(y, labels))
    ax.grid(True, lw=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title or f"Pareto front: {x} vs {y}")
    return fig


def macc_figure(
    macc: pd.DataFrame,
    *,
    carbon_price: float | None = None,
    title: str | None = None,
) -> Figure:
    """Bar-width marginal abatement cost curve.

    Parameters
    ----------
    macc
        Table of :func:`symbio.pathways.macc.macc_table` (``macc.csv``): bars from ``start_t``
        to ``end_t`` at height ``mac_cny_per_t`` for rows ``on_curve``.
    carbon_price
        Draw a horizontal line at this price (CNY/t).
    title
        Figure title.
    """
    fig = Figure(figsize=(7.2, 4.4), layout="constrained")
    ax = fig.add_subplot()
    on = macc[macc["on_curve"].astype(bool)] if len(macc) else macc
    for i, (_, r) in enumerate(on.iterrows()):
        width = float(r["end_t"]) - float(r["start_t"])
        h = float(r["mac_cny_per_t"])
        ax.bar(
            float(r["start_t"]),
            h,
            width=width,
            align="edge",
            color=f"C{i % 10}",
            edgecolor="white",
            lw=0.5,
        )
        ax.annotate(
            str(r.get("name", r["measure"])),
            (float(r["start_t"]) + width / 2, h),
            textcoords="offset points",
            xytext=(0, 3 if h >= 0 else -10),
            ha="center",
            fontsize=7,
        )
    ax.axhline(0.0, color="black", lw=0.6)
    if carbon_price is not None:
        ax.axhline(
            carbon_price, color="C3", ls="--", lw=0.8, label=f"carbon price {carbon_price:g}"
        )
        ax.legend(fontsize=8)
    ax.set_xlabel("CO2 avoided, cumulative [t/a]")
    ax.set_ylabel("marginal abatement cost [CNY/t CO2]")
    ax.grid(True, axis="y", lw=0.3)
    off = len(macc) - len(on)
    ax.set_title(
        title or "Marginal abatement cost curve" + (f" ({off} off the curve)" if off else "")
    )
    return fig


def cocontrol_figure(table: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Co-control effect coordinate system: CO2 reduction rate (x) vs pollutant reduction rate (y).

    One marker per (measure, pollutant) of :func:`symbio.pathways.cocontrol.cocontrol_table`;
    quadrant I is co-control; the dashed diagonal is Els = 1.
    """
    # Long: one matplotlib figure, drawn in order (points, axes, quadrant labels, legend).
    fig = Figure(figsize=(7.2, 6.0), layout="constrained")
    ax = fig.add_subplot()
    data = table.dropna(subset=["reduction_rate", "co2_reduction_rate"])
    species = list(dict.fromkeys(data["species"]))
    markers = "os^vD<>pP*X"
    for j, sp in enumerate(species):
        d = data[data["species"] == sp]
        ax.scatter(
            100 * d["co2_reduction_rate"],
            100 * d["reduction_rate"],
            marker=markers[j % 11],
            s=36,
            label=sp,
            zorder=3,
        )
    # One label per position, naming every measure there.
    at = data.groupby([data["co2_reduction_rate"].round(6), data["reduction_rate"].round(6)])
    for (cx, py), grp in at:
        ax.annotate(
            ", ".join(dict.fromkeys(map(str, grp["measure"]))),
            (100 * cx, 100 * py),
            textcoords="offset points",
            xytext=(3, 3),
            fontsize=6,
            color="0.3",
        )
    vals = np.concatenate([100 * data["co2_reduction_rate"], 100 * data["reduction_rate"]])
    lim = max(5.0, float(np.nanmax(np.abs(vals))) * 1.3) if len(vals) else 100.0
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.axhline(0, color="black", lw=0.7)
    ax.axvline(0, color="black", lw=0.7)
    ax.plot([-lim, lim], [-lim, lim], ls="--", color="0.6", lw=0.7, label="Els = 1")
    for (qx, qy), text in {
        (1, 1): "I co-control",
        (-1, 1): "II pollutant only",
        (-1, -1): "III both rise",
        (1, -1): "IV CO2 only",
    }.items():
        ax.text(
            qx * 0.95 * lim,
            qy * 0.95 * lim,
            text,
            ha="right" if qx > 0 else "left",
            va="top" if qy > 0 else "bottom",
            fontsize=8,
            color="0.4",
        )
    ax.set_xlabel("CO2 reduction rate ΔCO2/CO2 [%]")
    ax.set_ylabel("pollutant reduction rate ΔP/P [%]")
    ax.set_aspect("equal")
    ax.grid(True, lw=0.3)
    if species:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    hidden = len(table) - len(data)
    if hidden:
        ax.text(
            1.02,
            0.0,
            f"{hidden} pairs with a zero\nbaseline emission\nnot shown (rate\nundefined)",
            transform=ax.transAxes,
            fontsize=7,
            color="0.4",
            va="bottom",
        )
    ax.set_title(title or "Co-control effect coordinate system")
    return fig


def grid_figure(
    table: pd.DataFrame,
    x: str,
    y: str | Sequence[str] = "co2",
    *,
    entries: pd.DataFrame | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """Plot KPIs of a one-parameter sweep against the swept value.

    Parameters
    ----------
    table
        Sweep table (``grid.csv``) with column ``x`` (the field path) and the KPI columns.
    x
        Swept field path, e.g. ``policy.carbon_price_cny_t``.
    y
        KPI column(s) to plot, e.g. ``co2`` (or ``co2_optimized``).
    entries
        Entry table of :func:`symbio.pathways.grid.entry_values` (``entries.csv``): a vertical
        line where each measure or candidate enters.
    labels
        Axis labels by KPI.
    title
        Figure title.
    """
    ys = [y] if isinstance(y, str) else list(y)
    fig = Figure(figsize=(6.8, 4.4), layout="constrained")
    ax = fig.add_subplot()
    d = table.sort_values(x)
    for k in ys:
        ax.plot(d[x], d[k], marker="o", ms=3, label=k)
    if entries is not None and len(entries):
        # Items already built at the lowest value did not enter inside the range.
        inside = entries[entries["enters_at"].notna() & (entries["enters_at"] > d[x].min())]
        for v, grp in inside.groupby("enters_at"):
            ax.axvline(float(v), color="0.5", ls=":", lw=0.8)
            ax.annotate(
                ", ".join(map(str, grp["item"])),
                (float(v), 0.98),
                xycoords=("data", "axes fraction"),
                rotation=90,
                va="top",
                ha="right",
                fontsize=7,
                color="0.3",
            )
    ax.set_xlabel(x)
    ax.set_ylabel(_label(ys[0], labels) if len(ys) == 1 else "value")
    ax.grid(True, lw=0.3)
    if len(ys) > 1:
        ax.legend(fontsize=8)
    ax.set_title(title or f"{', '.join(ys)} against {x}")
    return fig


def save_figure(fig: Figure, path: str | Path, *, dpi: int = 150) -> None:
    """Save a figure (PNG or SVG by the suffix) atomically.

    A PNG is laid out once, at the saving dpi, on a canvas that measures each text once per
    process (:func:`symbio.report.figures.style.laid_out`), and then drawn once: ``savefig``
    of a figure with a layout engine would draw it twice (once only for the layout). Same
    positions, same bytes (``tests/pathways/test_figures_save.py``), about a third less work.
    """
    fmt = Path(path).suffix.lstrip(".") or "png"
    with atomic_file(path) as tmp:
        if fmt != "png":
            fig.savefig(tmp, dpi=dpi, format=fmt)
            return
        from symbio.report.figures.style import laid_out

        own_dpi = fig.dpi
        fig.set_dpi(dpi)  # the layout measures text with the renderer savefig draws with
        try:
            with laid_out(fig):
                fig.savefig(tmp, dpi=dpi, format=fmt)
        finally:
            fig.set_dpi(own_dpi)
