"""Read what a report needs from result directories, defensively.

A result directory is what ``symbio run FILE --out DIR`` writes: ``summary.json``, the result
tables as CSV and ``scenario.resolved.yaml``. Scores (``symbio score``), a Pareto front and a
MAC curve are optional. The result directory is read by the one reader,
:func:`symbio.resultdir.read_result_dir`, and its rule: only ``summary.json`` is required;
every table may be missing, and the briefing then says "not computed" for the sections
that need it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd

from symbio.errors import InputError, SymbioError
from symbio.flows.schema import Scenario
from symbio.resultdir import RESULT_TABLES, read_json, read_result_dir  # noqa: F401 - re-exported

#: Optional tables found beside (or under) a result directory.
EXTRA_TABLES: dict[str, tuple[str, ...]] = {
    "pareto": ("pareto.csv", "pareto/pareto.csv"),
    "macc": ("macc.csv", "macc/macc.csv", "pathways/macc.csv"),
    "cocontrol": ("cocontrol.csv", "macc/cocontrol.csv", "pathways/cocontrol.csv"),
}
SCORE_FILES = ("scores/scores.json", "scores.json")
T = TypeVar("T")
#: Tables ``symbio score`` writes beside ``scores.json``.
SCORE_TABLES = (
    "indicator_scores",
    "area_scores",
    "overall_scores",
    "weights",
    "consistency",
    "delphi_stats",
    "decoupling",
)


@dataclass
class ResultBundle:
    """One optimization result with everything a report reads from it.

    Attributes
    ----------
    path : Path
        The result directory.
    summary : dict
        ``summary.json`` as read.
    tables : dict[str, pandas.DataFrame]
        Result tables by name (only those present).
    scenario : Scenario | None
        The resolved scenario (``scenario.resolved.yaml``), for names, coordinates, provenance.
    scores : dict | None
        ``scores.json`` of ``symbio score``, when found.
    score_tables : dict[str, pandas.DataFrame]
        Every CSV next to ``scores.json`` by stem (``indicator_scores``, ``area_scores``,
        ``overall_scores``, ``weights``, ...).
    extras : dict[str, pandas.DataFrame]
        Optional ``pareto``, ``macc``, ``cocontrol`` tables.
    derived : dict
        Values computed from the above that every language shares (see :meth:`derive`).
    """

    path: Path
    summary: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    scenario: Scenario | None = None
    scenario_problem: str | None = None
    scores: dict | None = None
    score_tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    extras: dict[str, pd.DataFrame] = field(default_factory=dict)
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def derive(self, key: str, make: Callable[[], T]) -> T:
        """``make()``, computed once per bundle: for what the briefings in both languages and
        several sections read (net exchanges, score view). The value is shared: do not change it.
        """
        if key not in self.derived:
            self.derived[key] = make()
        return self.derived[key]  # type: ignore[return-value]

    def table(self, name: str) -> pd.DataFrame:
        """Return table ``name`` or an empty frame."""
        return self.tables.get(name, pd.DataFrame())

    def label(self, lang: str) -> str:
        """Display name of the scenario in ``lang``."""
        if self.scenario is not None:
            n = self.scenario.name
            return (n.zh or n.en) if lang == "zh" else n.en
        meta = (
            self.summary.get("scenario") if isinstance(self.summary.get("scenario"), dict) else {}
        )
        name = meta.get("name")
        if isinstance(name, dict):
            return str(name.get(lang) or name.get("en") or self.path.name)
        if lang == "zh" and meta.get("name_zh"):
            return str(meta["name_zh"])
        return str(name or self.path.name)

    @property
    def kpis(self) -> dict[str, float]:
        """Optimized park KPIs."""
        return _numbers(self.summary.get("kpis"))

    @property
    def baseline_kpis(self) -> dict[str, float]:
        """Baseline park KPIs."""
        return _numbers(self.summary.get("baseline_kpis"))

    @property
    def units(self) -> dict[str, str]:
        """Unit of each KPI."""
        units = self.summary.get("units")
        return {str(k): str(v) for k, v in units.items()} if isinstance(units, dict) else {}


def _numbers(d: object) -> dict[str, float]:
    out: dict[str, float] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            try:
                out[str(k)] = float(v)
            except (TypeError, ValueError):
                continue
    return out


def load_result(
    path: str | Path,
    *,
    scores: str | Path | None = None,
    extras: dict[str, str | Path | None] | None = None,
    scenario: Scenario | None = None,
) -> ResultBundle:
    """Read a result directory for a report.

    Parameters
    ----------
    path
        Directory written by ``symbio run``.
    scores
        Directory (or ``scores.json``) written by ``symbio score``; default: look for
        ``scores/scores.json`` or ``scores.json`` inside ``path``.
    extras
        Files (or the directories of ``symbio pareto`` / ``symbio measures`` holding them) for
        the optional ``pareto``, ``macc`` and ``cocontrol`` tables; default: look inside
        ``path``. A ``macc`` directory also gives ``cocontrol.csv``.
    scenario
        The scenario this result was solved from, still in memory (the pilot has it): taken
        instead of reading ``scenario.resolved.yaml`` again when its sha256 is the one
        ``summary.json`` records (see :func:`solved_scenario`); otherwise the file is read.

    Returns
    -------
    ResultBundle

    Raises
    ------
    InputError
        When ``path`` is not a directory or has no readable ``summary.json``, or a given
        optional file cannot be read.
    """
    path = Path(path)
    if not path.is_dir():
        raise InputError(str(path), "", "not a result directory (run `symbio run FILE --out DIR`)")
    files = read_result_dir(path)
    bundle = ResultBundle(path=path, summary=files.need_summary())
    bundle.tables.update(files.tables)
    _load_scenario(bundle, scenario)
    _load_scores(bundle, Path(scores) if scores else None)
    extras = dict(extras or {})
    macc_dir = Path(extras["macc"]) if extras.get("macc") else None
    if (
        not extras.get("cocontrol")
        and macc_dir is not None
        and (macc_dir / "cocontrol.csv").is_file()
    ):
        extras["cocontrol"] = macc_dir / "cocontrol.csv"  # `symbio measures` writes both
    for name, candidates in EXTRA_TABLES.items():
        given = Path(extras[name]) if extras.get(name) else None
        if given is not None:
            table = _read_csv(given / f"{name}.csv" if given.is_dir() else given, required=True)
        else:
            found = next((path / c for c in candidates if (path / c).is_file()), None)
            table = _read_csv(found) if found else None
        if table is not None:
            bundle.extras[name] = table
    return bundle


def _read_json(file: Path, required: bool = False) -> dict:
    if not required and not file.is_file():
        return {}
    return read_json(file)


def _read_csv(file: Path | None, required: bool = False) -> pd.DataFrame | None:
    """Scores and extras (not result tables): an empty file is an empty table."""
    if file is None or not file.is_file():
        if required:
            raise InputError(str(file), "", "file not found")
        return None
    try:
        return pd.read_csv(file)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (OSError, ValueError) as exc:
        raise InputError(str(file), "", f"cannot read CSV: {exc}") from None


def _load_scenario(bundle: ResultBundle, known: Scenario | None = None) -> None:
    file = bundle.path / "scenario.resolved.yaml"
    if not file.is_file():
        bundle.scenario_problem = "scenario.resolved.yaml missing"
        return
    from symbio.flows.load import load_scenario, set_origin

    bundle.scenario = solved_scenario(known, bundle.summary, file) if known else None
    if bundle.scenario is None:
        try:
            bundle.scenario = load_scenario(file)
        except SymbioError as exc:
            bundle.scenario_problem = str(exc)
            return
    uses = bundle.summary.get("factors")
    if isinstance(uses, list) and uses:
        # The resolved file holds the factors' numbers; the run's summary says which they were.
        set_origin(bundle.scenario, str(file), [u for u in uses if isinstance(u, dict)])


def solved_scenario(known: Scenario, summary: dict, file: Path) -> Scenario | None:
    """``known`` as :func:`~symbio.flows.load.load_scenario` reads it back from ``file`` (the
    ``scenario.resolved.yaml`` written from it), when ``summary`` records its sha256; else None.

    The resolved file holds what :func:`symbio.results.scenario_yaml` writes: ``known``'s
    values without ``extends`` and without empty ones, every factor as a number. Validating
    that same content again gives the scenario the file gives, with the same fields given
    (the provenance counts only those), without the YAML and the checks: most of what a
    briefing reads. Only an in-memory scenario is taken this way, never a file's content.
    """
    from symbio.flows.load import scenario_sha256, set_origin

    meta = summary.get("scenario")
    sha = meta.get("sha256") if isinstance(meta, dict) else None
    if not isinstance(sha, str) or scenario_sha256(known) != sha:
        return None
    written = known.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"extends"})
    scenario = Scenario.model_validate(written)
    set_origin(scenario, str(file), [])  # its numbers need no factor: none are named in it
    return scenario


def _load_scores(bundle: ResultBundle, given: Path | None) -> None:
    if given is not None:
        file = given if given.suffix == ".json" else given / "scores.json"
        bundle.scores = _read_json(file, required=True)
    else:
        file = next((bundle.path / c for c in SCORE_FILES if (bundle.path / c).is_file()), None)
        if file is None:
            return
        bundle.scores = _read_json(file)
    for stem in SCORE_TABLES:
        table = _read_csv(file.parent / f"{stem}.csv")
        if table is not None:
            bundle.score_tables[stem] = table


def kpi_rows(bundle: ResultBundle) -> list[dict]:
    """Baseline, optimized and change of every KPI: ``kpi, unit, baseline, optimized, change, pct``.

    Read from ``kpis.csv`` when present, else from ``summary.json``; the change is always
    ``optimized - baseline`` and ``pct`` its share of the baseline in % (NaN for a zero baseline).
    """
    rows: list[dict] = []
    kpis = bundle.table("kpis")
    if {"kpi", "baseline", "optimized"} <= set(kpis.columns):
        for r in kpis.itertuples(index=False):
            rows.append(
                {
                    "kpi": str(r.kpi),
                    "unit": str(getattr(r, "unit", "") or ""),
                    "baseline": float(r.baseline),
                    "optimized": float(r.optimized),
                }
            )
    else:
        base, opt, units = bundle.baseline_kpis, bundle.kpis, bundle.units
        for k in dict.fromkeys([*base, *opt]):
            rows.append(
                {
                    "kpi": k,
                    "unit": units.get(k, ""),
                    "baseline": base.get(k, math.nan),
                    "optimized": opt.get(k, math.nan),
                }
            )
    for row in rows:
        b, o = row["baseline"], row["optimized"]
        row["change"] = o - b
        row["pct"] = (o - b) / abs(b) * 100 if b and not math.isnan(b) else math.nan
        if row["unit"] in ("nan", "None"):
            row["unit"] = ""
    return rows
