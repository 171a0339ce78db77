"""Summarise a sweep: KPI distributions, how often each candidate is built, grade odds.

Everything is computed from ``index.csv`` alone, so a summary can be rebuilt at any time
(``symbio sweep ... --resume`` on a finished sweep does it). Files in ``DIR/summary/``:

``kpi_quantiles.csv``
    per metric (objectives, saving, fuzzy score, ``kpi.*``): runs, mean, sd, min,
    p05, p25, p50, p75, p95, max over solved runs (status ``ok``).
``build_frequency.csv``
    per candidate link/process and per measure: runs in which it is built, share of
    solved runs and a robustness class (``always`` 100 %, ``robust`` ≥ 80 %, ``often``
    ≥ 50 %, ``sometimes`` > 0, ``never``).
``grade_probability.csv``
    per fuzzy grade (``grade``, by maximum membership) and per composite-index rating
    (``rating``): runs and share of the scored runs.
``infeasible.csv``
    every run without a solution (infeasible, invalid, failed) with its overrides and
    diagnosis.
``*.png``
    histograms of the metrics, build frequencies, grade probabilities, objectives
    against each varied input.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from symbio.fileio import write_atomic
from symbio.sweep.metrics import metric_columns, with_saving
from symbio.sweep.plots import write_plots

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
NO_SOLUTION = ("infeasible", "invalid", "failed")
#: Lower bounds of the robustness classes of ``build_frequency.csv``.
ROBUSTNESS = (("always", 1.0), ("robust", 0.8), ("often", 0.5), ("sometimes", 1e-12))


def kpi_quantiles(index: pd.DataFrame) -> pd.DataFrame:
    """Quantiles of every metric over the solved runs."""
    solved = with_saving(index[index["status"] == "ok"])
    rows = []
    for col in metric_columns(solved):
        values = pd.to_numeric(solved[col], errors="coerce").dropna()
        row = {"metric": col, "runs": len(values)}
        if len(values):
            row.update(mean=values.mean(), sd=values.std(ddof=1) if len(values) > 1 else 0.0)
            row["min"] = values.min()
            # all five in one pass: the numbers of ``values.quantile(q)`` (linear), not 5 sorts
            at = np.quantile(values.to_numpy(dtype=float), QUANTILES)
            row.update(
                {f"p{round(q * 100):02d}": float(x) for q, x in zip(QUANTILES, at, strict=True)}
            )
            row["max"] = values.max()
        rows.append(row)
    columns = [
        "metric",
        "runs",
        "mean",
        "sd",
        "min",
        *[f"p{round(q * 100):02d}" for q in QUANTILES],
    ]
    return pd.DataFrame(rows, columns=[*columns, "max"])


def build_frequency(index: pd.DataFrame, measures: Sequence[str] = ()) -> pd.DataFrame:
    """How often each candidate and measure is built over the solved runs."""
    solved = index[index["status"] == "ok"]
    n = len(solved)
    rows = []
    for kind, column, known in (("measure", "measures", measures), ("candidate", "builds", ())):
        counts: dict[str, int] = dict.fromkeys(known, 0)
        if column in solved.columns:
            for cell in solved[column].fillna(""):
                for item in filter(None, str(cell).split(";")):
                    counts[item] = counts.get(item, 0) + 1
        for item, built in counts.items():
            share = built / n if n else float("nan")
            rows.append(
                {"kind": kind, "id": item, "built_runs": built, "solved_runs": n, "share": share}
            )
    frame = pd.DataFrame(rows, columns=["kind", "id", "built_runs", "solved_runs", "share"])
    frame["robustness"] = [_robustness(s) for s in frame["share"]]
    return frame.sort_values(["kind", "share", "id"], ascending=[False, False, True]).reset_index(
        drop=True
    )


def _robustness(share: float) -> str:
    if not np.isfinite(share):
        return "no solved runs"
    return next((name for name, low in ROBUSTNESS if share >= low - 1e-12), "never")


def grade_probability(index: pd.DataFrame) -> pd.DataFrame:
    """Share of the scored runs reaching each fuzzy grade and each composite rating."""
    columns = ["kind", "grade", "runs", "scored_runs", "probability"]
    rows = []
    for kind in ("grade", "rating"):
        if kind not in index.columns:
            continue
        solved = index[index["status"] == "ok"]
        scored = solved[solved["grade"].notna()] if "grade" in solved else solved.iloc[:0]
        if scored.empty:
            continue
        values = scored[kind].fillna("none").astype(str)
        for grade, n in values.value_counts().sort_index().items():
            rows.append([kind, grade, int(n), len(scored), n / len(scored)])
    return pd.DataFrame(rows, columns=columns)


def infeasible_runs(index: pd.DataFrame, paths: Sequence[str]) -> pd.DataFrame:
    """Runs without a solution, with their overrides and diagnosis."""
    bad = index[index["status"].isin(NO_SOLUTION)]
    return bad[["run_id", "status", *paths, "message"]].reset_index(drop=True)


def write_summary(
    root: str | Path, index: pd.DataFrame, paths: Sequence[str], measures: Sequence[str] = ()
) -> dict[str, Path]:
    """Write every summary table and plot under ``root/summary``; return their paths."""
    out = Path(root) / "summary"
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "kpi_quantiles": kpi_quantiles(index),
        "build_frequency": build_frequency(index, measures),
        "grade_probability": grade_probability(index),
        "infeasible": infeasible_runs(index, paths),
    }
    files = {}
    for name, frame in tables.items():
        files[name] = out / f"{name}.csv"
        write_atomic(files[name], frame.to_csv(index=False))
    files.update(write_plots(out, with_saving(index), tables, paths))
    counts = {str(k): int(v) for k, v in index["status"].value_counts().items()}
    meta = {"runs": len(index), "status": counts, "files": {k: v.name for k, v in files.items()}}
    write_atomic(out / "summary.json", json.dumps(meta, indent=1) + "\n")
    return files
