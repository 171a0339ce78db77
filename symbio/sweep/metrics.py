"""The numeric columns of a sweep index that are summarised, and the derived saving."""

from __future__ import annotations

import pandas as pd


def metric_columns(index: pd.DataFrame) -> list[str]:
    """The numeric result columns summarised as distributions."""
    fixed = ["objective_baseline", "objective_optimized", "saving", "score", "n_builds"]
    kpis = sorted(c for c in index.columns if c.startswith("kpi."))
    return [c for c in [*fixed, *kpis] if c in index.columns]


def with_saving(index: pd.DataFrame) -> pd.DataFrame:
    """Add ``saving`` = baseline − optimized objective."""
    out = index.copy()
    if {"objective_baseline", "objective_optimized"} <= set(out.columns):
        base = pd.to_numeric(out["objective_baseline"], errors="coerce")
        opt = pd.to_numeric(out["objective_optimized"], errors="coerce")
        out["saving"] = base - opt
    return out
