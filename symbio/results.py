"""Result: the tables, KPIs, solver outcomes and provenance of one run (baseline + optimized).

A result directory holds::

    summary.json            status, objective, kpis, baseline_kpis, savings, savings_gap,
                            solver, timings, scenario {name, file, sha256}, symbio_version,
                            units
    kpis.csv                kpi, unit, baseline, optimized, saving, saving_pct
    site_kpis.csv           site, kpi, unit, case, value
    <table>.csv             flows, builds, process_activity, purchases, sales, disposal,
                            site_balances, emissions (each with a ``case`` column)
    scenario.resolved.yaml  the scenario as solved (extends merged, factors resolved)

``saving = baseline - optimized`` for every KPI (positive: the optimized network has less
of it) and ``saving_pct = 100 * saving / |baseline|``. :meth:`Result.write` writes
atomically: into a temporary directory beside the target, then swapped into place.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from symbio.flows.yamldump import dump_yaml_parts
from symbio.outdir import MARKER, marker_bytes, replace_dir
from symbio.result_tables import JoinedTables, frame_csv
from symbio.resultdir import OPTIONAL_TABLES, TABLE_NAMES, read_result_dir
from symbio.solvers.outcome import SolveOutcome

CASES = ("baseline", "optimized")
KPI_COLUMNS = ["kpi", "unit", "baseline", "optimized", "saving", "saving_pct"]
SITE_KPI_COLUMNS = ["site", "kpi", "unit", "case", "value"]
#: What a result directory's marker file says it holds.
KIND = "result"
_NO_TABLE = pd.DataFrame(columns=["case"])


def _clean(x: object) -> object:
    """JSON-safe value: NaN and infinities become None, numpy scalars plain numbers."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, str):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def compare_kpis(park: dict[str, dict[str, float]], units: dict[str, str]) -> pd.DataFrame:
    """KPI table of both cases with absolute and relative savings.

    Parameters
    ----------
    park
        ``{case: {kpi: value}}``; a missing case gives NaN.
    units
        ``{kpi: unit}``.
    """
    names = list(dict.fromkeys([*park.get("optimized", {}), *park.get("baseline", {})]))
    rows = []
    for k in names:
        b = park.get("baseline", {}).get(k, math.nan)
        o = park.get("optimized", {}).get(k, math.nan)
        saving = b - o
        pct = 100.0 * saving / abs(b) if b and math.isfinite(b) and abs(b) > 1e-12 else math.nan
        rows.append((k, units.get(k, ""), b, o, saving, pct))
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


