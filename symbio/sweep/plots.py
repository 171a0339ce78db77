"""PNG figures of a sweep summary (matplotlib, no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
# Names come from users: "$x^$" is a site name, never TeX (mathtext would raise).
matplotlib.rcParams["text.parse_math"] = False
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from symbio.sweep.metrics import metric_columns  # noqa: E402

MAX_PANELS = 12


def write_plots(
    out: Path, index: pd.DataFrame, tables: dict[str, pd.DataFrame], paths: Sequence[str]
) -> dict[str, Path]:
    """Write the figures that have data; return {name: file}."""

    files: dict[str, Path] = {}
    solved = index[index["status"] == "ok"]
    # Distributions worth a panel: values that vary, optimized case first.
    metrics = [c for c in metric_columns(solved) if _varies(solved[c])]
    metrics.sort(key=lambda c: c.endswith(".baseline"))
    if metrics:
        files["kpi_distributions"] = _histograms(out / "kpi_distributions.png", solved, metrics)
    freq = tables["build_frequency"]
    if len(freq):
        files["build_frequency_plot"] = _bars(
            out / "build_frequency.png",
            [f"{k}: {i}" for k, i in zip(freq["kind"], freq["id"], strict=True)],
            freq["share"].tolist(),
            "share of solved runs in which it is built",
        )
    grades = tables["grade_probability"]
    if len(grades):
        files["grade_probability_plot"] = _bars(
            out / "grade_probability.png",
            [f"{m}: {g}" for m, g in zip(grades["kind"], grades["grade"], strict=True)],
            grades["probability"].tolist(),
            "probability of the grade",
        )
    objectives = [
        c for c in ("objective_baseline", "objective_optimized") if c in metric_columns(solved)
    ]
    numeric_paths = [p for p in paths if pd.to_numeric(index[p], errors="coerce").notna().any()]
    if objectives and numeric_paths:
        files["objective_vs_inputs"] = _scatter(
            out / "objective_vs_inputs.png", solved, numeric_paths, objectives
        )
    return files


def _varies(column: pd.Series) -> bool:
    values = pd.to_numeric(column, errors="coerce").dropna()
    return len(values) > 0 and values.max() > values.min()


def _grid(n: int) -> tuple[plt.Figure, list[plt.Axes]]:
    cols = min(n, 3)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    # room for the titles, rotated tick labels and axis labels of every panel, in inches
    fig.subplots_adjust(
        left=0.7 / (4.2 * cols), right=1 - 0.35 / (4.2 * cols),
        bottom=0.9 / (3.2 * rows), top=1 - 0.35 / (3.2 * rows),
        wspace=0.35, hspace=0.8,
    )  # fmt: skip
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _save(fig: plt.Figure, file: Path, *, tight: bool = True) -> Path:
    # A grid of small panels has fixed margins (_grid): tight_layout measures every tick
    # label once more, which was a third of a summary's time.
    if tight:
        fig.tight_layout()
    tmp = file.with_name(f".{file.name}.tmp")
    fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)
    tmp.replace(file)
    return file


def _histograms(file: Path, solved: pd.DataFrame, metrics: list[str]) -> Path:
    metrics = metrics[:MAX_PANELS]
    fig, axes = _grid(len(metrics))
    for ax, col in zip(axes, metrics, strict=True):
        values = pd.to_numeric(solved[col], errors="coerce").dropna()
        ax.hist(values, bins=min(30, max(5, len(values) // 4)), color="#4c72b0")
        ax.axvline(values.median(), color="black", lw=1, ls="--")
        ax.set_title(col, fontsize=9)
        ax.set_ylabel("runs")
        ax.tick_params(axis="x", labelsize=7, labelrotation=30)
    return _save(fig, file, tight=False)


def _bars(file: Path, labels: list[str], values: list[float], xlabel: str) -> Path:
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(labels) + 1.2))
    ax.barh(labels[::-1], values[::-1], color="#55a868")
    ax.set_xlim(0, 1)
    ax.set_xlabel(xlabel)
    return _save(fig, file)


def _scatter(file: Path, solved: pd.DataFrame, paths: list[str], objectives: list[str]) -> Path:
    paths = paths[:MAX_PANELS]
    fig, axes = _grid(len(paths))
    for ax, path in zip(axes, paths, strict=True):
        x = pd.to_numeric(solved[path], errors="coerce")
        for col, colour in zip(objectives, ("#c44e52", "#4c72b0"), strict=False):
            ax.scatter(x, pd.to_numeric(solved[col], errors="coerce"), s=10, c=colour, label=col)
        ax.set_xlabel(path, fontsize=8)
        ax.tick_params(axis="x", labelsize=7, labelrotation=30)
        ax.legend(fontsize=7)
    return _save(fig, file, tight=False)
