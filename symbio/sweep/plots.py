"""PNG figures of a sweep summary (matplotlib, no display needed).

The figures do not depend on each other. Where a child process is forked safely and cheaply
(:func:`symbio.report.html.inparallel.can_fork`, this process has no other thread and may use
a second core), this process and a forked child (which starts with matplotlib and the data
already loaded) take them one by one from a shared queue, the costliest first, each writing
its own files atomically; a figure the child did not write is drawn here. The bytes of each
file are those of drawing it alone.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections.abc import Callable, Sequence
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple

import matplotlib

matplotlib.use("Agg")
# Names come from users: "$x^$" is a site name, never TeX (mathtext would raise).
matplotlib.rcParams["text.parse_math"] = False
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from symbio.report.html.inparallel import can_fork, usable_cores  # noqa: E402
from symbio.sweep.metrics import metric_columns  # noqa: E402

MAX_PANELS = 12


class Job(NamedTuple):
    """One figure of the summary."""

    name: str
    file: Path
    cost: float
    """Rough relative cost of drawing it (panels, bars), to start with the costliest."""
    draw: Callable[[], Path]
    """Draws it, writes ``file`` and returns it."""


def write_plots(
    out: Path,
    index: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    paths: Sequence[str],
    parallel: bool = True,
) -> dict[str, Path]:
    """Write the figures that have data; return {name: file}.

    With ``parallel``, two processes draw them where that is safe (see the module's text).
    """
    jobs = figure_jobs(out, index, tables, paths)
    done = draw_in_parallel(jobs) if parallel and _may_fork(len(jobs)) else set()
    return {job.name: job.file if job.name in done else job.draw() for job in jobs}


def figure_jobs(
    out: Path, index: pd.DataFrame, tables: dict[str, pd.DataFrame], paths: Sequence[str]
) -> list[Job]:
    """The figures that have data, in the order of the summary, each with its drawing call."""
    jobs: list[Job] = []
    solved = index[index["status"] == "ok"]
    # Distributions worth a panel: values that vary, optimized case first.
    metrics = [c for c in metric_columns(solved) if _varies(solved[c])]
    metrics.sort(key=lambda c: c.endswith(".baseline"))
    if metrics:
        file = out / "kpi_distributions.png"
        draw = partial(_histograms, file, solved, metrics)
        jobs.append(Job("kpi_distributions", file, min(len(metrics), MAX_PANELS), draw))
    for table, labels, value, xlabel in (
        ("build_frequency", ("kind", "id"), "share", "share of solved runs in which it is built"),
        ("grade_probability", ("kind", "grade"), "probability", "probability of the grade"),
    ):
        frame = tables[table]
        if len(frame):
            text = [f"{a}: {b}" for a, b in zip(frame[labels[0]], frame[labels[1]], strict=True)]
            file = out / f"{table}.png"
            draw = partial(_bars, file, text, frame[value].tolist(), xlabel)
            jobs.append(Job(f"{table}_plot", file, 1 + len(text) / 10, draw))
    objectives = [
        c for c in ("objective_baseline", "objective_optimized") if c in metric_columns(solved)
    ]
    numeric_paths = [p for p in paths if pd.to_numeric(index[p], errors="coerce").notna().any()]
    if objectives and numeric_paths:
        file = out / "objective_vs_inputs.png"
        draw = partial(_scatter, file, solved, numeric_paths, objectives)
        jobs.append(Job("objective_vs_inputs", file, min(len(numeric_paths), MAX_PANELS), draw))
    return jobs


def _may_fork(jobs: int) -> bool:
    """Two processes help (more than one figure, a second core) and forking is safe (Linux,
    not a pool's daemonic worker, and no other thread that a fork would copy mid-work)."""
    return jobs > 1 and usable_cores() > 1 and can_fork() and threading.active_count() == 1


def draw_in_parallel(jobs: list[Job]) -> set[str]:
    """Draw ``jobs`` here and in a forked child from one queue, the costliest first.

    Returns the names of the figures written (by either process); a figure the child did not
    report written (it failed, or died) is missing, and the caller draws it. An error of a
    figure drawn here is raised as it would be without the child.
    """
    queue = sorted(jobs, key=lambda job: -job.cost)
    ctx = multiprocessing.get_context("fork")
    taken = ctx.Value("i", 0)
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(queue, taken, send), daemon=True)
    child.start()
    send.close()
    done: set[str] = set()
    try:
        _take(queue, taken, done)
        with contextlib.suppress(EOFError):  # the child died: its figures are drawn here
            done |= receive.recv()
    finally:
        receive.close()
        child.join()
    return done


def _take(queue: list[Job], taken, done: set[str]) -> None:  # noqa: ANN001
    """Draw figures of ``queue`` until none is left (``taken``: index of the next, shared);
    add the name of each one written to ``done``."""
    while True:
        with taken.get_lock():
            i = taken.value
            taken.value = i + 1
        if i >= len(queue):
            return
        queue[i].draw()
        done.add(queue[i].name)


def _child(queue: list[Job], taken, send: Connection) -> None:  # noqa: ANN001
    """In the child: draw its share, report the names of the figures it wrote."""
    done: set[str] = set()
    try:
        _take(queue, taken, done)
    except Exception:  # noqa: BLE001, S110 - the parent draws the rest, and raises the error
        pass
    finally:
        send.send(done)
        send.close()


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
        # done: without a layout engine left on the figure, savefig draws it once instead
        # of laying every artist out once more first (the same pixels)
        fig.set_layout_engine(None)
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
