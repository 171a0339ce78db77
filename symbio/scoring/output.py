"""Writing :class:`~symbio.scoring.pipeline.Scores` to a directory, atomically.

Files: ``scores.json`` (overall results, grades, method record), ``indicator_scores.csv``
(values, availability, memberships, weights), ``area_scores.csv``, ``overall_scores.csv``,
``weights.csv``, ``consistency.csv`` and, when present, ``repairs.csv``,
``delphi_stats.csv``, ``delphi_concordance.csv``, ``decoupling.csv``.

Everything is written into a temporary directory next to the target, which then replaces
the target in one atomic exchange (:func:`symbio.outdir.replace_dir`); a failed write leaves the previous output untouched.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from symbio.outdir import replace_dir
from symbio.scoring.pipeline import Scores

__all__ = ["scores_to_json", "write_scores"]

_TABLES = {
    "indicator_scores.csv": "indicators",
    "area_scores.csv": "areas",
    "overall_scores.csv": "overall",
    "weights.csv": "weights",
    "consistency.csv": "consistency",
    "repairs.csv": "repairs",
    "delphi_stats.csv": "delphi",
    "delphi_concordance.csv": "delphi_concordance",
    "decoupling.csv": "decoupling",
}


def _clean(obj: object) -> object:
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, Path):
        return str(obj)
    return obj


def scores_to_json(scores: Scores) -> dict:
    """Return the JSON document written as ``scores.json``.

    Keys: ``grades`` (per level, case and entity: score, fuzzy grades, composite rating and
    indices), ``not_available`` (indicators without a value and why), ``weights``
    (global weights and the source and nature of the judgments), ``consistency``,
    ``method``.
    """
    grades: dict = {}
    for row in scores.overall.to_dict("records"):
        grades.setdefault(row["level"], {}).setdefault(row["case"], {})[row["entity"]] = {
            k: row.get(k)
            for k in (
                "score",
                "grade_max_membership",
                "grade_by_score",
                "composite_rating",
                "Y_I",
                "Y_II",
                "Y_III",
                "n_available",
                "n_indicators",
                "below_iii",
            )
        }
    na = scores.indicators
    not_available = (
        na.loc[~na["available"], ["level", "entity", "case", "indicator", "reason"]].to_dict(
            "records"
        )
        if len(na)
        else []
    )
    wmethod = scores.method.get("weights", {})
    note = (
        "Weights come from ILLUSTRATIVE EXAMPLE judgments, not survey data."
        if wmethod.get("illustrative")
        else "Weights come from the judgments or weights file named in 'source'."
    )
    if scores.method.get("delphi", {}).get("illustrative"):
        note += " The Delphi screening used an ILLUSTRATIVE EXAMPLE score sheet, not survey data."
    doc = {
        "grades": grades,
        "not_available": not_available,
        "weights": {
            "note": note,
            "source": wmethod.get("source"),
            "global": scores.weights.to_dict("records"),
        },
        "consistency": scores.consistency.to_dict("records"),
        "method": scores.method,
    }
    return _clean(doc)  # type: ignore[return-value]


def write_scores(scores: Scores, out_dir: str | Path, *, force: bool = False) -> Path:
    """Write all tables and ``scores.json`` into ``out_dir``, replacing it atomically.

    Parameters
    ----------
    scores : Scores
    out_dir : path
        Target directory; created (with parents) or replaced atomically. A non-empty
        directory symbio did not write is refused unless ``force``.

    Returns
    -------
    pathlib.Path
        The output directory.
    """

    def fill(tmp: Path) -> None:
        for name, attr in _TABLES.items():
            df: pd.DataFrame = getattr(scores, attr)
            if df is not None and len(df.columns):
                df.to_csv(tmp / name, index=False)
        with open(tmp / "scores.json", "w", encoding="utf-8") as fh:
            json.dump(scores_to_json(scores), fh, ensure_ascii=False, indent=2)

    return replace_dir(out_dir, fill, kind="scores", force=force)
