"""Compare several scenarios: ``symbio compare FILE_OR_RESULT_DIR... --out DIR``.

Each input is a scenario file (solved here, like ``symbio run``, and written to
``DIR/runs/<name>/``) or a result directory of ``symbio run`` (read). Each result is scored
with the cleaner-production indicator system (:func:`symbio.scoring.score_result`, bundled
library and ILLUSTRATIVE judgments unless told otherwise). The comparison table has one row
per scenario, ranked:

``rank, scenario, source, status, gap, score, grade, grade_max_membership, composite_rating,
score_baseline, n_builds, builds`` and for every KPI ``<kpi>`` (optimized), ``<kpi>__saving``
and ``<kpi>__saving_pct`` (against the scenario's **own** baseline).

Ranking: by indicator score (highest first), then by the saving of total cost; a scenario
without a score (scoring skipped or failed) ranks after those with one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from symbio.errors import InputError, SymbioError

__all__ = ["CompareEntry", "compare", "compare_table", "kpi_long_table", "write_compare"]

#: KPIs shown in the console summary, when present.
HEADLINE_KPIS = ("total_cost_cny", "co2_t", "co2e_t", "energy_tce")


@dataclass
class CompareEntry:
    """One scenario of a comparison.

    Attributes
    ----------
    name : str
        Label of the scenario in the table (unique within a comparison).
    source : str
        The file or result directory it came from.
    result : Result
        The run (baseline and optimized).
    scores : dict or None
        ``Scores.grade("park", case)`` for ``optimized`` (and ``baseline`` under key
        ``baseline``), or None when not scored.
    result_dir : Path or None
        Where the result is on disk.
    note : str
        Why it has no score, if so.
    """

    name: str
    source: str
    result: object
    scores: dict | None = None
    result_dir: Path | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def _built(result: object) -> list[str]:
    b = result.tables.get("builds")  # type: ignore[attr-defined]
    if b is None or b.empty:
        return []
    sel = b[(b["case"] == "optimized") & b["candidate"].astype(bool) & b["built"].astype(bool)]
    return sorted(map(str, sel["id"]))


def compare_table(entries: Sequence[CompareEntry]) -> pd.DataFrame:
    """Assemble the ranked comparison table (see the module docstring)."""
    rows = []
    for e in entries:
        r = e.result
        out = r.outcomes.get("optimized")  # type: ignore[attr-defined]
        sc = e.scores or {}
        builds = _built(r)
        row: dict[str, object] = {
            "scenario": e.name,
            "source": e.source,
            "status": r.status,  # type: ignore[attr-defined]
            "gap": out.gap if out is not None and out.gap is not None else math.nan,
            "score": sc.get("score", math.nan),
            "grade": sc.get("grade_by_score") or "",
            "grade_max_membership": sc.get("grade_max_membership") or "",
            "composite_rating": sc.get("composite_rating") or "",
            "score_baseline": (sc.get("baseline") or {}).get("score", math.nan),
            "n_builds": len(builds),
            "builds": ";".join(builds),
        }
        kpis = r.kpis  # type: ignore[attr-defined]
        cells = kpis[["kpi", "optimized", "saving", "saving_pct"]].to_numpy(dtype=object)
        for kpi, optimized, saving, saving_pct in cells.tolist():  # iterrows' values, at once
            row[kpi] = optimized
            row[f"{kpi}__saving"] = saving
            row[f"{kpi}__saving_pct"] = saving_pct
        if e.note:
            row["note"] = e.note
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    cost_saving = table.get("total_cost_cny__saving", pd.Series(math.nan, index=table.index))
    order = pd.DataFrame(
        {
            "has": table["score"].notna(),
            "score": table["score"].fillna(-math.inf),
            "cost": cost_saving.fillna(-math.inf),
        }
    )
    idx = order.sort_values(["has", "score", "cost"], ascending=False, kind="stable").index
    table = table.loc[idx].reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def kpi_long_table(entries: Sequence[CompareEntry]) -> pd.DataFrame:
    """KPIs of every scenario in long form: ``scenario, kpi, unit, baseline, optimized, saving, saving_pct``."""
    frames = []
    for e in entries:
        k = e.result.kpis.copy()  # type: ignore[attr-defined]
        k.insert(0, "scenario", e.name)
        frames.append(k)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _unique(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_.\-]+", "-", name).strip("-") or "scenario"
    out, i = base, 2
    while out in taken:
        out, i = f"{base}-{i}", i + 1
    taken.add(out)
    return out


def _park_grade(scores: object) -> dict:
    out = dict(scores.grade("park", "optimized"))  # type: ignore[attr-defined]
    try:
        out["baseline"] = dict(scores.grade("park", "baseline"))  # type: ignore[attr-defined]
    except KeyError:
        out["baseline"] = {}
    return out


def compare(
    sources: Sequence[str | Path],
    out: str | Path,
    *,
    objective: str | None = None,
    options: object | None = None,
    time_limit: float | None = None,
    mip_gap: float | None = None,
    score: bool = True,
    score_kwargs: Mapping[str, object] | None = None,
    solve: Callable[[object], object] | None = None,
    scored: Mapping[Path, object] | None = None,
    results: Mapping[Path, object] | None = None,
) -> tuple[pd.DataFrame, list[CompareEntry]]:
    """Run or read each source, score it and build the comparison table.

    Parameters
    ----------
    sources
        Scenario files and/or result directories of ``symbio run``.
    out
        Output directory; solved scenarios are written to ``out/runs/<name>/``.
    objective
        Objective of the scenarios solved here (default: each scenario's).
    options
        :class:`~symbio.solvers.options.SolverOptions` for the scenarios solved here
        (default: each scenario's ``solver:`` settings).
    time_limit, mip_gap
        Override the time limit and MIP gap of each scenario's settings.
    score
        Score each result (``symbio score``) and rank by the score.
    score_kwargs
        Keyword arguments of :func:`symbio.scoring.score_result` (library, weights, methods).
    solve
        ``solve(scenario_file) -> Result`` instead of :func:`symbio.run.solve`.
    scored
        Scores already computed with ``score_kwargs`` for some result directories (the main
        job scores each run as it writes it): used instead of scoring those again.
    results
        Results still in memory for some result directories, each the one written there
        (the main job's runs): used instead of reading them back (the same table).

    Returns
    -------
    (pandas.DataFrame, list[CompareEntry])
        The ranked table and the entries.

    Raises
    ------
    InputError
        When a source is neither a scenario file nor a result directory.
    """
    # Long: the docstring documents parameters (32 lines); the code is 37.
    from symbio.results import read_result

    if solve is None:
        from symbio.run import solve as run_solve

        def solve(src: object) -> object:
            return run_solve(  # type: ignore[arg-type]
                src, objective, options=options, time_limit=time_limit, mip_gap=mip_gap
            )

    out = Path(out)
    taken: set[str] = set()
    entries: list[CompareEntry] = []
    for src in map(Path, sources):
        if src.is_dir():
            result = (results or {}).get(src) or read_result(src)
            label = result.provenance.get("scenario", {}).get("name") or src.name
            entry = CompareEntry(_unique(src.name, taken), str(src), result, result_dir=src)
            entry.extra["label"] = label
        elif src.is_file():
            result = solve(src)
            name = _unique(src.stem, taken)
            target = result.write(out / "runs" / name)  # type: ignore[attr-defined]
            entry = CompareEntry(name, str(src), result, result_dir=target)
        else:
            raise InputError(str(src), "", "neither a scenario file nor a result directory")
        if score:
            from symbio.scoring import score_result

            try:
                known = (scored or {}).get(Path(entry.result_dir))
                if known is None:
                    known = score_result(entry.result_dir, **dict(score_kwargs or {}))
                entry.scores = _park_grade(known)
            except (SymbioError, KeyError) as exc:
                entry.note = f"not scored: {exc}"
        entries.append(entry)
    return compare_table(entries), entries


def write_compare(
    table: pd.DataFrame, entries: Sequence[CompareEntry], out: str | Path
) -> dict[str, Path]:
    """Write ``compare.csv`` (ranked, one row per scenario) and ``compare_kpis.csv`` (long)."""
    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    files = {"table": d / "compare.csv", "kpis": d / "compare_kpis.csv"}
    for key, df in (("table", table), ("kpis", kpi_long_table(entries))):
        tmp = files[key].with_name(f".{files[key].name}.tmp")
        df.to_csv(tmp, index=False)
        tmp.replace(files[key])
    return files
