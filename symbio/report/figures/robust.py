"""Figures of the robustness study: the tornado chart of the estimates and the plan's regret.

Both read the study's tables only (``sensitivity.csv``, ``regret.csv``; see
:mod:`symbio.sweep.robust`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from symbio.fileio import write_atomic
from symbio.report.figures.style import (
    BAD,
    GOOD,
    NEUTRAL,
    figure_png,
    new_figure,
    styled,
    thousands,
)
from symbio.report.labels import Lang

#: Headline savings of the tornado and the regret figure: KPI → (en, zh) title.
OUTPUTS = {"total_cost_cny": ("Cost saving", "成本节约"), "co2_t": ("CO2 saving", "CO₂ 减排")}
TOP = 10


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[1] if lang == "zh" else pair[0]


def axis_scale(kpi: str, values: Iterable[float], lang: Lang) -> tuple[float, str]:
    """Divisor and unit of a saving axis, chosen from the largest value shown."""
    top = max((abs(v) for v in values if np.isfinite(v)), default=0.0)
    if kpi == "total_cost_cny":
        if lang == "zh":
            return (1e8, "亿元/年") if top >= 1e8 else (1e4, "万元/年")
        return (1e9, "bn CNY/a") if top >= 1e9 else (1e6, "M CNY/a")
    return (1e3, "kt/a" if lang == "en" else "千吨/年") if top >= 1e4 else (1.0, "t/a")


def factor_label(factor: str, width: int = 46) -> str:
    """A factor id shortened for an axis label (the table keeps the full path)."""
    return factor if len(factor) <= width else "…" + factor[-(width - 1) :]


@styled
def tornado(sensitivity: pd.DataFrame, medians: dict[str, float], lang: Lang) -> Figure:
    """One panel per headline saving: the ``TOP`` factors' 90 % swings around the median."""
    outputs = [k for k in OUTPUTS if f"saving.{k}" in set(sensitivity["output"])]
    rows_of = {k: sensitivity[sensitivity["output"] == f"saving.{k}"].nsmallest(TOP, "rank")
               for k in outputs}  # fmt: skip
    height = max((len(r) for r in rows_of.values()), default=1)
    fig = new_figure(11, 1.4 + 0.45 * height)
    axes = fig.subplots(1, max(len(outputs), 1), squeeze=False)[0]
    for ax, kpi in zip(axes, outputs, strict=False):
        rows = rows_of[kpi].iloc[::-1]
        median = medians.get(kpi, 0.0)
        scale, unit = axis_scale(kpi, [median + x for x in (*rows["low"], *rows["high"])], lang)
        mid = median / scale
        for yi, (low, high) in enumerate(zip(rows["low"] / scale, rows["high"] / scale,
                                             strict=True)):  # fmt: skip
            ax.barh(yi, low, left=mid, color=BAD if low < 0 else GOOD, height=0.6)
            ax.barh(yi, high, left=mid, color=GOOD if high > 0 else BAD, height=0.6)
        ax.axvline(mid, color=NEUTRAL, lw=1)
        ax.set_yticks(np.arange(len(rows)), [factor_label(f) for f in rows["factor"]], fontsize=8)
        ax.set_ylim(-0.6, height - 0.4)
        fit = ""
        if len(rows) and rows["method"].iloc[0] == "regression":
            fit = f" (R² {rows['r2'].iloc[0]:.2f})"
        elif len(rows):
            fit = " (correlation)" if lang == "en" else "（相关系数）"
        ax.set_title(f"{_pick(OUTPUTS[kpi], lang)}{fit}", fontsize=11)
        ax.set_xlabel(unit)
        thousands(ax, "x")
    if not outputs:
        axes[0].set_axis_off()
    return fig


