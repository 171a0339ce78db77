"""Reading Delphi score sheets (CSV or YAML) and the experts' self-assessment."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from symbio.errors import InputError
from symbio.scoring.csvfile import read_input_csv
from symbio.scoring.yamlfile import safe_load

__all__ = ["load_delphi"]


def load_delphi(
    path: str | Path, experts_path: str | Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Read a Delphi score sheet (CSV or YAML) and the experts' self-assessment.

    Parameters
    ----------
    path : path
        CSV with columns ``round, expert, indicator, score`` (``#`` starts a comment line),
        or YAML with ``scores:`` (list of such records) and optionally ``experts:``
        (records ``expert, ca, cs``).
    experts_path : path, optional
        CSV with ``expert, ca, cs``. For a CSV sheet ``<stem>_experts.csv`` beside it is
        used when present.

    Returns
    -------
    (scores, experts)
        ``experts`` is ``None`` when no self-assessment is available.

    Raises
    ------
    InputError
        Naming the file and the column or record that is wrong.
    """
    path = Path(path)
    experts = None
    if not path.is_file():
        raise InputError(str(path), "", "Delphi score sheet not found")
    if path.suffix.lower() in (".yaml", ".yml"):
        doc = safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(doc, dict) or not isinstance(doc.get("scores"), list):
            raise InputError(
                str(path), "scores", "expected a list of {round, expert, indicator, score}"
            )
        scores = pd.DataFrame(doc["scores"])
        if doc.get("experts"):
            experts = _check_experts(pd.DataFrame(doc["experts"]), str(path))
    else:
        scores = _read_csv(path)
        if experts_path is None:
            candidate = path.with_name(f"{path.stem}_experts.csv")
            experts_path = candidate if candidate.is_file() else None
    if experts_path is not None:
        experts = _check_experts(_read_csv(Path(experts_path)), str(experts_path))
    return _check_scores(scores, str(path)), experts


def _read_csv(path: Path) -> pd.DataFrame:
    return read_input_csv(path, comment="#", skipinitialspace=True)


def _check_columns(df: pd.DataFrame, cols: Sequence[str], file: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(file, missing[0], f"missing column(s) {missing}; found {list(df.columns)}")


def _check_scores(df: pd.DataFrame, file: str) -> pd.DataFrame:
    _check_columns(df, ["round", "expert", "indicator", "score"], file)
    for col in ("round", "score"):
        num = pd.to_numeric(df[col], errors="coerce")
        bad = df.index[num.isna()]
        if len(bad):
            raise InputError(
                file,
                f"row {int(bad[0]) + 1}.{col}",
                f"expected a number, got {df.loc[bad[0], col]!r}",
            )
        df[col] = num
    df["round"] = df["round"].astype(int)
    df["expert"] = df["expert"].astype(str)
    df["indicator"] = df["indicator"].astype(str)
    dup = df.duplicated(["round", "expert", "indicator"])
    if dup.any():
        r = df[dup].iloc[0]
        raise InputError(
            file,
            f"row {int(df.index[dup][0]) + 1}",
            f"duplicate score for round {r['round']}, "
            f"expert {r['expert']}, indicator {r['indicator']}",
        )
    return df[["round", "expert", "indicator", "score"]]


def _check_experts(df: pd.DataFrame, file: str) -> pd.DataFrame:
    if "id" in df.columns and "expert" not in df.columns:
        df = df.rename(columns={"id": "expert"})
    _check_columns(df, ["expert", "ca", "cs"], file)
    for col in ("ca", "cs"):
        num = pd.to_numeric(df[col], errors="coerce")
        bad = df.index[num.isna() | (num < 0) | (num > 1)]
        if len(bad):
            raise InputError(
                file,
                f"row {int(bad[0]) + 1}.{col}",
                f"expected a number in 0..1, got {df.loc[bad[0], col]!r}",
            )
        df[col] = num
    df["expert"] = df["expert"].astype(str)
    return df