@dataclass(frozen=True)
class Result:
    """Everything one run produced.

    Attributes
    ----------
    tables : Mapping[str, DataFrame]
        Planner tables, each with a ``case`` column (baseline, optimized); a just-solved
        result's joins the cases' tables when one is read
        (:class:`~symbio.result_tables.JoinedTables`).
    kpis : DataFrame
        ``kpi, unit, baseline, optimized, saving, saving_pct``.
    site_kpis : DataFrame
        ``site, kpi, unit, case, value``.
    outcomes : dict[str, SolveOutcome]
        Solver outcome per case.
    provenance : dict
        ``scenario`` {name, file, sha256}, ``symbio_version``, ``solver`` {name, version},
        ``timings`` {case: {build, handover, solve, load, tables}}, ``objective``
        {name, value, baseline_value}, ``savings_gap`` (bounds on the objective's saving
        from both MIP gaps, :func:`symbio.savings.savings_gap`), ``factors`` used, ``notes``.
    scenario_yaml : str
        The resolved scenario (written as ``scenario.resolved.yaml``); see
        :meth:`resolved_yaml`.
    extra : dict
        Further summary entries (``baseline_diagnosis``).
    scenario : Scenario or None
        The solved scenario, when the result was just solved: its YAML is made only when the
        result is written (a sweep's plan runs are never written).
    """

    tables: Mapping[str, pd.DataFrame]
    kpis: pd.DataFrame
    site_kpis: pd.DataFrame
    outcomes: dict[str, SolveOutcome]
    provenance: dict
    scenario_yaml: str = ""
    extra: dict = field(default_factory=dict)
    scenario: object | None = field(default=None, repr=False, compare=False)

    def resolved_yaml(self) -> str:
        """The resolved scenario as YAML (made from :attr:`scenario` when not given)."""
        if self.scenario_yaml or self.scenario is None:
            return self.scenario_yaml
        return scenario_yaml(self.scenario)

    @property
    def status(self) -> str:
        """Status of the optimized case."""
        out = self.outcomes.get("optimized")
        return str(out.status) if out else "error"

    def kpi(self, name: str, case: str = "optimized") -> float:
        """Value of one park KPI."""
        row = self.kpis.loc[self.kpis["kpi"] == name]
        if row.empty:
            raise KeyError(f"no KPI {name!r}; available: {', '.join(self.kpis['kpi'])}")
        return float(row[case].iloc[0])

    def summary(self) -> dict:
        """The content of ``summary.json``."""
        # read by column, without an indexed frame: each value as ``to_dict`` boxes it (as
        # ``set_index("kpi")[col].to_dict()`` did), savings as listed; a repeated KPI: the
        # last row counts, as there
        k = {c: list(self.kpis[c].to_dict().values()) for c in ("optimized", "baseline", "unit")}
        k |= {c: self.kpis[c].tolist() for c in ("saving", "saving_pct")}
        names = self.kpis["kpi"].tolist()
        opt = self.outcomes.get("optimized")
        return _clean(
            {
                "status": self.status,
                "message": opt.message if opt else "",
                "objective": self.provenance.get("objective", {}),
                "kpis": dict(zip(names, k["optimized"], strict=True)),
                "baseline_kpis": dict(zip(names, k["baseline"], strict=True)),
                "savings": {
                    n: {"abs": a, "pct": pct}
                    for n, a, pct in zip(names, k["saving"], k["saving_pct"], strict=True)
                },
                "savings_gap": self.provenance.get("savings_gap"),
                "solver": {
                    "name": self.provenance.get("solver", {}).get("name", "highs"),
                    "version": self.provenance.get("solver", {}).get("version", ""),
                    "status": {c: str(o.status) for c, o in self.outcomes.items()},
                    "termination": {c: o.termination for c, o in self.outcomes.items()},
                    "gap": {c: o.gap for c, o in self.outcomes.items()},
                    "seconds": {c: o.timings.get("solve", 0.0) for c, o in self.outcomes.items()},
                    "outcomes": {c: o.as_dict() for c, o in self.outcomes.items()},
                },
                "timings": self.provenance.get("timings", {}),
                "scenario": self.provenance.get("scenario", {}),
                "symbio_version": self.provenance.get("symbio_version", ""),
                "units": dict(zip(names, k["unit"], strict=True)),
                "notes": self.provenance.get("notes", []),
                "audit": self.provenance.get("audit"),
                "canonical_flows": self.provenance.get("canonical_flows"),
                **(
                    {"baseline_diagnosis": self.extra["baseline_diagnosis"]}
                    if "baseline_diagnosis" in self.extra
                    else {}
                ),
                "factors": self.provenance.get("factors", []),
            }
        )

    def write(self, directory: str | os.PathLike, *, force: bool = False) -> Path:
        """Write the result directory atomically and return its path.

        The files are written beside the target and swapped in with one atomic exchange
        (:func:`symbio.outdir.replace_dir`); leftovers of a killed earlier write are
        restored or removed first.

        Raises
        ------
        InputError
            When ``directory`` exists and is neither empty nor written by symbio (unless
            ``force``), or cannot be written (the path named).
        """
        return replace_dir(directory, self._write_files, kind=KIND, force=force)

    def directory_files(self) -> dict[str, bytes]:
        """Every file :meth:`write` puts in the result directory (name -> bytes), marker too.

        Serialized once, in memory: a sweep's worker hands them to the sweep's writer
        without writing and reading them back.
        """
        texts = {
            "summary.json": json.dumps(self.summary(), indent=2, ensure_ascii=False),
            "kpis.csv": frame_csv(self.kpis),
            "site_kpis.csv": frame_csv(self.site_kpis),
            **{f"{name}.csv": self._table_csv(name) for name in TABLE_NAMES},
            "scenario.resolved.yaml": self.resolved_yaml(),
        }
        return {**{k: v.encode("utf-8") for k, v in texts.items()}, MARKER: marker_bytes(KIND)}

    def _table_csv(self, name: str) -> str:
        """CSV text of table ``name`` (``to_csv(index=False)``; a missing table: ``case``)."""
        if isinstance(self.tables, JoinedTables) and name in self.tables:
            return self.tables.csv(name)  # from the cases' columns when it can
        return frame_csv(self.tables.get(name, _NO_TABLE))

    def _write_files(self, d: Path) -> None:
        for name, data in self.directory_files().items():
            if name != MARKER:  # replace_dir writes it
                (d / name).write_bytes(data)


def read_result(directory: str | os.PathLike) -> Result:
    """Load a result directory written by :meth:`Result.write` (:mod:`symbio.resultdir`).

    Raises
    ------
    InputError
        When the directory has no readable ``summary.json`` or a table is missing or
        unreadable.
    """
    files = read_result_dir(directory)
    summary = files.need_summary()
    tables = {
        name: files.table(name)
        for name in TABLE_NAMES
        if name not in OPTIONAL_TABLES or name in files.tables
    }
    kpis, site_kpis = files.table("kpis"), files.table("site_kpis")
    outcomes = {
        c: SolveOutcome.from_dict(o)
        for c, o in summary.get("solver", {}).get("outcomes", {}).items()
    }
    provenance = {
        "scenario": summary.get("scenario", {}),
        "symbio_version": summary.get("symbio_version", ""),
        "solver": {
            "name": summary.get("solver", {}).get("name"),
            "version": summary.get("solver", {}).get("version"),
        },
        "timings": summary.get("timings", {}),
        "objective": summary.get("objective", {}),
        "savings_gap": summary.get("savings_gap"),
        "notes": summary.get("notes", []),
        "factors": summary.get("factors", []),
        "audit": summary.get("audit"),
        "canonical_flows": summary.get("canonical_flows"),
    }
    extra = (
        {"baseline_diagnosis": summary["baseline_diagnosis"]}
        if "baseline_diagnosis" in summary
        else {}
    )
    return Result(tables, kpis, site_kpis, outcomes, provenance, files.scenario_yaml or "", extra)


def scenario_yaml(scenario: object) -> str:
    """The resolved scenario as YAML (aliases such as ``from`` kept, empty values left out)."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"extends"})
    return dump_yaml_parts(data)