@styled
def regret_figure(regret: pd.DataFrame, lang: Lang) -> Figure:
    """Per headline saving: the recommended plan's saving against each sample's optimum."""
    outputs = [k for k in OUTPUTS if f"plan_saving.{k}" in regret.columns]
    fig = new_figure(11, 4.2)
    axes = fig.subplots(1, max(len(outputs), 1), squeeze=False)[0]
    names = {"plan": ("recommended plan (builds fixed)", "推荐方案（建设决策固定）"),
             "own": ("each sample's own optimum", "各样本自身最优")}  # fmt: skip
    for ax, kpi in zip(axes, outputs, strict=False):
        columns = {"own": f"saving.{kpi}", "plan": f"plan_saving.{kpi}"}
        data = {k: np.sort(pd.to_numeric(regret[c], errors="coerce").dropna()) for k, c in columns.items()}  # fmt: skip
        scale, unit = axis_scale(kpi, np.concatenate(list(data.values())), lang)
        for key, color, width in (("own", NEUTRAL, 3.5), ("plan", GOOD, 1.5)):
            values = data[key] / scale
            share = np.arange(1, len(values) + 1) / max(len(values), 1)
            ax.step(values, share, where="post", color=color, lw=width, alpha=0.6 if key == "own" else 1,
                    label=_pick(names[key], lang))  # fmt: skip
        ax.axvline(0, color=BAD, lw=0.8, ls=":")
        ax.set_title(_pick(OUTPUTS[kpi], lang), fontsize=11)
        ax.set_xlabel(unit)
        ax.set_ylabel("share of samples" if lang == "en" else "样本比例")
        thousands(ax, "x")
        ax.legend(loc="upper left")
    if not outputs:
        axes[0].set_axis_off()
    return fig


def figure_makers(tables: dict[str, pd.DataFrame], lang: Lang) -> dict[str, Callable[[], Figure]]:
    """The study's figures, ``tornado`` and ``regret``, each drawn when its maker is called."""
    iv = tables["intervals"]
    medians = {
        r.kpi: float(r.median) for r in iv[iv["quantity"] == "saving"].itertuples(index=False)
    }
    return {
        "tornado": lambda: tornado(tables["sensitivity"], medians, lang),
        "regret": lambda: regret_figure(tables["regret"], lang),
    }


#: The tables each figure is drawn from.
USES = {"tornado": ("sensitivity", "intervals"), "regret": ("regret",)}
#: PNGs drawn in this process, by figure, language and the content of the tables it shows.
_DRAWN: dict[tuple[str, str, str], bytes] = {}
_DRAWN_MAX = 8


def png_drawers(tables: dict[str, pd.DataFrame], lang: Lang) -> dict[str, Callable[[], bytes]]:
    """The study's figures, each drawn as PNG bytes when called. A figure this process drew
    already from tables of the same content (columns, types, every value as written to CSV:
    the robust step's, read back by the briefing) is not drawn again."""
    makers = figure_makers(tables, lang)
    return {k: partial(_png_once, k, lang, tables, make) for k, make in makers.items()}


def _png_once(
    name: str, lang: Lang, tables: dict[str, pd.DataFrame], make: Callable[[], Figure]
) -> bytes:
    key = (name, lang, _content(tables, USES[name]))
    if key not in _DRAWN:
        png = figure_png(make())
        if len(_DRAWN) >= _DRAWN_MAX:
            _DRAWN.clear()
        _DRAWN[key] = png
    return _DRAWN[key]


def _content(tables: dict[str, pd.DataFrame], names: Iterable[str]) -> str:
    """sha256 of the tables' columns, column types and CSV text."""
    digest = hashlib.sha256()
    for name in names:
        table = tables[name]
        head = [name, *map(str, table.columns), *map(str, table.dtypes)]
        digest.update("\x1f".join(head).encode() + b"\x1e")
        digest.update(table.to_csv(index=False).encode() + b"\x1d")
    return digest.hexdigest()


def figures(tables: dict[str, pd.DataFrame], lang: Lang) -> dict[str, bytes]:
    """The study's figures as PNG bytes: ``tornado`` and ``regret`` (see :func:`png_drawers`)."""
    return {k: draw() for k, draw in png_drawers(tables, lang).items()}


def write_figures(out: Path, tables: dict[str, pd.DataFrame], lang: Lang = "en") -> list[Path]:
    """Write ``tornado.png`` and ``regret.png`` under ``out`` (atomically)."""
    return [write_atomic(out / f"{k}.png", png) for k, png in figures(tables, lang).items()]
