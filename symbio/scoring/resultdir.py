"""Reading the KPIs that ``symbio run`` writes into a result directory.

The directory and its KPI tables are read by the one reader,
:func:`symbio.resultdir.read_result_dir` (its rule: ``summary.json`` required, tables
optional, what is present readable); this module only turns the KPIs into numbers:

- ``summary.json``: ``{"status", "scenario": {"name", "sha256"}, "kpis": {...},
  "baseline_kpis": {...}}`` -- park KPIs of the optimized case and of the baseline;
- ``kpis.csv`` (``kpi, unit, baseline, optimized, ...``) -- used when ``summary.json`` has
  no KPIs;
- ``site_kpis.csv`` (``site, kpi, unit, case, value``) -- per-enterprise KPIs (optional).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from symbio.errors import InputError
from symbio.resultdir import read_result_dir

__all__ = ["ResultKPIs", "kpis_from_mapping", "load_result_kpis"]

#: Solver statuses whose KPIs can be scored (a time-limited run has a feasible solution).
SCORABLE_STATUSES = {"optimal", "feasible", "time_limit", "gap_limit"}


@dataclass(frozen=True)
class ResultKPIs:
    """KPIs by case (``baseline``/``optimized``), per site, and provenance."""

    park: dict[str, dict[str, float | None]]
    sites: dict[str, dict[str, dict[str, float | None]]] = field(default_factory=dict)
    scenario: dict = field(default_factory=dict)
    status: str = ""
    source: str = "<kpis>"


def _number(raw: object, file: str, where: str) -> float | None:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    if isinstance(raw, bool):
        raise InputError(file, where, f"expected a number, got {raw!r}")
    try:
        return float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(file, where, f"expected a number, got {raw!r}") from None


def kpis_from_mapping(kpis: Mapping[str, object], case: str = "optimized") -> ResultKPIs:
    """Wrap a KPI mapping: ``{name: value}`` (one case) or ``{case: {name: value}}``."""
    if kpis and all(isinstance(v, Mapping) for v in kpis.values()):
        park = {
            str(c): {k: _number(v, "<kpis>", f"{c}.{k}") for k, v in d.items()}
            for c, d in kpis.items()
        }  # type: ignore[union-attr]
    else:
        park = {case: {str(k): _number(v, "<kpis>", str(k)) for k, v in kpis.items()}}
    return ResultKPIs(park=park)


def load_result_kpis(result_dir: str | Path) -> ResultKPIs:
    """Read park and site KPIs from a result directory.

    Parameters
    ----------
    result_dir : path
        Directory written by ``symbio run``.

    Returns
    -------
    ResultKPIs

    Raises
    ------
    InputError
        If the directory or its KPI files are missing or malformed (file and field named),
        or the run has no usable solution (``status``).
    """
    root = Path(result_dir)
    files = read_result_dir(root, tables=("kpis", "site_kpis"))
    summary, summary_path = files.summary, root / "summary.json"
    status = str(summary.get("status", ""))
    if status and status not in SCORABLE_STATUSES:
        raise InputError(str(summary_path), "status", f"cannot score a run with status {status!r}")
    park: dict[str, dict[str, float | None]] = {}
    for key, case in (("baseline_kpis", "baseline"), ("kpis", "optimized")):
        raw = summary.get(key)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise InputError(str(summary_path), key, "expected an object {kpi: value}")
        park[case] = {str(k): _number(v, str(summary_path), f"{key}.{k}") for k, v in raw.items()}
    if not park:
        park = _kpis_table(files.tables.get("kpis"), root / "kpis.csv", summary_path)
    sites = _site_kpis_table(files.tables.get("site_kpis"), root / "site_kpis.csv")
    scenario = summary.get("scenario") if isinstance(summary.get("scenario"), dict) else {}
    return ResultKPIs(park=park, sites=sites, scenario=scenario, status=status, source=str(root))


def _columns(df: pd.DataFrame, path: Path, columns: list[str]) -> pd.DataFrame:
    for col in columns:
        if col not in df.columns:
            raise InputError(str(path), col, f"missing column; found {list(df.columns)}")
    return df


def _kpis_table(
    df: pd.DataFrame | None, path: Path, summary_path: Path
) -> dict[str, dict[str, float | None]]:
    if df is None:
        raise InputError(str(summary_path), "kpis", f"no KPIs in summary.json and no {path.name}")
    df = _columns(df, path, ["kpi", "baseline", "optimized"])
    out: dict[str, dict[str, float | None]] = {"baseline": {}, "optimized": {}}
    cols = (df[c].tolist() for c in ("kpi", "baseline", "optimized"))
    for k, (kpi, *values) in enumerate(zip(*cols, strict=True)):
        for case, v in zip(("baseline", "optimized"), values, strict=True):
            out[case][str(kpi)] = _number(v, str(path), f"row {k + 1}.{case}")
    return out


def _site_kpis_table(
    df: pd.DataFrame | None, path: Path
) -> dict[str, dict[str, dict[str, float | None]]]:
    if df is None:
        return {}
    df = _columns(df, path, ["site", "kpi", "case", "value"])
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    cols = (df[c].tolist() for c in ("case", "site", "kpi", "value"))
    for k, (case, site, kpi, v) in enumerate(zip(*cols, strict=True)):
        value = _number(v, str(path), f"row {k + 1}.value")
        out.setdefault(str(case), {}).setdefault(str(site), {})[str(kpi)] = value
    return out
