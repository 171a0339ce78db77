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
    """``obj`` as JSON-ready values: str keys, lists, Python numbers, None for NaN/inf."""
    kind = type(obj)
    if kind is str or kind is int or kind is bool or obj is None:  # the most common first
        return obj
    if kind is float:
        return obj if math.isfinite(obj) else None
    if kind is dict:
        return {str(k): _clean(v) for k, v in obj.items()}
    if kind is list:
        return [_clean(v) for v in obj]
    return _clean_other(obj)


def _clean_other(obj: object) -> object:
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


def _records(df: pd.DataFrame) -> list[dict]:
    """``df.to_dict("records")`` after :func:`_clean`: the same values, about 5x faster.

    pandas boxes each cell of each row (``maybe_box_native``); ``to_numpy(dtype=object)``
    turns each column into Python values at once (float, int, bool; a string or object
    column's cells as they are, which :func:`_clean` turns into JSON values like pandas'
    boxed ones). Duplicate column names: the last one wins, as in pandas.
    """
    names = list(df.columns)
    return [dict(zip(names, row, strict=True)) for row in df.to_numpy(dtype=object).tolist()]


def scores_to_json(scores: Scores) -> dict:
    """Return the JSON document written as ``scores.json``.

    Keys: ``grades`` (per level, case and entity: score, fuzzy grades, composite rating and
    indices), ``not_available`` (indicators without a value and why), ``weights``
    (global weights and the source and nature of the judgments), ``consistency``,
    ``method``.
    """
    grades: dict = {}
    for row in _records(scores.overall):
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
        _records(na.loc[~na["available"], ["level", "entity", "case", "indicator", "reason"]])
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
            "global": _records(scores.weights),
        },
        "consistency": _records(scores.consistency),
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
        text = json.dumps(scores_to_json(scores), ensure_ascii=False, indent=2)  # one write
        (tmp / "scores.json").write_text(text, encoding="utf-8")

    return replace_dir(out_dir, fill, kind="scores", force=force)
