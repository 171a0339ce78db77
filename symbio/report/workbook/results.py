"""Every result table in one Excel workbook: one sheet per table, units in the headers.

``write_result_workbook(bundles, path)`` writes ``summary`` (the run's summary.json as
field/value rows), then ``kpis``, ``site_kpis``, ``flows``, ``builds``, ``process_activity``,
``purchases``, ``sales``, ``disposal``, ``site_balances``, ``emissions`` and, when present, the
score tables, ``pareto`` and ``macc``. With several results, each sheet gets a leading
``scenario`` column and holds the rows of all of them.

Headers read "name (unit)" in the chosen language (``Capex (CNY)``, ``投资 (元)``); where the
unit differs from row to row (an ``amount`` of several resources), a ``unit`` column is added
next to ``resource`` (taken from the scenario) and the header has no unit; prices are CNY per
unit of the resource. Numbers get a format per column, columns are fitted to their content,
and a ``definitions`` sheet says what each indicator means (:mod:`.layout`). Cells that would
start a formula are kept as text (``keep_text``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl.styles import Font, PatternFill

from symbio.fileio import atomic_file
from symbio.flows.schema import SPECIES
from symbio.flows.xlsx.layout import keep_text
from symbio.report.bundle import RESULT_TABLES, ResultBundle
from symbio.report.labels import Lang
from symbio.report.workbook.layout import definitions, fit, header

#: Column -> unit, for columns whose unit is fixed.
FIXED_UNITS: dict[str, str] = {
    "capex_cny": "CNY",
    "annualised_cny": "CNY/a",
    "amount_t": "t",
    "saving_pct": "%",
    "utilisation": "share of capacity",
    "seconds": "s",
    "cost_cny_per_t": "CNY/t",
    "mac_cny_per_t": "CNY/t CO2",
    "co2_avoided": "t CO2/a",
    "abatement_t": "t CO2/a",
    "delta_cost": "CNY/a",
    "length_km": "km",
    "cost": "CNY/a",
    "energy": "tce/a",
    "co2": "t CO2/a",
}
#: Suffix -> unit, tried in order when a column is not in FIXED_UNITS.
SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_cny_per_t", "CNY/t"),
    ("_cny_a", "CNY/a"),
    ("_cny", "CNY"),
    ("_tce", "tce"),
    ("_t", "t"),
    ("_km", "km"),
    ("_pct", "%"),
)
#: Columns whose unit is given row by row in the ``unit`` column.
PER_ROW = ("baseline", "optimized", "saving", "amount", "value", "in", "out", "activity")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def column_unit(column: str, has_unit_column: bool) -> str | None:
    """The unit shown in a column's header (``see unit`` when it varies by row)."""
    if column in FIXED_UNITS:
        return FIXED_UNITS[column]
    if has_unit_column and column in PER_ROW:
        return "see unit"
    if column.startswith("delta_") and column.removeprefix("delta_") in SPECIES:
        return "t/a"
    for suffix, unit in SUFFIX_UNITS:
        if column.endswith(suffix):
            return unit
    return None


def with_units(df: pd.DataFrame, bundle: ResultBundle, lang: Lang = "en") -> pd.DataFrame:
    """Add a ``unit`` column where amounts of several resources share a column; label headers."""
    df = df.copy()
    sc = bundle.scenario
    if "unit" not in df.columns and sc is not None:
        if "resource" in df.columns and any(c in df.columns for c in PER_ROW):
            units = {r.id: r.unit for r in sc.resources}
            df.insert(
                list(df.columns).index("resource") + 1,
                "unit",
                df["resource"].astype(str).map(units),
            )
        elif "process" in df.columns and "activity" in df.columns:
            units = {p.id: p.activity_unit for p in sc.processes}
            df.insert(
                list(df.columns).index("process") + 1, "unit", df["process"].astype(str).map(units)
            )
    has_unit = "unit" in df.columns
    units = df["unit"].dropna().astype(str).unique() if has_unit else []
    row_unit = str(units[0]) if len(units) == 1 else ""
    names = {c: header(str(c), column_unit(str(c), has_unit), lang, row_unit) for c in df.columns}
    return df.rename(columns=names)


def summary_rows(summary: dict, prefix: str = "") -> list[tuple[str, object]]:
    """Flatten summary.json into (dotted field, value) rows."""
    rows: list[tuple[str, object]] = []
    for k, v in summary.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            rows += summary_rows(v, key + ".")
        elif isinstance(v, list):
            rows.append((key, ", ".join(map(str, v))))
        else:
            rows.append((key, v))
    return rows


def result_sheets(
    bundles: Sequence[ResultBundle], labels: Sequence[str], lang: Lang = "en"
) -> dict[str, pd.DataFrame]:
    """The sheets of the result workbook, in order."""
    sheets: dict[str, pd.DataFrame] = {}
    summary: dict[str, dict] = {}
    for lb, b in zip(labels, bundles, strict=True):
        for k, v in summary_rows(b.summary):
            summary.setdefault(k, {})[lb] = v
    sheets["summary"] = pd.DataFrame(
        [{"field": k, **vals} for k, vals in summary.items()], columns=["field", *labels]
    )
    names = [*RESULT_TABLES]
    extra = list(dict.fromkeys(n for b in bundles for n in (*b.score_tables, *b.extras)))
    for name in [*names, *(n for n in extra if n not in names)]:
        parts = []
        for lb, b in zip(labels, bundles, strict=True):
            df = b.tables.get(name, b.score_tables.get(name, b.extras.get(name)))
            if df is None:
                continue
            df = with_units(df, b, lang)
            if len(bundles) > 1:
                df.insert(0, header("scenario", None, lang), lb)
            parts.append(df)
        if parts:
            sheets[name[:31]] = pd.concat(parts, ignore_index=True)
    return sheets


def write_result_workbook(
    bundles: Sequence[ResultBundle],
    path: str | Path,
    labels: Sequence[str] | None = None,
    lang: Lang = "en",
    allocation: str | Path | None = None,
) -> Path:
    """Write every result table of ``bundles`` to one ``.xlsx`` (atomically); return ``path``.

    Headers, the definitions sheet and scenario labels are in ``lang`` (``zh`` or ``en``).
    With ``allocation`` (a ``symbio allocate`` directory), its tables are added as the
    ``who_gains_*`` sheets.
    """
    from symbio.report.allocation_view import allocation_sheets, load_allocation
    from symbio.report.figures.overview import scenario_labels

    path = Path(path)
    labels = list(labels or scenario_labels(bundles, lang))
    sheets = result_sheets(bundles, labels, lang)
    if allocation:
        sheets.update(allocation_sheets(load_allocation(allocation)))
    with atomic_file(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name, index=False)
            _style(xw.sheets[name])
        pd.DataFrame(definitions(bundles, lang)).to_excel(
            xw, sheet_name="definitions", index=False, header=False
        )
        _style(xw.sheets["definitions"])
    return path


def _style(ws: object) -> None:
    """Bold shaded header, frozen first row, formats and widths, formula-like text kept text."""
    for cell in ws[1]:  # type: ignore[index]
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    ws.freeze_panes = "A2"  # type: ignore[attr-defined]
    fit(ws)  # type: ignore[arg-type]
    keep_text(ws)
